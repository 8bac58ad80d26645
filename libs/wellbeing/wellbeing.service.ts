import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
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
import { WellbeingRepository, type DueBooking } from './wellbeing.repository.js';

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
    private readonly repo: WellbeingRepository,
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
      const due = await this.repo.dueBookings(tx, {
        from: new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000),
        to: now,
        graceEndedBy: new Date(now.getTime() - this.config.CHECK_IN_GRACE_HOURS * 3600_000),
      });
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
    const history = await this.repo.checkInHistory(tx, booking.volunteer_id);
    const withinCap = withinWeeklyCheckIns(history.recent, dueAt, booking.time_zone, this.config.CHECK_IN_WEEKLY_MAX);
    const kind = nextCheckInKind(history.lastWho5, dueAt, this.config.WHO5_INTERVAL_DAYS);
    // Over the weekly cap the booking still gets its (cancelled) row, so it is never reconsidered.
    const id = await this.repo.insertCheckIn(tx, {
      volunteerId: booking.volunteer_id,
      bookingId: booking.booking_id,
      kind,
      status: withinCap ? 'scheduled' : 'cancelled',
      dueAt,
    });
    if (!id || !withinCap) return false;
    this.outbox.add(tx, JobName.CheckInEmail, { checkInId: id }, `${JobName.CheckInEmail}-${id}`, dueAt);
    return true;
  }

  /** The form behind a check-in link (GET shows it; nothing changes). */
  async formFor(token: string): Promise<{ kind: 'mood' | 'who5'; shiftTitle: string | null }> {
    const { subjectId } = await this.identity.peekLinkToken(token, 'check_in');
    const row = await this.repo.openCheckIn(subjectId);
    if (!row) throw new NotFoundError('Check-in');
    return { kind: row.kind, shiftTitle: row.title ?? null };
  }

  /** Stores an answer; the link is used up in the same transaction. */
  async answer(token: string, answer: CheckInAnswer): Promise<CheckInOutcome> {
    return this.em.fork().transactional(async (tx) => {
      const { subjectId, accountId } = await this.identity.consumeLinkToken(tx, token, 'check_in');
      const checkIn = await this.repo.lockOpenCheckIn(tx, subjectId, accountId);
      if (!checkIn) throw new NotFoundError('Check-in');
      const outcome = this.evaluate(checkIn.kind, answer);
      const note = answer.note?.trim() ? this.cipher.encrypt(answer.note.trim(), accountId) : null;
      await this.repo.recordAnswer(tx, checkIn.id, {
        mood: answer.mood ?? null,
        who5: answer.who5 ?? null,
        noteEncrypted: note,
      });
      const country = await this.repo.volunteerCountry(tx, accountId);
      return {
        ...outcome,
        resources: resourcesFor(this.resources, country),
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
    const rows = await this.repo.checkInsOf(volunteerId);
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
    const row = await this.repo.consentOf(volunteerId);
    if (!row) throw new NotFoundError('Volunteer profile');
    return { checkIns: Boolean(row.check_in_consent_at), suggestions: Boolean(row.suggestions_consent_at) };
  }

  /** Opt in or out; opting out cancels pending check-ins (a database trigger does it for every writer). */
  async setConsent(volunteerId: string, consent: { checkIns?: boolean; suggestions?: boolean }) {
    if (consent.checkIns !== undefined) await this.repo.setCheckInConsent(volunteerId, consent.checkIns);
    if (consent.suggestions !== undefined) await this.repo.setSuggestionsConsent(volunteerId, consent.suggestions);
    return this.consent(volunteerId);
  }

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
    const row = await this.repo.consentOf(accountId);
    if (!row) return 'gone';
    return (what === 'checkIns' ? row.check_in_consent_at : row.suggestions_consent_at) ? 'active' : 'stopped';
  }

  /**
   * One click from a check-in or suggestions email: stops that kind of mail (the token can be used
   * more than once; see STOP_LINKS).
   */
  async stopFromLink(token: string, what: StoppableMail): Promise<void> {
    const { accountId } = await this.identity.peekLinkToken(token, STOP_LINKS[what].purpose);
    await this.setConsent(accountId, { [what]: false });
  }

  /** The volunteer's zone and country, for their wellbeing page. */
  async zoneAndCountry(volunteerId: string): Promise<{ timeZone: string; country: string | null }> {
    const row = await this.repo.volunteerZoneAndCountry(volunteerId);
    if (!row) throw new NotFoundError('Volunteer profile');
    return { timeZone: row.time_zone, country: row.country ? String(row.country).trim() : null };
  }

  /** Attended shifts since `from`, counted per week (weeks start on Monday in the volunteer's zone). */
  async attendedPerWeek(
    volunteerId: string,
    from: Date,
    zone: string,
  ): Promise<Array<{ weekStart: Date; count: number }>> {
    const rows = await this.repo.attendedShiftStarts(volunteerId, from);
    const weeks = new Map<number, number>();
    for (const row of rows) {
      const week = DateTime.fromJSDate(new Date(row.starts_at), { zone }).startOf('week').toMillis();
      weeks.set(week, (weeks.get(week) ?? 0) + 1);
    }
    return [...weeks].map(([week, count]) => ({ weekStart: new Date(week), count }));
  }

  get helpResources(): HelpResources {
    return this.resources;
  }
}

function pick(result: { raw: number; percentage: number }) {
  return { raw: result.raw, percentage: result.percentage };
}
