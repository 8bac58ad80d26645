import { ShiftsService } from '../../libs/organisations/shifts.service.js';
import { FaultEnv } from './support/fault-env.js';
import { offerMessageId } from './support/fault-sink.js';
import { waitFor } from './support/wait.js';
import { createOrganisation, insertVolunteers, shiftBody } from './support/world.js';

/**
 * Fault 2: Redis stops while shifts are being published, then starts again — EMPTY, as a Redis
 * without persistence does. Publishing keeps working (it writes rows and outbox rows, nothing
 * else), and every offer still goes out exactly once: what was in Redis when it died is relayed
 * again from the outbox, what was published meanwhile is relayed when Redis is back.
 *
 * Two tests: the HTTP answer during an outage, and the pipeline's recovery. The second publishes
 * during the outage through ShiftsService.create — exactly what the HTTP handler calls — so it
 * checks the outbox and the relay even while the first one fails.
 */
describe('fault 2: Redis outage while shifts are published', () => {
  let env: FaultEnv;
  beforeAll(async () => {
    env = await FaultEnv.start('redis_outage');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('the api answers 2xx to a publish while Redis is down (publishing never needs Redis)', async () => {
    const org = await createOrganisation(env.db, env.env.SESSION_SECRET, 'outage-http');
    await env.redis.stop();
    try {
      const response = await env.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: org.token,
        body: shiftBody('Published during the outage', 2),
      });
      expect({ status: response.status, problem: response.status >= 300 ? response.body : undefined }).toEqual({
        status: 201,
        problem: undefined,
      });
      const [{ n }] = (
        await env.db.query(
          `select count(*)::int as n from outbox where job_name = 'offers.wave' and payload->>'shiftId' = $1`,
          [response.body.id],
        )
      ).rows;
      expect(n).toBe(1);
      // Readiness names what is missing (and only that), with Retry-After like every 503.
      const ready = await env.request('GET', '/health/ready');
      expect({
        status: ready.status,
        retryAfter: ready.headers['retry-after'],
        dependencies: ready.body?.dependencies,
      }).toEqual({ status: 503, retryAfter: '5', dependencies: ['redis'] });
      // Sign-in (the strict, Redis-backed limit) is refused meanwhile, saying when to come back.
      const signIn = await env.request('POST', '/api/auth/sign-in', { body: { email: 'outage@example.org' } });
      expect([signIn.status, signIn.headers['retry-after']]).toEqual([503, '30']);
    } finally {
      await env.redis.start();
      // The api reconnects on its own (its Redis clients retry with backoff) and reports ready again.
      await waitFor(async () => (await env.request('GET', '/health/ready')).status === 200, {
        timeoutMs: 15_000,
        what: 'the api to see Redis again',
      });
    }
  }, 30_000);

  it('every offer goes out exactly once after Redis comes back empty', async () => {
    const started = Date.now();
    await env.db.query(`delete from outbox`); // the previous test's shift is not part of this one
    const org = await createOrganisation(env.db, env.env.SESSION_SECRET, 'outage');
    await insertVolunteers(env.db, 'outage', 200);
    env.worker.start();
    const capacity = 5;
    const fanout = Number(env.env.OFFER_FANOUT);
    const shiftIds: string[] = [];
    const publishOverHttp = async (index: number) => {
      const response = await env.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
        token: org.token,
        body: shiftBody(`Shift ${index}`, capacity, { dayOffset: index % 5 }),
      });
      expect(response.status).toBe(201);
      shiftIds.push(response.body.id);
    };
    const shifts = env.api.get(ShiftsService);
    const publishInProcess = async (index: number) => {
      const shift = await shifts.create(
        org.organisationId,
        shiftBody(`Shift ${index}`, capacity, { dayOffset: index % 5 }) as never,
        org.coordinatorId,
      );
      shiftIds.push(shift.id);
    };

    // Before: three shifts, and Redis dies while their waves and emails are in flight.
    for (let i = 1; i <= 3; i += 1) await publishOverHttp(i);
    await waitFor(() => env.offerDeliveries().size > 0, {
      timeoutMs: 20_000,
      what: () => `the first offer mail\n${env.worker.log}`,
    });
    await env.redis.stop();
    const deliveredAtStop = env.offerDeliveries().size;

    // During: five more shifts; their rows and outbox rows are written without Redis.
    for (let i = 4; i <= 8; i += 1) await publishInProcess(i);
    await waitFor(
      async () => {
        const [{ n }] = (
          await env.db.query(
            `select count(*)::int as n from outbox where relayed_at is null and job_name = 'offers.wave'`,
          )
        ).rows;
        return n >= 5;
      },
      { timeoutMs: 10_000, what: 'the outage’s wave jobs to wait in the outbox' },
    );
    expect(env.worker.running).toBe(true); // the worker rides out the outage

    // After: Redis is back, empty.
    await env.redis.start();
    const expected = shiftIds.length * capacity * fanout;
    await waitFor(async () => (await env.offerIds()).length === expected && env.offerDeliveries().size === expected, {
      timeoutMs: 90_000,
      what: () => `${expected} offers delivered (got ${env.offerDeliveries().size})\n${env.worker.log.slice(-3000)}`,
    });
    await env.waitIdle();

    const offerIds = await env.offerIds();
    const perShift = (await env.db.query(`select shift_id, count(*)::int as n from offers group by shift_id`)).rows;
    expect(perShift.map((row) => row.n)).toEqual(shiftIds.map(() => capacity * fanout));
    const deliveries = env.offerDeliveries();
    const missing = offerIds.filter((id) => !deliveries.has(offerMessageId(id)));
    const twice = [...deliveries].filter(([, n]) => n > 1);
    expect({ missing, twice, total: deliveries.size }).toEqual({ missing: [], twice: [], total: expected });
    // The relay noticed that Redis came back empty and relayed the recent outbox rows again.
    expect(env.worker.log).toMatch(/Redis lost its data: relaying recent outbox rows again/);
    console.log(
      `fault 2: ${shiftIds.length} shifts published (5 during the outage), ${expected} offers; ${deliveredAtStop} delivered when Redis stopped; ` +
        `all delivered once after it came back empty; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 150_000);
});
