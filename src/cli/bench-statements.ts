import 'reflect-metadata';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../libs/platform/config/index.js';
import { HoursRepository } from '../../libs/hours/hours.repository.js';
import { HoursStatementsService } from '../../libs/hours/hours-statements.service.js';
import { statementCsv } from '../../libs/hours/hours-csv.js';
import { statementPdf } from '../../libs/hours/statement-pdf.js';
import { mikroOrmConfig } from '../entities.js';
import { recreateDatabase } from './bench-support/database.js';
import { seedStatementVolunteer } from './bench-support/hours-seed.js';
import { median, percentile, table } from './bench-offers/stats.js';

/**
 * npm run bench:statements [-- --entries=500 --runs=50 --keep]
 *
 * Builds a volunteer's hours statement the way GET /me/hours/statement.{csv,pdf} does (credit
 * unmarked bookings, read the ledger, compute credits, digest, record the statement, render), in
 * process without HTTP, for one volunteer with `entries` ledger entries: 80 % attended shifts (half
 * with arrival rows) and 20 % approved logged hours. The baseline, measured in the same run, is the
 * ledger query alone. The target is < 300 ms per statement, PDF included. Not run in CI.
 */
interface Options {
  url: string;
  entries: number;
  runs: number;
  keep: boolean;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const entries = Number(flag('entries') ?? 500);
  const runs = Number(flag('runs') ?? 50);
  if (!Number.isInteger(entries) || entries < 10) throw new Error('--entries must be an integer >= 10');
  if (!Number.isInteger(runs) || runs < 5) throw new Error('--runs must be an integer >= 5');
  return {
    url: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kindshift_bench_statements',
    entries,
    runs,
    keep: argv.includes('--keep'),
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The statement's organisation and its volunteer with `entries` entries; returns the volunteer's id. */
async function seed(em: EntityManager, entries: number): Promise<string> {
  const [{ id: orgId }] = await em.execute(
    `insert into organisations (name, kind, time_zone) values ('Riverside Soup Kitchen', 'soup_kitchen', 'Europe/London') returning id`,
  );
  await em.execute(
    `insert into organisation_addresses (organisation_id, label, lat, lon, is_default) values (?, 'Hall', 53.48, -2.24, true)`,
    [orgId],
  );
  return seedStatementVolunteer(em, orgId as string, entries);
}

async function time(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await work(); // warm-up: JIT, font metrics, buffers
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  await recreateDatabase(options.url);
  const orm = await MikroORM.init(mikroOrmConfig(options.url, { poolMax: 4 }));
  try {
    await orm.migrator.up();
    const volunteerId = await seed(orm.em.fork(), options.entries);
    const config = {
      SESSION_SECRET: 'bench-session-secret-0123456789',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      CHECK_IN_GRACE_HOURS: 24,
    } as AppConfig;
    const repo = new HoursRepository(orm.em);
    const service = new HoursStatementsService(repo, config);
    log(`${options.entries} entries, ${options.runs} runs each (after 3 warm-up runs)`);
    let pdfBytes = 0;
    let lines = 0;
    const rows: Array<[string, number[]]> = [
      ['ledger query alone (baseline)', await time(options.runs, () => repo.ledger({ volunteerId }))],
      [
        'statement issued (ledger, credits, digest, insert)',
        await time(options.runs, async () => (lines = (await service.issueStatement(volunteerId, {})).lines.length)),
      ],
      [
        'CSV statement, end to end',
        await time(options.runs, async () => statementCsv(await service.issueStatement(volunteerId, {}))),
      ],
      [
        'PDF statement, end to end',
        await time(options.runs, async () => {
          pdfBytes = (await statementPdf(await service.issueStatement(volunteerId, {}))).length;
        }),
      ],
    ];
    log(
      table(
        ['step', 'p50 ms', 'p95 ms', 'max ms'],
        rows.map(([name, s]) => [name, median(s).toFixed(1), percentile(s, 95).toFixed(1), Math.max(...s).toFixed(1)]),
      ),
    );
    log(`${lines} statement lines; PDF ${(pdfBytes / 1024).toFixed(0)} KiB`);
  } finally {
    await orm.close(true);
    if (!options.keep) await recreateDatabase(options.url, true);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
