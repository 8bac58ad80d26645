import { Migration } from '@mikro-orm/migrations';

/**
 * The skills catalogue when this migration was written, copied so the migration never changes.
 * A skill added later gets its index in its own migration; until then searches for it use the
 * general index (same result, slower).
 */
const SKILL_SLUGS_AT_MIGRATION = [
  'cooking',
  'food-safety-certificate',
  'serving',
  'dishwashing',
  'driving-licence',
  'van-driving',
  'heavy-lifting',
  'warehouse',
  'animal-handling',
  'dog-walking',
  'cat-care',
  'first-aid',
  'mental-health-first-aid',
  'befriending',
  'childcare',
  'cleaning',
  'laundry',
  'diy-repairs',
  'languages',
  'admin',
  'it-support',
  'fundraising',
];

function skillIndexName(slug: string): string {
  return `volunteers_skill_${slug.replaceAll('-', '_')}_home_gist`;
}

/**
 * What the matching search needs from the database, so the hard rules can be tested while a
 * nearest-first (KNN) index scan walks the volunteers, instead of after loading them:
 *
 * - `volunteers.weekly_availability`: the weekly windows as one int4multirange of local
 *   seconds-of-week (Monday 00:00 = 0), over a two-week domain [0, 1 209 600) so that windows
 *   crossing midnight and Sunday → Monday need no special case. Kept by a trigger on
 *   availability_windows, so every writer keeps it right.
 * - `volunteers.weekly_windows_disjoint`: false when two windows overlap or touch (the
 *   multirange merged them, so containment no longer proves "inside ONE window").
 * - `volunteers.weekly_windows`: a sorted jsonb copy of the windows (trigger-kept), read with
 *   the row by the exact check instead of one more probe per candidate.
 * - `volunteers.away_dates`: the date exceptions as one datemultirange (trigger-kept).
 * - `volunteers.email_verified`: a copy of `accounts.email_verified_at is not null`
 *   (trigger-kept), so "active and verified" is a partial-index predicate, not a join per row.
 * - `matching_availability_may_fit()`: the seconds-of-week span a shift covers on a volunteer's
 *   local clock tested against weekly_availability, shrunk near DST changes so the test can
 *   only be too permissive; the exact check runs in the pure core on the short list.
 * - Indexes the search plans use (see each comment).
 */
export class Matching20261126 extends Migration {
  override up(): void {
    this.addAvailabilityColumns();
    this.addVerifiedCopy();
    this.addSpanFunction();
    this.addIndexes();
  }

