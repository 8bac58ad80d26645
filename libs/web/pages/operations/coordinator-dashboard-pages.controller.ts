import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { plural } from '../../../common/index.js';
import { formatHours } from '../../../hours/index.js';
import { Allow } from '../../../identity/index.js';
import {
  dashboardDto,
  OperationsService,
  stackedColumnsSvg,
  type StaffingDashboardDto,
} from '../../../operations/index.js';
import { SHIFT_STATUS_LABELS } from '../../labels.js';
import { PageRenderer } from '../../page-renderer.js';
import { coordinatorOf } from '../offers/principals.js';

const RISK_WORDS = { soon: 'starts soon and is short', 'half-empty': 'less than half filled' } as const;

/**
 * The staffing dashboard: the next 14 days' fill per day and per shift, shifts at risk, waitlists,
 * the last 90 days' attendance and this month's hours, with server-rendered SVG charts and the same
 * numbers as tables (the page needs no JavaScript).
 */
@ApiExcludeController()
@Controller('org')
@Allow('coordinator')
export class CoordinatorDashboardPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly operations: OperationsService,
  ) {}

  @Get('dashboard')
  async dashboard(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const d = dashboardDto(await this.operations.staffing(coordinatorOf(request).organisationId));
    const day = (date: string) => DateTime.fromISO(date, { zone: d.timeZone }).toFormat('ccc d');
    // The chart's axis has room for a narrow weekday only: "M 7".
    const axisDay = (date: string) => DateTime.fromISO(date, { zone: d.timeZone }).toFormat('ccccc d');
    const places = d.days.reduce((n, x) => n + x.booked + x.open, 0);
    const booked = d.days.reduce((n, x) => n + x.booked, 0);
    return this.pages.render(request, reply, 'org/dashboard.eta', {
      title: 'Staffing dashboard',
      zone: d.timeZone,
      totals: {
        shifts: d.days.reduce((n, x) => n + x.shifts, 0),
        booked,
        places,
        percent: places ? Math.round((booked / places) * 100) : null,
      },
      waiting: d.waiting,
      hours: monthHoursView(d),
      atRisk: d.atRisk.map((r) => ({
        ...r,
        waitingText: r.waiting > 0 ? `${r.waiting} waiting` : null,
        why: RISK_WORDS[r.reason as keyof typeof RISK_WORDS],
        needs: plural(r.missing, { one: 'needs # more', other: 'needs # more' }),
        // Only a shift with several roles says which is short: "short of Servers (1)".
        shortRolesText: roleCount(d, r.shiftId) > 1 ? shortRolesText(r.shortRoles) : null,
        startsIn:
          r.hoursToStart < 24
            ? `in ${Math.max(1, Math.round(r.hoursToStart))} h`
            : `in ${Math.round(r.hoursToStart / 24)} days`,
      })),
      days: d.days.map((x) => ({ ...x, label: day(x.date) })),
      shifts: d.shifts.map((s) => ({
        ...s,
        // "Kitchen lead 1/1 · Servers 3/4" only where there is more than one role to tell apart.
        rolesText: s.roles.length > 1 ? s.roles.map((r) => `${r.name} ${r.filled}/${r.capacity}`).join(' · ') : null,
        statusLabel: SHIFT_STATUS_LABELS[s.status as keyof typeof SHIFT_STATUS_LABELS] ?? s.status,
      })),
      attendance: {
        ...d.attendance,
        percent: d.attendance.noShowRate === null ? null : Math.round(d.attendance.noShowRate * 1000) / 10,
      },
      fillChart: fillChart(d, day, axisDay),
      attendanceChart: attendanceChart(d, day),
      hoursChart: hoursChart(d),
    });
  }
}

function roleCount(d: StaffingDashboardDto, shiftId: string): number {
  return d.shifts.find((s) => s.id === shiftId)?.roles.length ?? 1;
}

function shortRolesText(roles: { name: string; missing: number }[]): string {
  return `short of ${roles.map((r) => `${r.name} (${r.missing})`).join(', ')}`;
}

function fillChart(d: StaffingDashboardDto, day: (date: string) => string, axisDay: (date: string) => string): string {
  return stackedColumnsSvg({
    id: 'fill-chart',
    title: 'Places booked and still open, per day, for the next 14 days',
    summary: d.days.map((x) => `${day(x.date)}: ${x.booked} booked, ${x.open} open`).join('; '),
    columns: d.days.map((x) => ({
      label: axisDay(x.date),
      parts: [
        { cls: 'booked', name: 'booked', value: x.booked },
        { cls: 'open', name: 'open', value: x.open },
      ],
    })),
  });
}

function attendanceChart(d: StaffingDashboardDto, day: (date: string) => string): string {
  const weeks = d.attendance.weeks;
  return stackedColumnsSvg({
    id: 'attendance-chart',
    title: 'Attended and no-shows per week, the last 13 weeks',
    summary: weeks.map((w) => `Week of ${day(w.weekStart)}: ${w.attended} attended, ${w.noShows} no-shows`).join('; '),
    columns: weeks.map((w) => ({
      label: DateTime.fromISO(w.weekStart).toFormat('d/M'),
      parts: [
        { cls: 'attended', name: 'attended', value: w.attended },
        { cls: 'no-show', name: 'no-shows', value: w.noShows },
      ],
    })),
  });
}

/** "1–6 Dec", or "31 Dec" for a one-day week. */
function weekLabel(w: { from: string; to: string }): string {
  const from = DateTime.fromISO(w.from);
  const to = DateTime.fromISO(w.to);
  return w.from === w.to ? to.toFormat('d LLL') : `${from.toFormat('d')}–${to.toFormat('d LLL')}`;
}

function monthHoursView(d: StaffingDashboardDto) {
  const h = d.hoursThisMonth;
  return {
    monthName: DateTime.fromISO(`${h.month}-01`).toFormat('LLLL yyyy'),
    hours: h.hours,
    shiftHours: formatHours(h.shiftMinutes),
    loggedHours: formatHours(h.loggedMinutes),
    entries: h.entries,
    weeks: h.weeks.map((w) => ({
      label: weekLabel(w),
      shiftHours: formatHours(w.shiftMinutes),
      loggedHours: formatHours(w.loggedMinutes),
      totalHours: formatHours(w.shiftMinutes + w.loggedMinutes),
    })),
  };
}

function hoursChart(d: StaffingDashboardDto): string {
  const weeks = d.hoursThisMonth.weeks;
  const rounded = (minutes: number) => Math.round(minutes / 6) / 10;
  return stackedColumnsSvg({
    id: 'hours-chart',
    title: 'Hours credited per week this month',
    summary: weeks
      .map(
        (w) => `${weekLabel(w)}: ${formatHours(w.shiftMinutes)} h of shifts, ${formatHours(w.loggedMinutes)} h logged`,
      )
      .join('; '),
    columns: weeks.map((w) => ({
      label: weekLabel(w),
      parts: [
        { cls: 'shift-hours', name: 'hours of shifts', value: rounded(w.shiftMinutes) },
        { cls: 'logged-hours', name: 'hours logged', value: rounded(w.loggedMinutes) },
      ],
    })),
  });
}
