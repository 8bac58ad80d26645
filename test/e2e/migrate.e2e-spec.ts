import pg from 'pg';
import { migrationAdvice } from '../../libs/platform/database/index.js';
import { runMigrate } from '../../src/cli/migrate-command.js';
import { TEST_PG_BASE } from '../support/test-database.js';

// `npm run migrate` the way a newcomer without Docker first runs it: as an ordinary (non-superuser)
// role that owns a fresh database without PostGIS. The role and database are made here and dropped after.
const tag = (process.env.TEST_DB_NAMESPACE ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
const suffix = `${tag ? `${tag}_` : ''}migrate_${process.pid}`;
const role = `kindshift_test_${suffix}`;
const database = `kindshift_test_${suffix}`;
const base = new URL(TEST_PG_BASE);
const roleUrl = (db = database) => `postgres://${role}:not-a-secret@${base.host}/${db}`;

async function admin<T>(db: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${TEST_PG_BASE}/${db}` });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function migrateAs(url: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMigrate(
    { DATABASE_URL: url, NODE_ENV: 'test' },
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run migrate as a non-superuser owner of a fresh database', () => {
  beforeAll(async () => {
    await admin('postgres', async (c) => {
      await c.query(`drop database if exists ${database} with (force)`);
      await c.query(`drop role if exists ${role}`);
      await c.query(`create role ${role} login password 'not-a-secret'`);
      await c.query(`create database ${database} owner ${role}`);
    });
  });
  afterAll(async () => {
    await admin('postgres', async (c) => {
      await c.query(`drop database if exists ${database} with (force)`);
      await c.query(`drop role if exists ${role}`);
    });
  });

  it('stops without PostGIS and prints the one superuser command to run, with no stack trace', async () => {
    const { code, out, err } = await migrateAs(roleUrl());
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      [
        `Migrations stopped: the PostgreSQL role "${role}" may not create the extension "postgis" (only a superuser may).`,
        `Create it once in the database "${database}" as a superuser, for example:`,
        `  sudo -u postgres psql -p ${base.port || '5432'} -d ${database} -c 'create extension if not exists postgis'`,
        `  (or: psql -h ${base.hostname} -p ${base.port || '5432'} -U postgres -d ${database} -c 'create extension if not exists postgis')`,
        'Then run `npm run migrate` again.',
      ].join('\n'),
    );
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('then migrates as that role once a superuser has created PostGIS (the other extensions are trusted)', async () => {
    await admin(database, (c) => c.query('create extension if not exists postgis'));
    const { code, out, err } = await migrateAs(roleUrl());
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ msg: 'migrations applied', count: expect.any(Number) });
    const owner = await admin(database, (c) =>
      c.query(`select tableowner from pg_tables where tablename = 'volunteers'`),
    );
    expect(owner.rows).toEqual([{ tableowner: role }]);
    expect((await migrateAs(roleUrl())).code).toBe(0); // and again: nothing pending
  });

  it('names a missing database and the createdb command', async () => {
    const { code, err } = await migrateAs(roleUrl(`${database}_missing`));
    expect(code).toBe(1);
    expect(err).toContain(`the database "${database}_missing" does not exist`);
    expect(err).toContain(`createdb -p ${base.port || '5432'} -O ${role} ${database}_missing`);
  });

  it('says nothing answers when PostgreSQL is not running there', async () => {
    const { code, err } = await migrateAs(`postgres://${role}@127.0.0.1:1/${database}`);
    expect(code).toBe(1);
    expect(err).toContain('nothing answers at 127.0.0.1:1');
    expect(err).toContain('npm run dev:services');
  });

  it('tells how to install an extension the server does not have (a real error from this server)', async () => {
    const error = await admin(database, (c) =>
      c.query('create extension kindshift_no_such_extension').then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error).toMatchObject({ code: expect.stringMatching(/^(58P01|0A000)$/) });
    const advice = migrationAdvice(error, roleUrl());
    expect(advice).toContain(`does not have the extension "kindshift_no_such_extension" installed`);
    const postgis = migrationAdvice(
      {
        code: '58P01',
        message:
          'could not open extension control file "/usr/share/postgresql/15/extension/postgis.control": No such file or directory',
      },
      roleUrl(),
    );
    expect(postgis).toContain('sudo apt-get install postgresql-15-postgis-3');
    expect(migrationAdvice({ code: '0A000', message: 'extension "postgis" is not available' }, roleUrl())).toContain(
      'postgresql-<version>-postgis-3',
    );
  });

  it('leaves other errors to their own message', () => {
    expect(migrationAdvice(new Error('relation "x" already exists'), roleUrl())).toBeUndefined();
  });
});
