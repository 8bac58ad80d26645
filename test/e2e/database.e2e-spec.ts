import pg from 'pg';
import { createTestDatabase } from '../support/test-database.js';

describe('migrations', () => {
  it('build the whole schema from an empty database, with PostGIS and the skills catalogue', async () => {
    const url = await createTestDatabase('migrations');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const postgis = await client.query(`select extversion from pg_extension where extname = 'postgis'`);
      expect(postgis.rowCount).toBe(1);
      const skills = await client.query(`select count(*)::int as n from skills`);
      expect(skills.rows[0].n).toBeGreaterThan(10);
      // Capacity is kept by the database, not only by the application.
      await client.query(
        `insert into organisations (id, name, kind, time_zone) values (gen_random_uuid(), 'A', 'food_bank', 'UTC')`,
      );
      await client.query(`insert into organisation_addresses (organisation_id, label, lat, lon)
                          select id, 'Main', 51.5, -0.1 from organisations`);
      await client.query(`insert into shifts (organisation_id, address_id, title, starts_at, ends_at, lat, lon, capacity)
                          select o.id, a.id, 'S', now() + interval '1 day', now() + interval '1 day 3 hours', 51.5, -0.1, 1
                          from organisations o join organisation_addresses a on a.organisation_id = o.id`);
      await expect(client.query(`update shifts set filled = 2`)).rejects.toThrow(/check constraint/);
    } finally {
      await client.end();
    }
  });
});
