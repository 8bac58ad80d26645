import { Migration } from '@mikro-orm/migrations';

/** offer_email_prepare as this migration creates it (a later migration derives its successor from it). */
export const OFFER_EMAIL_PREPARE_V1 = `create function offer_email_prepare(p_offer uuid, p_claimant text, p_claim_seconds int,
                                                     p_answer_hash text, p_unsubscribe_hash text, p_unsubscribe_seconds int)
      returns jsonb language plpgsql as $$
      declare
        o record;
        claimed bigint;
        context jsonb;
      begin
        select f.volunteer_id, f.shift_id, f.expires_at, f.explanation into o from offers f
        where f.id = p_offer and f.status = 'pending' and f.expires_at > now();
        if not found then
          return jsonb_build_object('due', false); -- answered, withdrawn or expired before it went out
        end if;
        claimed := delivery_claim('offer', p_offer::text, o.volunteer_id, p_claimant, p_claim_seconds);
        if claimed is null then
          return jsonb_build_object('due', false, 'status',
            (select d.status from email_deliveries d where d.kind = 'offer' and d.subject_id = p_offer::text));
        end if;
        select jsonb_build_object(
                 'due', true, 'delivery_id', claimed::text,
                 'email', a.email, 'volunteer_name', v.name, 'time_zone', v.time_zone,
                 'title', s.title, 'starts_at', s.starts_at, 'ends_at', s.ends_at,
                 'organisation_name', og.name, 'place_label', ad.label, 'street', ad.street,
                 'expires_at', o.expires_at, 'explanation', o.explanation,
                 -- no other offer of the shift sent yet: this one may be its first (checked again after sending)
                 'maybe_first', s.published_at is not null
                   and not exists (select 1 from offers x where x.shift_id = o.shift_id and x.id <> p_offer and x.sent_at is not null))
          into context
        from volunteers v join accounts a on a.id = v.account_id, shifts s
        join organisations og on og.id = s.organisation_id join organisation_addresses ad on ad.id = s.address_id
        where v.account_id = o.volunteer_id and s.id = o.shift_id;
        if context is null then
          delete from email_deliveries where id = claimed;
          return jsonb_build_object('due', false);
        end if;
        -- The answer link lives as long as the offer (at least a minute); the unsubscribe link far longer.
        insert into link_tokens (token_hash, purpose, account_id, subject_id, expires_at) values
          (p_answer_hash, 'offer_response', o.volunteer_id, p_offer, greatest(o.expires_at, now() + interval '60 seconds')),
          (p_unsubscribe_hash, 'unsubscribe', o.volunteer_id, null, now() + make_interval(secs => p_unsubscribe_seconds));
        return context;
      end $$`;

/**
 * Send-once without holding a transaction across the SMTP conversation.
 *
 * A delivery is claimed before the mail goes out: a row in state 'sending', held by the job that
 * sends it until `claimed_until`. The job marks it 'sent' after the server's reply (or 'failed' on
 * a permanent refusal, or deletes its claim on a transient one so a retry can claim again). A
 * claim left behind by a crashed attempt is taken over by the same job's retry at once (BullMQ
 * re-runs a job only after its previous run ended or lost its lock), and by anyone else once it
 * has lapsed. Until then a second job for the same email is told to retry later.
 *
 * Offer emails, the busiest kind, claim, store their link tokens and read what the email says in
 * one call of offer_email_prepare. PL/pgSQL, because its statements' plans are cached per
 * connection: planning the context join (volunteers carries a partial index per skill, and the
 * planner weighs every one) cost ~1 ms per email, five times its execution.
 */
export class DeliveryClaims20261127 extends Migration {
  override up(): void {
    // PostgreSQL ≥ 12 allows this inside the migration's transaction; the value is used only later
    // (PL/pgSQL bodies are checked when they first run, not when they are created).
    this.addSql(`alter type delivery_status add value if not exists 'sending'`);
    this.addSql(`alter table email_deliveries add column claimed_by text, add column claimed_until timestamptz`);

    this
      .addSql(`create function delivery_claim(p_kind text, p_subject text, p_account uuid, p_claimant text, p_seconds int)
      returns bigint language plpgsql as $$
      declare
        claimed bigint;
      begin
        insert into email_deliveries as d (kind, subject_id, account_id, status, claimed_by, claimed_until)
        values (p_kind, p_subject, p_account, 'sending', p_claimant, now() + make_interval(secs => p_seconds))
        on conflict (kind, subject_id) do update set claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
          where d.status = 'sending' and (d.claimed_until < now() or d.claimed_by = excluded.claimed_by)
        returning d.id into claimed;
        return claimed;
      end $$`);

    // offers.sent_at follows the delivery log, so every way of recording an offer email as sent sets it.
    this.addSql(`create function offers_mark_sent() returns trigger language plpgsql as $$
      begin
        update offers set sent_at = coalesce(sent_at, now()) where id = new.subject_id::uuid;
        return null;
      end $$`);
    this.addSql(`create trigger email_deliveries_offer_sent after insert or update of status on email_deliveries
      for each row when (new.kind = 'offer' and new.status = 'sent') execute function offers_mark_sent()`);

    this.addSql(OFFER_EMAIL_PREPARE_V1);
  }

  override down(): void {
    this.addSql(`drop function if exists offer_email_prepare(uuid, text, int, text, text, int)`);
    this.addSql(`drop trigger if exists email_deliveries_offer_sent on email_deliveries`);
    this.addSql(`drop function if exists offers_mark_sent()`);
    this.addSql(`drop function if exists delivery_claim(text, text, uuid, text, int)`);
    this.addSql(`delete from email_deliveries where status = 'sending'`);
    this.addSql(`alter table email_deliveries drop column if exists claimed_by, drop column if exists claimed_until`);
    // An enum value cannot be dropped; 'sending' stays unused.
  }
}
