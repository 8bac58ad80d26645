import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { JobHandler } from '../queue/job-handler.decorator.js';
import { JobName } from '../queue/job-names.js';
import { JobRequeueService, type RequeueOutcome } from '../queue/job-requeue.service.js';
import { mailOldestUndeliveredAgeSeconds, mailSweptTotal, mailUndelivered } from '../observability/metrics.js';
import { MailDatabase } from './mail-database.js';

/** Undelivered emails looked at per sweep, oldest first; the rest wait for the next sweep. */
const SWEEP_BATCH = 500;

export interface LapsedClaim {
  id: string;
  kind: string;
  claimedBy: string | null;
}

/**
 * What to do with each lapsed claim given what became of its job: nothing while the job is live
 * (it will claim again itself), count it as queued again, or give the claim back when no job can
 * send it again (it was not queued through the outbox), so whoever asks next claims at once.
 */
export function sweepPlan(claims: LapsedClaim[], outcomes: Map<string, RequeueOutcome>) {
  const requeued: LapsedClaim[] = [];
  const released: LapsedClaim[] = [];
  for (const claim of claims) {
    const outcome = claim.claimedBy === null ? 'unknown' : (outcomes.get(claim.claimedBy) ?? 'unknown');
    if (outcome === 'requeued') requeued.push(claim);
    else if (outcome === 'unknown') released.push(claim);
  }
  return { requeued, released };
}

/** True when the oldest undelivered mail is older than the operator's threshold. */
export function isMailStale(oldestAgeSeconds: number, alertMinutes: number): boolean {
  return oldestAgeSeconds > alertMinutes * 60;
}

/**
 * Mail must go out until it is sent or no longer relevant, however long SMTP is down and however
 * often a worker dies. A job spends its retry budget (EMAIL_JOB_ATTEMPTS) and fails; a worker
 * killed mid-send leaves its claim in 'sending' and BullMQ may fail the stalled job. Either way the
 * delivery log keeps the claim (a transient failure lets it lapse rather than deleting it), and this
 * sweeper, every MAIL_SWEEP_SECONDS, queues the job of every lapsed claim again whose job is no
 * longer live — a fresh budget each time, so the backoff restarts from EMAIL_RETRY_DELAY_MS and is
 * capped by the budget's last pause plus the sweep interval. Relevance is the handlers' own rule (an
 * offer no longer pending, a reminder after the shift started, consent revoked: nothing is sent and
 * the claim is given back); offer emails' rule is also applied here, so an expired offer's claim
 * goes without a job run.
 */
@Injectable()
export class MailSweeper {
  private readonly logger = new Logger('mail');

  constructor(
    private readonly db: MailDatabase,
    private readonly requeuer: JobRequeueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.SweepMail)
  async sweep(): Promise<{ requeued: number; dropped: number; undelivered: number }> {
    const irrelevant = await this.db.query<{ kind: string }>(
      'mail-sweep-drop-offers',
      `delete from email_deliveries d where d.kind = 'offer' and d.status = 'sending' and d.claimed_until < now()
         and not exists (select 1 from offers f where f.id = d.subject_id::uuid and f.status = 'pending' and f.expires_at > now())
       returning d.kind`,
      [],
    );
    const lapsed = (
      await this.db.query<{ id: string; kind: string; claimed_by: string | null }>(
        'mail-sweep-lapsed',
        `select id::text, kind, claimed_by from email_deliveries where status = 'sending' and claimed_until < now() order by created_at limit $1`,
        [SWEEP_BATCH],
      )
    ).map((row): LapsedClaim => ({ id: row.id, kind: row.kind, claimedBy: row.claimed_by }));
    const jobIds = [...new Set(lapsed.map((claim) => claim.claimedBy).filter((id): id is string => id !== null))];
    const { requeued, released } = sweepPlan(lapsed, await this.requeuer.requeue(jobIds));
    if (released.length) {
      await this.db.query(
        'mail-sweep-release',
        `delete from email_deliveries where id = any($1::bigint[]) and status = 'sending' and claimed_until < now()`,
        [released.map((claim) => claim.id)],
      );
    }
    for (const claim of requeued) mailSweptTotal.labels(claim.kind, 'requeued').inc();
    for (const claim of [...irrelevant, ...released]) mailSweptTotal.labels(claim.kind, 'dropped').inc();

    const [{ undelivered, oldest_age }] = await this.db.query<{ undelivered: number; oldest_age: number }>(
      'mail-sweep-backlog',
      `select count(*)::int as undelivered, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest_age
       from email_deliveries where status = 'sending' and claimed_until is not null`,
      [],
    );
    mailUndelivered.set(undelivered);
    mailOldestUndeliveredAgeSeconds.set(Math.max(0, oldest_age));
    // Counts and an age only: nothing that names a person or an address.
    if (isMailStale(oldest_age, this.config.MAIL_STALE_ALERT_MINUTES)) {
      this.logger.warn(
        { undelivered, oldestMinutes: Math.floor(oldest_age / 60), alertMinutes: this.config.MAIL_STALE_ALERT_MINUTES },
        'undelivered mail is older than MAIL_STALE_ALERT_MINUTES',
      );
    }
    if (requeued.length || irrelevant.length || released.length) {
      this.logger.log(
        { requeued: requeued.length, dropped: irrelevant.length + released.length, undelivered },
        'mail sweep',
      );
    }
    return { requeued: requeued.length, dropped: irrelevant.length + released.length, undelivered };
  }
}
