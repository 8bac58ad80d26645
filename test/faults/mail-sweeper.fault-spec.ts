import { createServer } from 'node:net';
import { FaultEnv } from './support/fault-env.js';
import { offerMessageId } from './support/fault-sink.js';
import { waitFor } from './support/wait.js';
import { createOrganisation, insertVolunteers, shiftBody } from './support/world.js';

/**
 * Fault 3b: the SMTP server refuses (451) for longer than an email job's whole retry budget
 * (shortened here: 2 attempts, 200 ms apart), then accepts. The jobs give up; the mail sweeper
 * queues them again, over and over, until the server accepts: every offer still pending is then
 * delivered exactly once, and the offers that expired during the outage are never sent.
 */
describe('fault 3b: SMTP refusing for longer than the retry budget', () => {
  let env: FaultEnv;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    env = await FaultEnv.start('mail_sweeper', {
      EMAIL_JOB_ATTEMPTS: '2',
      EMAIL_RETRY_DELAY_MS: '200',
      MAIL_SWEEP_SECONDS: '1',
      MAIL_STALE_ALERT_MINUTES: '1',
      WORKER_HEALTH_PORT: String(metricsPort),
    });
  });
  afterAll(async () => {
    await env?.close();
  });

  const metric = async (line: RegExp) => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return Number(line.exec(text)?.[1] ?? NaN);
  };

  it('everything still relevant is delivered once after the outage; what expired meanwhile is not sent', async () => {
    const org = await createOrganisation(env.db, env.env.SESSION_SECRET, 'outage');
    await insertVolunteers(env.db, 'outage', 40);
    env.sink.refuseWith = 451;
    env.worker.start();
    const staying = await env.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: shiftBody('Stays relevant', 3),
    });
    const expiring = await env.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: shiftBody('Expires meanwhile', 2, { dayOffset: 1 }),
    });
    expect([staying.status, expiring.status]).toEqual([201, 201]);
    const fanout = Number(env.env.OFFER_FANOUT);
    await waitFor(async () => (await env.offerIds([staying.body.id, expiring.body.id])).length === 5 * fanout, {
      timeoutMs: 20_000,
      what: 'the offers',
    });
    const relevant = await env.offerIds([staying.body.id]);
    const expired = await env.offerIds([expiring.body.id]);

    // Each offer refused more often than one job's budget allows: its job failed and was queued again.
    const refusedBeyondBudget = () =>
      [...relevant, ...expired].every(
        (id) => env.sink.refusals.filter((r) => r.messageId === offerMessageId(id)).length >= 3,
      );
    await waitFor(refusedBeyondBudget, {
      timeoutMs: 30_000,
      what: () => `every offer refused 3 times (${env.sink.refusals.length} refusals)\n${env.worker.log.slice(-2000)}`,
    });
    expect(await metric(/^kindshift_mail_swept_total\{kind="offer",outcome="requeued"\} (\d+)/m)).toBeGreaterThan(0);
    expect(await metric(/^kindshift_mail_undelivered (\d+)/m)).toBeGreaterThan(0);

    // Half of them expire during the outage; once their claims are gone nothing can send them.
    await env.db.query(`update offers set expires_at = now() - interval '1 second' where id = any($1::uuid[])`, [
      expired,
    ]);
    const claimsOf = async (ids: string[]) =>
      (
        await env.db.query(
          `select count(*)::int as n from email_deliveries where kind = 'offer' and subject_id = any($1::text[])`,
          [ids],
        )
      ).rows[0].n;
    await waitFor(async () => (await claimsOf(expired)) === 0, {
      timeoutMs: 20_000,
      what: 'the expired offers’ claims to be dropped by the sweeper',
    });

    env.sink.refuseWith = null;
    await waitFor(() => relevant.every((id) => env.offerDeliveries().has(offerMessageId(id))), {
      timeoutMs: 30_000,
      what: () => `the relevant offers delivered (got ${env.offerDeliveries().size})\n${env.worker.log.slice(-2000)}`,
    });
    await env.waitIdle();
    await waitFor(async () => (await metric(/^kindshift_mail_undelivered (\d+)/m)) === 0, {
      timeoutMs: 10_000,
      what: 'the sweeper to see no undelivered mail',
    });

    const deliveries = env.offerDeliveries();
    expect(relevant.map((id) => deliveries.get(offerMessageId(id)))).toEqual(relevant.map(() => 1));
    expect(expired.filter((id) => deliveries.has(offerMessageId(id)))).toEqual([]);
    // Offers of a later wave (the expiry freed the places) are pending: each went out once too.
    const pending = (
      await env.db.query(`select id from offers where status = 'pending' and expires_at > now()`)
    ).rows.map((row) => String(row.id));
    expect(pending.filter((id) => deliveries.get(offerMessageId(id)) !== 1)).toEqual([]);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    const log = (
      await env.db.query(
        `select status::text, count(*)::int as n from email_deliveries where kind = 'offer' group by status`,
      )
    ).rows;
    expect(log).toEqual([{ status: 'sent', n: deliveries.size }]);
    expect(await metric(/^kindshift_mail_swept_total\{kind="offer",outcome="dropped"\} (\d+)/m)).toBeGreaterThanOrEqual(
      expired.length,
    );
  }, 120_000);

  it('a claim a killed worker left in sending, whose job is gone, is swept: every offer mailed once', async () => {
    const org = await createOrganisation(env.db, env.env.SESSION_SECRET, 'gone');
    await insertVolunteers(env.db, 'gone', 60);
    env.sink.refuseWith = null;
    if (!env.worker.running) env.worker.start();
    const before = new Set(env.offerDeliveries().keys());
    const shift = await env.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
      token: org.token,
      body: shiftBody('Gone jobs', 20, { dayOffset: 2 }),
    });
    expect(shift.status).toBe(201);
    const expected = 20 * Number(env.env.OFFER_FANOUT);
    await waitFor(async () => (await env.offerIds([shift.body.id])).length === expected, {
      timeoutMs: 20_000,
      what: 'the offers',
    });
    const offerIds = await env.offerIds([shift.body.id]);

    // Kill -9 while mails are in flight and everything the sink accepted is recorded (a controlled point).
    env.sink.hold();
    const claimed = async () =>
      (
        await env.db.query(
          `select subject_id, claimed_by from email_deliveries where kind = 'offer' and status = 'sending' and subject_id = any($1::text[])`,
          [offerIds],
        )
      ).rows as Array<{ subject_id: string; claimed_by: string }>;
    await waitFor(
      async () => {
        const [{ sent }] = (
          await env.db.query(
            `select count(*)::int as sent from email_deliveries where kind = 'offer' and status = 'sent'`,
          )
        ).rows;
        return (
          env.sink.heldCount > 0 && sent === env.sink.delivered.filter((m) => m.messageId.startsWith('<offer-')).length
        );
      },
      { timeoutMs: 15_000, what: 'SMTP transactions in flight with nothing unrecorded' },
    );
    await env.worker.kill9();
    await waitFor(() => env.sink.heldCount === 0, {
      timeoutMs: 5000,
      what: 'the killed worker’s SMTP sessions to close',
    });
    env.sink.release();
    const left = await claimed();
    expect(left.length).toBeGreaterThan(0);

    // Their jobs are gone (as when BullMQ fails a job that stalled too often, or loses it): removed
    // once the dead worker's locks expire; and the claims' two minutes have run out.
    const jobs = env.queue('email');
    await waitFor(
      async () => {
        const removed = await Promise.all(
          left.map(async ({ claimed_by }) => {
            const job = await jobs.getJob(claimed_by);
            return (
              !job ||
              (await job.remove().then(
                () => true,
                () => false,
              ))
            );
          }),
        );
        return removed.every(Boolean);
      },
      { timeoutMs: 45_000, what: 'the dead worker’s jobs to be removable' },
    );
    await env.db.query(
      `update email_deliveries set claimed_until = now() - interval '1 second' where status = 'sending' and subject_id = any($1::text[])`,
      [offerIds],
    );

    env.worker.start();
    await waitFor(() => offerIds.every((id) => env.offerDeliveries().has(offerMessageId(id))), {
      timeoutMs: 40_000,
      what: () =>
        `every offer mailed (got ${offerIds.filter((id) => env.offerDeliveries().has(offerMessageId(id))).length} of ${expected})\n${env.worker.log.slice(-2000)}`,
    });
    await env.waitIdle();
    const deliveries = env.offerDeliveries();
    expect(offerIds.map((id) => deliveries.get(offerMessageId(id)))).toEqual(offerIds.map(() => 1));
    expect(
      [...deliveries.keys()].filter((id) => !before.has(id) && !offerIds.some((o) => offerMessageId(o) === id)),
    ).toEqual([]);
    const [log] = (
      await env.db.query(
        `select count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status = 'sending')::int as sending
       from email_deliveries where kind = 'offer' and subject_id = any($1::text[])`,
        [offerIds],
      )
    ).rows;
    expect(log).toEqual({ sent: expected, sending: 0 });
  }, 150_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
