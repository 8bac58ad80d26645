import { ConflictError, InvalidInputError, ServiceUnavailableError, type DomainError } from '../../common/index.js';

/**
 * Turns an error from PostgreSQL, its driver, a socket or a timeout into the domain error a client
 * should see, or null when it is none of those (a bug: the filter answers 500).
 *
 * Decided by the SQLSTATE / errno `code`, the class name or `name`, never by message text where a
 * code exists; only node-postgres' own connection errors carry no code, so three of its fixed
 * English messages are recognised. The answer never echoes the message or the detail (they hold
 * SQL and the values the client sent); fields come from column and constraint names only.
 * Pure: no Nest, no ORM import (MikroORM's DriverException copies the pg fields onto itself).
 */
export function translateDriverError(error: unknown): DomainError | null {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const mapped = translateOne(current as DriverErrorLike);
    if (mapped) return mapped;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

interface DriverErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  severity?: unknown;
  routine?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

/** Socket errors: the database (or Redis) host is down, unreachable or went away mid-query. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * SQLSTATEs meaning "the database cannot serve this now; the same request may succeed soon":
 * class 08 (connection exception), 57P01-03 (admin/crash shutdown, cannot connect now), 53xxx
 * (too many clients, out of resources), 57014 (statement timeout), 40001/40P01 (serialization
 * failure, deadlock: the transaction was rolled back and may simply be retried).
 */
function isUnavailableState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    ['57P01', '57P02', '57P03', '57014', '40001', '40P01'].includes(code)
  );
}

/** node-postgres and pg-pool raise these without a code. */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^timeout exceeded when trying to connect/,
];

/** Class names that mean the connection itself failed (MikroORM, ioredis, BullMQ). */
const UNAVAILABLE_NAMES = new Set(['ConnectionException', 'TimeoutError', 'MaxRetriesPerRequestError']);

function translateOne(error: DriverErrorLike): DomainError | null {
  const code = typeof error.code === 'string' ? error.code : '';
  const name = typeof error.name === 'string' ? error.name : '';
  const message = typeof error.message === 'string' ? error.message : '';
  // A server error (it has a severity) or an error MikroORM wrapped comes from PostgreSQL; a bare
  // socket error or timeout may come from any dependency, so it is not named.
  const fromDatabase = typeof error.severity === 'string' || name.endsWith('Exception');
  if (UNAVAILABLE_NAMES.has(name) || NETWORK_CODES.has(code) || (code && isUnavailableState(code)))
    return unavailable(fromDatabase || isUnavailableState(code));
  // FATAL/PANIC end the session (e.g. 55000 "database is not currently accepting connections" from
  // CheckMyDatabase when ALLOW_CONNECTIONS is false): the database, not the request, is the problem.
  if (
    error.severity === 'FATAL' ||
    error.severity === 'PANIC' ||
    (code === '55000' && error.routine === 'CheckMyDatabase')
  )
    return unavailable(true);
  if (!code && PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return unavailable(true);
  return translateConstraint(code, error);
}

function unavailable(database: boolean): ServiceUnavailableError {
  return database
    ? new ServiceUnavailableError('The database is not available right now. Please try again in a moment.', [
        'database',
      ])
    : new ServiceUnavailableError('A service we depend on is not available right now. Please try again in a moment.');
}

function translateConstraint(code: string, error: DriverErrorLike): DomainError | null {
  const table = identifier(error.table);
  const constraint = identifier(error.constraint);
  const detail = typeof error.detail === 'string' ? error.detail : '';
  switch (code) {
    case '23505': {
      // "Key (a, b)=(…) already exists." — only the column list is read, never the values.
      const [first, ...others] = keyColumns(detail) ?? [];
      const field = first ? camel(first) : fieldFromConstraint(constraint, table, ['key', 'idx', 'index', 'unique']);
      const message = others.length
        ? `is already taken together with ${others.map(camel).join(', ')}`
        : 'is already taken';
      return conflict('already-exists', 'This already exists.', field, message);
    }
    case '23P01':
      return conflict(
        'conflict',
        'This conflicts with an existing entry.',
        fieldFromConstraint(constraint, table, ['excl']),
        'conflicts with an existing entry',
      );
    case '23502': {
      const column = identifier(error.column);
      return InvalidInputError.field(column ? camel(column) : 'body', 'is required');
    }
    case '23514': {
      const field = fieldFromConstraint(constraint, table, ['check']);
      return field === 'body'
        ? new InvalidInputError([{ field: 'body', message: `breaks a rule of ${table ?? 'this record'}` }])
        : InvalidInputError.field(field, 'is not allowed');
    }
    case '23503': {
      const field = fieldFromConstraint(constraint, table, ['fkey', 'fk', 'foreign']);
      // The detail's wording is the only sign of which side broke the key; PostgreSQL's messages are
      // English unless lc_messages says otherwise, and then the safe reading is "does not exist".
      if (/still referenced/.test(detail))
        return conflict('still-referenced', 'This is still in use.', field, 'is still in use');
      return InvalidInputError.field(field, 'refers to something that does not exist');
    }
    case '22001':
      return new InvalidInputError([{ field: 'body', message: 'a value is too long' }]);
    case '22003':
      return new InvalidInputError([{ field: 'body', message: 'a number is out of range' }]);
    default:
      // Class 22 (data exception: bad date-time, bad number, bad UUID text, …) is bad input.
      if (code.startsWith('22')) return new InvalidInputError([{ field: 'body', message: 'a value is not valid' }]);
      return null;
  }
}

function conflict(slug: string, detail: string, field: string, message: string): ConflictError {
  const error = new ConflictError(slug, detail);
  error.errors.push({ field, message });
  return error;
}

/** The column list of a "Key (a, b)=(…)" detail, if it has one and every name is a plain identifier. */
function keyColumns(detail: string): string[] | null {
  const match = /^Key \(([^)]*)\)=/.exec(detail);
  if (!match) return null;
  const columns = match[1].split(',').map((part) => part.trim());
  return columns.every((column) => identifier(column)) ? columns : null;
}

/**
 * The field a constraint guards, from its name: PostgreSQL names them `<table>_<column>_<kind>`
 * (`shifts_capacity_check`, `shifts_address_id_fkey`); ours are `<table>_<rule>`. A name with no
 * part left (`shifts_check1`) guards several columns: the body.
 */
function fieldFromConstraint(constraint: string | null, table: string | null, suffixes: string[]): string {
  if (!constraint) return 'body';
  let rest = constraint;
  if (table && rest.startsWith(`${table}_`)) rest = rest.slice(table.length + 1);
  for (const suffix of suffixes) rest = rest.replace(new RegExp(`(^|_)${suffix}\\d*$`), '');
  return rest ? camel(rest) : 'body';
}

function identifier(value: unknown): string | null {
  return typeof value === 'string' && /^[a-z_][a-z0-9_]{0,62}$/.test(value) ? value : null;
}

function camel(snake: string): string {
  return snake.replace(/_+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
