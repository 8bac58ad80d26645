import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { Allow } from '../../../identity/index.js';
import { MatchingService } from '../../../matching/index.js';
import { formatLocalInterval, ShiftsService } from '../../../organisations/index.js';
import { type VolunteerProfileDto, VolunteersService } from '../../../volunteers/index.js';
import { CsrfGuard } from '../../csrf.js';
import { CAUSE_LABELS, skillLabel, weekdayLabel } from '../../labels.js';
import { PageExtensions } from '../../page-extensions.js';
import { PageRenderer } from '../../page-renderer.js';
import { round1 } from '../../time.js';
import { volunteerIdOf } from './volunteer-pages.shared.js';

/** A signed-in volunteer's home: shifts that fit, offers, bookings, history and the profile in words. */
@ApiExcludeController()
@Controller('me')
@Allow('volunteer')
@UseGuards(CsrfGuard)
export class VolunteerHomePagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly volunteers: VolunteersService,
    private readonly matching: MatchingService,
    private readonly shifts: ShiftsService,
    private readonly extensions: PageExtensions,
  ) {}

  @Get()
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    const volunteerId = volunteerIdOf(request);
    const profile = await this.volunteers.profile(volunteerId);
    const [found, activity] = await Promise.all([
      this.matching.findShiftsForVolunteer(volunteerId, { limit: 10 }),
      this.extensions.volunteerActivity.forVolunteer(volunteerId, profile.timeZone),
    ]);
    const titles = await this.shifts.titles(found.map((shift) => shift.shiftId));
    const fits = found.map((shift) => ({
      shiftId: shift.shiftId,
      title: titles.get(shift.shiftId)?.title ?? 'Shift',
      organisationName: titles.get(shift.shiftId)?.organisationName ?? '',
      localTime: formatLocalInterval(shift.startsAt, shift.endsAt, profile.timeZone),
      distanceKm: round1(shift.distanceKm),
      explanation: shift.explanation,
    }));
    return this.pages.render(request, reply, 'volunteer/home.eta', {
      title: `Hello, ${profile.name}`,
      profile,
      summary: profileSummary(profile),
      fits,
      activity,
      offerPipeline: this.extensions.hasOfferPipeline,
      saved: query.saved === '1',
    });
  }
}

const longDate = (date: string) => DateTime.fromISO(date).toFormat('ccc d LLL yyyy');

/** The profile in words, for the home page. */
function profileSummary(profile: VolunteerProfileDto) {
  return {
    home: profile.home.label ?? `near ${profile.home.lat.toFixed(2)}, ${profile.home.lon.toFixed(2)}`,
    skills: profile.skills.map(skillLabel),
    causes: profile.causes.length
      ? profile.causes.map((c) => CAUSE_LABELS[c as keyof typeof CAUSE_LABELS] ?? c)
      : ['Any cause'],
    availability: profile.availability.map(
      (w) => `${weekdayLabel(w.weekday)} ${w.start}–${w.end}${w.end <= w.start ? ' (ends next day)' : ''}`,
    ),
    exceptions: profile.exceptions.map((e) =>
      e.startsOn === e.endsOn ? longDate(e.startsOn) : `${longDate(e.startsOn)} to ${longDate(e.endsOn)}`,
    ),
  };
}
