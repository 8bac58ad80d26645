import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '../../platform/index.js';
import { OfferEngine } from '../offer-engine.service.js';

/** Expires every overdue offer (what a late or lost expiry job missed). */
@Injectable()
export class SweepOffersJob {
  constructor(private readonly engine: OfferEngine) {}

  @JobHandler(JobName.SweepOffers)
  async handle() {
    return { expired: await this.engine.sweep() };
  }
}
