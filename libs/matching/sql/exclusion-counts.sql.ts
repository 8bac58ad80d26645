import { COUNT_SAMPLE } from '../core/exclusion-counts.js';
import type { ExclusionRule } from '../core/exact-rules.js';
import { FACTS_SQL, RULE_SQL, WITHIN_TRAVEL_SQL, labelSql } from './rules.sql.js';

/**
 * The exclusion counts' sample: the nearest COUNT_SAMPLE volunteers within reach, matchable or
 * not, over the full GiST index, each labelled with the first rule it fails. The few rows the
 * database cannot label exactly come back with their facts for the pure core.
 */
export function countSql(): string {
  return `with r as materialized (
      select v.account_id, v.home <-> :location::geography as knn_m, ${labelSql()} as label
        from volunteers v
       where st_dwithin(v.home, :location::geography, :radius::float8, false)
         and ${WITHIN_TRAVEL_SQL}
       order by v.home <-> :location::geography
       limit ${COUNT_SAMPLE})
    select label, knn_m, null::json as facts from r where label not like 'uncertain%'
    union all
    select r.label, r.knn_m,
           (select row_to_json(f) from (select ${FACTS_SQL},
              r.label = 'uncertain_availability' and ${RULE_SQL.booking_overlap} as overlaps_booking) f)
      from r join volunteers v on v.account_id = r.account_id where r.label like 'uncertain%'`;
}

/** One volunteer of checkPair: the first rule they fail (labelSql) and the facts the core decides the rest with. */
export function pairSql(skip: readonly ExclusionRule[]): string {
  return `select ${labelSql(skip)} as label, v.account_id as id, v.home_lat as lat, v.home_lon as lon, v.travel_m::float8 as travel_m,
         0::float8 as knn_m, ${FACTS_SQL}, ${RULE_SQL.booking_overlap} as overlaps_booking
    from volunteers v where v.account_id = :volunteer::uuid`;
}
