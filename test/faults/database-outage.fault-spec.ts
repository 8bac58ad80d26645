import pg from 'pg';
import { IdentityService } from '../../libs/identity/identity.service.js';
import { generateToken, hashToken } from '../../libs/common/tokens.js';
import { TEST_PG_BASE } from '../support/test-database.js';
import { FaultEnv, type Response } from './support/fault-env.js';
import { waitFor } from './support/wait.js';
import {
  createOrganisation,
  insertOpenShift,
  insertPendingOffers,
  insertVolunteers,
  type Organisation,
} from './support/world.js';

/**
 * Fault 6: PostgreSQL refuses connections. The test database stops accepting connections
 * (ALLOW_CONNECTIONS false) and every backend connected to it is terminated, so the api's pooled
 * connections die and new ones are refused with FATAL 55000 — what a restart or failover looks
 * like from the api. Every route that needs the database answers 503 with Retry-After (problem+json,
 * or the friendly page for a browser), readiness names `database`; once connections are allowed
 * again the same requests succeed and nothing written before the outage is lost.
 */
describe('fault 6: PostgreSQL refuses connections', () => {
  let env: FaultEnv;
  let admin: pg.Client;
  let databaseName: string;
  let org: Organisation;
  let volunteerToken: string;
  let offerToken: string;
  let offerId: string;
  let shiftId: string;

  beforeAll(async () => {
    env = await FaultEnv.start('db_outage');
    databaseName = new URL(env.databaseUrl).pathname.slice(1);
    admin = new pg.Client({ connectionString: `${TEST_PG_BASE}/postgres` });
    await admin.connect();
    org = await createOrganisation(env.db, env.env.SESSION_SECRET, 'db-outage');
    const volunteers = await insertVolunteers(env.db, 'db-outage', 2);
    shiftId = await insertOpenShift(env.db, org, 'Soup before the outage', 2);
    [offerId] = await insertPendingOffers(env.db, shiftId, volunteers);
    volunteerToken = generateToken();
    await env.db.query(
      `insert into sessions (account_id, token_hash, expires_at) values ($1, $2, now() + interval '1 day')`,
      [volunteers[0], hashToken(volunteerToken, env.env.SESSION_SECRET)],
    );
    offerToken = await env.api.get(IdentityService).issueLinkToken(volunteers[0], 'offer_response', 3600, offerId);
  });
  afterAll(async () => {
    // Never leave the database blocked, whatever failed.
    await admin?.query(`alter database ${databaseName} allow_connections true`).catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await env?.close();
  });

  const html = { accept: 'text/html' };
  const requests = {
    accept: () =>
      env.request('POST', '/links/offer', {
        form: { token: offerToken, action: 'accept' },
        headers: { accept: 'application/json' },
      }),
    me: () => env.request('GET', '/api/me', { token: volunteerToken }),
    shifts: () => env.request('GET', `/api/organisations/${org.organisationId}/shifts`, { token: org.token }),
    signIn: () => env.request('POST', '/api/auth/sign-in', { body: { email: 'volunteer@db-outage.example.org' } }),
    offerPage: () =>
      env.request('GET', `/links/offer?token=${encodeURIComponent(offerToken)}&action=accept`, { headers: html }),
  };

  /** What the outage must not change: the rows written before it, and no half-done work. */
  const state = async (db: pg.Client) => ({
    offer: (await db.query(`select status::text from offers where id = $1`, [offerId])).rows[0],
    filled: (await db.query(`select filled from shifts where id = $1`, [shiftId])).rows[0].filled,
    bookings: (await db.query(`select count(*)::int as n from bookings`)).rows[0].n,
    tokensUsed: (await db.query(`select count(*)::int as n from link_tokens where used_at is not null`)).rows[0].n,
    sessions: (await db.query(`select count(*)::int as n from sessions`)).rows[0].n,
    outbox: (await db.query(`select count(*)::int as n from outbox`)).rows[0].n,
  });

  function expect503(name: string, response: Response, kind: 'json' | 'html') {
    const type = String(response.headers['content-type']).split(';')[0];
    expect({ name, status: response.status, retryAfter: response.headers['retry-after'], type }).toEqual({
      name,
      status: 503,
      retryAfter: '5',
      type: kind === 'json' ? 'application/problem+json' : 'text/html',
    });
    if (kind === 'json') {
      expect(response.body).toMatchObject({
        type: 'https://kindshift.org/problems/unavailable',
        status: 503,
        dependencies: ['database'],
      });
      // Nothing of the driver's message (database name, SQL) reaches the client.
      expect(response.text).not.toMatch(new RegExp(`${databaseName}|accepting connections|select|insert`, 'i'));
    } else {
      expect(response.text).toMatch(/try again in a moment/i);
      expect(response.text).not.toMatch(new RegExp(databaseName));
    }
  }

  it('answers 503 + Retry-After while the database refuses connections, and works again afterwards with nothing lost', async () => {
    // Warm the pool, so the outage also kills connections the api holds (not only new ones).
    for (const request of [requests.me, requests.shifts]) expect((await request()).status).toBe(200);
    const before = await state(env.db);

    env.db.on('error', () => undefined); // the test's own connection is terminated with the others
    await admin.query(`alter database ${databaseName} allow_connections false`);
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [databaseName],
    );
    await waitFor(
      async () =>
        (await admin.query(`select count(*)::int as n from pg_stat_activity where datname = $1`, [databaseName]))
          .rows[0].n === 0,
      {
        timeoutMs: 10_000,
        what: 'every backend of the test database to be gone',
      },
    );
    try {
      expect503('accept', await requests.accept(), 'json');
      expect503('/api/me', await requests.me(), 'json');
      expect503('shift list', await requests.shifts(), 'json');
      expect503('sign-in', await requests.signIn(), 'json');
      expect503('offer page', await requests.offerPage(), 'html');
      // The form on the offer page posts back as a browser: the friendly page, not JSON.
      expect503(
        'accept from the page',
        await env.request('POST', '/links/offer', { form: { token: offerToken, action: 'accept' }, headers: html }),
        'html',
      );

      const ready = await env.request('GET', '/health/ready');
      expect({
        status: ready.status,
        retryAfter: ready.headers['retry-after'],
        type: String(ready.headers['content-type']).split(';')[0],
      }).toEqual({ status: 503, retryAfter: '5', type: 'application/problem+json' });
      expect(ready.body).toMatchObject({ status: 503, dependencies: ['database'] });
      expect(ready.body.detail).toMatch(/^Not ready: database /);
      expect(ready.text).not.toMatch(/redis/);
    } finally {
      await admin.query(`alter database ${databaseName} allow_connections true`);
    }

    await waitFor(async () => (await env.request('GET', '/health/ready')).status === 200, {
      timeoutMs: 15_000,
      what: 'the api to see the database again',
    });
    await env.db.end().catch(() => undefined);
    env.db = new pg.Client({ connectionString: env.databaseUrl });
    await env.db.connect();
    // Nothing written before the outage was lost, and nothing was half-done during it.
    expect(await state(env.db)).toEqual(before);

    expect((await requests.offerPage()).status).toBe(200);
    expect((await requests.me()).status).toBe(200);
    expect((await requests.shifts()).body.map((shift: { id: string }) => shift.id)).toContain(shiftId);
    expect((await requests.signIn()).status).toBe(202);
    const accepted = await requests.accept();
    expect({ status: accepted.status, outcome: accepted.body?.outcome }).toEqual({ status: 200, outcome: 'booked' });
    expect(await state(env.db)).toMatchObject({
      offer: { status: 'accepted' },
      filled: 1,
      bookings: before.bookings + 1,
      tokensUsed: before.tokensUsed + 1,
    });
  }, 60_000);
});
