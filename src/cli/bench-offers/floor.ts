import { Queue } from 'bullmq';
import type { CountingSink } from './sink.js';
import { cpuPer, cpuSnapshot } from './cpu.js';
import { Child } from './processes.js';

export interface FloorRun {
  messages: number;
  seconds: number;
  perSecond: number;
  avgBytes: number;
  /** CPU ms per message: the floor worker, Redis, this process (sink). */
  cpuPerMessage: Record<string, number>;
}

/**
 * The floor: the same number of similar-size messages, queued at once in BullMQ and sent by a bare
 * worker process (concurrency 10, pooled nodemailer with maxConnections 10) into the same sink.
 * Time runs from queueing the jobs to the last message delivered.
 */
export async function measureFloor(options: {
  redisUrl: string;
  prefix: string;
  sink: CountingSink;
  messages: number;
  avgBytes: number;
}): Promise<FloorRun> {
  const { sink, messages } = options;
  const queueName = 'bench-floor';
  // Text and HTML share the body; the rest of a message is ~1 KB of headers and MIME structure.
  const body = Math.max(200, Math.round((options.avgBytes - 1000) / 2));
  const worker = new Child('dist/src/cli/bench-offers/floor-worker.js', {
    FLOOR_REDIS_URL: options.redisUrl,
    FLOOR_PREFIX: options.prefix,
    FLOOR_QUEUE: queueName,
    FLOOR_SMTP_URL: process.env.SMTP_URL ?? '',
    FLOOR_TEXT_BYTES: String(body),
    FLOOR_HTML_BYTES: String(body),
  });
  const url = new URL(options.redisUrl);
  const queue = new Queue(queueName, {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    },
    prefix: options.prefix,
  });
  try {
    await worker.waitFor(() => worker.log.includes('ready'), 30_000, 'floor worker start');
    const isFloor = (a: { messageId: string }) => a.messageId.startsWith('<floor-');
    const jobs = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        name: 'send',
        data: { i: from + i },
        opts: { removeOnComplete: { count: 100 } },
      }));
    // Warm-up, like the pipeline's: a first batch that is not timed.
    const warmUp = Math.min(200, messages);
    sink.reset();
    await queue.addBulk(jobs(messages, warmUp));
    await sink.waitForCount(warmUp, isFloor, 30_000, 'warm-up floor emails');
    sink.reset();
    const pids = { worker: [worker.pid] };
    const cpuBefore = cpuSnapshot(pids);
    const started = Date.now();
    await queue.addBulk(jobs(0, messages));
    await sink.waitForCount(messages, isFloor, 30_000, 'floor emails');
    const cpuPerMessage = cpuPer(cpuBefore, cpuSnapshot(pids), messages);
    const arrivals = sink.arrivals.filter(isFloor);
    const seconds = (Math.max(...arrivals.map((a) => a.at)) - started) / 1000;
    return {
      messages: arrivals.length,
      seconds,
      perSecond: arrivals.length / seconds,
      avgBytes: arrivals.reduce((s, a) => s + a.bytes, 0) / arrivals.length,
      cpuPerMessage,
    };
  } finally {
    await queue.close();
    await worker.stop();
  }
}
