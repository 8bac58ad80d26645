import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { plural } from '../common/plural.js';
import { JobHandler, JobName, type JobPayloads } from '../jobs/index.js';
import { DeliveryLogService, renderEmail } from '../notifications/index.js';
import { Account, Coordinator } from './identity.entities.js';
import { IdentityService } from './identity.service.js';

/** Worker handlers for the account emails. The token is minted just before sending, inside sendOnce. */
@Injectable()
export class IdentityMailHandlers {
  constructor(
    private readonly identity: IdentityService,
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
    return this.deliveries.sendOnce({ kind: 'coordinator-invite', subjectId: requestId, accountId }, async (em: EntityManager) => {
      const account = await em.findOne(Account, { id: accountId });
      const coordinator = await em.findOne(Coordinator, { accountId });
      if (!account || !coordinator) return null;
      const [organisation] = await em.execute(`select name from organisations where id = ?`, [coordinator.organisationId]);
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
