import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { OfferEngine } from '../offer-engine.service.js';

/** Sends the next wave of offers for a shift. */
@Injectable()
export class OfferWaveJob {
  constructor(private readonly engine: OfferEngine) {}

  @JobHandler(JobName.OfferWave)
  handle({ shiftId }: JobPayloads[JobName.OfferWave]) {
    return this.engine.runWave(shiftId);
  }
}
