import { Module } from '@nestjs/common';
import { IdentityMailService } from './identity-mail.service.js';
import { CoordinatorInviteEmailJob } from './jobs/coordinator-invite-email.job.js';
import { EmailChangeConfirmEmailJob } from './jobs/email-change-confirm-email.job.js';
import { EmailChangeNoticeEmailJob } from './jobs/email-change-notice-email.job.js';
import { EmailChangedEmailJob } from './jobs/email-changed-email.job.js';
import { PurgeUnverifiedAccountsJob } from './jobs/purge-unverified-accounts.job.js';
import { SignInEmailJob } from './jobs/sign-in-email.job.js';
import { VerificationEmailJob } from './jobs/verification-email.job.js';

/** Worker-only: account emails and the purge of unconfirmed sign-ups. */
@Module({
  providers: [
    IdentityMailService,
    VerificationEmailJob,
    SignInEmailJob,
    CoordinatorInviteEmailJob,
    EmailChangeConfirmEmailJob,
    EmailChangeNoticeEmailJob,
    EmailChangedEmailJob,
    PurgeUnverifiedAccountsJob,
  ],
})
export class IdentityWorkerModule {}
