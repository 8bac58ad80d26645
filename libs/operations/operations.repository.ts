import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { AttendanceWeek, StaffedShift } from './core/staffing.js';
import * as sql from './sql/staffing.sql.js';

/** Every query of the staffing dashboard; reads only, each on a fork of its own. */
@Injectable()
export class OperationsRepository {
  constructor(private readonly em: EntityManager) {}

  async upcomingShifts(organisationId: string, from: Date, to: Date): Promise<StaffedShift[]> {
    const rows = await this.em.fork().execute(sql.UPCOMING_SHIFTS, [organisationId, from, to]);
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      startsAt: new Date(r.starts_at),
      endsAt: new Date(r.ends_at),
      status: r.status,
      capacity: r.capacity,
      filled: r.filled,
      pendingOffers: r.pending_offers,
      waiting: r.waiting,
      roles: r.roles,
    }));
  }

  async attendanceByWeek(organisationId: string, zone: string): Promise<AttendanceWeek[]> {
    const rows = await this.em.fork().execute(sql.ATTENDANCE_BY_WEEK, [zone, organisationId]);
    return rows.map((r) => ({ weekStart: r.week_start, attended: r.attended, noShows: r.no_shows }));
  }

  async recentTotals(organisationId: string): Promise<{ lateCancellations: number; unmarked: number }> {
    const [row] = await this.em.fork().execute(sql.RECENT_TOTALS, [organisationId]);
    return { lateCancellations: row.late_cancellations, unmarked: row.unmarked };
  }
}
