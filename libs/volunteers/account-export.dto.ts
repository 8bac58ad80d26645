import { ApiProperty } from '@nestjs/swagger';
import { MyCheckInDto } from '../wellbeing/index.js';
import { VolunteerProfileDto } from './volunteer.dto.js';

/** What GET /api/me/export returns: everything Kindshift holds about the person, as stored. */
export class ExportAccountDto {
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty({ enum: ['volunteer', 'coordinator'] }) role: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) email_verified_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ExportConsentsDto {
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) offers_consent_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) check_in_consent_at: string | null;
}

export class ExportOfferDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shift_id: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) starts_at: string;
  @ApiProperty() status: string;
  @ApiProperty() explanation: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) responded_at: string | null;
}

export class ExportBookingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shift_id: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) starts_at: string;
  @ApiProperty({ format: 'date-time' }) ends_at: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String, description: 'Your reason, if you gave one when cancelling' })
  cancel_reason: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When you arrived at the door, if recorded',
  })
  arrived_at: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['qr', 'kiosk', 'coordinator'] }) arrived_via: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When you left, if recorded' })
  left_at: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['qr', 'kiosk', 'coordinator'] }) left_via: string | null;
}

export class ExportHoursEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['shift', 'logged'] }) kind: string;
  @ApiProperty({ enum: ['credited', 'voided', 'pending', 'approved', 'declined'] }) status: string;
  @ApiProperty() organisation: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) booking_id: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) work_date: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) starts_at: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) logged_minutes: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) ends_at: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) adjusted_minutes: number | null;
  @ApiProperty({ nullable: true, type: String }) adjust_reason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) decided_at: string | null;
  @ApiProperty({ nullable: true, type: String }) decision_note: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) voided_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ExportHoursStatementDto {
  @ApiProperty() ref: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) organisation_id: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) period_from: string | null;
  @ApiProperty({ format: 'date' }) period_to: string;
  @ApiProperty({ type: 'integer' }) total_minutes: number;
  @ApiProperty({ type: 'integer' }) entry_count: number;
  @ApiProperty({ format: 'date-time' }) issued_at: string;
}

export class ExportSessionDto {
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}

export class ExportEmailDto {
  @ApiProperty() kind: string;
  @ApiProperty() status: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ExportEmailChangeDto {
  @ApiProperty({ format: 'email' }) old_email: string;
  @ApiProperty({ format: 'email' }) new_email: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) confirmed_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) cancelled_at: string | null;
}

/** GET /api/me/export: every row about you, as stored (snake_case columns). */
export class AccountExportDto {
  @ApiProperty({ format: 'date-time' }) exportedAt: string;
  @ApiProperty({ type: VolunteerProfileDto }) profile: VolunteerProfileDto;
  @ApiProperty({ type: ExportAccountDto }) account: ExportAccountDto;
  @ApiProperty({ type: ExportConsentsDto }) consents: ExportConsentsDto;
  @ApiProperty({ type: [ExportOfferDto] }) offers: ExportOfferDto[];
  @ApiProperty({ type: [ExportBookingDto] }) bookings: ExportBookingDto[];
  @ApiProperty({
    type: [ExportHoursEntryDto],
    description: 'Your hours ledger entries (GET /api/me/hours shows the credited minutes)',
  })
  hoursEntries: ExportHoursEntryDto[];
  @ApiProperty({ type: [ExportHoursStatementDto], description: 'Hours statements you downloaded' })
  hoursStatements: ExportHoursStatementDto[];
  @ApiProperty({ type: [MyCheckInDto] }) checkIns: MyCheckInDto[];
  @ApiProperty({ type: [ExportSessionDto] }) sessions: ExportSessionDto[];
  @ApiProperty({ type: [ExportEmailDto] }) emails: ExportEmailDto[];
  @ApiProperty({ type: [ExportEmailChangeDto], description: 'Changes of your email address you asked for' })
  emailChanges: ExportEmailChangeDto[];
}
