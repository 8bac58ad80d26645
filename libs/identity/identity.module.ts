import { Global, Module } from '@nestjs/common';
import { EmailChangeService } from './email-change.service.js';
import { IdentityService } from './identity.service.js';

/** Core identity services, used by api and worker alike. */
@Global()
@Module({ providers: [IdentityService, EmailChangeService], exports: [IdentityService, EmailChangeService] })
export class IdentityModule {}
