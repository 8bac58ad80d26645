import { FaultEnv } from './support/fault-env.js';
import { offerMessageId } from './support/fault-sink.js';
import { waitFor } from './support/wait.js';
import { createOrganisation, insertVolunteers, shiftBody } from './support/world.js';

/**
 * Fault 3: the SMTP server refuses for a while. A transient refusal (451) is retried with
 * exponential backoff (1 s, 2 s, 4 s, …) until the server accepts, and every offer then arrives
 * once; a permanent refusal (550) is recorded as failed in email_deliveries and never retried.
 */
describe('fault 3: SMTP refusals', () => {
  let env: FaultEnv;
  beforeAll(async () => {
    env = await FaultEnv.start('smtp_refusal');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('451 for a few seconds: everything is delivered once after retries', async () => {
    const started = Date.now();
    const org = await createOrganisation(env.db, env.env.SESSION_SECRET, 'refuse451');
    await insertVolunteers(env.db, 'refuse451', 40);
    env.worker.start();
    env.sink.refuseWith = 451;
    const shift = await env.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: shiftBody('Refused for a while', 5),
    });
    expect(shift.status).toBe(201);
    const expected = 5 * Number(env.env.OFFER_FANOUT);

    // Every offer refused, retried and refused again (a few seconds), before the server recovers.
    const refusedTwice = () => {
      const counts = new Map<string, number>();
      for (const r of env.sink.refusals) counts.set(r.messageId, (counts.get(r.messageId) ?? 0) + 1);
      return counts.size === expected && [...counts.values()].every((n) => n >= 2);
    };
    await waitFor(refusedTwice, {
      timeoutMs: 20_000,
      what: () =>
        `${expected} offers refused twice (${env.sink.refusals.length} refusals)\n${env.worker.log.slice(-2000)}`,
    });
    const refusalWindowMs = Date.now() - started;
    env.sink.refuseWith = null;

    const offerIds = await env.offerIds([shift.body.id]);
    expect(offerIds).toHaveLength(expected);
    await waitFor(() => offerIds.every((id) => env.offerDeliveries().has(offerMessageId(id))), {
      timeoutMs: 30_000,
      what: () => `all ${expected} offers delivered after the refusals (got ${env.offerDeliveries().size})`,
    });
    await env.waitIdle();
    const deliveries = env.offerDeliveries();
    expect(offerIds.map((id) => deliveries.get(offerMessageId(id)))).toEqual(offerIds.map(() => 1));
    const log = (
      await env.db.query(`select status, count(*)::int as n from email_deliveries where kind = 'offer' group by status`)
    ).rows;
    expect(log).toEqual([{ status: 'sent', n: expected }]);
    // BullMQ really retried: the jobs completed on a later attempt.
    const attempts = await Promise.all(
      offerIds.map(async (id) => (await env.queue('email').getJob(`email.offer-${id}`))?.attemptsMade ?? 0),
    );
    expect(Math.min(...attempts)).toBeGreaterThanOrEqual(3);
    console.log(
      `fault 3 (451): ${expected} offers, ${env.sink.refusals.length} refusals over ${(refusalWindowMs / 1000).toFixed(1)} s, ` +
        `attempts per job ${Math.min(...attempts)}–${Math.max(...attempts)}; all delivered once ${((Date.now() - started) / 1000).toFixed(1)} s after publishing`,
    );
  }, 90_000);

  it('550: recorded as failed in email_deliveries and not retried', async () => {
    const org = await createOrganisation(env.db, env.env.SESSION_SECRET, 'refuse550');
    env.sink.refusals.length = 0;
    env.sink.refuseWith = 550;
    const shift = await env.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: shiftBody('Refused for good', 1, { weeksAhead: 2 }),
    });
    expect(shift.status).toBe(201);
    const expected = 1 * Number(env.env.OFFER_FANOUT);
    await waitFor(async () => (await env.offerIds([shift.body.id])).length === expected, {
      timeoutMs: 20_000,
      what: 'the offers',
    });
    const offerIds = await env.offerIds([shift.body.id]);
    const failedRows = async () =>
      (
        await env.db.query(
          `select subject_id, status, smtp_response from email_deliveries where kind = 'offer' and subject_id = any($1::text[]) order by subject_id`,
          [offerIds],
        )
      ).rows;
    await waitFor(async () => (await failedRows()).length === expected, {
      timeoutMs: 20_000,
      what: 'the permanent failures to be recorded',
    });
    // Until nothing is queued or waiting for a retry, then the server accepts again: nothing more comes.
    await env.waitIdle();
    env.sink.refuseWith = null;
    const rows = await failedRows();
    expect(rows.map((row) => row.status)).toEqual(offerIds.map(() => 'failed'));
    expect(rows.every((row) => /550/.test(row.smtp_response))).toBe(true);
    const refusalsPerOffer = offerIds.map(
      (id) => env.sink.refusals.filter((r) => r.messageId === offerMessageId(id)).length,
    );
    expect(refusalsPerOffer).toEqual(offerIds.map(() => 1));
    const jobs = await Promise.all(offerIds.map((id) => env.queue('email').getJob(`email.offer-${id}`)));
    for (const job of jobs) {
      expect(await job?.getState()).toBe('failed');
      expect(job?.attemptsMade).toBe(1);
    }
    expect(offerIds.some((id) => env.offerDeliveries().has(offerMessageId(id)))).toBe(false);
  }, 60_000);
});
