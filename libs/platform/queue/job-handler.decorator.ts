import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job-names.js';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/** Marks a provider method as the one handler of a job. It must rethrow failures so BullMQ retries. */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
