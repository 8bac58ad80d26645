import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { mikroOrmConfig } from '../../libs/database/index.js';
import { parseConfig } from '../../libs/config/index.js';

/** Applies every pending migration. Runs once per deploy, never inside api or worker processes. */
async function main() {
  const databaseUrl = process.env.DATABASE_URL ?? parseConfig(process.env).DATABASE_URL;
  const orm = await MikroORM.init(mikroOrmConfig(databaseUrl));
  try {
    const applied = await orm.migrator.up();
    console.log(JSON.stringify({ msg: 'migrations applied', count: applied.length, names: applied.map((m) => m.name) }));
  } finally {
    await orm.close(true);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
