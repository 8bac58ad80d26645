import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import {
  APP_CONFIG,
  type AppConfig,
  DomainError,
  InvalidInputError,
  NotFoundError,
  JobName,
  OutboxService,
} from '../platform/index.js';
import { IdentityService } from '../identity/index.js';
import { GEOCODER, type Geocoder } from './geocoder.provider.js';
import { WellbeingService } from '../wellbeing/index.js';
import { assertKnownSkills } from '../common/index.js';
import { unknownPostcodeMessage } from './uk-postcode.js';
import { VolunteersRepository, type WindowInput } from './volunteers.repository.js';
import type {
  DateExceptionDto,
  HomeAreaDto,
  RegisterVolunteerDto,
  UpdateVolunteerDto,
  VolunteerProfileDto,
} from './volunteer.dto.js';

/** Home areas are stored to two decimals (about 1 km): enough to match, too coarse to find a door. */
const roundToArea = (value: number) => Math.round(value * 100) / 100;

/** How a deleted volunteer's past bookings and offers read on rosters. */
export const FORMER_VOLUNTEER_NAME = 'Former volunteer';

@Injectable()
export class VolunteersService {
  constructor(
    private readonly em: EntityManager,
    private readonly repo: VolunteersRepository,
    private readonly identity: IdentityService,
    private readonly outbox: OutboxService,
    @Inject(GEOCODER) private readonly geocoder: Geocoder,
    private readonly wellbeing: WellbeingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Registers a volunteer, unverified until the emailed link is confirmed. An address that already has
   * an account gets a sign-in link instead, and the caller sees the same answer either way.
   */
  async register(dto: RegisterVolunteerDto): Promise<void> {
    assertKnownSkills('skills', dto.skills);
    await this.assertZoneKnown(dto.timeZone);
    assertExceptions(dto.exceptions ?? []);
    const home = await this.resolveHome(dto.home);
    const existing = await this.identity.findAccountByEmail(dto.email);
    if (existing) return this.identity.requestSignIn(dto.email);
    const em = this.em.fork();
    try {
      await em.transactional(async (tx) => {
        const account = this.identity.newAccount(tx, dto.email, 'volunteer');
        this.repo.addProfile(tx, {
          accountId: account.id,
          name: dto.name.trim(),
          timeZone: dto.timeZone,
          homeLabel: home.label,
          homeLat: home.lat,
          homeLon: home.lon,
          country: home.country,
          travelKm: dto.travelKm,
          skills: unique(dto.skills),
          causes: unique(dto.causes ?? []),
          weeklyShiftCap: dto.weeklyShiftCap ?? 2,
          quietHoursStart: dto.quietHours?.start ?? '21:00',
          quietHoursEnd: dto.quietHours?.end ?? '08:00',
          offersConsentAt: new Date(),
        });
        // The profile row must exist before its windows: triggers derive its searchable availability.
        await tx.flush();
        this.replaceAvailability(tx, account.id, dto.availability, dto.exceptions ?? []);
        const requestId = randomUUID();
        this.outbox.add(
          tx,
          JobName.VerificationEmail,
          { accountId: account.id, requestId },
          `${JobName.VerificationEmail}-${requestId}`,
        );
      });
    } catch (error) {
      // Two sign-ups with one address at the same moment: the second behaves like "already registered".
      if (error instanceof UniqueConstraintViolationException) return this.identity.requestSignIn(dto.email);
      throw error;
    }
  }

  async profile(accountId: string): Promise<VolunteerProfileDto> {
    const { account, volunteer, windows, exceptions } = await this.repo.profileOf(accountId);
    if (!account || !volunteer) throw new NotFoundError('Volunteer profile');
    return {
      id: accountId,
      email: account.email,
      emailVerified: Boolean(account.emailVerifiedAt),
      name: volunteer.name,
      timeZone: volunteer.timeZone,
      home: { label: volunteer.homeLabel ?? null, lat: volunteer.homeLat, lon: volunteer.homeLon },
      travelKm: volunteer.travelKm,
      skills: volunteer.skills,
      causes: volunteer.causes,
      weeklyShiftCap: volunteer.weeklyShiftCap,
      status: volunteer.status,
      availability: windows.map((w) => ({ weekday: w.weekday, start: hhmm(w.startLocal), end: hhmm(w.endLocal) })),
      exceptions: exceptions.map((e) => ({ startsOn: e.startsOn, endsOn: e.endsOn })),
      quietHours: { start: hhmm(volunteer.quietHoursStart), end: hhmm(volunteer.quietHoursEnd) },
    };
  }

  /** Display names by account id, for the pages' rosters and lists. */
  displayNames(ids: string[]): Promise<Map<string, string>> {
    return this.repo.displayNames(ids);
  }

  async update(accountId: string, dto: UpdateVolunteerDto): Promise<VolunteerProfileDto> {
    if (dto.skills) assertKnownSkills('skills', dto.skills);
    if (dto.exceptions) assertExceptions(dto.exceptions);
    if (dto.timeZone !== undefined) await this.assertZoneKnown(dto.timeZone);
    const home = dto.home ? await this.resolveHome(dto.home) : undefined;
    await this.em.fork().transactional(async (tx) => {
      const volunteer = await this.repo.findProfile(tx, accountId);
      if (!volunteer) throw new NotFoundError('Volunteer profile');
      if (dto.name !== undefined) volunteer.name = dto.name.trim();
      if (dto.timeZone !== undefined) volunteer.timeZone = dto.timeZone;
      if (home)
        Object.assign(volunteer, {
          homeLabel: home.label,
          homeLat: home.lat,
          homeLon: home.lon,
          country: home.country,
        });
      if (dto.travelKm !== undefined) volunteer.travelKm = dto.travelKm;
      if (dto.skills) volunteer.skills = unique(dto.skills);
      if (dto.causes) volunteer.causes = unique(dto.causes);
      if (dto.weeklyShiftCap !== undefined) volunteer.weeklyShiftCap = dto.weeklyShiftCap;
      if (dto.quietHours)
        Object.assign(volunteer, { quietHoursStart: dto.quietHours.start, quietHoursEnd: dto.quietHours.end });
      if (dto.paused !== undefined) volunteer.status = dto.paused ? 'paused' : 'active';
      volunteer.updatedAt = new Date();
      if (dto.availability || dto.exceptions) {
        const windows =
          dto.availability ??
          (await this.repo.windowsOf(tx, accountId)).map((w) => ({
            weekday: w.weekday,
            start: w.startLocal,
            end: w.endLocal,
          }));
        const exceptions = dto.exceptions ?? (await this.repo.exceptionsOf(tx, accountId));
        await this.repo.deleteAvailability(tx, accountId);
        this.replaceAvailability(tx, accountId, windows, exceptions);
      }
    });
    return this.profile(accountId);
  }

  /** Everything stored about the volunteer, as one JSON document. */
  async export(accountId: string): Promise<Record<string, unknown>> {
    const profile = await this.profile(accountId);
    return {
      exportedAt: new Date().toISOString(),
      profile,
      account: await this.repo.exportAccount(accountId),
      consents: await this.repo.exportConsents(accountId),
      offers: await this.repo.exportOffers(accountId),
      bookings: await this.repo.exportBookings(accountId),
      hoursEntries: await this.repo.exportHours(accountId),
      hoursStatements: await this.repo.exportHoursStatements(accountId),
      checkIns: await this.wellbeing.mine(accountId),
      sessions: await this.repo.exportSessions(accountId),
      emails: await this.repo.exportEmails(accountId),
      emailChanges: await this.repo.exportEmailChanges(accountId),
    };
  }

  /**
   * Deletes the account and everything about the person, but not the organisations' history: the
   * bookings and offers move to a new "former volunteer" row first (migration FormerVolunteers20261203),
   * so rosters, fill counts, attendance and hours stay true. Upcoming confirmed places are cancelled
   * as the volunteer's own cancellation would (seat freed, waves restart) but without the email: there
   * is no address to send the calendar CANCEL to any more. Pending offers are withdrawn, silently too.
   */
  async deleteAccount(accountId: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      // Lock order as in accepting an offer: the shifts first, so a concurrent accept finishes (or waits) cleanly.
      await this.repo.lockShiftsOf(tx, accountId);
      // Then the profile: a second deletion racing this one finds it gone and has nothing to do.
      if (!(await this.repo.lockLiveProfile(tx, accountId))) return;
      if (!(await this.repo.hasHistory(tx, accountId))) {
        await this.repo.deleteAccountRows(tx, accountId);
        return;
      }
      const formerId = await this.repo.insertFormerVolunteer(tx, FORMER_VOLUNTEER_NAME);
      const withdrawn = await this.repo.withdrawPendingOffers(tx, accountId);
      await this.repo.handOverHistory(tx, accountId, formerId);
      const freed = await this.repo.cancelUpcomingBookings(tx, formerId);
      for (const booking of freed) {
        await this.repo.freeSeat(tx, booking.shift_id, booking.role_id);
        this.outbox.add(
          tx,
          JobName.OfferWave,
          { shiftId: booking.shift_id },
          `${JobName.OfferWave}-${booking.shift_id}-freed-${booking.id}`,
        );
      }
      for (const offer of withdrawn) {
        this.outbox.add(
          tx,
          JobName.OfferWave,
          { shiftId: offer.shift_id },
          `${JobName.OfferWave}-${offer.shift_id}-withdrawn-${offer.id}`,
        );
      }
      await this.repo.deleteAccountRows(tx, accountId);
      await tx.flush();
    });
  }

  async geocode(query: string, country?: string) {
    return this.geocoder.search(query, { country: country?.toUpperCase(), limit: 8 });
  }

  private async assertZoneKnown(zone: string): Promise<void> {
    if (!(await this.repo.knowsZone(zone)))
      throw InvalidInputError.field(
        'timeZone',
        'is not a time zone this server knows; try the main city of your zone, such as Europe/London',
      );
  }

  /** Place suggestions for /api/geocode: a postcode-shaped query that found nothing is said so (404 naming q). */
  async suggestPlaces(query: string, country?: string) {
    const areas = await this.geocode(query, country);
    const postcode = areas.length === 0 ? unknownPostcodeMessage(query) : undefined;
    if (postcode)
      throw new DomainError(404, 'unknown-postcode', 'Postcode not known', postcode, [
        { field: 'q', message: postcode },
      ]);
    return areas;
  }

  /** Builds the gazetteer's index now (the api calls it at start), so no volunteer waits for it. */
  async warmUp(): Promise<void> {
    await this.geocoder.load?.();
  }

  /**
   * Coordinates when both are given, else the place name. Blank coordinates arrive as undefined
   * (NumericInput), so an empty field can never place anyone at 0,0 nor move a home by omission.
   */
  private async resolveHome(
    home: HomeAreaDto,
  ): Promise<{ label: string | null; lat: number; lon: number; country: string | null }> {
    if ((home.lat === undefined) !== (home.lon === undefined)) {
      throw InvalidInputError.field(
        home.lat === undefined ? 'home.lat' : 'home.lon',
        'give both lat and lon, or neither',
      );
    }
    if (home.lat !== undefined && home.lon !== undefined) {
      const [lat, lon] = [roundToArea(home.lat), roundToArea(home.lon)];
      return { label: home.query ?? null, lat, lon, country: (await this.geocoder.countryAt?.(lat, lon)) ?? null };
    }
    if (!home.query) throw InvalidInputError.field('home', 'give either lat and lon, or a place name in query');
    const [best] = await this.geocoder.search(home.query, { limit: 1 });
    if (!best)
      throw InvalidInputError.field(
        'home.query',
        unknownPostcodeMessage(home.query) ?? `no place called "${home.query}" was found; try a nearby town or city`,
      );
    return { label: best.label, lat: roundToArea(best.lat), lon: roundToArea(best.lon), country: best.country };
  }

  private replaceAvailability(
    tx: EntityManager,
    volunteerId: string,
    windows: WindowInput[],
    exceptions: DateExceptionDto[],
  ) {
    windows.forEach((window, index) => {
      if (hhmm(window.start) === hhmm(window.end))
        throw InvalidInputError.field(`availability.${index}.end`, 'must differ from start');
    });
    this.repo.addAvailability(tx, volunteerId, windows, exceptions);
  }
}

function assertExceptions(exceptions: DateExceptionDto[]): void {
  exceptions.forEach((exception, index) => {
    if (exception.endsOn < exception.startsOn)
      throw InvalidInputError.field(`exceptions.${index}.endsOn`, 'must be on or after startsOn');
  });
}

const unique = <T>(values: T[]) => [...new Set(values)];
const hhmm = (time: string) => time.slice(0, 5);
