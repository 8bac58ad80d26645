import { z } from 'zod';

/**
 * The one place the environment is read. Every variable is documented in .env.example.
 * Durations are in seconds unless the name says otherwise.
 */
const secret = (name: string) =>
  z.string({ error: `${name} is required` }).min(16, `${name} must be at least 16 characters`);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// URL' }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'REDIS_URL must be a redis:// URL' }),
  /** Prefix of every BullMQ and rate-limit key, so several deployments (or test runs) share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('kindshift'),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must be an smtp:// or smtps:// URL' }),
  MAIL_FROM: z.string().min(3, 'MAIL_FROM is required, e.g. "Kindshift <hello@example.org>"'),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'PUBLIC_BASE_URL must be an http(s) URL' }),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  ADMIN_TOKEN: secret('ADMIN_TOKEN'),
  SESSION_SECRET: secret('SESSION_SECRET'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_SECONDS: positiveInt(30 * 24 * 3600),
  SIGN_IN_LINK_TTL_SECONDS: positiveInt(20 * 60),
  VERIFY_LINK_TTL_SECONDS: positiveInt(48 * 3600),
  /** Sign-ups that never confirm their email are deleted after this long. */
  UNVERIFIED_PURGE_AFTER_SECONDS: positiveInt(7 * 24 * 3600),
  RATE_LIMIT_AUTH_PER_HOUR: positiveInt(10),
  OUTBOX_POLL_MS: positiveInt(250),
  /** Weeks of concrete shifts a recurring series keeps generated ahead of today. */
  SERIES_HORIZON_WEEKS: positiveInt(8),
  /** "offline" = the GeoNames gazetteer shipped in npm; other geocoders plug in by name. */
  GEOCODER: z.enum(['offline']).default('offline'),
  /** Jobs of the work queue (waves, expiry, series, maintenance) each worker process runs at once. */
  WORKER_CONCURRENCY: positiveInt(10),
  /**
   * Jobs of the email queue each worker process runs at once. Higher than WORKER_CONCURRENCY: an
   * email job mostly waits (for the SMTP server, at most 10 connections, and the database), and
   * the more run side by side, the more of their claims and marks share one statement.
   */
  EMAIL_CONCURRENCY: positiveInt(30),
  /** Tries of one email job (exponential backoff from EMAIL_RETRY_DELAY_MS); then the mail sweeper queues it again. */
  EMAIL_JOB_ATTEMPTS: positiveInt(12),
  EMAIL_RETRY_DELAY_MS: positiveInt(1000),
  /** How often the mail sweeper looks for undelivered mail whose job is gone (failed, lost, crashed). */
  MAIL_SWEEP_SECONDS: positiveInt(60),
  /** The mail sweeper warns (and the stale-mail alert fires) when undelivered mail is older than this. */
  MAIL_STALE_ALERT_MINUTES: positiveInt(30),
  /** Offers sent per open slot in one wave (2 = twice as many offers as open slots). */
  OFFER_FANOUT: z.coerce.number().min(1).max(10).default(2),
  /** How long an offer stays open; shorter as the shift approaches, never under OFFER_MIN_EXPIRY_MINUTES. */
  OFFER_EXPIRY_HOURS: positiveInt(12),
  OFFER_MIN_EXPIRY_MINUTES: positiveInt(30),
  /** At most this many offers per volunteer per week (their own week, in their zone). */
  OFFER_WEEKLY_CAP: positiveInt(5),
  /** No new offers for this long after a volunteer declines one. */
  OFFER_DECLINE_COOLDOWN_HOURS: z.coerce.number().int().min(0).default(24),
  /** Booking reminders, in minutes before the shift, comma-separated. */
  REMINDER_OFFSETS_MINUTES: z.string().regex(/^\d+(,\d+)*$/, 'REMINDER_OFFSETS_MINUTES must be minutes like 1440,120').default('1440,120'),
  OFFER_SWEEP_SECONDS: positiveInt(60),
  /** AES-256-GCM key for check-in notes: 32 bytes as 64 hex characters or base64. */
  WELLBEING_NOTE_KEY: z.string({ error: 'WELLBEING_NOTE_KEY is required' }).refine(
    (value) => /^[0-9a-f]{64}$/i.test(value) || Buffer.from(value, 'base64').length === 32,
    'WELLBEING_NOTE_KEY must be 32 bytes: 64 hex characters or base64 (e.g. `openssl rand -hex 32`)',
  ),
  /** Check-ins come from their own address, so people can filter or answer them separately. */
  CHECK_IN_MAIL_FROM: z.string().min(3).optional(),
  /** Hours after a shift ends before its check-in is sent (moved out of quiet hours). */
  CHECK_IN_DELAY_HOURS: z.coerce.number().min(0).max(72).default(3),
  /** When attendance is not marked, a confirmed booking counts as attended this long after the shift. */
  CHECK_IN_GRACE_HOURS: z.coerce.number().min(0).max(168).default(24),
  CHECK_IN_WEEKLY_MAX: positiveInt(2),
  /** The WHO-5 replaces the one-question check at most this often. */
  WHO5_INTERVAL_DAYS: positiveInt(14),
  CHECK_IN_LINK_TTL_HOURS: positiveInt(7 * 24),
  /** Operator-editable JSON of help lines per country; defaults to the file shipped in libs/wellbeing. */
  HELP_RESOURCES_FILE: z.string().optional(),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(0),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment or throws a message that names every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const message = issue.code === 'invalid_type' && env[name] === undefined ? `${name} is required` : issue.message;
    return `  - ${name}: ${message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
