import { readFileSync } from 'node:fs';
import { citiesPbfPath, decodeCitiesPbf, Gazetteer, type GeocodedArea } from '../../libs/volunteers/geocoder.js';
import { unknownPostcodeMessage } from '../../libs/volunteers/uk-postcode.js';
import { buildLegacyGazetteer, type LegacyGazetteer } from './bench-geocode/legacy-gazetteer.js';

/**
 * npm run bench:geocode [-- --queries=3000 --seed=7]
 *
 * The place-suggestion lookup behind /api/geocode, in process (no HTTP): index build time and
 * memory, then lookup latency over a query mix like the sign-up field's (every prefix a person
 * types on the way to a real town, weighted to populous places; full names; names with a
 * country or state hint; misspellings; UK postcodes). The baseline is the implementation before
 * this change (src/cli/bench-geocode/legacy-gazetteer.ts), measured in the same run on the same
 * queries, and both must give the same answers. Not run in CI.
 */

interface Options {
  queries: number;
  seed: number;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const queries = Number(flag('queries') ?? 3000);
  const seed = Number(flag('seed') ?? 7);
  if (!Number.isInteger(queries) || queries < 100) throw new Error('--queries must be an integer >= 100');
  return { queries, seed };
}

/** mulberry32: a small seeded generator, so two runs time the same queries. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'prefix 1–2' | 'prefix 3–5' | 'prefix 6–8' | 'full name' | 'name, hint' | 'misspelt' | 'postcode';
interface Query {
  kind: Kind;
  text: string;
}

const HINTS = [', GB', ', UK', ', US', ', England', ', Deutschland', ', CA', ', OR'];
const POSTCODES = ['M4', 'M4 5', 'M4 5AB', 'SW1A 1AA', 'ls2 9jt', 'EH1', 'B33 8TH', 'CF10 1EP', 'BT1 5GS', 'XX9 9ZZ'];

/** Towns people live in: drawn with weight ∝ population^0.5 from the dataset's places. */
function queryMix(places: Array<{ name: string; population: number }>, count: number, next: () => number): Query[] {
  const weights = places.map((p) => Math.sqrt(Math.max(p.population, 1000)));
  const cumulative = new Float64Array(weights.length);
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative[cumulative.length - 1];
  const pick = () => {
    const target = next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return places[lo].name;
  };
  const queries: Query[] = [];
  while (queries.length < count) {
    const name = pick();
    const roll = next();
    if (roll < 0.6) {
      // What the field sends while someone types the name: each prefix, 1 to 8 characters.
      for (let length = 1; length <= Math.min(8, name.length); length++) {
        const text = name.slice(0, length);
        queries.push({ kind: length <= 2 ? 'prefix 1–2' : length <= 5 ? 'prefix 3–5' : 'prefix 6–8', text });
      }
    } else if (roll < 0.75) queries.push({ kind: 'full name', text: name });
    else if (roll < 0.85) queries.push({ kind: 'name, hint', text: name + HINTS[Math.floor(next() * HINTS.length)] });
    else if (roll < 0.95) {
      const at = 1 + Math.floor(next() * Math.max(1, name.length - 1));
      queries.push({ kind: 'misspelt', text: name.slice(0, at) + name.slice(at + 1) }); // one letter dropped
    } else queries.push({ kind: 'postcode', text: POSTCODES[Math.floor(next() * POSTCODES.length)] });
  }
  return queries.slice(0, count);
}

interface Lookup {
  search(query: string, country: string | undefined, limit: number): GeocodedArea[];
}

/** One lookup as /api/geocode makes it: 8 results, and the postcode check when nothing was found. */
function lookup(index: Lookup, text: string): number {
  const started = performance.now();
  const areas = index.search(text, undefined, 8);
  if (areas.length === 0) unknownPostcodeMessage(text);
  return performance.now() - started;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms = (value: number) => (value < 1 ? value.toFixed(3) : value < 100 ? value.toFixed(2) : value.toFixed(0));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** JS heap plus typed-array buffers (the index keeps most numbers in typed arrays). */
function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed: heap, arrayBuffers } = process.memoryUsage();
  return heap + arrayBuffers;
}

