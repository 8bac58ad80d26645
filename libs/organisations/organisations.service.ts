import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { ConflictError, InvalidInputError, NotFoundError, JobName, OutboxService } from '../platform/index.js';
import { IdentityService } from '../identity/index.js';
import type {
  AddressDto,
  CoordinatorInviteDto,
  CreateOrganisationDto,
  OrganisationResponseDto,
} from './organisation.dto.js';
import type { OrganisationAddress } from './organisation.entities.js';
import { OrganisationsRepository } from './organisations.repository.js';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly repo: OrganisationsRepository,
    private readonly identity: IdentityService,
    private readonly outbox: OutboxService,
  ) {}

  /** Operator only: the organisation, its first address and its first coordinator (invited by email). */
  async create(dto: CreateOrganisationDto): Promise<OrganisationResponseDto & { coordinatorAccountId: string }> {
    // Shifts and series are expanded in this zone by PostgreSQL too, so it must know it.
    if (!(await this.repo.knowsZone(dto.timeZone)))
      throw InvalidInputError.field(
        'timeZone',
        'is not a time zone this server knows; try the main city of the zone, such as Europe/London',
      );
    let organisationId = '';
    let coordinatorAccountId = '';
    await this.withUniqueEmail(() =>
      this.repo.transaction(async (tx) => {
        const organisation = this.repo.newOrganisation(tx, {
          name: dto.name.trim(),
          kind: dto.kind,
          timeZone: dto.timeZone,
        });
        organisationId = organisation.id;
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
      this.repo.transaction(async (tx) => {
        accountId = this.inviteCoordinator(tx, organisationId, dto);
      }),
    );
    return { accountId };
  }

  async get(organisationId: string): Promise<OrganisationResponseDto> {
    const organisation = await this.repo.findOrganisation(organisationId);
    if (!organisation) throw new NotFoundError('Organisation');
    const addresses = await this.repo.addressesOf(organisationId);
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
    await this.repo.transaction(async (tx) => {
      if (dto.isDefault) await this.repo.clearDefaultAddress(tx, organisationId);
      this.newAddress(tx, organisationId, dto);
    });
    return this.get(organisationId);
  }

  /** The organisation's time zone: its shifts are shown, and its series expanded, on this wall clock. */
  async timeZoneOf(organisationId: string): Promise<string> {
    const organisation = await this.repo.findOrganisation(organisationId);
    if (!organisation) throw new NotFoundError('Organisation');
    return organisation.timeZone;
  }

  /** Where a shift takes place: the given address of the organisation, or its default one (in `tx`). */
  async shiftAddress(tx: EntityManager, organisationId: string, addressId?: string): Promise<OrganisationAddress> {
    const address = await this.repo.findAddress(tx, organisationId, addressId);
    if (!address)
      throw InvalidInputError.field(
        'addressId',
        addressId
          ? 'is not one of this organisation’s addresses'
          : 'is required: the organisation has no default address',
      );
    return address;
  }

  private newAddress(tx: EntityManager, organisationId: string, dto: AddressDto): void {
    this.repo.newAddress(tx, {
      organisationId,
      label: dto.label,
      street: dto.street ?? null,
      lat: dto.lat,
      lon: dto.lon,
      isDefault: dto.isDefault ?? false,
    });
  }

  private inviteCoordinator(tx: EntityManager, organisationId: string, dto: CoordinatorInviteDto): string {
    const account = this.identity.newAccount(tx, dto.email, 'coordinator');
    this.repo.newCoordinator(tx, { accountId: account.id, organisationId, name: dto.name });
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
