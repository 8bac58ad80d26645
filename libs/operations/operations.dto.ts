import { ApiProperty } from '@nestjs/swagger';

export class DashboardRoleFillDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Kitchen lead' }) name: string;
  @ApiProperty({ type: 'integer', description: 'Seats of this role taken' }) filled: number;
  @ApiProperty({ type: 'integer' }) capacity: number;
}

export class DashboardShortRoleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Servers' }) name: string;
  @ApiProperty({ type: 'integer', description: 'Seats of this role still open' }) missing: number;
}

export class DashboardShiftDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ description: 'In the organisation’s time zone' }) localTime: string;
  @ApiProperty({ enum: ['draft', 'open', 'full', 'cancelled', 'completed'] }) status: string;
  @ApiProperty({ type: 'integer' }) capacity: number;
  @ApiProperty({ type: 'integer' }) filled: number;
  @ApiProperty({ type: 'integer', description: 'Offers sent and not answered yet' }) pendingOffers: number;
  @ApiProperty({ type: 'integer', description: 'Volunteers on the shift’s waitlist' }) waiting: number;
  @ApiProperty({
    type: [DashboardRoleFillDto],
    description:
      'Fill per role, in the roles’ order; `capacity`/`filled` above are their sums (one `Volunteer` role on a shift posted without roles)',
  })
  roles: DashboardRoleFillDto[];
}

export class DashboardDayDto {
  @ApiProperty({ format: 'date', description: 'Local date in the organisation’s time zone' }) date: string;
  @ApiProperty({ type: 'integer' }) shifts: number;
  @ApiProperty({ type: 'integer' }) booked: number;
  @ApiProperty({ type: 'integer' }) open: number;
}

export class AtRiskShiftDto {
  @ApiProperty({ format: 'uuid' }) shiftId: string;
  @ApiProperty() title: string;
  @ApiProperty() localTime: string;
  @ApiProperty({ type: 'integer', description: 'Places still open' }) missing: number;
  @ApiProperty({ type: [DashboardShortRoleDto], description: 'The roles with places still open, in the roles’ order' })
  shortRoles: DashboardShortRoleDto[];
  @ApiProperty({ description: 'Hours until it starts' }) hoursToStart: number;
  @ApiProperty({ type: 'integer', description: 'Volunteers on its waitlist (they are offered a place that frees)' })
  waiting: number;
  @ApiProperty({
    enum: ['soon', 'half-empty'],
    description: '`soon`: under-filled and starting within 72 h; `half-empty`: under half filled within 7 days',
  })
  reason: string;
}

export class StaffingAttendanceWeekDto {
  @ApiProperty({ format: 'date', description: 'Monday of the week, in the organisation’s time zone' })
  weekStart: string;
  @ApiProperty({ type: 'integer' }) attended: number;
  @ApiProperty({ type: 'integer' }) noShows: number;
}

export class StaffingAttendanceDto {
  @ApiProperty({ type: 'integer' }) attended: number;
  @ApiProperty({ type: 'integer' }) noShows: number;
  @ApiProperty({ type: 'integer', description: 'Volunteers’ own cancellations within LATE_CANCEL_HOURS' })
  lateCancellations: number;
  @ApiProperty({ type: 'integer', description: 'Bookings of past shifts nobody marked attended or no-show' })
  unmarked: number;
  @ApiProperty({ type: Number, nullable: true, description: 'No-shows ÷ marked attendance; null with none marked' })
  noShowRate: number | null;
  @ApiProperty({ type: [StaffingAttendanceWeekDto] }) weeks: StaffingAttendanceWeekDto[];
}

export class DashboardHoursWeekDto {
  @ApiProperty({ format: 'date', description: 'First day of the week inside the month (weeks start on Monday)' })
  from: string;
  @ApiProperty({ format: 'date', description: 'Last day of the week inside the month' }) to: string;
  @ApiProperty({ type: 'integer', description: 'Credited minutes of shifts worked' }) shiftMinutes: number;
  @ApiProperty({ type: 'integer', description: 'Approved minutes volunteers logged off-platform' })
  loggedMinutes: number;
}

export class DashboardMonthHoursDto {
  @ApiProperty({ example: '2026-12', description: 'The calendar month, in the organisation’s time zone' })
  month: string;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({
    type: 'integer',
    description:
      'Credited minutes: credited shift entries and approved logged hours (pending, declined, voided count nothing)',
  })
  minutes: number;
  @ApiProperty({ example: '41.5', description: 'The same in hours, at most two decimals, as statements print them' })
  hours: string;
  @ApiProperty({ type: 'integer' }) shiftMinutes: number;
  @ApiProperty({ type: 'integer' }) loggedMinutes: number;
  @ApiProperty({ type: 'integer', description: 'Ledger entries that count' }) entries: number;
  @ApiProperty({ type: [DashboardHoursWeekDto] }) weeks: DashboardHoursWeekDto[];
}

export class StaffingDashboardDto {
  @ApiProperty() timeZone: string;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: [DashboardDayDto] }) days: DashboardDayDto[];
  @ApiProperty({ type: [DashboardShiftDto] }) shifts: DashboardShiftDto[];
  @ApiProperty({ type: [AtRiskShiftDto] }) atRisk: AtRiskShiftDto[];
  @ApiProperty({ type: StaffingAttendanceDto, description: 'The last 90 days' }) attendance: StaffingAttendanceDto;
  @ApiProperty({ type: 'integer', description: 'Volunteers on the waitlists of the published shifts in the 14 days' })
  waiting: number;
  @ApiProperty({ type: DashboardMonthHoursDto, description: 'Hours credited this calendar month' })
  hoursThisMonth: DashboardMonthHoursDto;
}
