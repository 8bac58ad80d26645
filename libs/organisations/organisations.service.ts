import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import {
  databaseKnowsZone,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  JobName,
  OutboxService,
} from '../platform/index.js';
import { Coordinator, IdentityService } from '../identity/index.js';
import type {
  AddressDto,
  CoordinatorInviteDto,
  CreateOrganisationDto,
  OrganisationResponseDto,
} from './organisation.dto.js';
import { Organisation, OrganisationAddress } from './organisation.entities.js';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly identity: IdentityService,
    private readonly outbox: OutboxService,
  ) {}

  /** Operator only: the organisation, its first address and its first coordinator (invited by email). */
  async create(dto: CreateOrganisationDto): Promise<OrganisationResponseDto & { coordinatorAccountId: string }> {
    // Shifts and series are expanded in this zone by PostgreSQL too, so it must know it.
    if (!(await databaseKnowsZone(this.em.fork(), dto.timeZone)))
      throw InvalidInputError.field(
        'timeZone',
        'is not a time zone this server knows; try the main city of the zone, such as Europe/London',
      );
    let organisationId = '';
    let coordinatorAccountId = '';
    await this.withUniqueEmail(() =>
      this.em.fork().transactional(async (tx) => {
        const organisation = tx.create(Organisation, {
          name: dto.name.trim(),
          kind: dto.kind,
          timeZone: dto.timeZone,
        } as Organisation);
        organisationId = organisation.id;
        tx.persist(organisation);
        this.newAddress(tx, organisation.id, { ...dto.address, isDefault: true });
        coordinatorAccountId = this.inviteCoordinator(tx, organisation.id, dto.coordinator);
      }),
    );
    return { ...(await this.get(organisationId)), coordinatorAccountId };
  }

  async addCoordinator(organisationId: string, dto: CoordinatorInviteDto): Promise<{ accountId: string }> {
    await this.get(organisationId);
    let accountId = '';
    await this.withUniqueEmail(() =>
      this.em.fork().transactional(async (tx) => {
        accountId = this.inviteCoordinator(tx, organisationId, dto);
      }),
    );
    return { accountId };
  }

  async get(organisationId: string): Promise<OrganisationResponseDto> {
    const em = this.em.fork();
    const organisation = await em.findOne(Organisation, { id: organisationId });
    if (!organisation) throw new NotFoundError('Organisation');
    const addresses = await em.find(OrganisationAddress, { organisationId }, { orderBy: { createdAt: 'asc' } });
    return {
      id: organisation.id,
      name: organisation.name,
      kind: organisation.kind,
      timeZone: organisation.timeZone,
      addresses: addresses.map((a) => ({
        id: a.id,
        label: a.label,
        street: a.street ?? null,
        lat: a.lat,
        lon: a.lon,
        isDefault: a.isDefault,
      })),
    };
  }

  async addAddress(organisationId: string, dto: AddressDto): Promise<OrganisationResponseDto> {
    await this.em.fork().transactional(async (tx) => {
      if (dto.isDefault) await tx.nativeUpdate(OrganisationAddress, { organisationId }, { isDefault: false });
      this.newAddress(tx, organisationId, dto);
    });
    return this.get(organisationId);
  }

  private newAddress(tx: EntityManager, organisationId: string, dto: AddressDto): void {
    tx.persist(
      tx.create(OrganisationAddress, {
        organisationId,
        label: dto.label,
        street: dto.street ?? null,
        lat: dto.lat,
        lon: dto.lon,
        isDefault: dto.isDefault ?? false,
      } as OrganisationAddress),
    );
  }

  private inviteCoordinator(tx: EntityManager, organisationId: string, dto: CoordinatorInviteDto): string {
    const account = this.identity.newAccount(tx, dto.email, 'coordinator');
    tx.persist(tx.create(Coordinator, { accountId: account.id, organisationId, name: dto.name } as Coordinator));
    const requestId = randomUUID();
    this.outbox.add(
      tx,
      JobName.CoordinatorInviteEmail,
      { accountId: account.id, requestId },
      `${JobName.CoordinatorInviteEmail}-${requestId}`,
    );
    return account.id;
  }

  private async withUniqueEmail<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw new ConflictError('email-taken', 'That email address already has a Kindshift account.');
      throw error;
    }
  }
}
