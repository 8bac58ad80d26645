import { Module } from '@nestjs/common';
import { IdentityMailHandlers } from './identity-mail.handlers.js';

/** Worker-only: account emails and the purge of unconfirmed sign-ups. */
@Module({ providers: [IdentityMailHandlers] })
export class IdentityWorkerModule {}
