import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrationAdvice } from '../../libs/platform/database/index.js';
import { mikroOrmConfig } from '../entities.js';
import { parseConfig } from '../../libs/platform/config/index.js';

/**
 * Applies every pending migration and returns the exit code. Set-up mistakes (no PostGIS, a role
 * that may not create it, no database) print what to run instead of a driver error and a stack.
 */
export async function runMigrate(
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
  printError: (line: string) => void,
): Promise<number> {
  let databaseUrl = '';
  try {
    databaseUrl = env.DATABASE_URL ?? parseConfig(env).DATABASE_URL;
    const orm = await MikroORM.init(mikroOrmConfig(databaseUrl));
    try {
      const applied = await orm.migrator.up();
      print(JSON.stringify({ msg: 'migrations applied', count: applied.length, names: applied.map((m) => m.name) }));
    } finally {
      await orm.close(true);
    }
    return 0;
  } catch (error) {
    printError(migrationAdvice(error, databaseUrl) ?? (error instanceof Error ? error.message : String(error)));
    return 1;
  }
}
