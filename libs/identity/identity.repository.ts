import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  Account,
  ApiKey,
  Coordinator,
  LinkToken,
  Session,
  type AccountRole,
  type LinkPurpose,
} from './identity.entities.js';

/** The session row behind a token: who signed in and, for a coordinator, the organisation. */
export interface SessionRow {
  session_id: string;
  account_id: string;
  role: AccountRole;
  organisation_id: string | null;
}

export interface LinkRow {
  accountId: string;
  subjectId: string | null;
}

export interface EmailChangeRow {
  accountId: string;
  oldEmail: string;
  newEmail: string;
}

type Row = Record<string, unknown> | undefined;

const toLink = (row: Row): LinkRow | null =>
  row ? { accountId: row.account_id as string, subjectId: row.subject_id as string | null } : null;

const toEmailChange = (row: Row): EmailChangeRow | null =>
  row
    ? { accountId: row.account_id as string, oldEmail: row.old_email as string, newEmail: row.new_email as string }
    : null;

/**
 * Every query of the identity area. Methods taking `em`/`tx` run in the caller's unit of work or
 * transaction (the service opens and flushes it); the others are single statements on a fork of their own.
 * Tokens arrive here hashed only.
 */
@Injectable()
export class IdentityRepository {
  constructor(private readonly em: EntityManager) {}

  // Accounts

  async sessionByTokenHash(tokenHash: string): Promise<SessionRow | null> {
    const [row] = await this.em.fork().execute(
      `select s.id as session_id, a.id as account_id, a.role, c.organisation_id
       from sessions s join accounts a on a.id = s.account_id left join coordinators c on c.account_id = a.id
       where s.token_hash = ? and s.expires_at > now()`,
      [tokenHash],
    );
    return (row as SessionRow | undefined) ?? null;
  }

  /** Queues the account row in the unit of work; the caller flushes it. */
  addAccount(em: EntityManager, email: string, role: AccountRole): Account {
    const account = em.create(Account, { email, role } as Account);
    em.persist(account);
    return account;
  }

  findAccountByEmail(em: EntityManager, email: string): Promise<Account | null> {
    return em.findOne(Account, { email });
  }

  findAccount(em: EntityManager, accountId: string): Promise<Account | null> {
    return em.findOne(Account, { id: accountId });
  }

  getAccount(em: EntityManager, accountId: string): Promise<Account> {
    return em.findOneOrFail(Account, { id: accountId });
  }

  async markEmailVerified(tx: EntityManager, accountId: string): Promise<void> {
    await tx.execute(`update accounts set email_verified_at = coalesce(email_verified_at, now()) where id = ?`, [
      accountId,
    ]);
  }

  /** Deletes volunteer sign-ups older than `afterSeconds` that never confirmed; returns how many. */
  async deleteUnverifiedAccounts(afterSeconds: number): Promise<number> {
    const rows = await this.em.fork().execute(
      `delete from accounts where email_verified_at is null and role = 'volunteer' and email is not null
       and created_at < now() - make_interval(secs => ?) returning id`,
      [afterSeconds],
    );
    return rows.length;
  }

  findCoordinator(em: EntityManager, accountId: string): Promise<Coordinator | null> {
    return em.findOne(Coordinator, { accountId });
  }

  async coordinatorName(accountId: string): Promise<string | null> {
    const [row] = await this.em.fork().execute(`select name from coordinators where account_id = ?`, [accountId]);
    return row?.name ?? null;
  }

  /** The organisation's name for the coordinator's welcome mail. */
  async organisationName(em: EntityManager, organisationId: string): Promise<string | undefined> {
    const [organisation] = await em.execute(`select name from organisations where id = ?`, [organisationId]);
    return organisation?.name;
  }

  // Sessions

  addSession(em: EntityManager, fields: { accountId: string; tokenHash: string; expiresAt: Date }): void {
    em.persist(em.create(Session, fields as Session));
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.em.fork().nativeDelete(Session, { id: sessionId });
  }

  // Link tokens

  addLinkToken(
    em: EntityManager,
    fields: { tokenHash: string; purpose: LinkPurpose; accountId: string; subjectId: string | null; expiresAt: Date },
  ): void {
    em.persist(em.create(LinkToken, fields as LinkToken));
  }

  async unusedLinkToken(tokenHash: string, purpose: LinkPurpose): Promise<LinkRow | null> {
    const [row] = await this.em
      .fork()
      .execute(
        `select account_id, subject_id from link_tokens where token_hash = ? and purpose = ? and used_at is null and expires_at > now()`,
        [tokenHash, purpose],
      );
    return toLink(row);
  }

  async usedLinkToken(tokenHash: string, purpose: LinkPurpose): Promise<LinkRow | null> {
    const [row] = await this.em
      .fork()
      .execute(
        `select account_id, subject_id from link_tokens where token_hash = ? and purpose = ? and used_at is not null`,
        [tokenHash, purpose],
      );
    return toLink(row);
  }

  /** A conditional update, so two concurrent uses cannot both succeed; null when the link is not usable. */
  async consumeLinkToken(tx: EntityManager, tokenHash: string, purpose: LinkPurpose): Promise<LinkRow | null> {
    const [row] = await tx.execute(
      `update link_tokens set used_at = now()
       where token_hash = ? and purpose = ? and used_at is null and expires_at > now()
       returning account_id, subject_id`,
      [tokenHash, purpose],
    );
    return toLink(row);
  }

