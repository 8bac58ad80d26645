import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '../../platform/index.js';
import { CoverService } from '../cover.service.js';
import { OfferEngine } from '../offer-engine.service.js';

/** Expires every overdue offer (what a late or lost expiry job missed) and releases cover requests past their deadline. */
@Injectable()
export class SweepOffersJob {
  constructor(
    private readonly engine: OfferEngine,
    private readonly cover: CoverService,
  ) {}

  @JobHandler(JobName.SweepOffers)
  async handle() {
    return { expired: await this.engine.sweep(), coverReleased: await this.cover.releaseOverdue() };
  }
}
