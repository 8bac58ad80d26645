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
import type { Account, ApiKey, AccountRole, LinkPurpose } from './identity.entities.js';
import { IdentityRepository } from './identity.repository.js';
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
    private readonly repo: IdentityRepository,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  hash(token: string): string {
    return hashToken(token, this.config.SESSION_SECRET);
  }

  async principalForSession(token: string): Promise<Principal | null> {
    const row = await this.repo.sessionByTokenHash(this.hash(token));
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
    const key = await this.repo.touchApiKey(this.hash(token));
    return key ? { kind: 'api_key', apiKeyId: key.id, organisationId: key.organisationId } : null;
  }

  /** Creates an account row in the caller's unit of work. */
  newAccount(em: EntityManager, email: string, role: AccountRole): Account {
    return this.repo.addAccount(em, email.trim().toLowerCase(), role);
  }

  async findAccountByEmail(email: string): Promise<Account | null> {
    return this.repo.findAccountByEmail(this.em.fork(), email.trim().toLowerCase());
  }

  /** Queues the sign-in email when the address belongs to an account; says nothing either way. */
  async requestSignIn(email: string): Promise<void> {
    const em = this.em.fork();
    const account = await this.repo.findAccountByEmail(em, email.trim().toLowerCase());
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
    this.repo.addLinkToken(em, {
      tokenHash: this.hash(token),
      purpose,
      accountId,
      subjectId: subjectId ?? null,
      expiresAt,
    });
    await em.flush();
    return token;
  }

  /** Checks a link without using it up (for the GET confirmation page). */
  async peekLinkToken(token: string, purpose: LinkPurpose): Promise<{ accountId: string; subjectId: string | null }> {
    const link = await this.repo.unusedLinkToken(this.hash(token), purpose);
    if (!link) throw new InvalidLinkError();
    return link;
  }

  /** A link already used (for answers that may be repeated safely, like accepting the same offer twice); null otherwise. */
  async usedLinkToken(
    token: string,
    purpose: LinkPurpose,
  ): Promise<{ accountId: string; subjectId: string | null } | null> {
    return this.repo.usedLinkToken(this.hash(token), purpose);
  }

  /** Uses a link exactly once: a conditional update, so two concurrent POSTs cannot both succeed. */
  async consumeLinkToken(
    em: EntityManager,
    token: string,
    purpose: LinkPurpose,
  ): Promise<{ accountId: string; subjectId: string | null }> {
    const link = await this.repo.consumeLinkToken(em, this.hash(token), purpose);
    if (!link) throw new InvalidLinkError();
    return link;
  }

  /** POST of a verification or sign-in link: marks the email as verified and starts a session. */
  async completeLink(token: string, purpose: 'verify_email' | 'sign_in'): Promise<IssuedSession> {
    return this.em.fork().transactional(async (em) => {
      const { accountId } = await this.consumeLinkToken(em, token, purpose);
      // Opening either link proves the person reads this mailbox.
      await this.repo.markEmailVerified(em, accountId);
      return this.createSession(em, accountId);
    });
  }

  private async createSession(em: EntityManager, accountId: string): Promise<IssuedSession> {
    const account = await this.repo.getAccount(em, accountId);
    const token = generateToken();
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_SECONDS * 1000);
    this.repo.addSession(em, { accountId, tokenHash: this.hash(token), expiresAt });
    await em.flush();
    return { token, expiresAt, accountId, role: account.role };
  }

  /** The coordinator's display name, or null when none is set (or the account is no coordinator). */
  coordinatorName(accountId: string): Promise<string | null> {
    return this.repo.coordinatorName(accountId);
  }

  async signOut(sessionId: string): Promise<void> {
    await this.repo.deleteSession(sessionId);
  }

  async createApiKey(organisationId: string, name: string, createdBy: string | null) {
    const em = this.em.fork();
    const key = generateToken(API_KEY_PREFIX);
    const apiKey = this.repo.addApiKey(em, {
      organisationId,
      name,
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      keyHash: this.hash(key),
      createdBy,
    });
    await em.flush();
    return { apiKey, key };
  }

  async listApiKeys(organisationId: string): Promise<ApiKey[]> {
    return this.repo.listApiKeys(organisationId);
  }

  async revokeApiKey(organisationId: string, apiKeyId: string): Promise<ApiKey> {
    const em = this.em.fork();
    const apiKey = await this.repo.findApiKey(em, organisationId, apiKeyId);
    if (!apiKey) throw new NotFoundError('API key');
    apiKey.revokedAt ??= new Date();
    await em.flush();
    return apiKey;
  }

  /** Deletes sign-ups that never confirmed their email; cascades remove their profile rows. A former volunteer (no email) holds history and stays. */
  async purgeUnverified(): Promise<number> {
    return this.repo.deleteUnverifiedAccounts(this.config.UNVERIFIED_PURGE_AFTER_SECONDS);
  }
}
