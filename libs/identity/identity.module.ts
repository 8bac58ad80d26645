import { Global, Module } from '@nestjs/common';
import { EmailChangeService } from './email-change.service.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityService } from './identity.service.js';

/** Core identity services, used by api and worker alike. The repository is exported for the worker's mail. */
@Global()
@Module({
  providers: [IdentityRepository, IdentityService, EmailChangeService],
  exports: [IdentityRepository, IdentityService, EmailChangeService],
})
export class IdentityModule {}
