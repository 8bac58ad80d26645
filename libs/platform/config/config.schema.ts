import { isIP } from 'node:net';
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';

/**
 * The one place the environment is read. Every variable is documented in .env.example.
 * Durations are in seconds unless the name says otherwise.
 */
const secret = (name: string) =>
  z.string({ error: `${name} is required` }).min(16, `${name} must be at least 16 characters`);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** proxy-addr's names for address ranges, accepted in a TRUST_PROXY list as Fastify does. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (entry: string): boolean => {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

/**
 * Fastify's `trustProxy`: false (default: the peer is the client, X-Forwarded-For is ignored), a hop
 * count, or the addresses / CIDR ranges of the proxies in front. "true" trusts every hop, which is
 * only safe when nothing but the proxy can reach the api.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((raw, ctx): boolean | number | string[] => {
    const value = (raw ?? '').trim();
    if (value === '' || value === 'false' || value === '0') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    const bad = entries.find((entry) => !isProxyAddress(entry));
    if (bad === undefined) return entries;
    ctx.addIssue({
      code: 'custom',
      message: `TRUST_PROXY must be false, true, a hop count or a comma-separated list of proxy addresses/CIDR ranges; "${bad}" is none of these`,
    });
    return z.NEVER;
  });
/** An optional variable left empty (`DKIM_DOMAIN=`) is absent, not an invalid value. */
const optionalText = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

function isPrivateKeyPem(pem: string): boolean {
  try {
    return createPrivateKey(pem).type === 'private';
  } catch {
    return false;
  }
}

const DKIM_VARIABLES = ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY'] as const;

/** Half a DKIM configuration would silently send unsigned mail: name each missing variable. */
function dkimAllOrNone(
  config: Partial<Record<(typeof DKIM_VARIABLES)[number] | 'MAIL_FROM', string>>,
  ctx: z.RefinementCtx,
): void {
  const given = DKIM_VARIABLES.filter((name) => config[name] !== undefined);
  if (given.length === 0) return;
  for (const name of DKIM_VARIABLES.filter((n) => config[n] === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [name],
      message: `${name} is required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set (DKIM needs all three)`,
    });
  }
  // DMARC passes on DKIM only when d= is the From domain or a parent of it (relaxed alignment).
  const from = /@([^>\s]+)>?\s*$/.exec(config.MAIL_FROM ?? '')?.[1]?.toLowerCase();
  const domain = config.DKIM_DOMAIN?.toLowerCase();
  if (from && domain && from !== domain && !from.endsWith(`.${domain}`)) {
    ctx.addIssue({
      code: 'custom',
      path: ['DKIM_DOMAIN'],
      message: `DKIM_DOMAIN must be the domain of MAIL_FROM (${from}) or a parent of it, or DMARC fails`,
    });
  }
}

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// URL' }),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'REDIS_URL must be a redis:// URL' }),
    /** Prefix of every BullMQ and rate-limit key, so several deployments (or test runs) share one Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]+$/i)
      .default('kindshift'),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must be an smtp:// or smtps:// URL' }),
    MAIL_FROM: z.string().min(3, 'MAIL_FROM is required, e.g. "Kindshift <hello@example.org>"'),
    /** DKIM signing of every outgoing mail: all three, or none (then mail goes out unsigned). */
    DKIM_DOMAIN: optionalText(
      z
        .string()
        .regex(
          /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
          'DKIM_DOMAIN must be a domain name such as example.org',
        ),
    ),
    DKIM_SELECTOR: optionalText(
      z
        .string()
        .regex(
          /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i,
          'DKIM_SELECTOR must be a DNS label such as kindshift2026',
        ),
    ),
    /** PEM; `\n` escapes are read as line breaks so the key fits on one line of an env file. */
    DKIM_PRIVATE_KEY: optionalText(
      z
        .string()
        .transform((pem) => pem.replace(/\\n/g, '\n'))
        .refine(isPrivateKeyPem, 'DKIM_PRIVATE_KEY must be a PEM private key (-----BEGIN PRIVATE KEY----- …)'),
    ),
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
    /** Which proxies may set X-Forwarded-For (the client address rate limits count by); off by default. */
    TRUST_PROXY: trustProxy,
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
    /** How long a freed seat is held for the head of its waitlist before it goes to the next (shorter near the start). */
    WAITLIST_HOLD_MINUTES: positiveInt(120),
    /** At most this many offers per volunteer per week (their own week, in their zone). */
    OFFER_WEEKLY_CAP: positiveInt(5),
    /** No new offers for this long after a volunteer declines one. */
    OFFER_DECLINE_COOLDOWN_HOURS: z.coerce.number().int().min(0).default(24),
    /** Booking reminders, in minutes before the shift, comma-separated. */
    REMINDER_OFFSETS_MINUTES: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'REMINDER_OFFSETS_MINUTES must be minutes like 1440,120')
      .default('1440,120'),
    OFFER_SWEEP_SECONDS: positiveInt(60),
    /** A volunteer's cancellation this close to the start is marked late (roster, and gently in reliability). */
    LATE_CANCEL_HOURS: z.coerce.number().min(0).max(168).default(24),
    /** A cover request can be opened until this many hours before the start; an open one is released then. */
    COVER_DEADLINE_HOURS: z.coerce.number().min(0).max(168).default(12),
    /** Cover offers sent in one cover wave. */
    COVER_FANOUT: z.coerce.number().int().min(1).max(20).default(3),
    /** Roster messages a shift may get in any 24 hours: enough for "the door moved", too few to spam. */
    ROSTER_MESSAGES_PER_SHIFT_PER_DAY: positiveInt(3),
    /** Roster messages an organisation may send in any 24 hours, across all its shifts. */
    ROSTER_MESSAGES_PER_ORGANISATION_PER_DAY: positiveInt(20),
    /** AES-256-GCM key for check-in notes: 32 bytes as 64 hex characters or base64. */
    WELLBEING_NOTE_KEY: z
      .string({ error: 'WELLBEING_NOTE_KEY is required' })
      .refine(
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
    /** The arrival QR code of a shift works from this long before its start… */
    ARRIVAL_OPENS_MINUTES_BEFORE: z.coerce.number().int().min(0).max(1440).default(60),
    /** …until this long after its end; a kiosk ends then too. */
    ARRIVAL_CLOSES_MINUTES_AFTER: z.coerce.number().int().min(0).max(1440).default(120),
    /** A kiosk locks after this long without a tap. */
    KIOSK_IDLE_MINUTES: positiveInt(15),
    /** On a shift that used arrivals, a booking with none becomes no_show this long after the end. */
    ARRIVAL_NO_SHOW_AFTER_MINUTES: z.coerce.number().int().min(0).max(10080).default(60),
    /** How often the no-show sweeper runs. */
    ARRIVAL_SWEEP_SECONDS: positiveInt(300),
    WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  })
  .superRefine(dkimAllOrNone);

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
