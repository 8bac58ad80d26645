import { Migration } from '@mikro-orm/migrations';

/**
 * What an offer email needs before it goes out, as one function: check the offer is still pending
 * and not yet delivered, store its two link tokens (hashes computed by the caller), and return what
 * the email says. A PL/pgSQL function because its statements' plans are cached per connection:
 * planning the context join (volunteers carries a partial index per skill, and the planner weighs
 * every one) cost ~1 ms per email, five times its execution — the largest share of the database's
 * work per offer in `npm run bench:offers`.
 */
export class OfferEmailPrepare20261127 extends Migration {
  override up(): void {
    this.addSql(`create function offer_email_prepare(p_offer uuid, p_answer_hash text, p_unsubscribe_hash text, p_unsubscribe_seconds int)
      returns jsonb language plpgsql as $$
      declare
        o record;
        context jsonb;
      begin
        select f.volunteer_id, f.shift_id, f.expires_at, f.explanation into o from offers f
        where f.id = p_offer and f.status = 'pending' and f.expires_at > now()
          and not exists (select 1 from email_deliveries d where d.kind = 'offer' and d.subject_id = p_offer::text);
        if not found then
          return null;
        end if;
        select jsonb_build_object(
                 'volunteer_id', v.account_id, 'email', a.email, 'volunteer_name', v.name, 'time_zone', v.time_zone,
                 'shift_id', s.id, 'title', s.title, 'description', s.description, 'starts_at', s.starts_at, 'ends_at', s.ends_at,
                 'sequence', s.sequence, 'organisation_name', og.name, 'place_label', ad.label, 'street', ad.street,
                 'lat', s.lat, 'lon', s.lon, 'expires_at', o.expires_at, 'explanation', o.explanation)
          into context
        from volunteers v join accounts a on a.id = v.account_id, shifts s
        join organisations og on og.id = s.organisation_id join organisation_addresses ad on ad.id = s.address_id
        where v.account_id = o.volunteer_id and s.id = o.shift_id;
        if context is null then
          return null;
        end if;
        -- The answer link lives as long as the offer (at least a minute); the unsubscribe link far longer.
        insert into link_tokens (token_hash, purpose, account_id, subject_id, expires_at) values
          (p_answer_hash, 'offer_response', o.volunteer_id, p_offer, greatest(o.expires_at, now() + interval '60 seconds')),
          (p_unsubscribe_hash, 'unsubscribe', o.volunteer_id, null, now() + make_interval(secs => p_unsubscribe_seconds));
        return context;
      end $$`);
  }

  override down(): void {
    this.addSql(`drop function if exists offer_email_prepare(uuid, text, text, int)`);
  }
}
