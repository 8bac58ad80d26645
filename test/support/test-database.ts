import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { mikroOrmConfig } from '../../src/entities.js';

/** The server tests use; the default is the machine's local PostgreSQL (trust auth). */
export const TEST_PG_BASE = process.env.TEST_PG_BASE ?? 'postgres://postgres@127.0.0.1:5432';

/** Optional tag in every test database's name, so several checkouts can run their tests side by side. */
const NAMESPACE = (process.env.TEST_DB_NAMESPACE ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();

/**
 * Creates a fresh database named `kindshift_test_[<namespace>_]<suffix>` and migrates it from empty.
 * Each test file gets its own database, so files never share state and can be run alone.
 */
export async function createTestDatabase(suffix: string): Promise<string> {
  const tag = NAMESPACE ? `${NAMESPACE}_` : '';
  const name = `kindshift_test_${tag}${suffix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  const admin = new pg.Client({ connectionString: `${TEST_PG_BASE}/postgres` });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = `${TEST_PG_BASE}/${name}`;
  const orm = await MikroORM.init(mikroOrmConfig(url, { poolMax: 2 }));
  try {
    await orm.migrator.up();
  } finally {
    await orm.close(true);
  }
  return url;
}
