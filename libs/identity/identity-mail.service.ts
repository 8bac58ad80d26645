import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DeliveryLogService } from '../platform/index.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityService } from './identity.service.js';
import {
  coordinatorInviteEmail,
  emailChangeConfirmEmail,
  emailChangedEmail,
  emailChangeNoticeEmail,
  signInEmail,
  verificationEmail,
} from './mail/identity-emails.js';

/**
 * Sends the account emails, each at most once (sendOnce). The link token is minted just before
 * sending, inside sendOnce, and goes only into the mail: never into a log or a job's result.
 */
@Injectable()
export class IdentityMailService {
  constructor(
    private readonly identity: IdentityService,
    private readonly repo: IdentityRepository,
    private readonly deliveries: DeliveryLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  verification(accountId: string, requestId: string) {
    return this.deliveries.sendOnce({ kind: 'verification', subjectId: requestId, accountId }, async (em) => {
      const account = await this.repo.findAccount(em, accountId);
      if (!account || account.emailVerifiedAt) return null;
      const token = await this.identity.issueLinkToken(accountId, 'verify_email', this.config.VERIFY_LINK_TTL_SECONDS);
      const mail = verificationEmail(this.link('/links/verify', token), this.config.VERIFY_LINK_TTL_SECONDS);
      return { to: account.email, ...mail };
    });
  }

  signIn(accountId: string, requestId: string) {
    return this.deliveries.sendOnce({ kind: 'sign-in', subjectId: requestId, accountId }, async (em) => {
      const account = await this.repo.findAccount(em, accountId);
      if (!account) return null;
      const token = await this.identity.issueLinkToken(accountId, 'sign_in', this.config.SIGN_IN_LINK_TTL_SECONDS);
      const mail = signInEmail(this.link('/links/sign-in', token), this.config.SIGN_IN_LINK_TTL_SECONDS);
      return { to: account.email, ...mail };
    });
  }

  coordinatorInvite(accountId: string, requestId: string) {
    return this.deliveries.sendOnce({ kind: 'coordinator-invite', subjectId: requestId, accountId }, async (em) => {
      const account = await this.repo.findAccount(em, accountId);
      const coordinator = await this.repo.findCoordinator(em, accountId);
      if (!account || !coordinator) return null;
      const organisationName = await this.repo.organisationName(em, coordinator.organisationId);
      const token = await this.identity.issueLinkToken(accountId, 'sign_in', this.config.VERIFY_LINK_TTL_SECONDS);
      const mail = coordinatorInviteEmail(organisationName, this.link('/links/sign-in', token));
      return { to: account.email, ...mail };
    });
  }

  /** Skipped once the change is no longer pending. */
  emailChangeConfirm(accountId: string, changeId: string) {
    return this.deliveries.sendOnce({ kind: 'email-change-confirm', subjectId: changeId, accountId }, async (em) => {
      const change = await this.repo.pendingEmailChange(em, changeId);
      if (!change) return null;
      const token = await this.identity.issueLinkToken(
        accountId,
        'email_change',
        this.config.VERIFY_LINK_TTL_SECONDS,
        changeId,
      );
      const mail = emailChangeConfirmEmail(
        this.link('/links/email-change', token),
        this.config.VERIFY_LINK_TTL_SECONDS,
      );
      return { to: change.newEmail, ...mail };
    });
  }

  emailChangeNotice(accountId: string, changeId: string) {
    return this.deliveries.sendOnce({ kind: 'email-change-notice', subjectId: changeId, accountId }, async (em) => {
      const change = await this.repo.pendingEmailChange(em, changeId);
      if (!change) return null;
      const token = await this.identity.issueLinkToken(
        accountId,
        'email_change_cancel',
        this.config.VERIFY_LINK_TTL_SECONDS,
        changeId,
      );
      const mail = emailChangeNoticeEmail(change.newEmail, this.link('/links/email-change-cancel', token));
      return { to: change.oldEmail, ...mail };
    });
  }

  /** Sent whatever the change's state now: it was confirmed when the job was written. */
  emailChanged(accountId: string, changeId: string) {
    return this.deliveries.sendOnce({ kind: 'email-changed', subjectId: changeId, accountId }, async (em) => {
      const change = await this.repo.emailChange(em, changeId);
      if (!change) return null;
      return { to: change.oldEmail, ...emailChangedEmail(change.newEmail) };
    });
  }

  private link(path: string, token: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}${path}?token=${encodeURIComponent(token)}`;
  }
}
