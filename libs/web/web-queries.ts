import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../platform/index.js';

/** Small read-only lookups the pages need beside the areas' services (names for display). */
@Injectable()
export class WebQueries {
  constructor(private readonly em: EntityManager) {}

  async volunteerNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ account_id: string; name: string }> = await this.em
      .fork()
      .execute(`select account_id, name from volunteers where account_id = any(cast(? as uuid[]))`, [pgArray(ids)]);
    return new Map(rows.map((row) => [row.account_id, row.name]));
  }

  async coordinatorName(accountId: string): Promise<string | null> {
    const [row] = await this.em.fork().execute(`select name from coordinators where account_id = ?`, [accountId]);
    return row?.name ?? null;
  }
}
