import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { OrganisationsService } from '../organisations/index.js';
import {
  atRisk,
  attendanceSummary,
  attendanceWeeks,
  DASHBOARD_DAYS,
  fillByDay,
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
}

/**
 * The coordinator's week at a glance: the next 14 days' shifts and their fill, the shifts at
 * risk, and how reliably the last 90 days' bookings turned up. Reads only.
 */
@Injectable()
export class OperationsService {
  constructor(
    private readonly repo: OperationsRepository,
    private readonly organisations: OrganisationsService,
  ) {}

  async staffing(organisationId: string, now = new Date()): Promise<StaffingDashboard> {
    const organisation = await this.organisations.get(organisationId);
    const zone = organisation.timeZone;
    const today = DateTime.fromJSDate(now, { zone }).startOf('day');
    const from = today.toJSDate();
    const to = today.plus({ days: DASHBOARD_DAYS }).toJSDate();
    const [shifts, weeks, totals] = await Promise.all([
      this.repo.upcomingShifts(organisationId, from, to),
      this.repo.attendanceByWeek(organisationId, zone),
      this.repo.recentTotals(organisationId),
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
    };
  }
}
