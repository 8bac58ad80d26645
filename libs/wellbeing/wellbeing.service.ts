import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  APP_CONFIG,
  type AppConfig,
  InvalidInputError,
  InvalidLinkError,
  NotFoundError,
  JobName,
  OutboxService,
} from '../platform/index.js';
import { IdentityService } from '../identity/index.js';
import { checkInDueAt, nextCheckInKind, withinWeeklyCheckIns } from './core/schedule.js';
import { moodConcern, scoreWho5, type Concern } from './core/who5.js';
import { loadHelpResources, resourcesFor, type HelpResource, type HelpResources } from './help-resources.js';
import { NoteCipher } from './note-crypto.js';
import { STOP_LINKS, type StoppableMail } from './stop-links.js';

export interface CheckInAnswer {
  mood?: number;
  who5?: number[];
  note?: string;
}

export interface CheckInOutcome {
  kind: 'mood' | 'who5';
  concern: Concern;
  who5?: { raw: number; percentage: number };
  resources: HelpResource[];
  resourcesChecked: string;
}

export interface MyCheckIn {
  id: string;
  kind: 'mood' | 'who5';
  status: string;
  dueAt: string;
  answeredAt: string | null;
  mood: number | null;
  who5: { items: number[]; raw: number; percentage: number } | null;
  note: string | null;
}

interface DueBooking {
  booking_id: string;
  volunteer_id: string;
  ends_at: Date;
  time_zone: string;
  quiet_hours_start: string;
  quiet_hours_end: string;
}

/** Only shifts that ended within this window get a check-in (no follow-ups weeks later). */
const LOOKBACK_DAYS = 7;

/**
 * Check-ins after attended shifts. Answers belong to the volunteer alone: nothing here is exposed to
 * organisations or operators, notes are encrypted, and nothing with identity is logged.
 */
@Injectable()
export class WellbeingService {
  private readonly cipher: NoteCipher;
  private readonly resources: HelpResources;

  constructor(
    private readonly em: EntityManager,
    private readonly identity: IdentityService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.cipher = new NoteCipher(config.WELLBEING_NOTE_KEY);
    this.resources = loadHelpResources(config.HELP_RESOURCES_FILE);
  }

