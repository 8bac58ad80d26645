import { Migration } from '@mikro-orm/migrations';
import { OFFER_EMAIL_PREPARE_V1 } from './20261127-delivery-claims.migration.js';

const MAYBE_FIRST_V1 = `-- no other offer of the shift sent yet: this one may be its first (checked again after sending)
                 'maybe_first', s.published_at is not null
                   and not exists (select 1 from offers x where x.shift_id = o.shift_id and x.id <> p_offer and x.sent_at is not null))`;

/**
 * An offer email "may be its shift's first" (and then checks, once sent, whether it was: the
 * publish → first offer metric) only if no other offer email of the shift was claimed before it.
 * Until now it was any email claimed before one of its shift had been sent: in a burst, the first
 * dozen or more of every shift, each paying a query after sending. Claimed-before is seen in the
 * delivery log: a claim row exists from the claim on, and earlier calls in the same group-committed
 * statement are seen by later ones. If that first claim is given back (a transient SMTP failure),
 * the shift's first offer goes unobserved: a missing sample, never a wrong one.
 *
 * The delivery log is probed per offer of the shift (a LATERAL with LIMIT cannot become a join):
 * left to itself the planner hashes every offer delivery there is, once per email.
 */
const MAYBE_FIRST_V2 = `-- no other offer email of the shift claimed yet: this one may be its first (checked again after sending)
                 'maybe_first', s.published_at is not null
                   and not exists (select 1 from offers x
                                   cross join lateral (select 1 from email_deliveries d where d.kind = 'offer' and d.subject_id = x.id::text limit 1) claimed
                                   where x.shift_id = o.shift_id and x.id <> p_offer))`;

export const OFFER_EMAIL_PREPARE_V2 = replaceOnce(OFFER_EMAIL_PREPARE_V1, MAYBE_FIRST_V1, MAYBE_FIRST_V2).replace(
  'create function',
  'create or replace function',
);

export class OfferFirstClaim20261129 extends Migration {
  override up(): void {
    this.addSql(OFFER_EMAIL_PREPARE_V2);
  }

  override down(): void {
    this.addSql(OFFER_EMAIL_PREPARE_V1.replace('create function', 'create or replace function'));
  }
}

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0)
    throw new Error('offer_email_prepare: the maybe_first clause to replace is not there exactly once');
  return text.slice(0, at) + to + text.slice(at + from.length);
}
