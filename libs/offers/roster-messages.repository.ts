import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import * as sql from './sql/roster-messages.sql.js';

export interface RosterMessageRow {
  id: string;
  subject: string;
  body: string;
  created_at: Date;
  /** The role it went to; both null when it went to everyone booked. */
  role_id: string | null;
  role_name: string | null;
  sent_by_name: string | null;
  by_coordinator: boolean;
  recipients: number;
  delivered: number;
}

export interface RosterMessageMail {
  id: string;
  subject: string;
  body: string;
  sender_name: string | null;
  sender_email: string | null;
  role_name: string | null;
}

/** Every query of roster messages. Methods that take `tx` run in the caller's transaction. */
@Injectable()
export class RosterMessagesRepository {
  constructor(private readonly em: EntityManager) {}

  async lockOrganisation(tx: EntityManager, organisationId: string): Promise<void> {
    await tx.execute(sql.LOCK_ORGANISATION, [organisationId]);
  }

  async shift(tx: EntityManager, organisationId: string, shiftId: string) {
    const [row] = await tx.execute<{ status: string; ends_at: Date }[]>(sql.MESSAGE_SHIFT, [shiftId, organisationId]);
    return row;
  }

  async role(tx: EntityManager, shiftId: string, roleId: string): Promise<{ id: string; name: string } | undefined> {
    const [row] = await tx.execute<{ id: string; name: string }[]>(sql.SHIFT_ROLE, [shiftId, roleId]);
    return row;
  }

  /** When the organisation's messages of the last 24 hours were sent, and which of them were this shift's. */
  async recentSends(tx: EntityManager, organisationId: string, shiftId: string) {
    const rows = await tx.execute<{ same_shift: boolean; created_at: Date }[]>(sql.RECENT_SENDS, [
      shiftId,
      organisationId,
    ]);
    return {
      shift: rows.filter((r) => r.same_shift).map((r) => new Date(r.created_at)),
      organisation: rows.map((r) => new Date(r.created_at)),
    };
  }

  /**
   * The message and its recipients, the bookings live on the shift now (in `role` only, when
   * given); returns how many they are.
   */
  async insert(
    tx: EntityManager,
    message: {
      shiftId: string;
      organisationId: string;
      sentBy: string | null;
      subject: string;
      body: string;
      role: { id: string; name: string } | null;
    },
  ): Promise<{ id: string; createdAt: Date; recipients: number }> {
    const roleId = message.role?.id ?? null;
    const [row] = await tx.execute<{ id: string; created_at: Date }[]>(sql.INSERT_MESSAGE, [
      message.shiftId,
      message.organisationId,
      message.sentBy,
      message.subject,
      message.body,
      roleId,
      message.role?.name ?? null,
    ]);
    const recipients = await tx.execute(sql.INSERT_RECIPIENTS, [row.id, message.shiftId, roleId, roleId]);
    return { id: row.id, createdAt: new Date(row.created_at), recipients: recipients.length };
  }

  forShift(organisationId: string, shiftId: string): Promise<RosterMessageRow[]> {
    return this.em.fork().execute<RosterMessageRow[]>(sql.SHIFT_MESSAGES, [shiftId, organisationId]);
  }

  async forMail(messageId: string): Promise<{ message: RosterMessageMail; bookingIds: string[] } | null> {
    const em = this.em.fork();
    const [message] = await em.execute<RosterMessageMail[]>(sql.MESSAGE_FOR_MAIL, [messageId]);
    if (!message) return null;
    const rows = await em.execute<{ booking_id: string }[]>(sql.MESSAGE_RECIPIENTS, [messageId]);
    return { message, bookingIds: rows.map((r) => String(r.booking_id)) };
  }
}
