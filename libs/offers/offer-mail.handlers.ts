import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  APP_CONFIG,
  type AppConfig,
  JobHandler,
  JobName,
  type JobPayloads,
  CLAIM_SECONDS,
  DeliveryLogService,
  type DeliveryKey,
  type OutgoingMail,
  MailDatabase,
  messageIdFor,
  type StatementBatcher,
  calendarInvite,
  recordPublishToFirstOffer,
} from '../platform/index.js';
import { plural, generateToken, hashToken } from '../common/index.js';
import {
  bookingCancelledEmail,
  bookingConfirmedEmail,
  bookingReminderEmail,
  noCandidatesEmail,
  offerEmail,
  offerWithdrawnEmail,
  shiftCancelledEmail,
  shiftChangedEmail,
} from './mail/offer-emails.js';
import { formatLocalInstant, formatLocalInterval } from '../organisations/index.js';
import { OfferEngine } from './offer-engine.service.js';
import { CALENDAR_SEQUENCE_SQL } from './offers.queries.js';

/** How long the unsubscribe link in an offer email works. */
const UNSUBSCRIBE_TTL_SECONDS = 180 * 24 * 3600;

/** Everything an offer or booking email says, read in one query. */
interface MailContext {
  volunteer_id: string;
  email: string;
  volunteer_name: string;
  time_zone: string;
  shift_id: string;
  title: string;
  description: string;
  starts_at: Date;
  ends_at: Date;
  sequence: number;
  organisation_name: string;
  place_label: string;
  street: string | null;
  lat: number;
  lon: number;
}

/** What offer_email_prepare returns for a claimed offer email (dates as ISO strings: it is jsonb). */
interface OfferEmailContext {
  email: string;
  volunteer_name: string;
  time_zone: string;
  title: string;
  starts_at: string;
  ends_at: string;
  organisation_name: string;
  place_label: string;
  street: string | null;
  expires_at: string;
  explanation: string;
  maybe_first: boolean;
}

interface PrepareInput {
  offerId: string;
  claimant: string;
  answerHash: string;
  unsubscribeHash: string;
}

/** offer_email_prepare's answer: the context when `due`, else why not (the delivery's status). */
type PreparedOffer = ({ due: true; delivery_id: string } & OfferEmailContext) | { due: false; status?: string };

/** A former volunteer (a deleted account's history) has no address: nothing is ever mailed about their rows. */
const contextSql = ({ sequence = 's.sequence' } = {}) => `
  select v.account_id as volunteer_id, a.email, v.name as volunteer_name, v.time_zone, s.id as shift_id, s.title, s.description,
         s.starts_at, s.ends_at, ${sequence} as sequence, o.name as organisation_name, ad.label as place_label, ad.street, s.lat, s.lon
  from volunteers v join accounts a on a.id = v.account_id and a.email is not null, shifts s
  join organisations o on o.id = s.organisation_id join organisation_addresses ad on ad.id = s.address_id`;

/** Worker handlers of the offer pipeline: waves, expiry, and every offer and booking email. */
@Injectable()
export class OfferMailHandlers {
  /** Host of the iCalendar UIDs, which must stay as they were so calendars keep updating their entries. */
  private readonly domain: string;
  private readonly prepares: StatementBatcher<PrepareInput, PreparedOffer>;

  constructor(
    private readonly em: EntityManager,
    private readonly engine: OfferEngine,
    private readonly deliveries: DeliveryLogService,
    private readonly db: MailDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.domain = new URL(config.PUBLIC_BASE_URL).hostname;
    this.prepares = db.batched((inputs) => this.prepareBatch(inputs));
  }

  @JobHandler(JobName.OfferWave)
  wave({ shiftId }: JobPayloads[JobName.OfferWave]) {
    return this.engine.runWave(shiftId);
  }

  @JobHandler(JobName.OfferExpire)
  async expire({ offerId }: JobPayloads[JobName.OfferExpire]) {
    return { expired: await this.engine.expire(offerId) };
  }

  @JobHandler(JobName.SweepOffers)
  async sweep() {
    return { expired: await this.engine.sweep() };
  }

  @JobHandler(JobName.OfferEmail)
  async offer({ offerId }: JobPayloads[JobName.OfferEmail]) {
    const key: DeliveryKey = { kind: 'offer', subjectId: offerId };
    const prepared = await this.prepareOfferEmail(key);
    if (!prepared) return 'skipped';
    const mail = await this.deliveries.releaseOnError(prepared.deliveryId, async () =>
      this.renderOfferEmail(offerId, prepared),
    );
    await this.deliveries.deliver(prepared.deliveryId, key, mail);
    if (prepared.context.maybe_first) await this.observeFirstOffer(offerId);
    return 'sent';
  }

