import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../platform/index.js';
import { Allow, assertActsForOrganisation, CurrentPrincipal, type Principal } from '../identity/index.js';
import { formatHours } from '../hours/index.js';
import { formatLocalInterval } from '../organisations/index.js';
import { StaffingDashboardDto } from './operations.dto.js';
import { OperationsService, type StaffingDashboard } from './operations.service.js';

@ApiTags('operations')
@Controller('api/organisations/:organisationId/dashboard')
@Allow('coordinator', 'api_key')
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  @Get()
  @ApiOperation({
    summary:
      'The next 14 days at a glance: fill per day and shift, shifts at risk, waitlists, attendance of the last 90 days, hours this month',
  })
  @ApiOkResponse({ type: StaffingDashboardDto })
  async dashboard(
    @CurrentPrincipal() principal: Principal,
    @Param('organisationId', UuidPipe) organisationId: string,
  ): Promise<StaffingDashboardDto> {
    assertActsForOrganisation(principal, organisationId);
    return dashboardDto(await this.operations.staffing(organisationId));
  }
}

export function dashboardDto(d: StaffingDashboard): StaffingDashboardDto {
  const local = (s: { startsAt: Date; endsAt: Date }) => formatLocalInterval(s.startsAt, s.endsAt, d.timeZone);
  return {
    timeZone: d.timeZone,
    from: d.from.toISOString(),
    to: d.to.toISOString(),
    days: d.days,
    shifts: d.shifts.map((s) => ({
      ...s,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      localTime: local(s),
    })),
    atRisk: d.atRisk.map((r) => ({
      shiftId: r.shift.id,
      title: r.shift.title,
      localTime: local(r.shift),
      missing: r.missing,
      shortRoles: r.shortRoles,
      hoursToStart: Math.round(r.hoursToStart * 10) / 10,
      reason: r.reason,
      waiting: r.shift.waiting,
    })),
    attendance: d.attendance,
    waiting: d.waiting,
    hoursThisMonth: { ...d.hoursThisMonth, hours: formatHours(d.hoursThisMonth.minutes) },
  };
}
