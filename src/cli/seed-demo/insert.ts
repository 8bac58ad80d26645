// Writing the demo rows: set-based, one statement per table, inside the caller's transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DemoData } from './rows.js';

export async function insertAll(tx: EntityManager, data: DemoData): Promise<void> {
  const json = (rows: unknown[]) => [JSON.stringify(rows)];
  await tx.execute(
    `insert into accounts (id, email, role, email_verified_at)
     select id, email, role, email_verified_at
     from jsonb_to_recordset(?::jsonb) as x(id uuid, email citext, role account_role, email_verified_at timestamptz)`,
    json(data.accounts),
  );
  await tx.execute(
    `insert into organisations (id, name, kind, time_zone)
     select id, name, kind, time_zone from jsonb_to_recordset(?::jsonb) as x(id uuid, name text, kind organisation_kind, time_zone text)`,
    json(data.organisations),
  );
  await tx.execute(
    `insert into organisation_addresses (id, organisation_id, label, street, lat, lon, is_default)
     select id, organisation_id, label, street, lat, lon, is_default
     from jsonb_to_recordset(?::jsonb) as x(id uuid, organisation_id uuid, label text, street text, lat float8, lon float8, is_default boolean)`,
    json(data.addresses),
  );
  await tx.execute(
    `insert into coordinators (account_id, organisation_id, name)
     select account_id, organisation_id, name from jsonb_to_recordset(?::jsonb) as x(account_id uuid, organisation_id uuid, name text)`,
    json(data.coordinators),
  );
  await tx.execute(
    `insert into volunteers (account_id, name, time_zone, home_label, home_lat, home_lon, travel_km, skills, causes, weekly_shift_cap,
                             status, offers_consent_at, check_in_consent_at, country)
     select account_id, name, time_zone, home_label, home_lat, home_lon, travel_km, skills, causes, weekly_shift_cap,
            status, offers_consent_at, check_in_consent_at, country
     from jsonb_to_recordset(?::jsonb) as x(account_id uuid, name text, time_zone text, home_label text, home_lat float8, home_lon float8,
       travel_km real, skills text[], causes organisation_kind[], weekly_shift_cap smallint, status volunteer_status,
       offers_consent_at timestamptz, check_in_consent_at timestamptz, country text)`,
    json(data.volunteers),
  );
  await tx.execute(
    `insert into availability_windows (volunteer_id, weekday, start_local, end_local)
     select volunteer_id, weekday, start_local, end_local
     from jsonb_to_recordset(?::jsonb) as x(volunteer_id uuid, weekday smallint, start_local time, end_local time)`,
    json(data.windows),
  );
  if (data.exceptions.length > 0) {
    await tx.execute(
      `insert into availability_exceptions (volunteer_id, starts_on, ends_on)
       select volunteer_id, starts_on, ends_on from jsonb_to_recordset(?::jsonb) as x(volunteer_id uuid, starts_on date, ends_on date)`,
      json(data.exceptions),
    );
  }
  if (data.series.length > 0) {
    await tx.execute(
      `insert into shift_series (id, organisation_id, address_id, title, description, weekday, start_local, end_local, starts_on, until,
                                 capacity, required_skills, nice_skills, generated_until)
       select id, organisation_id, address_id, title, description, weekday, start_local, end_local, starts_on, until,
              capacity, required_skills, nice_skills, generated_until
       from jsonb_to_recordset(?::jsonb) as x(id uuid, organisation_id uuid, address_id uuid, title text, description text, weekday smallint,
         start_local time, end_local time, starts_on date, until date, capacity int, required_skills text[], nice_skills text[], generated_until date)`,
      json(data.series),
    );
  }
  await tx.execute(
    `insert into shifts (id, organisation_id, series_id, address_id, title, description, starts_at, ends_at, lat, lon, capacity,
                         required_skills, nice_skills, status, published_at)
     select id, organisation_id, series_id, address_id, title, description, starts_at, ends_at, lat, lon, capacity,
            required_skills, nice_skills, status, published_at
     from jsonb_to_recordset(?::jsonb) as x(id uuid, organisation_id uuid, series_id uuid, address_id uuid, title text, description text,
       starts_at timestamptz, ends_at timestamptz, lat float8, lon float8, capacity int, required_skills text[], nice_skills text[],
       status shift_status, published_at timestamptz)`,
    json(data.shifts),
  );
  // The same history the API writes: created (with the series for generated ones), then published.
  await tx.execute(
    `insert into shift_changes (shift_id, kind, changes, changed_by)
     select s.id, k.kind,
            case when k.kind = 'created' and s.series_id is not null then jsonb_build_object('seriesId', s.series_id) else '{}'::jsonb end,
            s.changed_by
     from jsonb_to_recordset(?::jsonb) as s(id uuid, series_id uuid, changed_by uuid, published_at timestamptz)
     cross join lateral (values (1, 'created'), (2, 'published')) as k(n, kind)
     where k.kind = 'created' or s.published_at is not null
     order by s.id, k.n`,
    json(
      data.shifts.map((s) => ({
        id: s.id,
        series_id: s.series_id,
        changed_by: s.changed_by,
        published_at: s.published_at,
      })),
    ),
  );
}
