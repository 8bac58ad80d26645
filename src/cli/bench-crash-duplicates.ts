import 'reflect-metadata';
import { Queue } from 'bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MikroORM } from '@mikro-orm/postgresql';
import { mikroOrmConfig } from '../entities.js';
import { ShiftsService } from '../../libs/organisations/shifts.service.js';
import { createApiApp } from '../api/api-app.js';
import { benchEnv, Child, deleteRedisPrefix, envPairs, freePort, numberFlag } from './bench-offers/processes.js';
import { CountingSink } from './bench-offers/sink.js';
import { median, table } from './bench-offers/stats.js';
import { benchShift, createWorld, recreateDatabase } from './bench-offers/world.js';

/**
 * npm run bench:crash-duplicates [-- --shifts=6 --capacity=25 --fanout=2 --kills=3 --between=80 --runs=3 --settle=200 --jitter=50]
 *
 * Duplicates per 1,000 offers under repeated kill -9: K shifts published at once (shifts × capacity ×
 * fan-out offers), the real worker (compiled, its own process) killed with SIGKILL `kills` times,
 * each time after ~`between` more offer mails (±50 %, random) reached the sink since it (re)started
 * and a random 0–`jitter` ms more (0 = the worst moment, just after the sink answered), and
 * restarted at once. Then it runs until every offer was mailed, or nothing arrived for `settle`
 * seconds. A duplicate is a second message with an offer's Message-ID: accepted by the SMTP server
 * (the sink answered 250) but not yet durably marked sent when the process died.
 *
 * Own database (DATABASE_URL's name, default kindshift_bench_crash_<TEST_DB_NAMESPACE>), the machine's
 * Redis (BENCH_REDIS_URL) under a prefix of its own, deleted afterwards. A benchmark, not a test.
 */

interface Options {
  shifts: number;
  capacity: number;
  fanout: number;
  kills: number;
  between: number;
  runs: number;
  settle: number;
  jitter: number;
  url: string;
  redisUrl: string;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string, fallback: number) => numberFlag(argv, name, fallback, 'zero');
  const namespace = (process.env.TEST_DB_NAMESPACE ?? 'local').toLowerCase().replace(/[^a-z0-9_]/g, '');
  return {
    shifts: flag('shifts', 6),
    capacity: flag('capacity', 25),
    fanout: flag('fanout', 2),
    kills: flag('kills', 3),
    between: flag('between', 80),
    runs: flag('runs', 3),
    settle: flag('settle', 200),
    jitter: flag('jitter', 50),
    url: process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/kindshift_bench_crash_${namespace}`,
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
  };
}

interface RunResult {
  offers: number;
  mailed: number;
  duplicates: number;
  missing: number;
  kills: number;
  seconds: number;
  /** Per duplicate: ms from its first copy's arrival to the kill that followed it. */
  gaps: number[];
}

const isOffer = (a: { messageId: string }) => a.messageId.startsWith('<offer-');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(options: Options, sink: CountingSink, smtpPort: number, index: number): Promise<RunResult> {
  await recreateDatabase(options.url);
  const organisations = await createWorld(
    options.url,
    options.shifts,
    Math.max(200, options.capacity * options.fanout * 4),
  );
  const prefix = `kindshift-bench-crash-${process.pid}-${index}`;
  const healthPort = await freePort();
  const env = {
    ...benchEnv({ url: options.url, redisUrl: options.redisUrl, prefix, smtpPort }),
    LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'warn',
    OFFER_FANOUT: String(options.fanout),
    WORKER_HEALTH_PORT: String(healthPort),
    ...envPairs('BENCH_WORKER_ENV'),
  };
  const startWorker = async () => {
    const child = new Child('dist/src/worker/main.js', env);
    await child.waitFor(
      async () => (await fetch(`http://127.0.0.1:${healthPort}/health`).catch(() => null))?.ok === true,
      90_000,
      'worker start',
    );
    return child;
  };
  let worker: Child | undefined;
  let api: NestFastifyApplication | undefined;
  const emailQueue = new Queue('email', {
    connection: { url: options.redisUrl, maxRetriesPerRequest: null } as never,
    prefix,
  });
  try {
    worker = await startWorker();
    Object.assign(process.env, env, { LOG_LEVEL: 'warn' });
    api = await createApiApp();
    await api.init();
    const shifts = api.get(ShiftsService);
    sink.reset();
    const started = Date.now();
    await Promise.all(
      organisations.map((org, i) =>
        shifts.create(org.organisationId, benchShift(i + 1, options.capacity) as never, org.coordinatorId),
      ),
    );
    const expected = options.shifts * Math.ceil(options.capacity * options.fanout);
    const distinct = () => new Set(sink.arrivals.filter(isOffer).map((a) => a.messageId)).size;

    let kills = 0;
    const killedAt: number[] = [];
    while (kills < options.kills && distinct() < expected) {
      const from = sink.arrivals.filter(isOffer).length;
      const target = from + Math.max(1, Math.round(options.between * (0.5 + Math.random())));
      while (sink.arrivals.filter(isOffer).length < target && distinct() < expected) {
        if (!worker.running) throw new Error(`the worker exited\n${worker.log}`);
        await sleep(2);
      }
      if (distinct() >= expected) break;
      // This process is the SMTP sink: killing right after the arrival that reached the target would
      // land just after the sink answered a burst, the worst moment. A random pause decorrelates it.
      await sleep(Math.random() * options.jitter);
      killedAt.push(Date.now());
      await worker.kill9();
      kills += 1;
      worker = await startWorker();
    }

    // Until everything is out, or nothing more comes for `settle` seconds (jobs of a dead worker
    // come back only when their lock expires, ~30 s).
    let last = -1;
    let lastChange = Date.now();
    while (distinct() < expected) {
      const n = sink.arrivals.length;
      if (n !== last) [last, lastChange] = [n, Date.now()];
      if (Date.now() - lastChange > options.settle * 1000) break;
      await sleep(200);
    }
    // Let anything still in flight land, then count.
    for (let waited = 0; waited < 10_000; waited += 200) {
      const counts = await emailQueue.getJobCounts('waiting', 'active', 'prioritized');
      if (Object.values(counts).every((c) => c === 0)) break;
      await sleep(200);
    }
    const seconds = (Date.now() - started) / 1000;
    const offers = await countOffers(options.url);
    const mailed = distinct();
    const arrivals = sink.arrivals.filter(isOffer).length;
    const firstAt = new Map<string, number>();
    const gaps: number[] = [];
    for (const a of sink.arrivals.filter(isOffer)) {
      const first = firstAt.get(a.messageId);
      if (first === undefined) firstAt.set(a.messageId, a.at);
      else gaps.push((killedAt.find((at) => at >= first) ?? NaN) - first);
    }
    return { offers, mailed, duplicates: arrivals - mailed, missing: offers - mailed, kills, seconds, gaps };
  } finally {
    await api?.close();
    await worker?.stop();
    await emailQueue.close();
    await deleteRedisPrefix(options.redisUrl, prefix);
  }
}