  private addAvailabilityColumns(): void {
    this.addSql(`alter table volunteers
      add column weekly_availability int4multirange not null default '{}',
      add column weekly_windows_disjoint boolean not null default true,
      add column weekly_windows jsonb not null default '[]',
      add column away_dates datemultirange not null default '{}',
      add column email_verified boolean not null default false`);
    // A zone PostgreSQL does not know would make every search touching the row fail; reject it
    // at the door instead (timezone() raises for an unknown name).
    this.addSql(`alter table volunteers add constraint volunteers_time_zone_known
      check (timezone(time_zone, timestamptz '2000-01-01 00:00Z') is not null)`);

    // Each window at its own place in the week and one week either side, clipped to the
    // two-week domain: a shift starting in week 1 can then be tested with one containment even
    // if it runs into week 2, and a Sunday-night window also covers early Monday.
    this.addSql(`create function matching_window_pieces(weekday smallint, start_local time, end_local time)
      returns setof int4range language sql immutable parallel safe as $$
        select int4range(greatest(w.s + k.shift, 0), least(w.e + k.shift, 1209600))
        from (select (weekday - 1) * 86400 + extract(epoch from start_local)::int as s,
                     (weekday - 1) * 86400 + extract(epoch from end_local)::int
                       + case when end_local <= start_local then 86400 else 0 end as e) w
        cross join (values (-604800), (0), (604800)) as k(shift)
        where w.e + k.shift > 0 and w.s + k.shift < 1209600
      $$`);
    // Set-based, so a bulk write recomputes many volunteers in one pass. `disjoint` is false when
    // windows overlap or touch: the multirange then merged them, and containment in it no longer
    // proves containment in ONE window, so the exact core must decide.
    // `windows` is a sorted copy of the windows themselves, so the search reads them with the
    // volunteer's row instead of one more probe per candidate.
    this.addSql(`create function matching_weekly_availability(p_volunteers uuid[])
      returns table (volunteer_id uuid, ranges int4multirange, disjoint boolean, windows jsonb)
      language sql stable parallel safe as $$
        select i.id, coalesce(range_agg(p.r), '{}'::int4multirange),
               count(p.r) = (select count(*) from unnest(coalesce(range_agg(p.r), '{}'::int4multirange))),
               (select coalesce(jsonb_agg(jsonb_build_array(x.weekday, x.start_local, x.end_local)
                                          order by x.weekday, x.start_local, x.end_local), '[]'::jsonb)
                  from availability_windows x where x.volunteer_id = i.id)
          from unnest(p_volunteers) as i(id)
          left join availability_windows w on w.volunteer_id = i.id
          left join lateral matching_window_pieces(w.weekday, w.start_local, w.end_local) as p(r) on true
         group by i.id
      $$`);
    this.addSql(`create function matching_away_dates(p_volunteers uuid[])
      returns table (volunteer_id uuid, dates datemultirange) language sql stable parallel safe as $$
        select i.id, coalesce(range_agg(daterange(e.starts_on, e.ends_on, '[]')) filter (where e.id is not null),
                              '{}'::datemultirange)
          from unnest(p_volunteers) as i(id)
          left join availability_exceptions e on e.volunteer_id = i.id
         group by i.id
      $$`);

    // Statement-level triggers with transition tables: a bulk insert of windows recomputes each
    // volunteer once, not once per window.
    this.addRefreshTriggers(
      'availability_windows',
      'matching_refresh_windows',
      (ids) => `update volunteers v
      set weekly_availability = a.ranges, weekly_windows_disjoint = a.disjoint, weekly_windows = a.windows
      from matching_weekly_availability(${ids}) a where v.account_id = a.volunteer_id;`,
    );
    this.addRefreshTriggers(
      'availability_exceptions',
      'matching_refresh_away',
      (ids) => `update volunteers v
      set away_dates = a.dates from matching_away_dates(${ids}) a where v.account_id = a.volunteer_id;`,
    );
    this.addSql(`update volunteers v set weekly_availability = a.ranges, weekly_windows_disjoint = a.disjoint,
      weekly_windows = a.windows from matching_weekly_availability(array(select account_id from volunteers)) a where v.account_id = a.volunteer_id`);
    this.addSql(`update volunteers v set away_dates = a.dates
      from matching_away_dates(array(select account_id from volunteers)) a where v.account_id = a.volunteer_id`);
  }

  /** Three statement triggers (insert, update, delete) running `refresh` for the touched volunteers. */
  private addRefreshTriggers(table: string, fn: string, refresh: (ids: string) => string): void {
    const ids = (rows: string) => `array(select distinct volunteer_id from ${rows})`;
    this.addSql(`create function ${fn}_ins() returns trigger language plpgsql as $$
      begin ${refresh(ids('new_rows'))} return null; end $$`);
    this.addSql(`create function ${fn}_del() returns trigger language plpgsql as $$
      begin ${refresh(ids('old_rows'))} return null; end $$`);
    this.addSql(`create function ${fn}_upd() returns trigger language plpgsql as $$
      begin ${refresh('array(select volunteer_id from new_rows union select volunteer_id from old_rows)')}
      return null; end $$`);
    this.addSql(`create trigger ${table}_refresh_ins after insert on ${table}
      referencing new table as new_rows for each statement execute function ${fn}_ins()`);
    this.addSql(`create trigger ${table}_refresh_del after delete on ${table}
      referencing old table as old_rows for each statement execute function ${fn}_del()`);
    this.addSql(`create trigger ${table}_refresh_upd after update on ${table}
      referencing old table as old_rows new table as new_rows for each statement execute function ${fn}_upd()`);
  }