  // API keys

  async touchApiKey(keyHash: string): Promise<{ id: string; organisationId: string } | null> {
    const [row] = await this.em
      .fork()
      .execute(
        `update api_keys set last_used_at = now() where key_hash = ? and revoked_at is null returning id, organisation_id`,
        [keyHash],
      );
    return row ? { id: row.id, organisationId: row.organisation_id } : null;
  }

  addApiKey(
    em: EntityManager,
    fields: { organisationId: string; name: string; prefix: string; keyHash: string; createdBy: string | null },
  ): ApiKey {
    const apiKey = em.create(ApiKey, fields as ApiKey);
    em.persist(apiKey);
    return apiKey;
  }

  listApiKeys(organisationId: string): Promise<ApiKey[]> {
    return this.em.fork().find(ApiKey, { organisationId }, { orderBy: { createdAt: 'desc' } });
  }

  findApiKey(em: EntityManager, organisationId: string, apiKeyId: string): Promise<ApiKey | null> {
    return em.findOne(ApiKey, { id: apiKeyId, organisationId });
  }

  // Email changes

  /** Locks the account row: it serialises two requests of one account. */
  async lockAccountEmail(tx: EntityManager, accountId: string): Promise<{ email: string } | null> {
    const [account] = await tx.execute(`select email::text from accounts where id = ? for update`, [accountId]);
    return account ? { email: account.email as string } : null;
  }

  async emailTaken(tx: EntityManager, email: string): Promise<boolean> {
    const [taken] = await tx.execute(`select 1 from accounts where email = ?`, [email]);
    return Boolean(taken);
  }

  async cancelPendingEmailChanges(tx: EntityManager, accountId: string): Promise<void> {
    await tx.execute(
      `update email_changes set cancelled_at = now() where account_id = ? and confirmed_at is null and cancelled_at is null`,
      [accountId],
    );
  }

  /** Retires the unused links of pending changes (to the new address and the cancel link). */
  async retireEmailChangeLinks(tx: EntityManager, accountId: string): Promise<void> {
    await tx.execute(
      `update link_tokens set used_at = now() where account_id = ? and used_at is null and purpose in ('email_change', 'email_change_cancel')`,
      [accountId],
    );
  }

  async insertEmailChange(
    tx: EntityManager,
    change: { id: string; accountId: string; oldEmail: string; newEmail: string },
  ): Promise<void> {
    await tx.execute(`insert into email_changes (id, account_id, old_email, new_email) values (?, ?, ?, ?)`, [
      change.id,
      change.accountId,
      change.oldEmail,
      change.newEmail,
    ]);
  }

  /** A change still waiting for its confirmation, or null (confirmed, cancelled, replaced, deleted). */
  async pendingEmailChange(em: EntityManager, changeId: string): Promise<EmailChangeRow | null> {
    const [row] = await em.execute(
      `select account_id, old_email::text, new_email::text from email_changes where id = ? and confirmed_at is null and cancelled_at is null`,
      [changeId],
    );
    return toEmailChange(row);
  }

  /** The addresses of a change, whatever its state. */
  async emailChange(em: EntityManager, changeId: string): Promise<EmailChangeRow | null> {
    const [row] = await em.execute(
      `select account_id, old_email::text, new_email::text from email_changes where id = ?`,
      [changeId],
    );
    return toEmailChange(row);
  }

  /** Marks a pending change confirmed; its new address, or null when it is no longer pending. */
  async confirmEmailChange(tx: EntityManager, changeId: string | null, accountId: string): Promise<string | null> {
    const [change] = await tx.execute(
      `update email_changes set confirmed_at = now()
           where id = ? and account_id = ? and confirmed_at is null and cancelled_at is null returning new_email::text`,
      [changeId, accountId],
    );
    return change ? (change.new_email as string) : null;
  }

  async setAccountEmail(tx: EntityManager, accountId: string, email: string): Promise<void> {
    await tx.execute(`update accounts set email = ?, email_verified_at = now() where id = ?`, [email, accountId]);
  }

  /** After a change, every link mailed to the old address stops working. */
  async retireLinksToOldAddress(tx: EntityManager, accountId: string): Promise<void> {
    await tx.execute(
      `update link_tokens set used_at = now() where account_id = ? and used_at is null and purpose in ('sign_in', 'verify_email', 'email_change', 'email_change_cancel')`,
      [accountId],
    );
  }

  /** Marks a pending change cancelled; false when it is no longer pending. */
  async cancelEmailChange(tx: EntityManager, changeId: string | null, accountId: string): Promise<boolean> {
    const [change] = await tx.execute(
      `update email_changes set cancelled_at = now() where id = ? and account_id = ? and confirmed_at is null and cancelled_at is null returning id`,
      [changeId, accountId],
    );
    return Boolean(change);
  }

  async retireEmailChangeConfirmLinks(tx: EntityManager, accountId: string): Promise<void> {
    await tx.execute(
      `update link_tokens set used_at = now() where account_id = ? and used_at is null and purpose = 'email_change'`,
      [accountId],
    );
  }
}
