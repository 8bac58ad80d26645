import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  APP_CONFIG,
  type AppConfig,
  InvalidLinkError,
  NotFoundError,
  JobName,
  OutboxService,
  type Principal,
} from '../platform/index.js';
import { Account, ApiKey, LinkToken, Session, type AccountRole, type LinkPurpose } from './identity.entities.js';
import { API_KEY_PREFIX, generateToken, hashToken } from '../common/index.js';

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  accountId: string;
  role: AccountRole;
}

/** Accounts, passwordless sign-in, sessions and API keys. Raw tokens are never stored or logged. */
@Injectable()
export class IdentityService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  hash(token: string): string {
    return hashToken(token, this.config.SESSION_SECRET);
  }

  async principalForSession(token: string): Promise<Principal | null> {
    const [row] = await this.em.fork().execute(
      `select s.id as session_id, a.id as account_id, a.role, c.organisation_id
       from sessions s join accounts a on a.id = s.account_id left join coordinators c on c.account_id = a.id
       where s.token_hash = ? and s.expires_at > now()`,
      [this.hash(token)],
    );
    if (!row) return null;
    if (row.role === 'coordinator' && row.organisation_id) {
      return {
        kind: 'coordinator',
        accountId: row.account_id,
        organisationId: row.organisation_id,
        sessionId: row.session_id,
      };
    }
    return row.role === 'volunteer'
      ? { kind: 'volunteer', accountId: row.account_id, sessionId: row.session_id }
      : null;
  }

  async principalForApiKey(token: string): Promise<Principal | null> {
    const [row] = await this.em
      .fork()
      .execute(
        `update api_keys set last_used_at = now() where key_hash = ? and revoked_at is null returning id, organisation_id`,
        [this.hash(token)],
      );
    return row ? { kind: 'api_key', apiKeyId: row.id, organisationId: row.organisation_id } : null;
  }

  /** Creates an account row in the caller's unit of work. */
  newAccount(em: EntityManager, email: string, role: AccountRole): Account {
    const account = em.create(Account, { email: email.trim().toLowerCase(), role } as Account);
    em.persist(account);
    return account;
  }

  async findAccountByEmail(email: string): Promise<Account | null> {
    return this.em.fork().findOne(Account, { email: email.trim().toLowerCase() });
  }

  /** Queues the sign-in email when the address belongs to an account; says nothing either way. */
  async requestSignIn(email: string): Promise<void> {
    const em = this.em.fork();
    const account = await em.findOne(Account, { email: email.trim().toLowerCase() });
    if (!account) return;
    const requestId = randomUUID();
    const job =
      account.emailVerifiedAt || account.role === 'coordinator' ? JobName.SignInEmail : JobName.VerificationEmail;
    this.outbox.add(em, job, { accountId: account.id, requestId }, `${job}-${requestId}`);
    await em.flush();
  }

  /**
   * Mints a link token and commits it at once, in its own transaction: the email carrying it may be
   * opened before the sender's transaction ends, and the link must already work then.
   */
  async issueLinkToken(
    accountId: string,
    purpose: LinkPurpose,
    ttlSeconds: number,
    subjectId?: string,
  ): Promise<string> {
    const em = this.em.fork();
    const token = generateToken();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    em.persist(
      em.create(LinkToken, {
        tokenHash: this.hash(token),
        purpose,
        accountId,
        subjectId: subjectId ?? null,
        expiresAt,
      } as LinkToken),
    );
    await em.flush();
    return token;
  }

  /** Checks a link without using it up (for the GET confirmation page). */
  async peekLinkToken(token: string, purpose: LinkPurpose): Promise<{ accountId: string; subjectId: string | null }> {
    const [row] = await this.em
      .fork()
      .execute(
        `select account_id, subject_id from link_tokens where token_hash = ? and purpose = ? and used_at is null and expires_at > now()`,
        [this.hash(token), purpose],
      );
    if (!row) throw new InvalidLinkError();
    return { accountId: row.account_id, subjectId: row.subject_id };
  }

  /** A link already used (for answers that may be repeated safely, like accepting the same offer twice); null otherwise. */
  async usedLinkToken(
    token: string,
    purpose: LinkPurpose,
  ): Promise<{ accountId: string; subjectId: string | null } | null> {
    const [row] = await this.em
      .fork()
      .execute(
        `select account_id, subject_id from link_tokens where token_hash = ? and purpose = ? and used_at is not null`,
        [this.hash(token), purpose],
      );
    return row ? { accountId: row.account_id, subjectId: row.subject_id } : null;
  }

  /** Uses a link exactly once: a conditional update, so two concurrent POSTs cannot both succeed. */
  async consumeLinkToken(
    em: EntityManager,
    token: string,
    purpose: LinkPurpose,
  ): Promise<{ accountId: string; subjectId: string | null }> {
    const [row] = await em.execute(
      `update link_tokens set used_at = now()
       where token_hash = ? and purpose = ? and used_at is null and expires_at > now()
       returning account_id, subject_id`,
      [this.hash(token), purpose],
    );
    if (!row) throw new InvalidLinkError();
    return { accountId: row.account_id, subjectId: row.subject_id };
  }

  /** POST of a verification or sign-in link: marks the email as verified and starts a session. */
  async completeLink(token: string, purpose: 'verify_email' | 'sign_in'): Promise<IssuedSession> {
    return this.em.fork().transactional(async (em) => {
      const { accountId } = await this.consumeLinkToken(em, token, purpose);
      // Opening either link proves the person reads this mailbox.
      await em.execute(`update accounts set email_verified_at = coalesce(email_verified_at, now()) where id = ?`, [
        accountId,
      ]);
      return this.createSession(em, accountId);
    });
  }

  private async createSession(em: EntityManager, accountId: string): Promise<IssuedSession> {
    const account = await em.findOneOrFail(Account, { id: accountId });
    const token = generateToken();
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_SECONDS * 1000);
    em.persist(em.create(Session, { accountId, tokenHash: this.hash(token), expiresAt } as Session));
    await em.flush();
    return { token, expiresAt, accountId, role: account.role };
  }

  async signOut(sessionId: string): Promise<void> {
    await this.em.fork().nativeDelete(Session, { id: sessionId });
  }

  async createApiKey(organisationId: string, name: string, createdBy: string | null) {
    const em = this.em.fork();
    const key = generateToken(API_KEY_PREFIX);
    const apiKey = em.create(ApiKey, {
      organisationId,
      name,
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      keyHash: this.hash(key),
      createdBy,
    } as ApiKey);
    await em.persist(apiKey).flush();
    return { apiKey, key };
  }

  async listApiKeys(organisationId: string): Promise<ApiKey[]> {
    return this.em.fork().find(ApiKey, { organisationId }, { orderBy: { createdAt: 'desc' } });
  }

  async revokeApiKey(organisationId: string, apiKeyId: string): Promise<ApiKey> {
    const em = this.em.fork();
    const apiKey = await em.findOne(ApiKey, { id: apiKeyId, organisationId });
    if (!apiKey) throw new NotFoundError('API key');
    apiKey.revokedAt ??= new Date();
    await em.flush();
    return apiKey;
  }

  /** Deletes sign-ups that never confirmed their email; cascades remove their profile rows. A former volunteer (no email) holds history and stays. */
  async purgeUnverified(): Promise<number> {
    const rows = await this.em.fork().execute(
      `delete from accounts where email_verified_at is null and role = 'volunteer' and email is not null
       and created_at < now() - make_interval(secs => ?) returning id`,
      [this.config.UNVERIFIED_PURGE_AFTER_SECONDS],
    );
    return rows.length;
  }
}