  private addVerifiedCopy(): void {
    this.addSql(`create function matching_volunteer_verified() returns trigger language plpgsql as $$
      begin
        new.email_verified := exists (select 1 from accounts a
                                       where a.id = new.account_id and a.email_verified_at is not null);
        return new;
      end $$`);
    this.addSql(`create trigger volunteers_email_verified before insert or update of account_id, email_verified
      on volunteers for each row execute function matching_volunteer_verified()`);
    this.addSql(`create function matching_account_verified() returns trigger language plpgsql as $$
      begin
        update volunteers set email_verified = (new.email_verified_at is not null) where account_id = new.id;
        return null;
      end $$`);
    this.addSql(`create trigger accounts_email_verified after update of email_verified_at on accounts
      for each row when ((old.email_verified_at is null) is distinct from (new.email_verified_at is null))
      execute function matching_account_verified()`);
    this.addSql(`update volunteers v set email_verified = true
      from accounts a where a.id = v.account_id and a.email_verified_at is not null`);
  }

  /**
   * "May the shift fit this volunteer's weekly availability?" as SQL the planner inlines into
   * the search (no function call per row; only immutable operators, hence no timestamptz ±
   * interval, which is stable).
   *
   * matching_local_week_span: the [start, end) seconds-of-week a shift covers on `zone`'s wall
   * clock, shrunk by `shrink` at both ends. Start and end are floored/ceiled to whole seconds,
   * which keeps containment in whole-second windows exact.
   *
   * Without a UTC-offset change within 28 h of the shift, wall-clock containment is exactly
   * "inside one window occurrence" (windows merged in the multirange aside, see
   * weekly_windows_disjoint). Near a change the local clock jumps by Δ = matching_dst_slack, so
   * the span is shrunk by |Δ| at both ends (possibly to empty, which every multirange
   * contains): the database may then let through a volunteer the exact core rejects, never the
   * reverse. 28 h covers any window occurrence (< 24 h of wall clock, ≤ 26 h of real time) that
   * could contain the shift. Assumes at most one offset change within that span, true of every
   * zone's rules since the 1940s.
   */
  private addSpanFunction(): void {
    const local = (t: string) => `(${t} at time zone zone)`;
    const utcShifted = (t: string, hours: number) =>
      `(((${t} at time zone 'UTC') + interval '${hours} hours') at time zone 'UTC')`;
    const offset = (t: string) => `(${local(t)} - (${t} at time zone 'UTC'))`;
    this.addSql(`create function matching_dst_slack(zone text, starts_at timestamptz, ends_at timestamptz)
      returns int language sql immutable parallel safe as $$
        select abs(date_part('epoch', ${offset(utcShifted('ends_at', 28))} - ${offset(utcShifted('starts_at', -28))}))::int
      $$`);
    // Seconds since Monday 2000-01-03 00:00 on the local clock: the position in the week without
    // a second date_trunc of the same conversion; date_part is float8 (extract is slower numeric).
    const since2000 = (t: string) => `date_part('epoch', ${local(t)} - timestamp '2000-01-03 00:00')`;
    this
      .addSql(`create function matching_local_week_span(zone text, starts_at timestamptz, ends_at timestamptz, shrink int)
      returns int4range language sql immutable parallel safe as $$
        select int4range(
          ((floor(${since2000('starts_at')})::bigint % 604800 + 604800) % 604800)::int + shrink,
          ((floor(${since2000('starts_at')})::bigint % 604800 + 604800) % 604800)::int + shrink
            + greatest(0, (ceil(${since2000('ends_at')}) - floor(${since2000('starts_at')}))::int - 2 * shrink))
      $$`);
    this
      .addSql(`create function matching_availability_may_fit(weekly int4multirange, zone text, starts_at timestamptz, ends_at timestamptz)
      returns boolean language sql immutable parallel safe as $$
        select weekly @> matching_local_week_span(zone, starts_at, ends_at, 0)
            or (matching_dst_slack(zone, starts_at, ends_at) > 0
                and weekly @> matching_local_week_span(zone, starts_at, ends_at, matching_dst_slack(zone, starts_at, ends_at)))
      $$`);
  }