async function countOffers(url: string): Promise<number> {
  const orm = await MikroORM.init(mikroOrmConfig(url, { poolMax: 1 }));
  try {
    const [{ n }] = await orm.em.fork().execute(`select count(*)::int as n from offers`);
    return Number(n);
  } finally {
    await orm.close(true);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const sink = new CountingSink();
  const smtpPort = await sink.start();
  const results: RunResult[] = [];
  try {
    for (let i = 1; i <= options.runs; i += 1) {
      const result = await run(options, sink, smtpPort, i);
      results.push(result);
      console.log(
        `run ${i}: ${result.offers} offers, ${result.kills} × kill -9, ${result.duplicates} duplicates, ${result.missing} never mailed, ${result.seconds.toFixed(1)} s; ` +
          `first copy of each duplicate accepted this many ms before the kill: ${result.gaps.sort((a, b) => a - b).join(', ') || '-'}`,
      );
    }
  } finally {
    await sink.stop();
    await recreateDatabase(options.url, true);
  }
  const per1000 = (r: RunResult) => (r.duplicates / r.offers) * 1000;
  const rows = results.map((r, i) => [
    String(i + 1),
    String(r.offers),
    String(r.kills),
    String(r.duplicates),
    per1000(r).toFixed(1),
    String(r.missing),
    `${r.seconds.toFixed(0)} s`,
  ]);
  const offers = results.reduce((s, r) => s + r.offers, 0);
  const duplicates = results.reduce((s, r) => s + r.duplicates, 0);
  const kills = results.reduce((s, r) => s + r.kills, 0);
  rows.push([
    'all',
    String(offers),
    String(kills),
    String(duplicates),
    ((duplicates / offers) * 1000).toFixed(1),
    String(results.reduce((s, r) => s + r.missing, 0)),
    '',
  ]);
  console.log(
    `\nDuplicates under repeated kill -9 (${options.shifts} shifts × ${options.capacity} × fan-out ${options.fanout}); median per 1,000 offers ${median(results.map(per1000)).toFixed(1)}, ` +
      `per kill ${(duplicates / Math.max(1, kills)).toFixed(2)}`,
  );
  console.log(table(['run', 'offers', 'kills', 'duplicates', 'per 1,000', 'never mailed', 'time'], rows));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
