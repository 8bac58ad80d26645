import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../platform/index.js';

/** Small read-only lookups the pages need beside the areas' services (names and titles for display). */
@Injectable()
export class WebQueries {
  constructor(private readonly em: EntityManager) {}

  async shiftTitles(shiftIds: string[]): Promise<Map<string, { title: string; organisationName: string }>> {
    if (shiftIds.length === 0) return new Map();
    const rows: Array<{ id: string; title: string; organisation_name: string }> = await this.em.fork().execute(
      `select s.id, s.title, o.name as organisation_name from shifts s join organisations o on o.id = s.organisation_id
        where s.id = any(cast(? as uuid[]))`,
      [pgArray(shiftIds)],
    );
    return new Map(rows.map((row) => [row.id, { title: row.title, organisationName: row.organisation_name }]));
  }

  async volunteerNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ account_id: string; name: string }> = await this.em
      .fork()
      .execute(`select account_id, name from volunteers where account_id = any(cast(? as uuid[]))`, [pgArray(ids)]);
    return new Map(rows.map((row) => [row.account_id, row.name]));
  }

  async seriesOf(organisationId: string): Promise<
    Array<{
      id: string;
      title: string;
      weekday: number;
      start: string;
      end: string;
      startsOn: string;
      until: string;
      status: string;
    }>
  > {
    const rows: Array<{
      id: string;
      title: string;
      weekday: number;
      start_local: string;
      end_local: string;
      starts_on: string;
      until: string;
      status: string;
    }> = await this.em.fork().execute(
      `select id, title, weekday, start_local::text, end_local::text, starts_on::text, until::text, status::text
           from shift_series where organisation_id = ? order by status, created_at desc limit 100`,
      [organisationId],
    );
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      weekday: row.weekday,
      start: row.start_local.slice(0, 5),
      end: row.end_local.slice(0, 5),
      startsOn: row.starts_on,
      until: row.until,
      status: row.status,
    }));
  }

  async coordinatorName(accountId: string): Promise<string | null> {
    const [row] = await this.em.fork().execute(`select name from coordinators where account_id = ?`, [accountId]);
    return row?.name ?? null;
  }
}
