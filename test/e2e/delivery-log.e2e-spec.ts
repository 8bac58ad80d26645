import { UnrecoverableError } from 'bullmq';
import pg from 'pg';
import { runAsJob } from '../../libs/platform/queue/job-context.js';
import { DeliveryInProgressError, DeliveryLogService } from '../../libs/platform/mail/delivery-log.service.js';
import type { OutgoingMail } from '../../libs/platform/mail/mail-transport.service.js';
import { startHarness, waitUntil, type Harness } from '../support/harness.js';

/**
 * The send-once rule of every email, against real PostgreSQL and a real SMTP server: a claim
 * before sending, a mark after the reply, and what happens to claims when attempts race, crash,
 * find nothing to send or meet a refusing server.
 */
describe('delivery log: each email at most once', () => {
  let h: Harness;
  let log: DeliveryLogService;
  let db: pg.Client;
  let n = 0;
  const key = () => ({ kind: 'test', subjectId: `subject-${++n}` });
  const mail = (subject: string): OutgoingMail => ({
    to: 'robin@example.test',
    subject,
    text: 'Hello',
    html: '<p>Hello</p>',
  });
  const rows = async (subjectId: string) =>
    (
      await db.query(`select status::text, claimed_by from email_deliveries where kind = 'test' and subject_id = $1`, [
        subjectId,
      ])
    ).rows;
  const received = (subject: string) => h.smtp.messages.filter((m) => m.subject === subject).length;

  beforeAll(async () => {
    h = await startHarness('delivery_log');
    log = h.worker!.get(DeliveryLogService);
    db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await h?.close();
  });

  it('sends once when attempts by different jobs race; the others are told to retry, later ones skip', async () => {
    const k = key();
    const release = h.smtp.hold();
    const settled: unknown[] = [];
    const attempts = ['job-a', 'job-b', 'job-c', 'job-d'].map((job) =>
      runAsJob(job, () => log.sendOnce(k, async () => mail(k.subjectId)))
        .then(
          (outcome) => outcome,
          (error: Error) => error,
        )
        .then((outcome) => (settled.push(outcome), outcome)),
    );
    // One message in flight, and the three other attempts already answered: told to retry later
    // (had they waited for the first, they would have found it sent and skipped).
    await waitUntil(
      async () => h.smtp.held === 1 && settled.length === 3,
      5000,
      'one mail in flight, three attempts refused',
    );
    expect(settled.map((o) => o instanceof DeliveryInProgressError)).toEqual([true, true, true]);
    release();
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(received(k.subjectId)).toBe(1);
    expect(await rows(k.subjectId)).toEqual([{ status: 'sent', claimed_by: expect.stringMatching(/^job-/) }]);
    expect(await runAsJob('job-e', () => log.sendOnce(k, async () => mail(k.subjectId)))).toBe('skipped');
    expect(received(k.subjectId)).toBe(1);
  });

  it('many mails at once: each marked sent once, with its own Message-ID, though the marks share statements', async () => {
    const keys = Array.from({ length: 40 }, () => key());
    const outcomes = await Promise.all(
      keys.map((k, i) =>
        runAsJob(`job-many-${i}`, () =>
          log.sendOnce(k, async () => ({ ...mail(k.subjectId), messageId: `<many-${k.subjectId}@example.test>` })),
        ),
      ),
    );
    expect(outcomes.every((o) => o === 'sent')).toBe(true);
    const { rows: marked } = await db.query(
      `select subject_id, status::text, message_id, claimed_until from email_deliveries where kind = 'test' and subject_id = any($1)`,
      [keys.map((k) => k.subjectId)],
    );
    expect(marked).toHaveLength(40);
    for (const row of marked) {
      expect(row).toEqual({
        subject_id: row.subject_id,
        status: 'sent',
        message_id: `<many-${row.subject_id}@example.test>`,
        claimed_until: null,
      });
      expect(received(row.subject_id)).toBe(1);
    }
  });

  it('a mark that fails after the mail went out is tried again, so the mail is not sent twice', async () => {
    const k = key();
    const release = h.smtp.hold();
    const sending = runAsJob('job-mark', () => log.sendOnce(k, async () => mail(k.subjectId)));
    await waitUntil(async () => h.smtp.held === 1, 5000, 'the mail in flight');
    // Lock the claim so the mark waits for it, then cut the mark's connection: its statement fails.
    const locker = new pg.Client({ connectionString: h.databaseUrl });
    await locker.connect();
    await locker.query('begin');
    await locker.query(`select 1 from email_deliveries where kind = 'test' and subject_id = $1 for update`, [
      k.subjectId,
    ]);
    release();
    const waiting = await waitUntil(
      async () => {
        const { rows: marks } = await db.query(
          `select pid from pg_stat_activity where wait_event_type = 'Lock' and query like 'update email_deliveries d set status%'`,
        );
        return marks.length === 1 && marks[0];
      },
      5000,
      'the mark waiting for the lock',
    );
    await db.query('select pg_terminate_backend($1)', [waiting.pid]);
    await locker.query('rollback');
    await locker.end();
    expect(await sending).toBe('sent');
    expect(received(k.subjectId)).toBe(1);
    expect(await rows(k.subjectId)).toEqual([{ status: 'sent', claimed_by: 'job-mark' }]);
  });

  it('a claim left by a crashed attempt is taken over at once by the same job, by others only once it lapsed', async () => {
    const k = key();
    await runAsJob('job-crashed', () => log.claim(k)); // claimed, then "killed"
    await expect(runAsJob('job-other', () => log.sendOnce(k, async () => mail(k.subjectId)))).rejects.toBeInstanceOf(
      DeliveryInProgressError,
    );
    expect(await runAsJob('job-crashed', () => log.sendOnce(k, async () => mail(k.subjectId)))).toBe('sent');
    expect(received(k.subjectId)).toBe(1);

    const lapsed = key();
    await runAsJob('job-crashed', () => log.claim(lapsed));
    await db.query(`update email_deliveries set claimed_until = now() - interval '1 second' where subject_id = $1`, [
      lapsed.subjectId,
    ]);
    expect(await runAsJob('job-other', () => log.sendOnce(lapsed, async () => mail(lapsed.subjectId)))).toBe('sent');
    expect(received(lapsed.subjectId)).toBe(1);
  });

  it('nothing to send gives the claim back; a failing build leaves it lapsed (still owed), claimable at once', async () => {
    const k = key();
    expect(await runAsJob('job-a', () => log.sendOnce(k, async () => null))).toBe('skipped');
    expect(await rows(k.subjectId)).toEqual([]);
    await expect(
      runAsJob('job-b', () =>
        log.sendOnce(k, async () => {
          throw new Error('template broke');
        }),
      ),
    ).rejects.toThrow('template broke');
    expect(await rows(k.subjectId)).toEqual([{ status: 'sending', claimed_by: 'job-b' }]);
    expect(await runAsJob('job-c', () => log.sendOnce(k, async () => mail(k.subjectId)))).toBe('sent');
    expect(received(k.subjectId)).toBe(1);
  });

  it('a transient refusal leaves the claim lapsed for any retry (and the mail sweeper); a permanent one is recorded and never retried', async () => {
    const k = key();
    h.smtp.refuseWith = 451;
    const transient = await runAsJob('job-a', () => log.sendOnce(k, async () => mail(k.subjectId))).catch(
      (error: Error) => error,
    );
    expect(transient).toBeInstanceOf(Error);
    expect(transient).not.toBeInstanceOf(UnrecoverableError);
    expect(await rows(k.subjectId)).toEqual([{ status: 'sending', claimed_by: 'job-a' }]);
    const [{ lapsed }] = (
      await db.query(`select claimed_until <= now() as lapsed from email_deliveries where subject_id = $1`, [
        k.subjectId,
      ])
    ).rows;
    expect(lapsed).toBe(true);

    h.smtp.refuseWith = 550;
    await expect(runAsJob('job-a', () => log.sendOnce(k, async () => mail(k.subjectId)))).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
    h.smtp.refuseWith = null;
    expect(await rows(k.subjectId)).toEqual([{ status: 'failed', claimed_by: 'job-a' }]);
    expect(await runAsJob('job-a', () => log.sendOnce(k, async () => mail(k.subjectId)))).toBe('skipped');
    expect(received(k.subjectId)).toBe(0);
  });

  it('onSent runs only when the mail went out', async () => {
    const ran: string[] = [];
    const sent = key();
    const refused = key();
    await runAsJob('job-a', () =>
      log.sendOnce(sent, async () => mail(sent.subjectId), { onSent: async () => void ran.push(sent.subjectId) }),
    );
    h.smtp.refuseWith = 451;
    await runAsJob('job-a', () =>
      log.sendOnce(refused, async () => mail(refused.subjectId), {
        onSent: async () => void ran.push(refused.subjectId),
      }),
    ).catch(() => undefined);
    h.smtp.refuseWith = null;
    await runAsJob('job-a', () =>
      log.sendOnce(sent, async () => mail(sent.subjectId), { onSent: async () => void ran.push('again') }),
    );
    expect(ran).toEqual([sent.subjectId]);
  });
});
