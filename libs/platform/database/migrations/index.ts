import { InitialSchema20261126 } from './20261126-initial-schema.migration.js';
import { SeedSkills20261126 } from './20261126-seed-skills.migration.js';
import { Matching20261126 } from './20261126-matching.migration.js';
import { Wellbeing20261126 } from './20261126-wellbeing.migration.js';
import { OutboxNotify20261127 } from './20261127-outbox-notify.migration.js';
import { DeliveryClaims20261127 } from './20261127-delivery-claims.migration.js';
import { AvailabilityHours20261128 } from './20261128-availability-hours.migration.js';
import { OfferFirstClaim20261129 } from './20261129-offer-first-claim.migration.js';
import { SuggestionsStop20261130 } from './20261130-suggestions-stop.migration.js';
import { EmailChange20261203 } from './20261203-email-change.migration.js';
import { FormerVolunteers20261203 } from './20261203-former-volunteers.migration.js';
import { CancelReasons20261203 } from './20261203-cancel-reasons.migration.js';
import { MailSweeper20261203 } from './20261203-mail-sweeper.migration.js';
import { Arrivals20261206 } from './20261206-arrivals.migration.js';
import { RosterMessages20261206 } from './20261206-roster-messages.migration.js';
import { LateCancellations20261206 } from './20261206-late-cancellations.migration.js';
import { Hours20261206 } from './20261206-hours.migration.js';
import { Waitlist20261206 } from './20261206-waitlist.migration.js';
import { Cover20261206 } from './20261206-cover.migration.js';
import { Roles20261206 } from './20261206-roles.migration.js';
import { RosterMessageRoles20261206 } from './20261206-roster-message-roles.migration.js';
import { OfferEmailRole20261206 } from './20261206-offer-email-role.migration.js';

/**
 * Migrations in order. Listed explicitly (not discovered from files) so the same list runs from
 * compiled JavaScript and under jest.
 */
export const MIGRATIONS = [
  { name: 'InitialSchema20261126', class: InitialSchema20261126 },
  { name: 'SeedSkills20261126', class: SeedSkills20261126 },
  { name: 'Matching20261126', class: Matching20261126 },
  { name: 'Wellbeing20261126', class: Wellbeing20261126 },
  { name: 'OutboxNotify20261127', class: OutboxNotify20261127 },
  { name: 'DeliveryClaims20261127', class: DeliveryClaims20261127 },
  { name: 'AvailabilityHours20261128', class: AvailabilityHours20261128 },
  { name: 'OfferFirstClaim20261129', class: OfferFirstClaim20261129 },
  { name: 'SuggestionsStop20261130', class: SuggestionsStop20261130 },
  { name: 'EmailChange20261203', class: EmailChange20261203 },
  { name: 'FormerVolunteers20261203', class: FormerVolunteers20261203 },
  { name: 'CancelReasons20261203', class: CancelReasons20261203 },
  { name: 'MailSweeper20261203', class: MailSweeper20261203 },
  { name: 'Arrivals20261206', class: Arrivals20261206 },
  { name: 'RosterMessages20261206', class: RosterMessages20261206 },
  { name: 'LateCancellations20261206', class: LateCancellations20261206 },
  { name: 'Hours20261206', class: Hours20261206 },
  { name: 'Waitlist20261206', class: Waitlist20261206 },
  { name: 'Cover20261206', class: Cover20261206 },
  { name: 'Roles20261206', class: Roles20261206 },
  { name: 'RosterMessageRoles20261206', class: RosterMessageRoles20261206 },
  { name: 'OfferEmailRole20261206', class: OfferEmailRole20261206 },
];