function main() {
  const options = parseOptions(process.argv.slice(2));
  const bytes = readFileSync(citiesPbfPath());
  if (!(globalThis as { gc?: () => void }).gc)
    console.log('(run with node --expose-gc for memory figures; npm run bench:geocode does)');

  // The old index was built on the first search, so its first answer carried the whole build.
  let before = heapUsed();
  let started = performance.now();
  const legacy: LegacyGazetteer = buildLegacyGazetteer(bytes);
  const legacyBuild = performance.now() - started;
  const legacyFirst = lookup(legacy, 'Manc');
  const legacyHeap = heapUsed() - before;

  before = heapUsed();
  started = performance.now();
  const current = Gazetteer.fromRaw(decodeCitiesPbf(bytes));
  const currentBuild = performance.now() - started;
  const currentHeap = heapUsed() - before;
  const currentFirst = lookup(current, 'Manc');

  const places = [...decodeCitiesPbf(bytes)].filter((c) => !['PPLH', 'PPLQ', 'PPLW'].includes(c.featureCode));
  const queries = queryMix(places, options.queries, random(options.seed));

  // Same answers, or the comparison means nothing.
  let mismatches = 0;
  for (const { text } of queries) {
    if (JSON.stringify(current.search(text, undefined, 8)) !== JSON.stringify(legacy.search(text, undefined, 8)))
      mismatches++;
  }

  // Warm both up (JIT) on a different slice, then alternate rounds so drift hits both alike.
  for (const { text } of queries.slice(0, 200)) {
    lookup(legacy, text);
    lookup(current, text);
  }
  const times = { legacy: new Map<Kind | 'all', number[]>(), current: new Map<Kind | 'all', number[]>() };
  for (let round = 0; round < 3; round++) {
    for (const [name, index] of round % 2 === 0
      ? ([
          ['legacy', legacy],
          ['current', current],
        ] as const)
      : ([
          ['current', current],
          ['legacy', legacy],
        ] as const)) {
      for (const { kind, text } of queries) {
        const took = lookup(index, text);
        for (const key of [kind, 'all'] as const) {
          const list = times[name].get(key) ?? [];
          list.push(took);
          times[name].set(key, list);
        }
      }
    }
  }

  console.log(
    `\nGazetteer: ${current.size.toLocaleString('en')} places, ${queries.length.toLocaleString('en')} queries × 3 rounds (seed ${options.seed}), limit 8`,
  );
  console.log(
    `answers identical to the old implementation: ${queries.length - mismatches} / ${queries.length}${mismatches ? '  ← MISMATCH' : ''}\n`,
  );
  console.log('| measure | before (lazy, on first search) | now (built at api start) |');
  console.log('|---|---|---|');
  console.log(
    `| index build | ${ms(legacyBuild)} ms, inside the first search | ${ms(currentBuild)} ms, before the api answers |`,
  );
  console.log(`| first suggestion after start | ${ms(legacyFirst + legacyBuild)} ms | ${ms(currentFirst)} ms |`);
  console.log(`| memory held by the index (heap + typed arrays) | ${mib(legacyHeap)} MiB | ${mib(currentHeap)} MiB |`);
  console.log(
    '\n| queries | n | before p50 / p95 / p99 / max (ms) | now p50 / p95 / p99 / max (ms) | p95 before ÷ now |',
  );
  console.log('|---|---|---|---|---|');
  const kinds: Array<Kind | 'all'> = [
    'all',
    'prefix 1–2',
    'prefix 3–5',
    'prefix 6–8',
    'full name',
    'name, hint',
    'misspelt',
    'postcode',
  ];
  for (const kind of kinds) {
    const a = [...(times.legacy.get(kind) ?? [])].sort((x, y) => x - y);
    const b = [...(times.current.get(kind) ?? [])].sort((x, y) => x - y);
    if (!b.length) continue;
    const row = (s: number[]) => [50, 95, 99, 100].map((p) => ms(percentile(s, p))).join(' / ');
    console.log(
      `| ${kind} | ${b.length / 3} | ${row(a)} | ${row(b)} | ${(percentile(a, 95) / percentile(b, 95)).toFixed(1)}× |`,
    );
  }
  if (mismatches) process.exitCode = 1;
}

main();