  /**
   * Claims the offer email and stores its link tokens — what IdentityService.issueLinkToken does
   * per token: random, stored as a keyed hash, committed before anyone can click — and reads what
   * the email says, in one call of offer_email_prepare (migration DeliveryClaims20261127), group-
   * committed with the offer emails prepared at the same time (see `prepares`).
   * Null when nothing is to be sent: answered, withdrawn or expired meanwhile, or already sent.
   * Tokens of an attempt that then fails are never seen by anyone.
   */
  private async prepareOfferEmail(key: DeliveryKey) {
    const answerToken = generateToken();
    const unsubscribeToken = generateToken();
    const prepared = await this.prepares.submit({
      offerId: key.subjectId,
      claimant: this.deliveries.claimant(),
      answerHash: hashToken(answerToken, this.config.SESSION_SECRET),
      unsubscribeHash: hashToken(unsubscribeToken, this.config.SESSION_SECRET),
    });
    if (!prepared.due) {
      this.deliveries.refuseIfInProgress(key, prepared.status);
      return null;
    }
    return {
      deliveryId: String(prepared.delivery_id),
      context: prepared as OfferEmailContext,
      answerToken,
      unsubscribeToken,
    };
  }

  /**
   * One statement for every offer email being prepared at the same time, each its own call of
   * offer_email_prepare; one transaction, so a failure fails them all and nothing of it stays.
   * Taken in offer-id order, so two worker replicas' batches lock their claims in the same order.
   */
  private prepareBatch(inputs: PrepareInput[]): Promise<PreparedOffer[]> {
    const order = inputs
      .map((input, i) => ({ input, i }))
      .sort((a, b) => a.input.offerId.localeCompare(b.input.offerId));
    const column = (pick: (input: PrepareInput) => string) => order.map(({ input }) => pick(input));
    return this.db
      .query<{ i: string; prepared: PreparedOffer }>(
        'offer-email-prepare',
        `select t.i, offer_email_prepare(t.offer_id, t.claimant, $5, t.answer_hash, t.unsubscribe_hash, $6) as prepared
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) with ordinality as t(offer_id, claimant, answer_hash, unsubscribe_hash, i)`,
        [
          column((x) => x.offerId),
          column((x) => x.claimant),
          column((x) => x.answerHash),
          column((x) => x.unsubscribeHash),
          CLAIM_SECONDS,
          UNSUBSCRIBE_TTL_SECONDS,
        ],
      )
      .then((rows) => {
        const results: PreparedOffer[] = new Array(inputs.length);
        for (const row of rows) results[order[Number(row.i) - 1].i] = row.prepared;
        return results;
      });
  }

  private renderOfferEmail(
    offerId: string,
    {
      context: ctx,
      answerToken,
      unsubscribeToken,
    }: { context: OfferEmailContext; answerToken: string; unsubscribeToken: string },
  ): OutgoingMail {
    const mail = offerEmail({
      volunteerName: ctx.volunteer_name,
      shiftTitle: ctx.title,
      organisationName: ctx.organisation_name,
      place: { label: ctx.place_label, street: ctx.street ?? undefined },
      localTime: formatLocalInterval(new Date(ctx.starts_at), new Date(ctx.ends_at), ctx.time_zone),
      explanation: ctx.explanation,
      acceptUrl: this.link('/links/offer', answerToken, 'accept'),
      declineUrl: this.link('/links/offer', answerToken, 'decline'),
      unsubscribeUrl: this.link('/links/unsubscribe', unsubscribeToken),
      expiresLocal: formatLocalInstant(new Date(ctx.expires_at), ctx.time_zone),
    });
    return { to: ctx.email, ...mail, messageId: messageIdFor(`offer-${offerId}`, this.config.MAIL_FROM) };
  }

  /**
   * Publish → first offer delivered, observed once per shift: checked once this offer is marked
   * sent, and only for the offer email of its shift that was claimed first (migration
   * OfferFirstClaim20261129); recorded unless another offer of the shift was sent before it (sent
   * in the same group-committed mark is a tie, and counts as first).
   */
  private async observeFirstOffer(offerId: string): Promise<void> {
    const [row] = await this.db.query<{ seconds: number }>(
      'offer-first-sent',
      `select extract(epoch from (now() - s.published_at))::float8 as seconds
       from offers f join shifts s on s.id = f.shift_id
       where f.id = $1 and s.published_at is not null
         and not exists (select 1 from offers o where o.shift_id = f.shift_id and o.id <> f.id and o.sent_at < f.sent_at)`,
      [offerId],
    );
    if (row) recordPublishToFirstOffer(row.seconds);
  }

