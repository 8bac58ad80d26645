import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { HoursService } from '../hours/index.js';
import { OrganisationsService } from '../organisations/index.js';
import { monthBounds, monthHours, type MonthHours } from './core/month-hours.js';
import {
  atRisk,
  attendanceSummary,
  attendanceWeeks,
  DASHBOARD_DAYS,
  fillByDay,
  totalWaiting,
  type AtRisk,
  type AttendanceSummary,
  type AttendanceWeek,
  type DayFill,
  type StaffedShift,
} from './core/staffing.js';
import { OperationsRepository } from './operations.repository.js';

export interface StaffingDashboard {
  organisationId: string;
  timeZone: string;
  /** The first instant of today in the organisation's zone, and the end of the 14th day. */
  from: Date;
  to: Date;
  shifts: StaffedShift[];
  days: DayFill[];
  atRisk: AtRisk[];
  attendance: AttendanceSummary & { unmarked: number; weeks: AttendanceWeek[] };
  /** Volunteers on the waitlists of the live shifts in the 14 days. */
  waiting: number;
  /** Credited hours of the current calendar month in the organisation's zone. */
  hoursThisMonth: MonthHours;
}

/**
 * The coordinator's week at a glance: the next 14 days' shifts and their fill, the shifts at
 * risk, the waitlists, how reliably the last 90 days' bookings turned up, and the hours credited
 * this month. Reads only, apart from the hours library crediting unmarked bookings before it reads
 * its ledger (so the dashboard's hours agree with the organisation's export).
 */
@Injectable()
export class OperationsService {
  constructor(
    private readonly repo: OperationsRepository,
    private readonly organisations: OrganisationsService,
    private readonly hours: HoursService,
  ) {}

  async staffing(organisationId: string, now = new Date()): Promise<StaffingDashboard> {
    const organisation = await this.organisations.get(organisationId);
    const zone = organisation.timeZone;
    const today = DateTime.fromJSDate(now, { zone }).startOf('day');
    const from = today.toJSDate();
    const to = today.plus({ days: DASHBOARD_DAYS }).toJSDate();
    const month = monthBounds(zone, now);
    const [shifts, weeks, totals, entries] = await Promise.all([
      this.repo.upcomingShifts(organisationId, from, to),
      this.repo.attendanceByWeek(organisationId, zone),
      this.repo.recentTotals(organisationId),
      this.hours.organisationHours(organisationId, { from: month.from, to: month.to }),
    ]);
    return {
      organisationId,
      timeZone: zone,
      from,
      to,
      shifts,
      days: fillByDay(shifts, zone, now),
      atRisk: atRisk(shifts, now),
      attendance: {
        ...attendanceSummary(weeks, totals.lateCancellations),
        unmarked: totals.unmarked,
        weeks: attendanceWeeks(weeks, zone, now),
      },
      waiting: totalWaiting(shifts),
      hoursThisMonth: monthHours(entries, zone, now),
    };
  }
}
