// The rows the demo seed writes (one interface per table, fields named as its columns) and the
// counts it reports.
import type { OrganisationKind } from '../../../libs/organisations/organisation.entities.js';

export interface SeedDemoCounts {
  organisations: number;
  addresses: number;
  coordinators: number;
  volunteers: number;
  verifiedVolunteers: number;
  availabilityWindows: number;
  availabilityExceptions: number;
  series: number;
  shifts: number;
  openShifts: number;
  draftShifts: number;
}

export interface AccountRow {
  id: string;
  email: string;
  role: 'volunteer' | 'coordinator';
  email_verified_at: string | null;
}
export interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationKind;
  time_zone: string;
}
export interface AddressRow {
  id: string;
  organisation_id: string;
  label: string;
  street: string;
  lat: number;
  lon: number;
  is_default: boolean;
}
export interface CoordinatorRow {
  account_id: string;
  organisation_id: string;
  name: string;
}
export interface VolunteerRow {
  account_id: string;
  name: string;
  time_zone: string;
  home_label: string;
  home_lat: number;
  home_lon: number;
  travel_km: number;
  skills: string[];
  causes: OrganisationKind[];
  weekly_shift_cap: number;
  status: 'active' | 'paused';
  offers_consent_at: string;
  check_in_consent_at: string | null;
  country: string;
}
export interface WindowRow {
  volunteer_id: string;
  weekday: number;
  start_local: string;
  end_local: string;
}
export interface ExceptionRow {
  volunteer_id: string;
  starts_on: string;
  ends_on: string;
}
export interface SeriesRow {
  id: string;
  organisation_id: string;
  address_id: string;
  title: string;
  description: string;
  weekday: number;
  start_local: string;
  end_local: string;
  starts_on: string;
  until: string;
  capacity: number;
  required_skills: string[];
  nice_skills: string[];
  generated_until: string;
}
export interface ShiftRow {
  id: string;
  organisation_id: string;
  series_id: string | null;
  address_id: string;
  title: string;
  description: string;
  starts_at: string;
  ends_at: string;
  lat: number;
  lon: number;
  capacity: number;
  required_skills: string[];
  nice_skills: string[];
  status: 'open' | 'draft';
  published_at: string | null;
  changed_by: string;
}

export interface DemoData {
  accounts: AccountRow[];
  organisations: OrganisationRow[];
  addresses: AddressRow[];
  coordinators: CoordinatorRow[];
  volunteers: VolunteerRow[];
  windows: WindowRow[];
  exceptions: ExceptionRow[];
  series: SeriesRow[];
  shifts: ShiftRow[];
  counts: SeedDemoCounts;
}
