import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import {
  DomainError,
  InvalidInputError,
  InvalidLinkError,
  NotFoundError,
  JobName,
  OutboxService,
} from '../platform/index.js';
import { IdentityService } from './identity.service.js';

export interface PendingEmailChange {
  accountId: string;
  oldEmail: string;
  newEmail: string;
}

/** `robin@example.org` → `r***@example.org`: enough for the owner to recognise, too little to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}

const emailTaken = () =>
  new DomainError(409, 'email-taken', 'Conflict', 'This email address belongs to another account.', [
    { field: 'email', message: 'is already used by another account' },
  ]);

/**
 * Changing an account's email address. The change waits in email_changes until the link sent to
 * the new address is used; until then the old address is the account's (and signs in). The old
 * address is told, with a link that cancels the change, and told again once it is done.
 * The mails go out through the outbox; the links are minted by the worker when it sends them.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly identity: IdentityService,
  ) {}

  async request(accountId: string, email: string): Promise<void> {
    const newEmail = email.trim().toLowerCase();
    await this.em.fork().transactional(async (tx) => {
      // The row lock serialises two requests of one account; the partial unique index backs it up.
      const [account] = await tx.execute(`select email::text from accounts where id = ? for update`, [accountId]);
      if (!account) throw new NotFoundError('Account');
      if (account.email === newEmail) throw InvalidInputError.field('email', 'is already your address');
      const [taken] = await tx.execute(`select 1 from accounts where email = ?`, [newEmail]);
      if (taken) throw emailTaken();
      // A new request replaces the pending one: its links stop working.
      await tx.execute(
        `update email_changes set cancelled_at = now() where account_id = ? and confirmed_at is null and cancelled_at is null`,
        [accountId],
      );
      await tx.execute(
        `update link_tokens set used_at = now() where account_id = ? and used_at is null and purpose in ('email_change', 'email_change_cancel')`,
        [accountId],
      );
      const changeId = randomUUID();
      await tx.execute(`insert into email_changes (id, account_id, old_email, new_email) values (?, ?, ?, ?)`, [
        changeId,
        accountId,
        account.email,
        newEmail,
      ]);
      this.outbox.add(
        tx,
        JobName.EmailChangeConfirmEmail,
        { accountId, changeId },
        `${JobName.EmailChangeConfirmEmail}-${changeId}`,
      );
      this.outbox.add(
        tx,
        JobName.EmailChangeNoticeEmail,
        { accountId, changeId },
        `${JobName.EmailChangeNoticeEmail}-${changeId}`,
      );
    });
  }

  /** A change still waiting for its confirmation, or null (confirmed, cancelled, replaced, deleted). */
  async pending(em: EntityManager, changeId: string): Promise<PendingEmailChange | null> {
    const [row] = await em.execute(
      `select account_id, old_email::text, new_email::text from email_changes where id = ? and confirmed_at is null and cancelled_at is null`,
      [changeId],
    );
    return row ? { accountId: row.account_id, oldEmail: row.old_email, newEmail: row.new_email } : null;
  }

  /** The addresses of a change, whatever its state (for the "was changed" notice). */
  async find(em: EntityManager, changeId: string): Promise<PendingEmailChange | null> {
    const [row] = await em.execute(
      `select account_id, old_email::text, new_email::text from email_changes where id = ?`,
      [changeId],
    );
    return row ? { accountId: row.account_id, oldEmail: row.old_email, newEmail: row.new_email } : null;
  }

  /**
   * POST of the link sent to the new address. The unique constraint on accounts.email decides a race
   * with a sign-up or another change to the same address (409, and the link stays usable).
   * Sessions stay: the person proved both the session (asking) and the new mailbox (confirming).
   * Links already mailed to the old address (sign-in, verification, cancel) stop working.
   */
  async confirm(token: string): Promise<{ email: string }> {
    try {
      return await this.em.fork().transactional(async (tx) => {
        const { accountId, subjectId } = await this.identity.consumeLinkToken(tx, token, 'email_change');
        const [change] = await tx.execute(
          `update email_changes set confirmed_at = now()
           where id = ? and account_id = ? and confirmed_at is null and cancelled_at is null returning new_email::text`,
          [subjectId, accountId],
        );
        if (!change) throw new InvalidLinkError();
        await tx.execute(`update accounts set email = ?, email_verified_at = now() where id = ?`, [
          change.new_email,
          accountId,
        ]);
        await tx.execute(
          `update link_tokens set used_at = now() where account_id = ? and used_at is null and purpose in ('sign_in', 'verify_email', 'email_change', 'email_change_cancel')`,
          [accountId],
        );
        this.outbox.add(
          tx,
          JobName.EmailChangedEmail,
          { accountId, changeId: subjectId! },
          `${JobName.EmailChangedEmail}-${subjectId}`,
        );
        return { email: change.new_email as string };
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
  }

  /** POST of the link sent to the old address: the pending change is dropped; nothing else changes. */
  async cancel(token: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const { accountId, subjectId } = await this.identity.consumeLinkToken(tx, token, 'email_change_cancel');
      const [change] = await tx.execute(
        `update email_changes set cancelled_at = now() where id = ? and account_id = ? and confirmed_at is null and cancelled_at is null returning id`,
        [subjectId, accountId],
      );
      if (!change) throw new InvalidLinkError();
      await tx.execute(
        `update link_tokens set used_at = now() where account_id = ? and used_at is null and purpose = 'email_change'`,
        [accountId],
      );
    });
  }
}
