import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics every process records, in one place. They are module-level singletons on
 * one registry per process, so any code (a Nest provider, a plain function in a pure core, the
 * worker's health port) records with a plain import and no injection. The api exposes this registry
 * on `GET /metrics` (operator token) together with gauges it computes at scrape time (see
 * metrics.controller.ts); the worker serves it on its private WORKER_HEALTH_PORT.
 *
 * Labels are small closed sets chosen in code (job names, email kinds, outcomes): never ids, email
 * addresses or anything else personal, which would also make the series count unbounded.
 */
export const metricsRegistry = new Registry();

/** Node.js process metrics (CPU, memory, event-loop lag, GC, handles) under their usual names. */
collectDefaultMetrics({ register: metricsRegistry });

export type EmailOutcome = 'sent' | 'failed_permanent';

/**
 * `kindshift_emails_total{kind, outcome}` — emails the delivery log finished with: `sent` (the SMTP
 * server accepted it and the delivery row committed) or `failed_permanent` (a 5xx refusal that is
 * recorded and never retried). `kind` is the delivery-log kind: verification, sign-in, offer, …
 * Skipped duplicates (already in the delivery log) are not counted.
 */
export const emailsTotal = new Counter({
  name: 'kindshift_emails_total',
  help: 'Emails finished by the delivery log, by kind and outcome (sent | failed_permanent).',
  labelNames: ['kind', 'outcome'] as const,
  registers: [metricsRegistry],
});

/**
 * `kindshift_email_retries_total{kind}` — transient send failures (SMTP 4xx, connection errors)
 * that were rethrown so BullMQ tries the job again with backoff. A rising rate with a flat
 * `emails_total{outcome="sent"}` means the SMTP server is refusing or down.
 */
export const emailRetriesTotal = new Counter({
  name: 'kindshift_email_retries_total',
  help: 'Transient email send failures rethrown for a BullMQ retry, by kind.',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

/**
 * What the mail sweeper saw on its last run (every MAIL_SWEEP_SECONDS, in whichever worker ran it):
 * `kindshift_mail_undelivered` — emails claimed but not yet sent (being sent, waiting for a retry, or
 * given up on by their job), and `kindshift_mail_oldest_undelivered_age_seconds` — the age of the
 * oldest of them since its first attempt (0 when none). Alert when the age exceeds
 * MAIL_STALE_ALERT_MINUTES (see the README's alert rules): mail is not getting out.
 */
export const mailUndelivered = new Gauge({
  name: 'kindshift_mail_undelivered',
  help: 'Emails claimed but not yet sent, as of the last mail sweep.',
  registers: [metricsRegistry],
});
export const mailOldestUndeliveredAgeSeconds = new Gauge({
  name: 'kindshift_mail_oldest_undelivered_age_seconds',
  help: 'Age of the oldest email claimed but not yet sent, as of the last mail sweep (0 when none).',
  registers: [metricsRegistry],
});

/**
 * `kindshift_mail_swept_total{kind, outcome}` — what the mail sweeper did with an undelivered email
 * whose job was gone: `requeued` (its job queued again) or `dropped` (no longer relevant, e.g. the
 * offer expired meanwhile, or no job can send it again: the claim is given back).
 */
export const mailSweptTotal = new Counter({
  name: 'kindshift_mail_swept_total',
  help: 'Undelivered emails the mail sweeper queued again (requeued) or gave up as no longer relevant (dropped), by kind.',
  labelNames: ['kind', 'outcome'] as const,
  registers: [metricsRegistry],
});

/**
 * `kindshift_job_duration_seconds{job, result}` — wall time of each job handler run in the worker,
 * per attempt; `result` is `completed` or `failed` (threw: BullMQ retries it unless unrecoverable).
 * `job` is the JobName (e.g. `email.verification`); unknown names are folded into `unknown`.
 */
export const jobDurationSeconds = new Histogram({
  name: 'kindshift_job_duration_seconds',
  help: 'Job handler run time per attempt, by job name and result (completed | failed).',
  labelNames: ['job', 'result'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

export const OFFER_OUTCOMES = ['created', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type OfferOutcome = (typeof OFFER_OUTCOMES)[number];

/**
 * `kindshift_offers_total{outcome}` — offer transitions as they happen: `created` when an offer is
 * written, then exactly one of `accepted | declined | expired | withdrawn` when it settles. (The
 * api's `kindshift_offers{status}` gauge is the current count by status, read from PostgreSQL.)
 */
export const offersTotal = new Counter({
  name: 'kindshift_offers_total',
  help: 'Offer transitions, by outcome (created | accepted | declined | expired | withdrawn).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
// Every outcome exists from the start at 0, so rate() and dashboards work before the first event.
for (const outcome of OFFER_OUTCOMES) offersTotal.labels(outcome).inc(0);

/** Call once per offer transition, after the change committed. */
export function recordOfferOutcome(outcome: OfferOutcome, count = 1): void {
  if (!OFFER_OUTCOMES.includes(outcome)) throw new Error(`unknown offer outcome ${String(outcome)}`);
  offersTotal.labels(outcome).inc(count);
}

/**
 * `kindshift_publish_to_first_offer_seconds` — for each shift, the time from publishing it (or a
 * slot reopening) to its first offer email being accepted by the SMTP server. The buckets reach
 * hours because quiet hours legitimately defer offers; the target is p95 under 2 s.
 */
export const publishToFirstOfferSeconds = new Histogram({
  name: 'kindshift_publish_to_first_offer_seconds',
  help: 'Seconds from a shift being published to its first offer email being sent.',
  buckets: [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300, 1800, 3600, 4 * 3600, 12 * 3600],
  registers: [metricsRegistry],
});

/** Call once per shift, when its first offer email has been sent. */
export function recordPublishToFirstOffer(seconds: number): void {
  if (Number.isFinite(seconds) && seconds >= 0) publishToFirstOfferSeconds.observe(seconds);
}

/** The registry in the Prometheus text format (what `/metrics` serves). */
export function renderMetrics(): Promise<string> {
  return metricsRegistry.metrics();
}

export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;
