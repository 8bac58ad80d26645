import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  APP_CONFIG,
  type AppConfig,
  JobHandler,
  JobName,
  type JobPayloads,
  DeliveryLogService,
  renderEmail,
} from '../platform/index.js';
import { plural } from '../common/index.js';
import { Account, Coordinator } from './identity.entities.js';
import { EmailChangeService, maskEmail } from './email-change.service.js';
import { IdentityService } from './identity.service.js';

/** Worker handlers for the account emails. The token is minted just before sending, inside sendOnce. */
@Injectable()
export class IdentityMailHandlers {
  constructor(
    private readonly identity: IdentityService,
    private readonly emailChanges: EmailChangeService,
    private readonly deliveries: DeliveryLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.VerificationEmail)
  async verification({ accountId, requestId }: JobPayloads[JobName.VerificationEmail]) {
    return this.deliveries.sendOnce({ kind: 'verification', subjectId: requestId, accountId }, async (em) => {
      const account = await em.findOne(Account, { id: accountId });
      if (!account || account.emailVerifiedAt) return null;
      const token = await this.identity.issueLinkToken(accountId, 'verify_email', this.config.VERIFY_LINK_TTL_SECONDS);
      const { html, text } = renderEmail({
        heading: 'Please confirm your email',
        paragraphs: [
          'Thank you for signing up to volunteer with Kindshift.',
          'Confirm this address and we will start looking for shifts that fit your time, skills and area. Until then we will not send you any offers.',
          `The link works once and expires in ${plural(Math.round(this.config.VERIFY_LINK_TTL_SECONDS / 3600), { one: '# hour', other: '# hours' })}. If you did not sign up, ignore this email and your details will be deleted.`,
        ],
        button: { label: 'Confirm my email', url: this.link('/links/verify', token) },
      });
      return { to: account.email, subject: 'Confirm your email for Kindshift', html, text };
    });
  }

  @JobHandler(JobName.SignInEmail)
  async signIn({ accountId, requestId }: JobPayloads[JobName.SignInEmail]) {
    return this.deliveries.sendOnce({ kind: 'sign-in', subjectId: requestId, accountId }, async (em) => {
      const account = await em.findOne(Account, { id: accountId });
      if (!account) return null;
      const token = await this.identity.issueLinkToken(accountId, 'sign_in', this.config.SIGN_IN_LINK_TTL_SECONDS);
      const { html, text } = renderEmail({
        heading: 'Your sign-in link',
        paragraphs: [
          'Use the button below to sign in to Kindshift.',
          `It works once and expires in ${plural(Math.round(this.config.SIGN_IN_LINK_TTL_SECONDS / 60), { one: '# minute', other: '# minutes' })}. If you did not ask for it, you can ignore this email.`,
        ],
        button: { label: 'Sign in', url: this.link('/links/sign-in', token) },
      });
      return { to: account.email, subject: 'Sign in to Kindshift', html, text };
    });
  }

  @JobHandler(JobName.CoordinatorInviteEmail)
  async coordinatorInvite({ accountId, requestId }: JobPayloads[JobName.CoordinatorInviteEmail]) {
    return this.deliveries.sendOnce(
      { kind: 'coordinator-invite', subjectId: requestId, accountId },
      async (em: EntityManager) => {
        const account = await em.findOne(Account, { id: accountId });
        const coordinator = await em.findOne(Coordinator, { accountId });
        if (!account || !coordinator) return null;
        const [organisation] = await em.execute(`select name from organisations where id = ?`, [
          coordinator.organisationId,
        ]);
        const token = await this.identity.issueLinkToken(accountId, 'sign_in', this.config.VERIFY_LINK_TTL_SECONDS);
        const { html, text } = renderEmail({
          heading: `You coordinate ${organisation?.name ?? 'your organisation'} on Kindshift`,
          paragraphs: [
            'Kindshift finds volunteers for your open shifts and sends them offers, so you can spend less time on the phone.',
            'Sign in to post your first shift. The link works once; later you can always ask for a new one.',
          ],
          button: { label: 'Sign in', url: this.link('/links/sign-in', token) },
        });
        return { to: account.email, subject: 'Welcome to Kindshift', html, text };
      },
    );
  }

