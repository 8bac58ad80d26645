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
import { IdentityRepository, type EmailChangeRow } from './identity.repository.js';

export type PendingEmailChange = EmailChangeRow;

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
    private readonly repo: IdentityRepository,
    private readonly outbox: OutboxService,
    private readonly identity: IdentityService,
  ) {}

  async request(accountId: string, email: string): Promise<void> {
    const newEmail = email.trim().toLowerCase();
    await this.em.fork().transactional(async (tx) => {
      // The row lock serialises two requests of one account; the partial unique index backs it up.
      const account = await this.repo.lockAccountEmail(tx, accountId);
      if (!account) throw new NotFoundError('Account');
      if (account.email === newEmail) throw InvalidInputError.field('email', 'is already your address');
      if (await this.repo.emailTaken(tx, newEmail)) throw emailTaken();
      // A new request replaces the pending one: its links stop working.
      await this.repo.cancelPendingEmailChanges(tx, accountId);
      await this.repo.retireEmailChangeLinks(tx, accountId);
      const changeId = randomUUID();
      await this.repo.insertEmailChange(tx, { id: changeId, accountId, oldEmail: account.email, newEmail });
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
        const newEmail = await this.repo.confirmEmailChange(tx, subjectId, accountId);
        if (newEmail === null) throw new InvalidLinkError();
        await this.repo.setAccountEmail(tx, accountId, newEmail);
        await this.repo.retireLinksToOldAddress(tx, accountId);
        this.outbox.add(
          tx,
          JobName.EmailChangedEmail,
          { accountId, changeId: subjectId! },
          `${JobName.EmailChangedEmail}-${subjectId}`,
        );
        return { email: newEmail };
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
      if (!(await this.repo.cancelEmailChange(tx, subjectId, accountId))) throw new InvalidLinkError();
      await this.repo.retireEmailChangeConfirmLinks(tx, accountId);
    });
  }
}
