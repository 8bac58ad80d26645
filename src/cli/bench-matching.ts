import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { mikroOrmConfig } from '../entities.js';
import { generateWorld, worldCounts } from './bench-matching/dataset.js';
import { recreateDatabase } from './bench-support/database.js';
import {
  explainWalk,
  measureNaive,
  measureService,
  measureWalk,
  pickShifts,
  type Latency,
  type NaiveRun,
  type ServiceRun,
} from './bench-matching/measure.js';

/**
 * npm run bench:matching [-- --sizes=10000,100000,1000000 --queries=200 --naive-queries=40 --keep]
 *   --keep          leave the last database in place (dropped otherwise)
 *   --measure-only  measure the database a --keep run left (one size), without generating
 *
 * For each size: a fresh database (DATABASE_URL's name, default kindshift_bench), migrated,
 * filled with a generated world, then top-50 matching for random open shifts measured three
 * ways in the same run: the service (KNN walk), the same SQL on the planner's own plan, and a
 * naive search that filters in application code. A benchmark, not a test: absolute numbers
 * drift on a 2-core machine, so compare the ratios.
 */

interface Options {
  sizes: number[];
  queries: number;
  naiveQueries: number;
  keep: boolean;
  measureOnly: boolean;
  url: string;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const sizes = (flag('sizes') ?? '10000,100000,1000000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('--sizes must be integers >= 1000');
  const queries = Number(flag('queries') ?? 200);
  return {
    sizes,
    queries,
    naiveQueries: Number(flag('naive-queries') ?? Math.min(queries, 40)),
    keep: argv.includes('--keep') || argv.includes('--measure-only'),
    measureOnly: argv.includes('--measure-only'),
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kindshift_bench',
  };
}

interface SizeResult {
  size: number;
  generateSeconds: number;
  firstPass: ServiceRun;
  service: ServiceRun;
  walk: Latency;
  planner: Latency;
  naive: NaiveRun;
}

async function runSize(options: Options, size: number): Promise<SizeResult> {
  log(`\n== ${size.toLocaleString('en')} volunteers`);
  let generateSeconds = 0;
  if (!options.measureOnly) {
    await recreateDatabase(options.url);
    generateSeconds = await generate(options.url, size);
  }
  // The service runs the walk and the counts on two connections at once, as in the api.
  const orm = await MikroORM.init(mikroOrmConfig(options.url, { poolMax: 4 }));
  try {
    // Steady state, as a running service would be: bulk-load writes flushed, then one untimed
    // pass over the same shifts so index and heap pages are in PostgreSQL's buffers (this
    // server keeps the default 128 MB; the first pass reads many pages from the OS cache).
    await orm.em.execute('checkpoint');
    const shifts = await pickShifts(orm.em, options.queries);
    const firstPass = await measureService(orm.em, shifts);
    log(
      `  service, first pass p50 ${ms(firstPass.latency.p50)} p95 ${ms(firstPass.latency.p95)} p99 ${ms(firstPass.latency.p99)}`,
    );
    const service = await measureService(orm.em, shifts);
    log(`  service, warm p50 ${ms(service.latency.p50)} p95 ${ms(service.latency.p95)} p99 ${ms(service.latency.p99)}`);
    printSlowest(service);
    const walk = await measureWalk(orm.em, shifts.slice(0, options.queries), true);
    log(`  walk alone (KNN, LIMIT 54) p50 ${ms(walk.p50)} p95 ${ms(walk.p95)}`);
    const planner = await measureWalk(orm.em, shifts.slice(0, options.queries), false);
    log(`  same SQL, planner's plan p50 ${ms(planner.p50)} p95 ${ms(planner.p95)}`);
    const naive = await measureNaive(orm.em, shifts.slice(0, options.naiveQueries), service);
    log(
      `  naive p50 ${ms(naive.latency.p50)} p95 ${ms(naive.latency.p95)} (agreement ${(naive.agreement * 100).toFixed(1)} %)`,
    );
    await printExplain(orm, service, size === Math.max(...options.sizes));
    return { size, generateSeconds, firstPass, service, walk, planner, naive };
  } finally {
    await orm.close(true);
  }
}

/** Migrates and fills the database; returns the seconds the world took to generate. */
async function generate(url: string, size: number): Promise<number> {
  // One connection: the session's setseed() then makes the generated world repeatable.
  const orm = await MikroORM.init(mikroOrmConfig(url, { poolMax: 1 }));
  try {
    await orm.migrator.up();
    const started = performance.now();
    await generateWorld(orm.em, worldCounts(size), log);
    const seconds = (performance.now() - started) / 1000;
    log(`  generated in ${seconds.toFixed(0)} s`);
    return seconds;
  } finally {
    await orm.close(true);
  }
}

function printSlowest(service: ServiceRun): void {
  const slowest = [...service.samples].sort((a, b) => b.ms - a.ms).slice(0, 5);
  const fewer = service.samples.filter((s) => s.matches < 50).length;
  log(
    `  ${fewer} of ${service.samples.length} shifts have fewer than 50 matches within 200 km (searched to the end); slowest:`,
  );
  for (const s of slowest) {
    log(
      `    ${ms(s.ms)}: ${s.matches} matches; exclusions counted over ${s.candidates} volunteers within ${s.radiusKm.toFixed(1)} km`,
    );
  }
}

/** EXPLAIN of the shift with the median service latency: in full for the largest size. */
async function printExplain(orm: MikroORM, service: ServiceRun, full: boolean): Promise<void> {
  const byLatency = [...service.perShiftMs.entries()].sort((a, b) => a[1] - b[1]);
  const [shiftId] = byLatency[Math.floor(byLatency.length / 2)];
  const plans = await explainWalk(orm.em, shiftId);
  // The summary keeps the plan's spine: which index, in what order, how many rows and buffers.
  const summary = (plan: string[]) =>
    plan.filter((l) =>
      /Scan (using \S+ )?on volunteers|Order By:|Sort Key:|^\s*(->\s+)?(Limit|Sort)\b|Execution Time/.test(l),
    );
  const show = (title: string, plan: string[]) => {
    log(`  EXPLAIN (ANALYZE, BUFFERS), ${title}:`);
    for (const line of plan) log(`    ${line}`);
  };
  log(`  median shift ${shiftId}`);
  show('the walk as the service runs it (LIMIT 54)', full ? plans.knn : summary(plans.knn));
  show('the exclusion counts as the service runs them (summary)', summary(plans.counts));
  show("the same walk on the planner's own plan (summary)", summary(plans.planner));
}

function printTable(results: SizeResult[]): void {
  const rows = results.map((r) => [
    r.size.toLocaleString('en'),
    `${r.generateSeconds.toFixed(0)} s`,
    ms(r.service.latency.p50),
    ms(r.service.latency.p95),
    ms(r.service.latency.p99),
    ms(r.firstPass.latency.p95),
    ms(r.walk.p50),
    ms(r.walk.p95),
    ms(r.planner.p50),
    ms(r.planner.p95),
    ms(r.naive.latency.p50),
    ms(r.naive.latency.p95),
    `${(r.naive.latency.p50 / r.service.latency.p50).toFixed(0)}×`,
    r.service.avgMatches.toFixed(1),
  ]);
  const head = [
    'volunteers',
    'generate',
    'p50',
    'p95',
    'p99',
    '1st-pass p95',
    'walk p50',
    'walk p95',
    'planner p50',
    'planner p95',
    'naive p50',
    'naive p95',
    'naive/ours p50',
    'matches',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  log(
    '\nTop-50 matching per shift: p50/p95/p99 of findMatchesForShift (walk, exact checks, scores, exclusion counts), warm;',
  );
  log('1st-pass = the same shifts the first time (pages read from the OS cache);');
  log(
    "walk = its KNN walk alone as one LIMIT query; planner = the same SQL on the planner's own plan; naive = rules applied in application code",
  );
  log(line(head));
  log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) log(line(r));
  printTargets(results);
}

function printTargets(results: SizeResult[]): void {
  const at = (n: number) => results.find((r) => r.size === n);
  const million = at(1_000_000);
  const hundredK = at(100_000);
  if (million)
    log(
      `target p95 <= 25 ms at 1M: ${ms(million.service.latency.p95)} ${million.service.latency.p95 <= 25 ? 'met' : 'NOT met'}`,
    );
  if (million && hundredK) {
    const ratio = million.service.latency.p95 / hundredK.service.latency.p95;
    log(`target 1M <= 2x 100k (p95): ${ratio.toFixed(2)}x ${ratio <= 2 ? 'met' : 'NOT met'}`);
  }
  if (million) {
    const speedup = million.naive.latency.p50 / million.service.latency.p50;
    log(`target >= 50x faster than naive at 1M (p50): ${speedup.toFixed(0)}x ${speedup >= 50 ? 'met' : 'NOT met'}`);
  }
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const log = (msg: string) => console.log(msg);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const results: SizeResult[] = [];
  try {
    for (const size of options.sizes) results.push(await runSize(options, size));
    printTable(results);
  } finally {
    if (!options.keep) await recreateDatabase(options.url, true);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
