import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '../../platform/index.js';
import { IdentityService } from '../identity.service.js';

/** Recurring: deletes sign-ups that never confirmed their email. */
@Injectable()
export class PurgeUnverifiedAccountsJob {
  constructor(private readonly identity: IdentityService) {}

  @JobHandler(JobName.PurgeUnverifiedAccounts)
  async handle() {
    return { purged: await this.identity.purgeUnverified() };
  }
}
