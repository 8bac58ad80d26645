import { MikroORM } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { mikroOrmConfig } from '../../entities.js';
export { recreateDatabase } from '../bench-support/database.js';

export interface BenchOrganisation {
  organisationId: string;
  coordinatorId: string;
}

/**
 * One organisation per shift, each at the centre of its own cluster of `candidates` matchable
 * volunteers (verified, active, the `cooking` skill, no quiet hours, available 06:00–23:00 every
 * day in London time, within ~4 km, willing to travel 15 km). Clusters sit ~55 km apart, so each
 * shift has its own candidates. Everything is generated inside PostgreSQL.
 */
export async function createWorld(url: string, shifts: number, candidates: number): Promise<BenchOrganisation[]> {
  const orm = await MikroORM.init(mikroOrmConfig(url, { poolMax: 1 }));
  try {
    await orm.migrator.up();
    const em = orm.em.fork();
    // Cluster k: a grid over Great Britain-ish latitudes, 0.5° apart.
    const centre = `(51.0 + ((k - 1) % 8) * 0.5) as lat, (-3.5 + ((k - 1) / 8) * 0.8) as lon`;
    await em.execute(
      `create temporary table bench_clusters as select k, ${centre} from generate_series(1, ${shifts}) k`,
    );
    await em.execute(`insert into organisations (id, name, kind, time_zone)
      select md5('org' || k)::uuid, 'Bench kitchen ' || k, 'soup_kitchen', 'Europe/London' from bench_clusters`);
    await em.execute(`insert into organisation_addresses (id, organisation_id, label, street, lat, lon, is_default)
      select md5('addr' || k)::uuid, md5('org' || k)::uuid, 'Main hall', k || ' Bench Street', lat, lon, true from bench_clusters`);
    await em.execute(`insert into accounts (id, email, role, email_verified_at)
      select md5('coord' || k)::uuid, 'coordinator' || k || '@bench.invalid', 'coordinator', now() from bench_clusters`);
    await em.execute(`insert into coordinators (account_id, organisation_id, name)
      select md5('coord' || k)::uuid, md5('org' || k)::uuid, 'Coordinator ' || k from bench_clusters`);
    await em.execute(`insert into accounts (id, email, role, email_verified_at)
      select md5('vol' || k || '-' || i)::uuid, 'volunteer' || k || '-' || i || '@bench.invalid', 'volunteer', now()
      from bench_clusters cross join generate_series(1, ${candidates}) i`);
    await em.execute(`insert into volunteers (account_id, name, time_zone, home_lat, home_lon, travel_km, skills, quiet_hours_start, quiet_hours_end, weekly_shift_cap)
      select md5('vol' || k || '-' || i)::uuid, 'Volunteer ' || k || '-' || i, 'Europe/London',
             lat + (random() - 0.5) * 0.07, lon + (random() - 0.5) * 0.11, 15, '{cooking}', '00:00', '00:00', 7
      from bench_clusters cross join generate_series(1, ${candidates}) i`);
    await em.execute(`insert into availability_windows (volunteer_id, weekday, start_local, end_local)
      select md5('vol' || k || '-' || i)::uuid, d, '06:00', '23:00'
      from bench_clusters cross join generate_series(1, ${candidates}) i cross join generate_series(1, 7) d`);
    await em.execute(`analyze`);
    const rows = await em.execute(
      `select md5('org' || k)::uuid as organisation_id, md5('coord' || k)::uuid as coordinator_id from bench_clusters order by k`,
    );
    return rows.map((row) => ({
      organisationId: String(row.organisation_id),
      coordinatorId: String(row.coordinator_id),
    }));
  } finally {
    await orm.close(true);
  }
}

/** A shift an organisation publishes: next week (+ `dayOffset` days), 17:00–20:00 London time, needing `cooking`. */
export function benchShift(index: number, capacity: number, dayOffset = 0) {
  const start = DateTime.now()
    .setZone('Europe/London')
    .plus({ weeks: 1, days: dayOffset })
    .set({ hour: 17, minute: 0, second: 0, millisecond: 0 });
  return {
    title: `Bench shift ${index}`,
    startsAt: start.toISO() as string,
    endsAt: start.plus({ hours: 3 }).toISO() as string,
    capacity,
    requiredSkills: ['cooking'],
    publish: true,
  };
}
