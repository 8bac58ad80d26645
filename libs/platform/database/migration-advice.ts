// What `npm run migrate` prints when the database is not ready for it: the few set-up mistakes a
// newcomer makes without Docker (no PostGIS, a role that may not create it, no such database or
// role, nothing listening), each with the command that fixes it. Pure: no ORM, no I/O.

interface PgLikeError {
  code?: unknown;
  message?: unknown;
}

interface Target {
  host: string;
  port: string;
  database: string;
  user: string;
}

function targetOf(databaseUrl: string): Target {
  try {
    const url = new URL(databaseUrl);
    return {
      host: url.hostname || 'localhost',
      port: url.port || '5432',
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'kindshift',
      user: decodeURIComponent(url.username) || 'kindshift',
    };
  } catch {
    return { host: 'localhost', port: '5432', database: 'kindshift', user: 'kindshift' };
  }
}

/** Every error in a cause chain (MikroORM wraps the driver's error; AggregateError holds several). */
function* chain(error: unknown): Generator<PgLikeError> {
  const seen = new Set<unknown>();
  const queue = [error];
  while (queue.length) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    yield next as PgLikeError;
    queue.push((next as { cause?: unknown }).cause);
    if (next instanceof AggregateError) queue.push(...next.errors);
  }
}

/** One shell word: single quotes unless the SQL has its own. */
const quote = (sql: string) => (sql.includes("'") ? `"${sql}"` : `'${sql}'`);

/**
 * The advice for a failed migration run, or undefined when the error is not one of the set-up
 * mistakes it knows (the caller then prints the error's own message).
 */
export function migrationAdvice(error: unknown, databaseUrl: string): string | undefined {
  const t = targetOf(databaseUrl);
  const superuserPsql = (sql: string) =>
    [
      `  sudo -u postgres psql -p ${t.port} -d ${t.database} -c ${quote(sql)}`,
      `  (or: psql -h ${t.host} -p ${t.port} -U postgres -d ${t.database} -c ${quote(sql)})`,
    ].join('\n');
  const again = 'Then run `npm run migrate` again.';

  for (const e of chain(error)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    const message = typeof e.message === 'string' ? e.message : '';
    const extension = /extension "([^"]+)"/.exec(message)?.[1] ?? /([\w-]+)\.control"/.exec(message)?.[1];

    if (code === '42501' && extension) {
      return [
        `Migrations stopped: the PostgreSQL role "${t.user}" may not create the extension "${extension}" (only a superuser may).`,
        `Create it once in the database "${t.database}" as a superuser, for example:`,
        superuserPsql(`create extension if not exists ${extension}`),
        again,
      ].join('\n');
    }
    if ((code === '58P01' || code === '0A000') && extension) {
      const major = /postgresql\/(\d+)\//.exec(message)?.[1] ?? '<version>';
      return [
        `Migrations stopped: the PostgreSQL server at ${t.host}:${t.port} does not have the extension "${extension}" installed.`,
        extension === 'postgis'
          ? `Install PostGIS for that server, e.g. on Debian/Ubuntu: sudo apt-get install postgresql-${major}-postgis-3`
          : `Install the package that provides it for that server (on Debian/Ubuntu: postgresql-contrib or postgresql-${major}-${extension}).`,
        `(docker compose uses the postgis/postgis image, which has it.) ${again}`,
      ].join('\n');
    }
    // MikroORM tries to create a missing database itself, which a non-superuser may not.
    if (code === '3D000' || (code === '42501' && /create database/.test(message))) {
      return [
        `Migrations stopped: the database "${t.database}" does not exist on ${t.host}:${t.port}. Create it as a superuser, for example:`,
        `  sudo -u postgres createdb -p ${t.port} -O ${t.user} ${t.database}`,
        again,
      ].join('\n');
    }
    if (code === '28000' || code === '28P01') {
      return [
        `Migrations stopped: PostgreSQL refused the role "${t.user}" (${message || 'authentication failed'}).`,
        'Check the user and password in DATABASE_URL, or create the role as a superuser, for example:',
        `  sudo -u postgres psql -p ${t.port} -c ${quote(`create role ${t.user} login password 'choose-a-password'`)}`,
        again,
      ].join('\n');
    }
    if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
      return [
        `Migrations stopped: nothing answers at ${t.host}:${t.port} (DATABASE_URL).`,
        'Start PostgreSQL first: `npm run dev:services` (without Docker) or `docker compose up -d postgres`.',
      ].join('\n');
    }
  }
  return undefined;
}
