import type { ExclusionRule, VolunteerFacts } from './exact-rules.js';

// The rows the repository reads and the core decides on (column names as the SQL gives them).

/** What the counts query calls a volunteer: a rule, eligible, or a case for the core. */
export type CountLabel = ExclusionRule | 'eligible' | 'uncertain_availability' | 'uncertain_cap';

/** The shift a volunteer search is for. */
export interface ShiftRow {
  id: string;
  organisation_id: string;
  kind: string;
  /** The organisation's zone and the shift's local-clock facts in it, computed once (see ZONE_SQL). */
  zone: string;
  span: string;
  slack: number;
  span_shrunk: string;
  local_dates: string;
  period: string;
  location: string;
  lat: number;
  lon: number;
  starts_ms: number;
  ends_ms: number;
  required_skills: string[];
  nice_skills: string[];
  /** The hours of the UTC week the shift touches, as an int[] literal (see migration AvailabilityHours20261128). */
  utc_hours: string;
}

/** A volunteer the walk found passing every rule the database can test; the core decides the rest. */
export interface WalkRow extends VolunteerFacts {
  id: string;
  lat: number;
  lon: number;
  travel_m: number;
  knn_m: number;
}

/** One volunteer of the exclusion counts' sample: its label, or its facts when the core must decide. */
export interface CountRow {
  label: CountLabel;
  knn_m: number;
  facts: VolunteerFacts | null;
}

/** One volunteer of checkPair: the first rule they fail (labelSql) and the facts the core decides the rest with. */
export interface PairRow extends WalkRow {
  label: CountLabel;
}

/** The volunteer a shift search is for, with the constants its shift walk binds. */
export interface VolunteerRow extends VolunteerFacts {
  id: string;
  matchable: boolean;
  home: string;
  lat: number;
  lon: number;
  travel_m: number;
  causes: string;
  weekly_availability: string;
  away_dates: string;
}

/** An open shift the shift walk found within the volunteer's reach; the core decides the rest. */
export interface ShiftCandidateRow {
  id: string;
  lat: number;
  lon: number;
  starts_ms: number;
  ends_ms: number;
  nice_skills: string[];
  required_skills: string[];
  overlaps_booking: boolean;
}
