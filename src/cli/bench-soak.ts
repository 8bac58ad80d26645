import 'reflect-metadata';
import { benchEnv, Child, deleteRedisPrefix, envPairs, freePort, numberFlag } from './bench-offers/processes.js';
import { CountingSink } from './bench-offers/sink.js';
import { table } from './bench-offers/stats.js';
import { recreateDatabase } from './bench-support/database.js';
import { Inspector, type Memory } from './bench-soak/inspector.js';
import { drive, soakStreams, type StreamResult } from './bench-soak/traffic.js';
import { createSoakWorld } from './bench-soak/world.js';

/**
 * npm run bench:soak [-- --minutes=10 --warmup=60 --sample=30 --scale=1 --only=register --connections=4 --keep]
 *
 * Memory under load. Starts the compiled api (with --inspect on a private port) and worker as
 * child processes against a database of its own, drives a mix of traffic (registration, sign-in,
 * /api/me, shift lists, offer pages, publishing shifts; autocannon) for `--minutes`, samples the
 * api's RSS, heapUsed and external every `--sample` seconds, and compares the figures after a
 * forced full GC at the end with the same figures after a forced GC at the end of the warm-up.
 * The warm-up fills what is filled once (compiled code, caches, pools), so growth after it is
 * growth per request. Own database (DATABASE_URL's name, default kindshift_bench_soak), the
 * machine's Redis under a prefix of its own (deleted afterwards). Never run in CI.
 * `--only=register --scale=20 --connections=50` turns it into a registration burst; BENCH_API_ENV
 * passes extra environment to the api (e.g. "MALLOC_ARENA_MAX=2").
 */

interface Options {
  minutes: number;
  warmupSeconds: number;
  sampleSeconds: number;
  scale: number;
  only?: string;
  connections?: number;
  keep: boolean;
  url: string;
  redisUrl: string;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string, fallback: number) => numberFlag(argv, name, fallback);
  const minutes = flag('minutes', 10);
  return {
    minutes,
    warmupSeconds: flag('warmup', Math.min(60, Math.max(10, minutes * 6))),
    sampleSeconds: flag('sample', minutes >= 5 ? 30 : 10),
    scale: flag('scale', 1),
    only: argv.find((a) => a.startsWith('--only='))?.split('=')[1],
    connections: argv.some((a) => a.startsWith('--connections=')) ? flag('connections', 4) : undefined,
    keep: argv.includes('--keep'),
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kindshift_bench_soak',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
  };
}

interface Sample extends Memory {
  at: number;
  label: string;
}

const MB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const log = (msg: string) => console.log(msg);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const secret = 'bench-session-secret-0123456789';
  const sink = new CountingSink();
  const smtpPort = await sink.start();
  const prefix = `kindshift-bench-soak-${process.pid}`;
  const [apiPort, inspectPort] = [await freePort(), await freePort()];
  log(
    `soak: ${options.minutes} min of mixed traffic (scale ${options.scale}) after ${options.warmupSeconds} s of warm-up; samples every ${options.sampleSeconds} s`,
  );
  await recreateDatabase(options.url);
  const world = await createSoakWorld(options.url, secret, 6, 200);
  const env = {
    ...benchEnv({ url: options.url, redisUrl: options.redisUrl, prefix, smtpPort }),
    SESSION_SECRET: secret,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    RATE_LIMIT_AUTH_PER_HOUR: '100000000',
    PORT: String(apiPort),
    HOST: '127.0.0.1',
  };
  // The api only: e.g. BENCH_API_ENV="MALLOC_ARENA_MAX=2" or "NODE_OPTIONS=--max-semi-space-size=32" to compare settings.
  const apiEnv = {
    ...env,
    ...envPairs('BENCH_API_ENV'),
  };
  const worker = new Child('dist/src/worker/main.js', env);
  const api = new Child('dist/src/api/main.js', apiEnv, [`--inspect=127.0.0.1:${inspectPort}`]);
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  let inspector: Inspector | undefined;
  try {
    await api.waitFor(
      async () => (await fetch(`${baseUrl}/health/ready`).catch(() => null))?.status === 200,
      60_000,
      'the api to be ready',
    );
    inspector = await Inspector.connect(inspectPort);
    const samples: Sample[] = [];
    const started = Date.now();
    const sample = async (label: string) => {
      const memory = await inspector!.memory();
      samples.push({ ...memory, at: (Date.now() - started) / 1000, label });
      return memory;
    };
    const settled = async (label: string) => {
      await inspector!.collectGarbage();
      return sample(label);
    };
    await settled('start, after GC');
    const streams = soakStreams(world, options.scale, options.connections).filter(
      (s) => !options.only || s.name === options.only,
    );
    log(`mix (requests/s): ${streams.map((s) => `${s.name} ${s.rate}`).join(', ')}`);

    await drive(baseUrl, streams, options.warmupSeconds);
    const baseline = await settled('after warm-up, after GC');

    const sampler = setInterval(() => void sample('under load'), options.sampleSeconds * 1000);
    let results: StreamResult[];
    try {
      results = await drive(baseUrl, streams, Math.round(options.minutes * 60));
    } finally {
      clearInterval(sampler);
    }
    await sample('end of traffic');
    // Idle without a forced GC first: what an operator's RSS graph shows after the load is gone.
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    await sample('idle 30 s, no forced GC');
    const end = await settled('end, after GC');

    log('\nRequests during the soak (after warm-up):');
    log(
      table(
        ['stream', 'requests', 'non-2xx', 'errors', 'status codes', 'p50 ms', 'p99 ms'],
        results.map((r) => [
          r.name,
          String(r.total),
          String(r.non2xx),
          String(r.errors),
          r.statuses,
          String(r.p50),
          String(r.p99),
        ]),
      ),
    );
    log(`mails delivered to the sink: ${sink.arrivals.length}`);
    log('\nThe api process (MB):');
    log(
      table(
        ['t (s)', 'when', 'RSS', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'],
        samples.map((s) => [
          s.at.toFixed(0),
          s.label,
          MB(s.rss),
          MB(s.heapUsed),
          MB(s.heapTotal),
          MB(s.external),
          MB(s.arrayBuffers),
        ]),
      ),
    );
    const delta = (key: keyof Memory) =>
      `${MB(end[key] - baseline[key])} MB (${(((end[key] - baseline[key]) / baseline[key]) * 100).toFixed(1)} %)`;
    if (process.env.BENCH_API_ENV) log(`\napi started with ${process.env.BENCH_API_ENV}`);
    log(
      `\nend after GC vs after warm-up after GC: RSS ${delta('rss')}, heapUsed ${delta('heapUsed')}, external ${delta('external')}`,
    );
    const peak = Math.max(...samples.map((s) => s.rss));
    log(`peak RSS ${MB(peak)} MB; ${results.reduce((n, r) => n + r.total, 0)} requests in ${options.minutes} min`);
  } finally {
    inspector?.close();
    await api.stop();
    await worker.stop();
    await sink.stop();
    const deleted = await deleteRedisPrefix(options.redisUrl, prefix);
    log(`removed ${deleted} Redis keys under ${prefix}:`);
    if (!options.keep) await recreateDatabase(options.url, true);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