  @JobHandler(JobName.OfferWithdrawnEmail)
  withdrawn({ offerId }: JobPayloads[JobName.OfferWithdrawnEmail]) {
    return this.deliveries.sendOnce({ kind: 'offer-withdrawn', subjectId: offerId }, async (em) => {
      // Only people who actually received the offer hear that it filled.
      const [ctx] = await em.execute<MailContext[]>(
        `${contextSql()} join offers f on f.shift_id = s.id where f.id = ? and v.account_id = f.volunteer_id and f.status = 'withdrawn' and f.sent_at is not null`,
        [offerId],
      );
      if (!ctx) return null;
      const mail = offerWithdrawnEmail({
        volunteerName: ctx.volunteer_name,
        shiftTitle: ctx.title,
        organisationName: ctx.organisation_name,
        localTime: this.localTime(ctx),
      });
      return {
        to: ctx.email,
        ...mail,
        headers: { ...mail.headers, 'In-Reply-To': messageIdFor(`offer-${offerId}`, this.config.MAIL_FROM) },
      };
    });
  }

  @JobHandler(JobName.BookingConfirmedEmail)
  confirmed({ bookingId }: JobPayloads[JobName.BookingConfirmedEmail]) {
    return this.deliveries.sendOnce({ kind: 'booking-confirmed', subjectId: bookingId }, async (em) => {
      const ctx = await this.bookingContext(em, bookingId, ['confirmed']);
      if (!ctx) return null;
      const mail = bookingConfirmedEmail({
        ...this.shiftDetails(ctx),
        calendarAttached: true,
        cancelUrl: this.pageUrl('/me'),
      });
      return { to: ctx.email, ...mail, icalEvent: this.invite(ctx, bookingId, 'REQUEST') };
    });
  }

  @JobHandler(JobName.BookingReminderEmail)
  reminder({ bookingId, minutesBefore }: JobPayloads[JobName.BookingReminderEmail]) {
    return this.deliveries.sendOnce(
      { kind: 'booking-reminder', subjectId: `${bookingId}:${minutesBefore}` },
      async (em) => {
        const ctx = await this.bookingContext(em, bookingId, ['confirmed']);
        if (!ctx || new Date(ctx.starts_at).getTime() <= Date.now()) return null;
        return {
          to: ctx.email,
          ...bookingReminderEmail({ ...this.shiftDetails(ctx), cancelUrl: this.pageUrl('/me') }),
        };
      },
    );
  }

  @JobHandler(JobName.BookingCancelledEmail)
  cancelledByVolunteer({ bookingId }: JobPayloads[JobName.BookingCancelledEmail]) {
    return this.deliveries.sendOnce({ kind: 'booking-cancelled', subjectId: bookingId }, async (em) => {
      const ctx = await this.bookingContext(em, bookingId, ['cancelled']);
      if (!ctx) return null;
      const mail = bookingCancelledEmail({ ...this.shiftDetails(ctx), calendarAttached: true });
      return { to: ctx.email, ...mail, icalEvent: this.invite(ctx, bookingId, 'CANCEL') };
    });
  }

  /** One email per affected booking, each with an iCalendar update (REQUEST, higher SEQUENCE) or CANCEL. */
  @JobHandler(JobName.ShiftChanged)
  async shiftChanged({ shiftId, changeId }: JobPayloads[JobName.ShiftChanged]) {
    const em = this.em.fork();
    const [change] = await em.execute(`select kind, changes from shift_changes where id = ? and shift_id = ?`, [
      changeId,
      shiftId,
    ]);
    if (!change) return { sent: 0 };
    const cancelled = change.kind === 'cancelled';
    const bookingIds: string[] = cancelled
      ? (change.changes.bookingIds ?? [])
      : (await em.execute(`select id from bookings where shift_id = ? and status = 'confirmed'`, [shiftId])).map((b) =>
          String(b.id),
        );
    let sent = 0;
    for (const bookingId of bookingIds) {
      const outcome = await this.deliveries.sendOnce(
        { kind: 'shift-change', subjectId: `${changeId}:${bookingId}` },
        async (em) => {
          const ctx = await this.bookingContext(em, bookingId, cancelled ? ['cancelled'] : ['confirmed']);
          if (!ctx) return null;
          const details = this.shiftDetails(ctx);
          const mail = cancelled
            ? shiftCancelledEmail({
                ...details,
                calendarAttached: true,
                reason: typeof change.changes.reason === 'string' ? change.changes.reason : undefined,
              })
            : shiftChangedEmail({
                ...details,
                calendarAttached: true,
                cancelUrl: this.pageUrl('/me'),
                changes: describeChanges(change.changes),
              });
          const reason =
            cancelled && typeof change.changes.reason === 'string' ? `Cancelled: ${change.changes.reason}` : null;
          return {
            to: ctx.email,
            ...mail,
            icalEvent: this.invite(ctx, bookingId, cancelled ? 'CANCEL' : 'REQUEST', reason),
          };
        },
      );
      if (outcome === 'sent') sent += 1;
    }
    return { sent };
  }

