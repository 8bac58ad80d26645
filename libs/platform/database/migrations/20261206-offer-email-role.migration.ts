import { Migration } from '@mikro-orm/migrations';
import { OFFER_EMAIL_PREPARE_V2 } from './20261129-offer-first-claim.migration.js';

const OFFER_ROW_V2 = `select f.volunteer_id, f.shift_id, f.expires_at, f.explanation into o from offers f`;
const OFFER_ROW_V3 = `select f.volunteer_id, f.shift_id, f.expires_at, f.explanation, f.role_id into o from offers f`;

const EXPLANATION_V2 = `'expires_at', o.expires_at, 'explanation', o.explanation,`;
const EXPLANATION_V3 = `'expires_at', o.expires_at, 'explanation', o.explanation,
                 -- the offer's role, on a shift with more than one (a one-role shift's "Volunteer" says nothing)
                 'role_name', (select r.name from shift_roles r where r.id = o.role_id
                                and exists (select 1 from shift_roles x where x.shift_id = o.shift_id and x.id <> r.id)),`;

/**
 * The offer email names the role it offers on a multi-role shift (ADR 0029): "Could you help?
 * Kitchen lead — Supper at …". offer_email_prepare reads what the email says, so it returns the
 * role's name too (null on a one-role shift); its signature and everything else stay as they were.
 */
export const OFFER_EMAIL_PREPARE_V3 = replaceOnce(
  replaceOnce(OFFER_EMAIL_PREPARE_V2, OFFER_ROW_V2, OFFER_ROW_V3),
  EXPLANATION_V2,
  EXPLANATION_V3,
);

export class OfferEmailRole20261206 extends Migration {
  override up(): void {
    this.addSql(OFFER_EMAIL_PREPARE_V3);
  }

  override down(): void {
    this.addSql(OFFER_EMAIL_PREPARE_V2);
  }
}

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0)
    throw new Error(`offer_email_prepare: "${from.slice(0, 40)}…" is not there exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
