import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InvalidInputError, UuidPipe } from '../platform/index.js';
import { Allow, assertActsForOrganisation, CurrentPrincipal, type Principal } from '../identity/index.js';
import { formatLocalInterval, ShiftsService } from '../organisations/index.js';
import { whyNoMatchList } from './core/match-list-state.js';
import { EXCLUSION_RULES } from './core/exact-rules.js';
import { MatchingService } from './matching.service.js';
import { PageQueryDto, ShiftForMeDto, ShiftMatchesDto, ShiftMatchesQueryDto } from './matching.dto.js';

const round1 = (value: number) => Math.round(value * 10) / 10;

@ApiTags('matching')
@Controller('api')
export class MatchingController {
  constructor(
    private readonly matching: MatchingService,
    private readonly shifts: ShiftsService,
  ) {}

  @Get('organisations/:organisationId/shifts/:shiftId/matches')
  @Allow('coordinator', 'api_key')
  @ApiOperation({
    summary:
      'Volunteers who fit the shift, ranked and explained — or why none are listed (full, cancelled, started, over)',
  })
  @ApiOkResponse({
    type: ShiftMatchesDto,
    description:
      'Ranked volunteers who pass every hard rule, with why others were left out; `reason` says why the list is empty for a shift that can take no one',
  })
  async matchesForShift(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
    @Param('shiftId', UuidPipe) shiftId: string,
    @Query() page: ShiftMatchesQueryDto,
  ): Promise<ShiftMatchesDto> {
    assertActsForOrganisation(principal, organisationId);
    const shift = await this.shifts.get(organisationId, shiftId); // 404 unless the shift is this organisation's
    const reason = whyNoMatchList(
      { ...shift, startsAt: new Date(shift.startsAt), endsAt: new Date(shift.endsAt) },
      Date.now(),
    );
    if (page.roleId && !shift.roles.some((role) => role.id === page.roleId))
      throw InvalidInputError.field('roleId', 'is not a role of this shift');
    if (reason) {
      const excluded = Object.fromEntries(EXCLUSION_RULES.map((rule) => [rule, 0]));
      return { matches: [], reason, excluded, totalCandidates: 0, complete: true, examinedRadiusKm: 0 };
    }
    const result = await this.matching.findMatchesForShift(shiftId, {
      limit: page.limit ?? 20,
      offset: page.offset ?? 0,
      roleId: page.roleId ?? null,
    });
    const names = await this.matching.volunteerNames(result.matches.map((match) => match.volunteerId));
    return {
      matches: result.matches.map((match) => ({
        volunteerId: match.volunteerId,
        name: names.get(match.volunteerId) ?? '',
        distanceKm: round1(match.distanceKm),
        score: match.score,
        explanation: match.explanation,
      })),
      excluded: result.excluded,
      totalCandidates: result.totalCandidates,
      complete: result.complete,
      examinedRadiusKm: result.examinedRadiusKm,
      reason: null,
    };
  }

  @Get('me/shifts')
  @Allow('volunteer')
  @ApiOperation({ summary: 'Open shifts that fit you' })
  @ApiOkResponse({ type: [ShiftForMeDto], description: 'Open shifts that fit you, nearest and soonest first' })
  async shiftsForMe(@CurrentPrincipal() principal: Principal, @Query() page: PageQueryDto): Promise<ShiftForMeDto[]> {
    const volunteerId = (principal as Extract<Principal, { kind: 'volunteer' }>).accountId;
    const found = await this.matching.findShiftsForVolunteer(volunteerId, {
      limit: page.limit ?? 20,
      offset: page.offset ?? 0,
    });
    if (found.length === 0) return [];
    const listing = await this.matching.shiftListing(
      volunteerId,
      found.map((shift) => shift.shiftId),
    );
    const byId = listing.shifts;
    return found.map((shift) => ({
      shiftId: shift.shiftId,
      title: byId.get(shift.shiftId)?.title ?? '',
      organisationName: byId.get(shift.shiftId)?.organisation_name ?? '',
      startsAt: shift.startsAt.toISOString(),
      endsAt: shift.endsAt.toISOString(),
      localTime: formatLocalInterval(shift.startsAt, shift.endsAt, listing.timeZone),
      distanceKm: round1(shift.distanceKm),
      explanation: shift.explanation,
    }));
  }
}
