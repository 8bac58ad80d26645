import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads } from '../../platform/index.js';
import { CoverService } from '../cover.service.js';

/** Sends the next cover offers of an open cover request. */
@Injectable()
export class CoverWaveJob {
  constructor(private readonly cover: CoverService) {}

  @JobHandler(JobName.CoverWave)
  handle({ coverRequestId }: JobPayloads[JobName.CoverWave]) {
    return this.cover.runWave(coverRequestId);
  }
}
