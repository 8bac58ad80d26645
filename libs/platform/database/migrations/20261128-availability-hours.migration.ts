import { Migration } from '@mikro-orm/migrations';

/** The KNN indexes the volunteer walk of the shift search uses (the partial ones of migration Matching20261126). */
const WALK_INDEXES = `indexname = 'volunteers_matchable_home_gist' or indexname like 'volunteers\\_skill\\_%\\_home\\_gist'`;
const HOME_ONLY = 'USING gist (home)';
/** As pg_indexes prints it, so `down` finds it again. */
const HOME_AND_HOURS = `USING gist (home, available_utc_hours gist__intbig_ops (siglen='24'))`;

/**
 * Availability tested inside the walk's index, before a volunteer's row is read.
 *
 * At a million volunteers the shift search's KNN walk read about 850 rows for 54 matches: ~92 %
 * of the nearest volunteers are not available then, and each was a heap page read only to find
 * that out. Now every volunteer also carries `available_utc_hours`: the hours of the UTC week
 * (0 = Monday 00:00 UTC … 167) that any of their windows could touch, and the walk's GiST
 * indexes hold it beside `home`. The walk asks for volunteers whose hours contain every hour the
 * shift touches, and the index skips the others while it walks nearest first.
 *
 * The hours are a superset, never too strict: a window [a, b) on a volunteer's wall clock is, in
 * UTC, some [a − o1, b − o2) with o1, o2 UTC offsets the zone uses, so it lies inside
 * [a − max offset, b − min offset) whatever the date, DST change or not. The exact rules (the
 * multirange test, then the pure core) still decide; the differential test and the property test
 * in test/e2e/matching-hours.e2e-spec.ts hold the superset to that.
 *
 * Each zone's smallest and largest offset over 2020–2040 is computed once (6-hourly samples, so
 * no offset period of a day or more is missed) and kept in `matching_zone_offsets`. After a
 * tzdata update that gives a zone a new offset, empty that table and recompute the column
 * (`update volunteers set available_utc_hours = matching_utc_hours(weekly_windows, time_zone)`).
 *
 * The signature index (gist__intbig_ops) with 24 bytes = 192 bits gives each of the 168 hours a
 * bit of its own, so the index test has no false positives. A skill index added by a later
 * migration must have the same two columns to be chosen for the walk.
 */
export class AvailabilityHours20261128 extends Migration {
  override up(): void {
    this.addSql(`create extension if not exists intarray`);
    this.addSql(
      `create table matching_zone_offsets (zone text primary key, min_offset int not null, max_offset int not null)`,
    );
    this.addSql(`create function matching_zone_offset_bounds(p_zone text, out min_offset int, out max_offset int)
      language plpgsql as $$
      begin
        select z.min_offset, z.max_offset into min_offset, max_offset from matching_zone_offsets z where z.zone = p_zone;
        if not found then
          select min(x.o), max(x.o) into min_offset, max_offset
            from (select extract(epoch from (t at time zone p_zone) - (t at time zone 'UTC'))::int as o
                    from generate_series(timestamptz '2020-01-01 00:00Z', timestamptz '2041-01-01 00:00Z', interval '6 hours') t) x;
          insert into matching_zone_offsets values (p_zone, min_offset, max_offset) on conflict do nothing;
        end if;
      end $$`);
    // Windows are [weekday 1–7, start, end] on the wall clock; end <= start runs past midnight.
    this.addSql(`create function matching_utc_hours(windows jsonb, zone text) returns int[] language sql volatile as $$
      select coalesce(array_agg(distinct ((h % 168) + 168) % 168 order by ((h % 168) + 168) % 168), '{}')
        from matching_zone_offset_bounds(zone) b,
             jsonb_array_elements(windows) w,
             lateral (select (w->>0)::int as weekday, extract(epoch from (w->>1)::time)::int as s,
                             extract(epoch from (w->>2)::time)::int as e) x,
             generate_series(floor(((x.weekday - 1) * 86400 + x.s - b.max_offset) / 3600.0)::int,
                             ceil(((x.weekday - 1) * 86400 + x.e + case when x.e <= x.s then 86400 else 0 end
                                   - b.min_offset) / 3600.0)::int - 1) h
    $$`);
    // The hours of the UTC week [starts_at, ends_at) touches (1970-01-05 was a Monday).
    this.addSql(`create function matching_shift_utc_hours(starts_at timestamptz, ends_at timestamptz) returns int[]
      language sql immutable parallel safe as $$
        select array(select (((h % 168) + 168) % 168)::int
          from generate_series(floor((extract(epoch from starts_at) - 345600) / 3600)::bigint,
                               ceil((extract(epoch from ends_at) - 345600) / 3600)::bigint - 1) h)
    $$`);
    this.addSql(`alter table volunteers add column available_utc_hours int[] not null default '{}'`);
    this.addSql(`create function matching_volunteer_hours() returns trigger language plpgsql as $$
      begin
        new.available_utc_hours := matching_utc_hours(new.weekly_windows, new.time_zone);
        return new;
      end $$`);
    this.addSql(`create trigger volunteers_available_utc_hours before insert or update of weekly_windows, time_zone
      on volunteers for each row execute function matching_volunteer_hours()`);
    this.addSql(`update volunteers set available_utc_hours = matching_utc_hours(weekly_windows, time_zone)`);
    this.rebuildWalkIndexes(HOME_ONLY, HOME_AND_HOURS);
  }

  override down(): void {
    this.rebuildWalkIndexes(HOME_AND_HOURS, HOME_ONLY);
    this.addSql(`drop trigger if exists volunteers_available_utc_hours on volunteers`);
    this.addSql(`drop function if exists matching_volunteer_hours()`);
    this.addSql(`alter table volunteers drop column if exists available_utc_hours`);
    this.addSql(`drop function if exists matching_shift_utc_hours(timestamptz, timestamptz)`);
    this.addSql(`drop function if exists matching_utc_hours(jsonb, text)`);
    this.addSql(`drop function if exists matching_zone_offset_bounds(text)`);
    this.addSql(`drop table if exists matching_zone_offsets`);
  }

  /** Recreates each walk index with `from` in its definition replaced by `to` (same name, same predicate). */
  private rebuildWalkIndexes(from: string, to: string): void {
    this.addSql(`do $$
      declare i record;
      begin
        for i in select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = 'volunteers'
                   and (${WALK_INDEXES}) loop
          execute format('drop index %I', i.indexname);
          execute replace(i.indexdef, ${quote(from)}, ${quote(to)});
        end loop;
      end $$`);
  }
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
