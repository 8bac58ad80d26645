import 'reflect-metadata';
import { measureFloor, type FloorRun } from './bench-offers/floor.js';
import { measurePipeline, type PipelineRun } from './bench-offers/pipeline.js';
import { benchEnv, deleteRedisPrefix, envPairs, numberFlag } from './bench-offers/processes.js';
import { CountingSink } from './bench-offers/sink.js';
import { median, table } from './bench-offers/stats.js';
import { createWorld, recreateDatabase } from './bench-offers/world.js';

/**
 * npm run bench:offers [-- --shifts=20 --capacity=25 --candidates=200 --fanout=2 --runs=1 --workers=1 --keep]
 *
 * End to end, publish → match → outbox → queue → email: K shifts published at once, each with
 * its own cluster of candidates, the real worker (compiled, its own process, production defaults)
 * emailing K × capacity × fan-out offers into an SMTP sink in this process. Measures offers
 * emailed per second and, per shift, the time from publish to its first offer delivered.
 * In the same run, the floor: a bare BullMQ worker process sending as many similar-size messages
 * through pooled nodemailer into the same sink. Targets: ≥ 50 % of the floor, p95 < 2 s.
 *
 * Own database (DATABASE_URL's name, default kindshift_bench_offers), migrated per run; the
 * machine's Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/0) under a prefix of its own,
 * deleted afterwards. A benchmark, not a test: compare the ratio, absolute numbers drift.
 */

interface Options {
  shifts: number;
  capacity: number;
  candidates: number;
  fanout: number;
  runs: number;
  workers: number;
  keep: boolean;
  url: string;
  redisUrl: string;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string, fallback: number) => numberFlag(argv, name, fallback);
  const capacity = flag('capacity', 25);
  const fanout = flag('fanout', 2);
  return {
    shifts: flag('shifts', 20),
    capacity,
    fanout,
    candidates: flag('candidates', Math.max(200, Math.ceil(capacity * fanout * 4))),
    runs: flag('runs', 1),
    workers: flag('workers', 1),
    keep: argv.includes('--keep'),
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kindshift_bench_offers',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
  };
}

interface RunResult {
  pipeline: PipelineRun;
  floor: FloorRun;
}

async function run(options: Options, sink: CountingSink, smtpPort: number, index: number): Promise<RunResult> {
  log(
    `\n== run ${index}: ${options.shifts} shifts × capacity ${options.capacity} × fan-out ${options.fanout}, ${options.candidates} candidates each, ${options.workers} worker process(es)`,
  );
  await recreateDatabase(options.url);
  const organisations = await createWorld(options.url, options.shifts + 1, options.candidates); // + the warm-up shift
  const prefix = `kindshift-bench-offers-${process.pid}-${index}`;
  const env = {
    ...benchEnv({ url: options.url, redisUrl: options.redisUrl, prefix, smtpPort }),
    LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'warn',
    OFFER_FANOUT: String(options.fanout),
    // To try the worker with other settings, e.g. BENCH_WORKER_ENV="WORKER_CONCURRENCY=20 OFFER_FANOUT=3".
    ...envPairs('BENCH_WORKER_ENV'),
  };
  try {
    const pipeline = await measurePipeline({
      url: options.url,
      env,
      sink,
      organisations,
      capacity: options.capacity,
      fanout: options.fanout,
      workers: options.workers,
    });
    log(
      `  pipeline: ${pipeline.offers} offers in ${pipeline.seconds.toFixed(2)} s = ${pipeline.perSecond.toFixed(0)}/s; ` +
        `publish → first offer p50 ${ms(pipeline.firstOffer.p50)} p95 ${ms(pipeline.firstOffer.p95)} max ${ms(pipeline.firstOffer.max)}`,
    );
    log(
      `  idle pipeline, one shift at a time: publish → first offer p50 ${ms(pipeline.idleFirstOffer.p50)} p95 ${ms(pipeline.idleFirstOffer.p95)} max ${ms(pipeline.idleFirstOffer.max)}`,
    );
    log(
      `  phases (median over shifts): publish → wave written ${ms(pipeline.phases.wave)}, → first offer job relayed ${ms(pipeline.phases.relay)}, ` +
        `→ first offer delivered ${ms(pipeline.phases.send)}; first → last offer of a shift ${ms(pipeline.spreadMs)}; ${pipeline.avgBytes.toFixed(0)} bytes/mail`,
    );
    log(`  CPU ms per offer during the burst: ${cpuText(pipeline.cpuPerOffer)}`);
    const floor = await measureFloor({
      redisUrl: options.redisUrl,
      prefix,
      sink,
      messages: pipeline.offers,
      avgBytes: pipeline.avgBytes,
    });
    log(
      `  floor: ${floor.messages} messages in ${floor.seconds.toFixed(2)} s = ${floor.perSecond.toFixed(0)}/s (${floor.avgBytes.toFixed(0)} bytes/mail)`,
    );
    log(`  CPU ms per floor message: ${cpuText(floor.cpuPerMessage)}`);
    return { pipeline, floor };
  } finally {
    const deleted = await deleteRedisPrefix(options.redisUrl, prefix);
    log(`  removed ${deleted} Redis keys under ${prefix}:`);
  }
}