  /** To the new address: the link that makes the change. Skipped once the change is no longer pending. */
  @JobHandler(JobName.EmailChangeConfirmEmail)
  async emailChangeConfirm({ accountId, changeId }: JobPayloads[JobName.EmailChangeConfirmEmail]) {
    return this.deliveries.sendOnce({ kind: 'email-change-confirm', subjectId: changeId, accountId }, async (em) => {
      const change = await this.emailChanges.pending(em, changeId);
      if (!change) return null;
      const token = await this.identity.issueLinkToken(
        accountId,
        'email_change',
        this.config.VERIFY_LINK_TTL_SECONDS,
        changeId,
      );
      const { html, text } = renderEmail({
        heading: 'Confirm your new email address',
        paragraphs: [
          'You asked to use this address for your Kindshift account. Confirm it and we will write to you here from now on; you will also sign in with it.',
          `The link works once and expires in ${Math.round(this.config.VERIFY_LINK_TTL_SECONDS / 3600)} hours. Until then nothing changes. If you did not ask for this, ignore this email.`,
        ],
        button: { label: 'Use this address', url: this.link('/links/email-change', token) },
      });
      return { to: change.newEmail, subject: 'Confirm your new email address for Kindshift', html, text };
    });
  }

  /** To the old address, at the time of the request: what is happening, and a link that stops it. */
  @JobHandler(JobName.EmailChangeNoticeEmail)
  async emailChangeNotice({ accountId, changeId }: JobPayloads[JobName.EmailChangeNoticeEmail]) {
    return this.deliveries.sendOnce({ kind: 'email-change-notice', subjectId: changeId, accountId }, async (em) => {
      const change = await this.emailChanges.pending(em, changeId);
      if (!change) return null;
      const token = await this.identity.issueLinkToken(
        accountId,
        'email_change_cancel',
        this.config.VERIFY_LINK_TTL_SECONDS,
        changeId,
      );
      const { html, text } = renderEmail({
        heading: 'Your email address is being changed',
        paragraphs: [
          `Someone signed in to your Kindshift account asked to change its email address to ${maskEmail(change.newEmail)}. Nothing changes until the new address is confirmed; until then you sign in with this one.`,
          'If that was you, there is nothing to do. If it was not, stop the change with the button below and sign out of Kindshift on any device you do not trust.',
        ],
        button: { label: 'Stop the change', url: this.link('/links/email-change-cancel', token) },
      });
      return { to: change.oldEmail, subject: 'Your Kindshift email address is being changed', html, text };
    });
  }

  /** To the old address, after the confirmation: the last mail it gets from us. */
  @JobHandler(JobName.EmailChangedEmail)
  async emailChanged({ accountId, changeId }: JobPayloads[JobName.EmailChangedEmail]) {
    return this.deliveries.sendOnce({ kind: 'email-changed', subjectId: changeId, accountId }, async (em) => {
      const change = await this.emailChanges.find(em, changeId);
      if (!change) return null;
      const { html, text } = renderEmail({
        heading: 'Your email address was changed',
        paragraphs: [
          `Your Kindshift account now uses ${maskEmail(change.newEmail)}. Offers, reminders and sign-in links go there from now on, and this address no longer signs in.`,
          'If you did not make this change, reply to this email straight away and we will help you get your account back.',
        ],
      });
      return { to: change.oldEmail, subject: 'Your Kindshift email address was changed', html, text };
    });
  }

  @JobHandler(JobName.PurgeUnverifiedAccounts)
  async purgeUnverified() {
    return { purged: await this.identity.purgeUnverified() };
  }

  private link(path: string, token: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}${path}?token=${encodeURIComponent(token)}`;
  }
}
