import fc from 'fast-check';
import {
  CheckConstraintViolationException,
  ConnectionException,
  DriverException,
  ForeignKeyConstraintViolationException,
  NotNullConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ConflictError, DomainError, InvalidInputError, ServiceUnavailableError } from '../../common/domain-errors.js';
import { translateDriverError } from './driver-errors.js';

/** What node-postgres gives for a server error (the fields MikroORM copies onto its DriverException). */
function pgError(fields: Record<string, unknown>, message = 'server said no'): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', ...fields });
}

/** An error from a Node socket (connect refused, reset, timed out). */
function netError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });
}

describe('translateDriverError: the database is unavailable → 503', () => {
  it.each([
    ['08006 connection failure', pgError({ code: '08006' })],
    ['08001 cannot connect', pgError({ code: '08001' })],
    ['08P01 protocol violation', pgError({ code: '08P01' })],
    ['57P01 terminated by the administrator', pgError({ code: '57P01', severity: 'FATAL' })],
    ['57P02 crash shutdown', pgError({ code: '57P02', severity: 'FATAL' })],
    ['57P03 cannot connect now (starting up)', pgError({ code: '57P03', severity: 'FATAL' })],
    ['53300 too many clients', pgError({ code: '53300', severity: 'FATAL' })],
    ['57014 statement timeout', pgError({ code: '57014' })],
    [
      '55000 from CheckMyDatabase (ALLOW_CONNECTIONS false)',
      pgError({ code: '55000', severity: 'FATAL', routine: 'CheckMyDatabase' }),
    ],
    ['any FATAL (the session is gone)', pgError({ code: '3D000', severity: 'FATAL' })],
    ['ECONNREFUSED', netError('ECONNREFUSED')],
    ['ECONNRESET', netError('ECONNRESET')],
    ['ETIMEDOUT', netError('ETIMEDOUT')],
    ['EPIPE', netError('EPIPE')],
    ['MikroORM ConnectionException', new ConnectionException(new Error('could not connect'))],
    ['MikroORM DriverException wrapping 57P01', new DriverException(pgError({ code: '57P01', severity: 'FATAL' }))],
    ['pg: connection terminated (no code)', new Error('Connection terminated unexpectedly')],
    ['pg: client not queryable (no code)', new Error('Client has encountered a connection error and is not queryable')],
    ['pg-pool: acquire timeout (no code)', new Error('timeout exceeded when trying to connect')],
    [
      'withTimeout / AbortSignal.timeout',
      Object.assign(new Error('no answer within 1500 ms'), { name: 'TimeoutError' }),
    ],
    [
      'an AggregateError of refused connects (IPv4 + IPv6)',
      Object.assign(new AggregateError([netError('ECONNREFUSED'), netError('ECONNREFUSED')]), { code: 'ECONNREFUSED' }),
    ],
  ])('%s', (_name, error) => {
    const mapped = translateDriverError(error);
    expect(mapped).toBeInstanceOf(ServiceUnavailableError);
    expect(mapped!.status).toBe(503);
    expect(mapped!.message).not.toMatch(/5432|terminated|accepting|not queryable|server said/i);
  });

  it('names the database when the error is recognisably PostgreSQL’s, nobody for a bare socket error or timeout', () => {
    expect(
      (translateDriverError(pgError({ code: '57P01', severity: 'FATAL' })) as ServiceUnavailableError).dependencies,
    ).toEqual(['database']);
    expect(
      (translateDriverError(new ConnectionException(netError('ECONNREFUSED'))) as ServiceUnavailableError).dependencies,
    ).toEqual(['database']);
    expect(
      (translateDriverError(new Error('Connection terminated unexpectedly')) as ServiceUnavailableError).dependencies,
    ).toEqual(['database']);
    expect((translateDriverError(netError('ECONNREFUSED')) as ServiceUnavailableError).dependencies).toEqual([]);
    expect(
      (translateDriverError(Object.assign(new Error('late'), { name: 'TimeoutError' })) as ServiceUnavailableError)
        .dependencies,
    ).toEqual([]);
  });

  it('a driver error in the cause chain counts (a wrapped error)', () => {
    const wrapped = new Error('could not load the page', { cause: netError('ECONNREFUSED') });
    expect(translateDriverError(wrapped)).toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('translateDriverError: a constraint the client reached → 409/422 naming the field', () => {
  it('unique violation → 409 naming the key column (camelCase), never the value', () => {
    const error = new UniqueConstraintViolationException(
      pgError(
        {
          code: '23505',
          table: 'accounts',
          constraint: 'accounts_email_key',
          detail: 'Key (email)=(ada@example.org) already exists.',
        },
        'insert into "accounts" ("email") values (\'ada@example.org\') - duplicate key value violates unique constraint "accounts_email_key"',
      ),
    );
    const mapped = translateDriverError(error);
    expect(mapped).toBeInstanceOf(ConflictError);
    expect(mapped!.status).toBe(409);
    expect(mapped!.errors).toEqual([{ field: 'email', message: 'is already taken' }]);
    expect(JSON.stringify({ detail: mapped!.message, errors: mapped!.errors })).not.toMatch(
      /ada@|insert|accounts_email_key|duplicate/,
    );
  });

  it('a unique key over several columns names the first and mentions the others', () => {
    const error = pgError({
      code: '23505',
      table: 'bookings',
      constraint: 'bookings_shift_id_volunteer_id_key',
      detail: 'Key (shift_id, volunteer_id)=(1, 2) already exists.',
    });
    expect(translateDriverError(error)!.errors).toEqual([
      { field: 'shiftId', message: 'is already taken together with volunteerId' },
    ]);
  });

  it('a unique index whose detail is not in English falls back to the constraint name', () => {
    const error = pgError({
      code: '23505',
      table: 'shifts',
      constraint: 'shifts_series_occurrence',
      detail: 'Schlüssel (series_id, starts_at)=(…) existiert bereits.',
    });
    const mapped = translateDriverError(error)!;
    expect(mapped.status).toBe(409);
    expect(mapped.errors).toEqual([{ field: 'seriesOccurrence', message: 'is already taken' }]);
  });

  it('exclusion violation (an overlapping booking) → 409', () => {
    const error = pgError({ code: '23P01', table: 'bookings', constraint: 'bookings_no_overlap' });
    const mapped = translateDriverError(error)!;
    expect(mapped.status).toBe(409);
    expect(mapped.errors).toEqual([{ field: 'noOverlap', message: 'conflicts with an existing entry' }]);
  });

  it('not-null violation → 422 naming the column', () => {
    const error = new NotNullConstraintViolationException(
      pgError({ code: '23502', table: 'shifts', column: 'ends_at' }),
    );
    const mapped = translateDriverError(error)!;
    expect(mapped).toBeInstanceOf(InvalidInputError);
    expect(mapped.status).toBe(422);
    expect(mapped.errors).toEqual([{ field: 'endsAt', message: 'is required' }]);
  });

  it('check violation → 422 naming the column PostgreSQL named the constraint after', () => {
    const error = new CheckConstraintViolationException(
      pgError({ code: '23514', table: 'shifts', constraint: 'shifts_capacity_check' }),
    );
    expect(translateDriverError(error)!.errors).toEqual([{ field: 'capacity', message: 'is not allowed' }]);
    const named = pgError({ code: '23514', table: 'volunteers', constraint: 'volunteers_time_zone_known' });
    expect(translateDriverError(named)!.errors).toEqual([{ field: 'timeZoneKnown', message: 'is not allowed' }]);
  });

  it('a table-level check with no column in its name → 422 on the body', () => {
    const error = pgError({ code: '23514', table: 'shifts', constraint: 'shifts_check1' });
    const mapped = translateDriverError(error)!;
    expect(mapped.status).toBe(422);
    expect(mapped.errors).toEqual([{ field: 'body', message: 'breaks a rule of shifts' }]);
  });

  it('foreign key to a missing row → 422 naming the column; a row still referenced → 409', () => {
    const missing = new ForeignKeyConstraintViolationException(
      pgError({
        code: '23503',
        table: 'shifts',
        constraint: 'shifts_address_id_fkey',
        detail: 'Key (address_id)=(6f1c…) is not present in table "organisation_addresses".',
      }),
    );
    expect(translateDriverError(missing)!.status).toBe(422);
    expect(translateDriverError(missing)!.errors).toEqual([
      { field: 'addressId', message: 'refers to something that does not exist' },
    ]);
    const referenced = pgError({
      code: '23503',
      table: 'bookings',
      constraint: 'bookings_shift_id_fkey',
      detail: 'Key (id)=(6f1c…) is still referenced from table "bookings".',
    });
    expect(translateDriverError(referenced)!.status).toBe(409);
    expect(translateDriverError(referenced)!.errors).toEqual([{ field: 'shiftId', message: 'is still in use' }]);
  });

  it.each([
    ['22001 string too long', '22001', 422],
    ['22003 number out of range', '22003', 422],
    ['22007 invalid date-time', '22007', 422],
    ['22P02 invalid text representation', '22P02', 422],
    ['40001 serialization failure', '40001', 503],
    ['40P01 deadlock', '40P01', 503],
  ])('%s → %i', (_name, code, status) => {
    expect(translateDriverError(pgError({ code }))!.status).toBe(status);
  });
});

describe('translateDriverError: everything else is not its business', () => {
  it.each([
    ['a TypeError', new TypeError('x is undefined')],
    ['a syntax error in our own SQL', pgError({ code: '42601' })],
    ['a missing table', pgError({ code: '42P01' })],
    ['a non-error', 'oops'],
    ['null', null],
    ['a domain error', new ConflictError('x', 'y')],
  ])('%s → null (a 500, our bug)', (_name, error) => {
    expect(translateDriverError(error)).toBeNull();
  });

  it('property: whatever the error carries, the result is null, a 409/422 or a 503, and never echoes the message or the detail', () => {
    const codes = fc.constantFrom(
      '08006',
      '57P01',
      '53300',
      '23505',
      '23502',
      '23503',
      '23514',
      '23P01',
      '22001',
      '42601',
      'ECONNREFUSED',
      'XX000',
      undefined,
    );
    fc.assert(
      fc.property(
        codes,
        fc.string(),
        fc.string(),
        fc.option(fc.string()),
        fc.option(fc.string()),
        (code, message, detail, constraint, column) => {
          const secret = `SECRET${message}`;
          const mapped = translateDriverError(
            pgError({ code, detail: `${detail}${secret}`, constraint, column, table: 't' }, secret),
          );
          if (mapped === null) return;
          expect(mapped).toBeInstanceOf(DomainError);
          expect([409, 422, 503]).toContain(mapped.status);
          expect(JSON.stringify([mapped.message, mapped.errors])).not.toContain('SECRET');
        },
      ),
    );
  });
});
