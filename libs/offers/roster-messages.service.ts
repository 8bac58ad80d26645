import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  APP_CONFIG,
  type AppConfig,
  ConflictError,
  InvalidInputError,
  JobName,
  LimitReachedError,
  NotFoundError,
  OutboxService,
} from '../platform/index.js';
import { decideCap } from './core/roster-message-rules.js';
import type { SendRosterMessageDto } from './offers.dto.js';
import { RosterMessagesRepository, type RosterMessageRow } from './roster-messages.repository.js';

/** How long after a shift its roster can still be written to ("thank you all for Saturday"). */
const AFTER_SHIFT_MS = 7 * 24 * 3600 * 1000;

export interface SentRosterMessage {
  id: string;
  recipients: number;
  createdAt: Date;
}

/**
 * A coordinator writes to everyone booked on a shift: the message and its recipients are stored
 * with an outbox row in one transaction, and the worker mails each recipient once (their address
 * stays theirs: one email each, the coordinator's address as Reply-To). Capped per shift and per
 * organisation over any 24 hours so the roster cannot be used to spam volunteers. A message can go
 * to one role's bookings only ("servers: bring an apron"); it counts towards the caps the same.
 */
@Injectable()
export class RosterMessagesService {
  constructor(
    private readonly em: EntityManager,
    private readonly repo: RosterMessagesRepository,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async send(
    organisationId: string,
    shiftId: string,
    sentBy: string | null,
    input: SendRosterMessageDto,
  ): Promise<SentRosterMessage> {
    const subject = input.subject.trim();
    const body = input.body.trim();
    return this.em.fork().transactional(async (tx) => {
      await this.repo.lockOrganisation(tx, organisationId);
      const shift = await this.repo.shift(tx, organisationId, shiftId);
      if (!shift) throw new NotFoundError('Shift');
      if (shift.status === 'cancelled')
        throw new ConflictError('shift-cancelled', 'This shift was cancelled; its volunteers have been told.');
      if (new Date(shift.ends_at).getTime() < Date.now() - AFTER_SHIFT_MS)
        throw new ConflictError('shift-over', 'This shift ended more than a week ago.');
      const role = input.roleId ? await this.repo.role(tx, shiftId, input.roleId) : null;
      if (role === undefined) throw InvalidInputError.field('roleId', 'is not a role of this shift');
      const decision = decideCap(
        await this.repo.recentSends(tx, organisationId, shiftId),
        {
          perShift: this.config.ROSTER_MESSAGES_PER_SHIFT_PER_DAY,
          perOrganisation: this.config.ROSTER_MESSAGES_PER_ORGANISATION_PER_DAY,
        },
        new Date(),
      );
      if (!decision.allowed) throw capReached(decision.scope, decision.retryAfterSeconds, this.config);
      const message = await this.repo.insert(tx, { shiftId, organisationId, sentBy, subject, body, role });
      if (message.recipients === 0)
        throw new ConflictError(
          'no-recipients',
          role
            ? `Nobody is booked as ${role.name} on this shift yet, so there is no one to write to.`
            : 'Nobody is booked on this shift yet, so there is no one to write to.',
        );
      this.outbox.add(
        tx,
        JobName.RosterMessageEmail,
        { messageId: message.id },
        `${JobName.RosterMessageEmail}-${message.id}`,
      );
      await tx.flush();
      return message;
    });
  }

  async list(organisationId: string, shiftId: string): Promise<RosterMessageRow[]> {
    if (!(await this.repo.shift(this.em.fork(), organisationId, shiftId))) throw new NotFoundError('Shift');
    return this.repo.forShift(organisationId, shiftId);
  }
}

function capReached(scope: 'shift' | 'organisation', retryAfterSeconds: number, config: AppConfig) {
  const hours = Math.ceil(retryAfterSeconds / 3600);
  const when = hours <= 1 ? 'within the hour' : `in about ${hours} hours`;
  const detail =
    scope === 'shift'
      ? `This shift has had ${config.ROSTER_MESSAGES_PER_SHIFT_PER_DAY} messages in the last 24 hours, the most it can have. You can write again ${when}.`
      : `Your organisation has sent ${config.ROSTER_MESSAGES_PER_ORGANISATION_PER_DAY} roster messages in the last 24 hours, the most it can send. You can write again ${when}.`;
  return new LimitReachedError('roster-message-limit', detail, retryAfterSeconds);
}
