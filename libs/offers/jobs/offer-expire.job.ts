import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferEngine } from '../offer-engine.service.js';

/** Expires one offer at its deadline, if it is still pending. */
@Injectable()
export class OfferExpireJob {
  constructor(private readonly engine: OfferEngine) {}

  @JobHandler(JobName.OfferExpire)
  async handle({ offerId }: JobPayloads[JobName.OfferExpire]) {
    return { expired: await this.engine.expire(offerId) };
  }
}
