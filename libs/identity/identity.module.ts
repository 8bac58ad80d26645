import { Global, Module } from '@nestjs/common';
import { IdentityService } from './identity.service.js';

/** Core identity services, used by api and worker alike. */
@Global()
@Module({ providers: [IdentityService], exports: [IdentityService] })
export class IdentityModule {}