  @JobHandler(JobName.NoCandidatesEmail)
  noCandidates({ shiftId, wave }: JobPayloads[JobName.NoCandidatesEmail]) {
    return this.deliveries.sendOnce({ kind: 'no-candidates', subjectId: shiftId }, async (em) => {
      const [row] = await em.execute(
        `select s.title, s.starts_at, s.ends_at, s.filled, s.capacity, o.time_zone, a.email, c.name
         from shifts s join organisations o on o.id = s.organisation_id join coordinators c on c.organisation_id = o.id join accounts a on a.id = c.account_id
         where s.id = ? and s.status = 'open' order by c.created_at limit 1`,
        [shiftId],
      );
      if (!row) return null;
      const mail = noCandidatesEmail({
        coordinatorName: row.name ?? undefined,
        shiftTitle: row.title,
        localTime: formatLocalInterval(new Date(row.starts_at), new Date(row.ends_at), row.time_zone),
        excludedSummary: `${row.filled} of ${plural(row.capacity, { one: '# place is', other: '# places are' })} booked after ${plural(wave - 1, { one: '# round', other: '# rounds' })} of offers. Open the shift's matches to see why volunteers were left out.`,
      });
      return { to: row.email, ...mail };
    });
  }

  private async bookingContext(em: EntityManager, bookingId: string, statuses: string[]): Promise<MailContext | null> {
    const [ctx] = await em.execute<MailContext[]>(
      `${contextSql({ sequence: CALENDAR_SEQUENCE_SQL })} join bookings b on b.shift_id = s.id
       where b.id = ? and v.account_id = b.volunteer_id and b.status::text = any(cast(? as text[]))`,
      [bookingId, `{${statuses.join(',')}}`],
    );
    return ctx ?? null;
  }

  private shiftDetails(ctx: MailContext) {
    return {
      volunteerName: ctx.volunteer_name,
      shiftTitle: ctx.title,
      organisationName: ctx.organisation_name,
      place: { label: ctx.place_label, street: ctx.street ?? undefined },
      localTime: this.localTime(ctx),
    };
  }

  private localTime(ctx: MailContext): string {
    return formatLocalInterval(new Date(ctx.starts_at), new Date(ctx.ends_at), ctx.time_zone);
  }

  /** The booking's calendar entry: its UID never changes; SEQUENCE follows the shift's changes. */
  /** `note` goes first in the description (a CANCEL says why the shift was cancelled). */
  private invite(ctx: MailContext, bookingId: string, method: 'REQUEST' | 'CANCEL', note: string | null = null) {
    const from = /<([^>]+)>/.exec(this.config.MAIL_FROM)?.[1] ?? this.config.MAIL_FROM;
    const content = calendarInvite({
      uid: `booking-${bookingId}@${this.domain}`,
      sequence: ctx.sequence,
      method,
      startsAt: new Date(ctx.starts_at),
      endsAt: new Date(ctx.ends_at),
      summary: `${ctx.title} — ${ctx.organisation_name}`,
      description: [note, ctx.description].filter(Boolean).join('\n\n'),
      location: [ctx.place_label, ctx.street].filter(Boolean).join(', '),
      organizerEmail: from,
      organizerName: ctx.organisation_name,
      attendeeEmail: ctx.email,
      attendeeName: ctx.volunteer_name,
      lat: ctx.lat,
      lon: ctx.lon,
    });
    return { method, content, filename: 'invite.ics' };
  }

  private pageUrl(path: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}${path}`;
  }

  private link(path: string, token: string, action?: string): string {
    const base = `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}${path}?token=${encodeURIComponent(token)}`;
    return action ? `${base}&action=${action}` : base;
  }
}

function describeChanges(changes: Record<string, { from: unknown; to: unknown }>): string[] {
  const labels: Record<string, string> = {
    startsAt: 'start time',
    endsAt: 'end time',
    addressId: 'place',
    title: 'title',
  };
  return Object.keys(changes)
    .filter((key) => key in labels)
    .map((key) => `The ${labels[key]} has changed.`);
}