  private addIndexes(): void {
    // The KNN walk of the shift search: only volunteers who can be matched at all.
    this.addSql(`create index volunteers_matchable_home_gist on volunteers using gist (home)
      where status = 'active' and email_verified`);
    // One KNN index per catalogue skill: a shift needing a rare skill walks only the volunteers
    // who have it (the search adds one `skills @> '{slug}'` clause per required skill and the
    // planner takes the smallest matching index). About four entries per volunteer in all.
    for (const slug of SKILL_SLUGS_AT_MIGRATION) {
      this.addSql(`create index ${skillIndexName(slug)} on volunteers using gist (home)
        where status = 'active' and email_verified and skills @> '{${slug}}'::text[]`);
    }
    // "Is this volunteer busy then?" and "how many shifts this week?", probed per candidate.
    this.addSql(`create index bookings_live_volunteer_start_idx on bookings (volunteer_id, lower(period))
      where status in ('confirmed', 'attended')`);
    // Reliability (attended vs no-show) of the short list.
    this.addSql(`create index bookings_volunteer_status_idx on bookings (volunteer_id, status)`);
    // The volunteer-side search walks open shifts nearest first.
    this.addSql(`create index shifts_open_location_gist on shifts using gist (location) where status = 'open'`);
  }

  override down(): void {
    for (const index of [
      ...SKILL_SLUGS_AT_MIGRATION.map(skillIndexName),
      'shifts_open_location_gist',
      'bookings_volunteer_status_idx',
      'bookings_live_volunteer_start_idx',
      'volunteers_matchable_home_gist',
    ]) {
      this.addSql(`drop index if exists ${index}`);
    }
    this.addSql(`drop trigger if exists accounts_email_verified on accounts`);
    this.addSql(`drop trigger if exists volunteers_email_verified on volunteers`);
    for (const table of ['availability_windows', 'availability_exceptions']) {
      for (const op of ['ins', 'del', 'upd']) this.addSql(`drop trigger if exists ${table}_refresh_${op} on ${table}`);
    }
    for (const fn of ['matching_refresh_windows', 'matching_refresh_away']) {
      for (const op of ['ins', 'del', 'upd']) this.addSql(`drop function if exists ${fn}_${op}()`);
    }
    this.addSql(`drop function if exists matching_weekly_availability(uuid[])`);
    this.addSql(`drop function if exists matching_away_dates(uuid[])`);
    this.addSql(`drop function if exists matching_window_pieces(smallint, time, time)`);
    this.addSql(
      `drop function if exists matching_availability_may_fit(int4multirange, text, timestamptz, timestamptz)`,
    );
    this.addSql(`drop function if exists matching_local_week_span(text, timestamptz, timestamptz, int)`);
    this.addSql(`drop function if exists matching_dst_slack(text, timestamptz, timestamptz)`);
    this.addSql(`drop function if exists matching_account_verified()`);
    this.addSql(`drop function if exists matching_volunteer_verified()`);
    this.addSql(`alter table volunteers drop constraint if exists volunteers_time_zone_known,
      drop column if exists weekly_availability, drop column if exists weekly_windows_disjoint, drop column if exists weekly_windows, drop column if exists away_dates, drop column if exists email_verified`);
  }
}
