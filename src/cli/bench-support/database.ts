import { MikroORM } from '@mikro-orm/postgresql';
import { mikroOrmConfig } from '../../entities.js';

/** Drops and recreates the benchmark database through the server's maintenance database. */
export async function recreateDatabase(url: string, drop = false): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  target.pathname = '/postgres';
  const admin = await MikroORM.init(mikroOrmConfig(target.toString(), { poolMax: 1 }));
  try {
    await admin.em.execute(`drop database if exists ${name} with (force)`);
    if (!drop) await admin.em.execute(`create database ${name}`);
  } finally {
    await admin.close(true);
  }
}