function printSummary(results: RunResult[]): void {
  const head = [
    'run',
    'offers',
    'end-to-end /s',
    'floor /s',
    'ratio',
    'burst first offer p50',
    'p95',
    'idle first offer p50',
    'p95',
    'bytes/mail',
  ];
  const rows = results.map((r, i) => [
    String(i + 1),
    String(r.pipeline.offers),
    r.pipeline.perSecond.toFixed(0),
    r.floor.perSecond.toFixed(0),
    `${((r.pipeline.perSecond / r.floor.perSecond) * 100).toFixed(0)} %`,
    ms(r.pipeline.firstOffer.p50),
    ms(r.pipeline.firstOffer.p95),
    ms(r.pipeline.idleFirstOffer.p50),
    ms(r.pipeline.idleFirstOffer.p95),
    `${r.pipeline.avgBytes.toFixed(0)} / ${r.floor.avgBytes.toFixed(0)}`,
  ]);
  const m = {
    e2e: median(results.map((r) => r.pipeline.perSecond)),
    floor: median(results.map((r) => r.floor.perSecond)),
    ratio: median(results.map((r) => r.pipeline.perSecond / r.floor.perSecond)),
    p50: median(results.map((r) => r.pipeline.firstOffer.p50)),
    p95: median(results.map((r) => r.pipeline.firstOffer.p95)),
    idleP50: median(results.map((r) => r.pipeline.idleFirstOffer.p50)),
    idleP95: median(results.map((r) => r.pipeline.idleFirstOffer.p95)),
  };
  if (results.length > 1) {
    rows.push([
      'median',
      '',
      m.e2e.toFixed(0),
      m.floor.toFixed(0),
      `${(m.ratio * 100).toFixed(0)} %`,
      ms(m.p50),
      ms(m.p95),
      ms(m.idleP50),
      ms(m.idleP95),
      '',
    ]);
  }
  log(
    '\nOffers emailed per second end to end (publish → match → outbox → queue → email) vs the floor (bare BullMQ + pooled nodemailer);',
  );
  log(
    'publish → first offer delivered per shift: "burst" = all shifts published at once (each waits behind the offers queued before',
  );
  log('its own), "idle" = one shift at a time on an idle pipeline. bytes/mail: pipeline / floor');
  log(table(head, rows));
  log(`target end-to-end ≥ 50 % of the floor: ${(m.ratio * 100).toFixed(0)} % ${m.ratio >= 0.5 ? 'met' : 'NOT met'}`);
  log(
    `target publish → first offer p95 < 2 s: idle ${ms(m.idleP95)} ${m.idleP95 < 2000 ? 'met' : 'NOT met'}; burst of ${results[0].pipeline.offers} offers ${ms(m.p95)} ${m.p95 < 2000 ? 'met' : 'NOT met'}`,
  );
}

const cpuText = (cpu: Record<string, number>) =>
  ['worker', 'postgres', 'redis', 'bench']
    .filter((k) => k in cpu)
    .map((k) => `${k} ${cpu[k].toFixed(2)}`)
    .join(', ');
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const log = (msg: string) => console.log(msg);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const sink = new CountingSink();
  const smtpPort = await sink.start();
  process.env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
  const results: RunResult[] = [];
  try {
    for (let i = 1; i <= options.runs; i += 1) results.push(await run(options, sink, smtpPort, i));
    printSummary(results);
  } finally {
    await sink.stop();
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