  /**
   * Creates the check-ins that are due: bookings marked attended, or still confirmed a grace period
   * after the shift (the organisation did not mark attendance), of volunteers who opted in.
   * At most one per booking (unique index) and CHECK_IN_WEEKLY_MAX per week.
   */
  async scheduleDue(now = new Date()): Promise<number> {
    return this.em.fork().transactional(async (tx) => {
      const due = await tx.execute<DueBooking[]>(
        `select b.id as booking_id, b.volunteer_id, s.ends_at, v.time_zone, v.quiet_hours_start::text, v.quiet_hours_end::text
         from bookings b join shifts s on s.id = b.shift_id join volunteers v on v.account_id = b.volunteer_id
         where v.check_in_consent_at is not null and v.status = 'active'
           and s.ends_at > ? and s.ends_at <= ?
           and (b.status = 'attended' or (b.status = 'confirmed' and s.ends_at <= ?))
           and not exists (select 1 from check_ins c where c.booking_id = b.id)
         order by s.ends_at
         for update of b skip locked`,
        [
          new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000),
          now,
          new Date(now.getTime() - this.config.CHECK_IN_GRACE_HOURS * 3600_000),
        ],
      );
      let scheduled = 0;
      for (const booking of due) scheduled += (await this.scheduleOne(tx, booking, now)) ? 1 : 0;
      await tx.flush();
      return scheduled;
    });
  }

  private async scheduleOne(tx: EntityManager, booking: DueBooking, now: Date): Promise<boolean> {
    const quiet = { start: booking.quiet_hours_start.slice(0, 5), end: booking.quiet_hours_end.slice(0, 5) };
    const dueAt = checkInDueAt(
      new Date(booking.ends_at),
      this.config.CHECK_IN_DELAY_HOURS,
      now,
      booking.time_zone,
      quiet,
    );
    const [history] = await tx.execute(
      `select coalesce(array_agg(due_at) filter (where status <> 'cancelled' and due_at > now() - interval '8 days'), '{}') as recent,
              max(coalesce(sent_at, due_at)) filter (where kind = 'who5' and status <> 'cancelled') as last_who5
       from check_ins where volunteer_id = ?`,
      [booking.volunteer_id],
    );
    const recent = (history.recent as Date[]).map((d) => new Date(d));
    const withinCap = withinWeeklyCheckIns(recent, dueAt, booking.time_zone, this.config.CHECK_IN_WEEKLY_MAX);
    const kind = nextCheckInKind(
      history.last_who5 ? new Date(history.last_who5) : null,
      dueAt,
      this.config.WHO5_INTERVAL_DAYS,
    );
    // Over the weekly cap the booking still gets its (cancelled) row, so it is never reconsidered.
    const [row] = await tx.execute(
      `insert into check_ins (volunteer_id, booking_id, kind, status, due_at) values (?, ?, ?, ?, ?)
       on conflict (booking_id) where booking_id is not null do nothing returning id`,
      [booking.volunteer_id, booking.booking_id, kind, withinCap ? 'scheduled' : 'cancelled', dueAt],
    );
    if (!row || !withinCap) return false;
    this.outbox.add(tx, JobName.CheckInEmail, { checkInId: row.id }, `${JobName.CheckInEmail}-${row.id}`, dueAt);
    return true;
  }

  /** The form behind a check-in link (GET shows it; nothing changes). */
  async formFor(token: string): Promise<{ kind: 'mood' | 'who5'; shiftTitle: string | null }> {
    const { subjectId } = await this.identity.peekLinkToken(token, 'check_in');
    const [row] = await this.em.fork().execute(
      `select c.kind, s.title from check_ins c left join bookings b on b.id = c.booking_id left join shifts s on s.id = b.shift_id
       where c.id = ? and c.status in ('scheduled', 'sent')`,
      [subjectId],
    );
    if (!row) throw new NotFoundError('Check-in');
    return { kind: row.kind, shiftTitle: row.title ?? null };
  }

  /** Stores an answer; the link is used up in the same transaction. */
  async answer(token: string, answer: CheckInAnswer): Promise<CheckInOutcome> {
    return this.em.fork().transactional(async (tx) => {
      const { subjectId, accountId } = await this.identity.consumeLinkToken(tx, token, 'check_in');
      const [checkIn] = await tx.execute(
        `select id, kind from check_ins where id = ? and volunteer_id = ? and status in ('scheduled', 'sent') for update`,
        [subjectId, accountId],
      );
      if (!checkIn) throw new NotFoundError('Check-in');
      const outcome = this.evaluate(checkIn.kind, answer);
      const note = answer.note?.trim() ? this.cipher.encrypt(answer.note.trim(), accountId) : null;
      await tx.execute(
        `update check_ins set status = 'answered', answered_at = now(), mood = ?, who5_items = cast(? as smallint[]), note_encrypted = ? where id = ?`,
        [answer.mood ?? null, answer.who5 ? `{${answer.who5.join(',')}}` : null, note, checkIn.id],
      );
      const [volunteer] = await tx.execute(`select country from volunteers where account_id = ?`, [accountId]);
      return {
        ...outcome,
        resources: resourcesFor(this.resources, volunteer?.country),
        resourcesChecked: this.resources.checked,
      };
    });
  }

  private evaluate(
    kind: 'mood' | 'who5',
    answer: CheckInAnswer,
  ): Omit<CheckInOutcome, 'resources' | 'resourcesChecked'> {
    if (kind === 'mood') {
      if (answer.mood === undefined) throw InvalidInputError.field('mood', 'choose how you feel, from 1 to 5');
      return { kind, concern: moodConcern(answer.mood) };
    }
    if (!answer.who5) throw InvalidInputError.field('who5', 'answer all five statements');
    const result = scoreWho5(answer.who5);
    return { kind, concern: result.concern, who5: { raw: result.raw, percentage: result.percentage } };
  }

  /** The volunteer's own check-ins, notes decrypted: for their page and their export only. */
  async mine(volunteerId: string): Promise<MyCheckIn[]> {
    const rows = await this.em
      .fork()
      .execute(
        `select id, kind, status, due_at, answered_at, mood, who5_items, note_encrypted from check_ins where volunteer_id = ? order by due_at`,
        [volunteerId],
      );
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      status: row.status,
      dueAt: new Date(row.due_at).toISOString(),
      answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
      mood: row.mood ?? null,
      who5: row.who5_items ? { items: row.who5_items, ...pick(scoreWho5(row.who5_items)) } : null,
      note: row.note_encrypted ? this.cipher.decrypt(row.note_encrypted, volunteerId) : null,
    }));
  }

  async consent(volunteerId: string): Promise<{ checkIns: boolean; suggestions: boolean }> {
    const [row] = await this.em
      .fork()
      .execute(`select check_in_consent_at, suggestions_consent_at from volunteers where account_id = ?`, [
        volunteerId,
      ]);
    if (!row) throw new NotFoundError('Volunteer profile');
    return { checkIns: Boolean(row.check_in_consent_at), suggestions: Boolean(row.suggestions_consent_at) };
  }

  /** Opt in or out; opting out cancels pending check-ins (a database trigger does it for every writer). */
  async setConsent(volunteerId: string, consent: { checkIns?: boolean; suggestions?: boolean }) {
    const em = this.em.fork();
    if (consent.checkIns !== undefined) {
      await em.execute(
        `update volunteers set check_in_consent_at = case when ? then coalesce(check_in_consent_at, now()) end where account_id = ?`,
        [consent.checkIns, volunteerId],
      );
    }
    if (consent.suggestions !== undefined) {
      await em.execute(
        `update volunteers set suggestions_consent_at = case when ? then coalesce(suggestions_consent_at, now()) end where account_id = ?`,
        [consent.suggestions, volunteerId],
      );
    }
    return this.consent(volunteerId);
  }

  /**
   * One click from a check-in or suggestions email: stops that kind of mail (the token can be used
   * more than once; see STOP_LINKS).
   */
  /**
   * What a stop link's page can offer: `active` (a button that stops), `stopped` (already off,
   * nothing to press) or `gone` (unknown or expired token, or the account was deleted with its tokens).
   */
  async stopLinkState(token: string, what: StoppableMail): Promise<'active' | 'stopped' | 'gone'> {
    let accountId: string;
    try {
      ({ accountId } = await this.identity.peekLinkToken(token, STOP_LINKS[what].purpose));
    } catch (error) {
      if (error instanceof InvalidLinkError) return 'gone';
      throw error;
    }
    const [row] = await this.em
      .fork()
      .execute(`select check_in_consent_at, suggestions_consent_at from volunteers where account_id = ?`, [accountId]);
    if (!row) return 'gone';
    return (what === 'checkIns' ? row.check_in_consent_at : row.suggestions_consent_at) ? 'active' : 'stopped';
  }

  async stopFromLink(token: string, what: StoppableMail): Promise<void> {
    const { accountId } = await this.identity.peekLinkToken(token, STOP_LINKS[what].purpose);
    await this.setConsent(accountId, { [what]: false });
  }

  get helpResources(): HelpResources {
    return this.resources;
  }
}

function pick(result: { raw: number; percentage: number }) {
  return { raw: result.raw, percentage: result.percentage };
}
