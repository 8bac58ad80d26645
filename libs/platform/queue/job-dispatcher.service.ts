import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { jobDurationSeconds } from '../observability/metrics.js';
import { runAsJob } from './job-context.js';
import { JOB_HANDLER } from './job-handler.decorator.js';
import { JobName } from './job-names.js';

const KNOWN_JOBS = new Set<string>(Object.values(JobName));

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

/**
 * Finds every @JobHandler at start-up and refuses to start unless each JobName has exactly one,
 * so a job can never sit in a queue that nothing consumes.
 */
@Injectable()
export class JobDispatcher implements OnModuleInit {
  private readonly logger = new Logger('jobs');
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, instance[method] as () => unknown);
        if (!name) continue;
        if (this.handlers.has(name)) throw new Error(`job ${name} has more than one handler`);
        this.handlers.set(name, (instance[method] as Handler).bind(instance));
      }
    }
    const missing = Object.values(JobName).filter((name) => !this.handlers.has(name));
    if (missing.length) throw new Error(`jobs without a handler: ${missing.join(', ')}`);
  }

  async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const started = performance.now();
    let result: 'completed' | 'failed' = 'failed';
    try {
      const value = await runAsJob(String(job.id), () => handler(job.data, job));
      result = 'completed';
      return value;
    } finally {
      const ms = performance.now() - started;
      jobDurationSeconds.labels(KNOWN_JOBS.has(job.name) ? job.name : 'unknown', result).observe(ms / 1000);
      this.logger.debug({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, ms: Math.round(ms) }, 'job ran');
    }
  }
}
