import fc from 'fast-check';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { IdentityService } from '../../libs/identity/index.js';
import { inDays, MANCHESTER } from '../support/actors.js';
import { ADMIN_TOKEN, startHarness, type Harness, type TestResponse } from '../support/harness.js';
import type { OpenApiContract } from '../support/openapi-contract.js';

/**
 * Property-based bad-input test. The endpoint list comes from the running app's OpenAPI document
 * (plus routes hidden from it, read from the Nest route metadata), so new endpoints are covered
 * without touching this file. Every endpoint is hit by every kind of caller with random and
 * malformed bodies, query strings, path ids and headers; the server must never answer 5xx, and
 * every JSON error must be RFC 9457 problem+json (422s name the field).
 *
 * FUZZ_RUNS (default 10) sets the runs per endpoint × caller and kind of input (a third of it for callers
 * the guard turns away); FUZZ_SEED replays a run.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const BODY_LIMIT = 64 * 1024;
/** Bearer callers, plus browser callers (session cookie + CSRF token) for the cookie-authenticated pages. */
const CALLERS = [
  'anonymous',
  'volunteer',
  'coordinator',
  'apiKey',
  'admin',
  'garbage',
  'volunteerWeb',
  'coordinatorWeb',
] as const;
type Caller = (typeof CALLERS)[number];
type CredCaller = 'volunteer' | 'coordinator' | 'apiKey' | 'volunteerWeb' | 'coordinatorWeb';
const CRED_CALLERS: readonly Caller[] = ['volunteer', 'coordinator', 'apiKey', 'volunteerWeb', 'coordinatorWeb'];
interface Cred {
  token: string;
  csrfSecret?: string;
  csrfToken?: string;
}

// ---------------------------------------------------------------------------------------------
// Endpoint discovery
// ---------------------------------------------------------------------------------------------

interface QueryParam {
  name: string;
  required: boolean;
  example?: unknown;
}
interface Endpoint {
  method: string;
  /** OpenAPI template, e.g. /api/organisations/{organisationId}/shifts */
  path: string;
  params: string[];
  query: QueryParam[];
  bodySchema?: any;
  /** A body assembled from the schema's examples (close to valid, so mutations reach the services). */
  example?: unknown;
  /** For form posts of the pages: the fields and default values of a rendered form whose action is this route. */
  formExample?: Record<string, string[]>;
  documented: boolean;
}
const label = (ep: Endpoint) => `${ep.method} ${ep.path}`;

function resolveRef(doc: any, ref: string): any {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, key) => node?.[key], doc);
}

function exampleFor(schema: any, doc: any, name: string, ids: Record<string, string[]>, depth = 0): unknown {
  if (!schema || depth > 8) return undefined;
  if (schema.$ref) return exampleFor(resolveRef(doc, schema.$ref), doc, name, ids, depth + 1);
  if (schema.allOf)
    return Object.assign({}, ...schema.allOf.map((part: any) => exampleFor(part, doc, name, ids, depth + 1)));
  if (schema.example !== undefined) return structuredClone(schema.example);
  if (schema.enum?.length) return schema.type === 'array' ? [schema.enum[0]] : schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries<any>(schema.properties ?? {})) {
      const value = exampleFor(property, doc, key, ids, depth + 1);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (schema.type === 'array') {
    const item = exampleFor(schema.items, doc, name, ids, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (schema.type === 'string')
    return /Id$/.test(name) ? (ids[name]?.[0] ?? '00000000-0000-4000-8000-000000000000') : 'example';
  if (schema.type === 'number' || schema.type === 'integer') return schema.minimum ?? 1;
  if (schema.type === 'boolean') return false;
  return undefined;
}

/** Routes Nest serves, from controller metadata: finds the ones hidden from the OpenAPI document. */
function nestRoutes(h: Harness): Array<{ method: string; path: string }> {
  const methods: Record<number, string> = {
    [RequestMethod.GET]: 'GET',
    [RequestMethod.POST]: 'POST',
    [RequestMethod.PUT]: 'PUT',
    [RequestMethod.DELETE]: 'DELETE',
    [RequestMethod.PATCH]: 'PATCH',
  };
  const routes: Array<{ method: string; path: string }> = [];
  const modules = h.api.get(ModulesContainer, { strict: false });
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      const base = [Reflect.getMetadata('path', type) ?? ''].flat() as string[];
      for (const key of Object.getOwnPropertyNames(type.prototype)) {
        const handler = type.prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const method = methods[Reflect.getMetadata('method', handler) as number];
        const own = Reflect.getMetadata('path', handler) as string | string[] | undefined;
        if (!method || own === undefined) continue;
        for (const b of base) {
          for (const o of [own].flat()) {
            const path = `/${[b, o]
              .map((p) => p.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
            routes.push({ method, path });
          }
        }
      }
    }
  }
  return routes;
}

async function discoverEndpoints(
  h: Harness,
  ids: Record<string, string[]>,
): Promise<{ endpoints: Endpoint[]; doc: any }> {
  const res = await h.request('GET', '/docs/openapi.json');
  if (res.status !== 200) throw new Error(`no OpenAPI document: ${res.status}`);
  const doc = res.body;
  const endpoints: Endpoint[] = [];
  for (const [path, operations] of Object.entries<any>(doc.paths)) {
    for (const [method, operation] of Object.entries<any>(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters: any[] = operation.parameters ?? [];
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      endpoints.push({
        method: method.toUpperCase(),
        path,
        params: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({
            name: p.name,
            required: !!p.required,
            example: p.schema?.example ?? p.example ?? p.schema?.enum?.[0],
          })),
        bodySchema,
        example: bodySchema ? exampleFor(bodySchema, doc, '', ids) : undefined,
        documented: true,
      });
    }
  }
  for (const route of nestRoutes(h)) {
    if (endpoints.some((ep) => ep.method === route.method && ep.path === route.path)) continue;
    endpoints.push({
      ...route,
      params: [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
      query: [],
      documented: false,
    });
  }
  return { endpoints, doc };
}

/** Every property and query name the API knows, used as likely keys for hidden routes and junk. */
function knownNames(doc: any): string[] {
  const names = new Set<string>(['token', 'q', 'limit', 'offset', 'from', 'to', 'status', 'country']);
  for (const schema of Object.values<any>(doc.components?.schemas ?? {}))
    for (const key of Object.keys(schema.properties ?? {})) names.add(key);
  for (const operations of Object.values<any>(doc.paths))
    for (const op of Object.values<any>(operations)) for (const p of op.parameters ?? []) names.add(p.name);
  return [...names];
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Lets a failing case shrink towards the first (simplest) alternative of every choice. */
const CROSS = { withCrossShrink: true };
const printable = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd')); // lone surrogates
  }
}

/**
 * Deeply nested JSON is written as text (JSON.stringify itself overflows the stack in the test VM);
 * inside generated values it is a sentinel string that `expandDeep` swaps for the nested text.
 */
const DEEP: Record<string, string> = {
  '\u0001deep-object\u0001': `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
  '\u0001deep-array\u0001': `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
};
const expandDeep = (text: string) =>
  text.replace(/"\\u0001(deep-[a-z]+)\\u0001"/g, (_m, name: string) => DEEP[`\u0001${name}\u0001`]);
const toJson = (value: unknown): string | undefined => {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : expandDeep(text);
};

/** Values that tend to break services after validation: boundaries, odd dates, zones, sizes, depth. */
const INTERESTING: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1,
  0.5,
  -0.5,
  0.49,
  7,
  8,
  14,
  15,
  200,
  200.0001,
  500,
  501,
  2 ** 31,
  2 ** 53 + 2,
  1e308,
  -1e308,
  1e-320,
  90,
  -90,
  90.0001,
  180,
  -180,
  180.0001,
  'NaN',
  'Infinity',
  '1e400',
  '12',
  '',
  ' ',
  '\u0000',
  '😀',
  '\ud800',
  'ünïcødé',
  '\u202e',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  "'; DROP TABLE accounts; --",
  '../../etc/passwd',
  'x'.repeat(61),
  'x'.repeat(101),
  'x'.repeat(201),
  'x'.repeat(255),
  'x'.repeat(301),
  'x'.repeat(5001),
  'x'.repeat(30_000),
  [],
  {},
  [null],
  [[]],
  [{}],
  ['x'],
  { a: 1 },
  Array(31).fill('cooking'),
  Array(300).fill('x'),
  Array(60).fill({ weekday: 1, start: '00:00', end: '23:59' }),
  Array(120).fill({ startsOn: '2026-12-24', endsOn: '2026-12-27' }),
  '2026-02-30',
  '2026-02-29',
  '2028-02-29',
  '2026-13-01',
  '2026-00-10',
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '275760-09-13',
  '2026-1-1',
  '2026-12-01T24:00:00Z',
  '2026-12-01T23:59:60Z',
  '2026-12-01T17:00:00+99:99',
  '2026-12-01T17:00:00-24:00',
  '2026-12-01T17:00:00+14:01',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59+14:00',
  '9999-12-31T23:59:59-12:00',
  '1969-12-31T23:59:59Z',
  '1900-01-01T00:00:00Z',
  '2026-02-30T10:00:00Z',
  '2026-12-01T99:99:99Z',
  '2026-12-01T17:00:00.999999Z',
  '2026-12-01T17:00Z',
  '24:00',
  '23:60',
  '00:00',
  '23:59',
  '12:00',
  '-1:00',
  '1:00',
  'Etc/GMT+14',
  'Etc/GMT-14',
  'Europe/London/',
  'America/Argentina/ComodRivadavia',
  'posix/Europe/London',
  'right/UTC',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Antarctica/Troll',
  'Europe/Lon',
  'UTC',
  'EST5EDT',
  'Etc/Unknown',
  'a@b',
  'A@EXAMPLE.ORG',
  `x@${'a'.repeat(250)}.org`,
  `${'a'.repeat(64)}@example.org`,
  '"quoted"@example.org',
  'ü@exämple.org',
  'a@b..c',
  'cooking',
  'soup_kitchen',
  'other',
  'draft',
  'open',
  'cancelled',
  'Manchester, GB',
  'Zz',
  '??',
  '%',
  '00000000-0000-0000-0000-000000000000',
];
/** The wrong type where a field is expected: the commonest way past a validator that forgot a case. */
const TYPE_CONFUSION: unknown[] = [null, '', ' ', 0, -1, true, false, [], {}, [null], 'x'.repeat(300), 1e308];

const digitsArb = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 16, maxLength: 16 });
type Mutation = { kind: 'value'; v: unknown } | { kind: 'digits'; ds: number[] };
/** A replacement value for one field; `deep` adds nesting thousands of levels deep (junk input only). */
const mutationValueArb = (deep: boolean): fc.Arbitrary<Mutation> =>
  fc.oneof(
    CROSS,
    { weight: 4, arbitrary: fc.constantFrom(...TYPE_CONFUSION).map((v): Mutation => ({ kind: 'value', v })) },
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(...INTERESTING, ...(deep ? Object.keys(DEEP) : []))
        .map((v): Mutation => ({ kind: 'value', v })),
    },
    { weight: 4, arbitrary: digitsArb.map((ds): Mutation => ({ kind: 'digits', ds })) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 2 }).map((v): Mutation => ({ kind: 'value', v })) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((v): Mutation => ({ kind: 'value', v })),
    },
  );

/** Keeps the shape of a value but randomises its digits: 2026-12-01T17:00 → 9371-84-29T93:28. */
function applyMutation(original: unknown, mutation: Mutation): unknown {
  if (mutation.kind === 'value')
    return typeof mutation.v === 'object' && mutation.v !== null ? structuredClone(mutation.v) : mutation.v; // never share a constant
  let i = 0;
  const swap = (s: string) => s.replace(/\d/g, () => String(mutation.ds[i++ % mutation.ds.length]));
  if (typeof original === 'string') return swap(original);
  if (typeof original === 'number') return Number(swap(String(original))) * (mutation.ds[0] % 3 === 0 ? -1 : 1);
  if (Array.isArray(original)) return original.map((item) => applyMutation(item, mutation));
  if (original && typeof original === 'object')
    return Object.fromEntries(Object.entries(original).map(([k, v]) => [k, applyMutation(v, mutation)]));
  return mutation.ds[0];
}

function nodePaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value))
    return value.flatMap((item, index) => [[...prefix, index], ...nodePaths(item, [...prefix, index])]);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...nodePaths(item, [...prefix, key])]);
  return [];
}
const getAt = (root: unknown, path: Array<string | number>) => path.reduce<any>((node, key) => node?.[key], root);

const UNKNOWN_KEYS = [
  'unexpectedField',
  'isAdmin',
  'role',
  'id',
  'organisationId',
  'accountId',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
];
type Op = { pick: number; kind: 'set' | 'delete' | 'add'; key: string; value: Mutation };
const opArbFor = (deep: boolean): fc.Arbitrary<Op> =>
  fc.record({
    pick: fc.nat(),
    kind: fc.constantFrom('set', 'set', 'set', 'delete', 'add') as fc.Arbitrary<Op['kind']>,
    key: fc.oneof(CROSS, fc.constantFrom(...UNKNOWN_KEYS), printable(12)),
    value: mutationValueArb(deep),
  });
const opArb = opArbFor(true);
const semanticOpArb = opArbFor(false);

function mutate(example: unknown, ops: Op[]): unknown {
  const root = structuredClone(example);
  for (const op of ops) {
    const paths = nodePaths(root);
    if (op.kind === 'add' || paths.length === 0) {
      const containers = [[], ...paths].filter((p) => {
        const n = p.length ? getAt(root, p) : root;
        return n && typeof n === 'object' && !Array.isArray(n);
      });
      const target = containers.length ? containers[op.pick % containers.length] : [];
      const node = target.length ? getAt(root, target) : root;
      if (node && typeof node === 'object')
        Object.defineProperty(node, op.key, {
          value: applyMutation(undefined, op.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      continue;
    }
    const path = paths[op.pick % paths.length];
    const parent = path.length > 1 ? getAt(root, path.slice(0, -1)) : root;
    const key = path[path.length - 1];
    if (!parent || typeof parent !== 'object') continue;
    if (op.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else {
      parent[key] = applyMutation(parent[key], op.value);
    }
  }
  return root;
}

interface Body {
  payload?: string | Buffer;
  contentType?: string;
}
const json = (payload: string | undefined): Body =>
  payload === undefined ? {} : { payload, contentType: 'application/json' };

const MALFORMED_JSON = [
  '{',
  '}',
  '{"a":',
  '[1,2',
  '{"a":1,}',
  "{'a':1}",
  'nul',
  'undefined',
  'NaN',
  '{"a":NaN}',
  '{"a":1e999}',
  '\u0000',
  '',
  ' ',
  '\ufeff{}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"a":"\\ud800"}',
  '{"a":"\\u00"}',
  '"unterminated',
  '{"email":"a@b.c"}{"x":1}',
  '{"a":1} garbage',
  '[]',
  '"string"',
  '42',
  'true',
  'null',
  '{"a":1,"a":2}',
  `{"k":"${'\\'.repeat(1001)}"}`,
];
const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nonsense',
  'application/json;;',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'application/problem+json',
  'text/html',
  '',
  'invalid',
  '*/*',
  'application/json, text/plain',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-16',
];

function bodyArb(ep: Endpoint, names: string[]): fc.Arbitrary<Body> {
  const example = ep.example ?? {};
  const exampleJson = JSON.stringify(example);
  const flatForm = (value: unknown) =>
    Object.fromEntries(
      Object.entries((value && typeof value === 'object' ? value : {}) as Record<string, unknown>).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : (toJson(v) ?? ''),
      ]),
    );
  return fc.oneof(
    CROSS,
    { weight: 2, arbitrary: fc.constant<Body>({}) },
    { weight: 3, arbitrary: fc.anything().map((v) => json(toJson(v))) },
    { weight: 2, arbitrary: fc.json().map(json) },
    {
      weight: 8,
      arbitrary: fc.array(opArb, { minLength: 0, maxLength: 3 }).map((ops) => json(toJson(mutate(example, ops)))),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          CROSS,
          fc.constantFrom(...MALFORMED_JSON),
          fc.json().map((s) => s.slice(0, -1)),
          fc.constant(exampleJson.slice(0, -1)),
        )
        .map(json),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(BODY_LIMIT + 1, 70_000, 300_000)
        .chain((size) =>
          fc.constantFrom<Body>(
            json(`{"name":"${'x'.repeat(size)}"}`),
            { payload: 'x'.repeat(size), contentType: 'text/plain' },
            { payload: `a=${'x'.repeat(size)}`, contentType: 'application/x-www-form-urlencoded' },
            { payload: 'x'.repeat(size) },
          ),
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...Object.values(DEEP), `{"home":${DEEP['\u0001deep-object\u0001']}}`).map(json),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.oneof(CROSS, fc.constantFrom(...CONTENT_TYPES), printable(60)),
          fc.oneof(CROSS, fc.constant(exampleJson), fc.json(), printable(200), fc.constant('')),
        )
        .map(([contentType, payload]): Body => ({ payload, contentType })),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ payload: exampleJson }) }, // a body with no content-type at all
    {
      weight: 1,
      arbitrary: fc.constantFrom<Body>(json('{"a":"\xff\xfe"}'), {
        payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]),
        contentType: 'application/json',
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          CROSS,
          fc.dictionary(
            fc.oneof(CROSS, fc.constantFrom(...names, '_csrf'), printable(12)),
            fc.oneof(
              CROSS,
              printable(40),
              fc.constantFrom(...(INTERESTING.filter((v) => typeof v === 'string') as string[])),
            ),
            { maxKeys: 6 },
          ),
          fc.array(opArb, { maxLength: 2 }).map((ops) => flatForm(mutate(example, ops))),
        )
        .map((form): Body => ({
          payload: new URLSearchParams(form).toString(),
          contentType: 'application/x-www-form-urlencoded',
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          'a=%',
          'a=%zz&b',
          '=&=&',
          'token[]=x&token[]=y',
          'token[a]=b',
          '__proto__[x]=1',
          'token=1&token=2',
        )
        .map((payload): Body => ({ payload, contentType: 'application/x-www-form-urlencoded' })),
    },
  );
}

const junkSegment: fc.Arbitrary<string> = fc.oneof(
  CROSS,
  fc.constantFrom(
    '',
    '..',
    '.',
    '%2e%2e',
    '..%2F..%2Fetc%2Fpasswd',
    '%',
    '%zz',
    '%00',
    '%C0%AE',
    '%FF',
    '%ED%A0%80',
    'null',
    'undefined',
    'NaN',
    '-1',
    '0',
    '1e309',
    '__proto__',
    'constructor',
    'prototype',
    'x'.repeat(201),
    'a'.repeat(4000),
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '{00000000-0000-0000-0000-000000000000}',
    '00000000000000000000000000000000',
    'me',
    ';',
    ',',
    '*',
    "'",
    '"',
    '%20',
    '+',
    'not-a-uuid',
  ),
  fc
    .oneof(
      CROSS,
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(
        "1' OR '1'='1",
        '1; DROP TABLE accounts; --',
        '../../etc/passwd',
        '<script>',
        'ünïcødé',
        '😀',
        '\u0000',
        '\u202e',
        'ａｂｃ',
        'a/b',
        'a?b',
        'a#b',
        ' ',
      ),
    )
    .map(encode),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => `${u}x`),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `${u}%00`),
);

const authJunk: fc.Arbitrary<string> = fc.oneof(
  CROSS,
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer',
    'Basic Zm9vOmJhcg==',
    'Bearer a b',
    `Bearer ${'a'.repeat(513)}`,
    `Bearer ${'a'.repeat(512)}`,
    'Bearer ks_key_',
    `Bearer ks_key_${'x'.repeat(40)}`,
    `Bearer ${ADMIN_TOKEN.toUpperCase()}`,
    `Bearer ${ADMIN_TOKEN}x`,
    `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
    ADMIN_TOKEN,
    'Bearer null',
    'Bearer undefined',
    'Bearer \t',
    'Token abc',
    'Bearer %00',
    "Bearer ' OR 1=1 --",
    'Bearer\tabc',
    'BEARER abc',
    '',
    ' ',
  ),
  printable(100).map((s) => `Bearer ${s}`),
  printable(100),
);
const cookieJunk: fc.Arbitrary<string> = fc.oneof(
  CROSS,
  fc.constantFrom(
    'ks_session=',
    'ks_session=junk',
    `ks_session=${'x'.repeat(4000)}`,
    'ks_session=%',
    'ks_session=%E0%A4%A',
    'ks_session="',
    ';;;',
    '=',
    'ks_session=a; ks_session=b',
    'ks_session=ks_key_abc',
    `ks_session=${ADMIN_TOKEN}`,
    'ks_session=null',
    'ks_session',
  ),
  printable(200),
  printable(100).map((v) => `ks_session=${v}`),
);
const headerEntry: fc.Arbitrary<[string, string]> = fc.oneof(
  CROSS,
  fc.tuple(
    fc.constant('accept'),
    fc.oneof(
      CROSS,
      fc.constantFrom(
        'text/html',
        'application/json',
        '*/*',
        'text/html,application/json',
        'application/problem+json',
        'application/xml',
        'image/png',
        '',
        ';;;',
        'text/html;q=0',
        '*/*;q=abc',
      ),
      printable(80),
    ),
  ),
  fc.tuple(fc.constant('authorization'), authJunk),
  fc.tuple(fc.constant('cookie'), cookieJunk),
  fc.tuple(
    fc.constantFrom('x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto'),
    fc.oneof(
      CROSS,
      fc.constantFrom(
        '',
        'unknown',
        '::1',
        '999.999.999.999',
        '1.2.3.4, 5.6.7.8',
        'a'.repeat(500),
        '127.0.0.1',
        'for=_hidden',
        '[::1]:80',
      ),
      printable(60),
    ),
  ),
  fc.tuple(
    fc.constantFrom(
      'accept-language',
      'accept-encoding',
      'user-agent',
      'origin',
      'referer',
      'if-none-match',
      'if-modified-since',
      'range',
      'x-request-id',
      'x-http-method-override',
      'x-requested-with',
      'cache-control',
      'accept-charset',
      'content-encoding',
      'content-language',
      'prefer',
    ),
    printable(120),
  ),
  fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), printable(100)),
  fc.tuple(
    fc.constant('host'),
    fc.constantFrom('evil.example', 'localhost:99999', '[::1]', 'a'.repeat(300), 'localhost:3000'),
  ),
);
const headersArb = fc
  .array(headerEntry, { maxLength: 4 })
  .map((entries) => Object.fromEntries(entries) as Record<string, string>);

function queryArb(ep: Endpoint, names: string[]): fc.Arbitrary<string> {
  const declared = ep.query.map((q) => q.name);
  const key = fc.oneof(
    CROSS,
    { weight: declared.length ? 6 : 0, arbitrary: declared.length ? fc.constantFrom(...declared) : fc.constant('x') },
    { weight: 2, arbitrary: fc.constantFrom(...names) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '__proto__',
        'constructor',
        'a[b]',
        'a[]',
        'toString',
        'hasOwnProperty',
        'unexpectedField',
        '',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const example = (name: string) => ep.query.find((q) => q.name === name)?.example;
  const value = fc.oneof(
    CROSS,
    fc.constantFrom(...INTERESTING.filter((v) => typeof v === 'string' || typeof v === 'number').map(String)),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.integer().map(String),
    fc.double().map(String),
  );
  const pair = fc.tuple(key, value, digitsArb).map(([k, v, ds]) => {
    const ex = example(k);
    const chosen = ex !== undefined && ds[1] < 4 ? String(applyMutation(String(ex), { kind: 'digits', ds })) : v;
    return `${encode(k)}=${encode(chosen)}`;
  });
  const raw = fc.constantFrom(
    '%',
    '%zz=1',
    '=',
    '&&&',
    'a',
    'a=1&a=2&a=3',
    'limit=1&limit=2',
    'q=a&q=b',
    'q[]=x',
    'q[a]=x',
    'a=%E0%A4%A',
    '__proto__[x]=1',
    'constructor[prototype][x]=1',
    ';',
    `x=${'y'.repeat(20_000)}`,
    'limit=1e400',
    'offset=-0',
    'limit=0x10',
    'offset=99999999999999999999',
    'token=%00',
  );
  return fc.oneof(
    CROSS,
    fc.constant(''),
    fc.array(pair, { minLength: 1, maxLength: 5 }).map((pairs) => pairs.join('&')),
    raw,
    fc.tuple(fc.array(pair, { maxLength: 3 }), raw).map(([pairs, r]) => [...pairs, r].join('&')),
  );
}

const decodeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The forms of a rendered page: action path and fields with their default values (the CSRF field left out). */
function formsIn(html: string): Array<{ action: string; fields: Record<string, string[]> }> {
  const forms: Array<{ action: string; fields: Record<string, string[]> }> = [];
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const action = /\baction="([^"]*)"/i.exec(form[1])?.[1]?.split('?')[0];
    if (!action?.startsWith('/')) continue;
    const fields: Record<string, string[]> = {};
    const add = (name: string | undefined, value: string) => {
      if (name && name !== '_csrf') (fields[decodeHtml(name)] ??= []).push(decodeHtml(value));
    };
    for (const input of form[2].matchAll(/<input\b([^>]*)>/gi)) {
      const type = /\btype="([^"]*)"/i.exec(input[1])?.[1] ?? 'text';
      if (['submit', 'button', 'image', 'reset', 'file'].includes(type)) continue;
      if (['checkbox', 'radio'].includes(type) && !/\bchecked\b/i.test(input[1])) continue;
      add(/\bname="([^"]*)"/i.exec(input[1])?.[1], /\bvalue="([^"]*)"/i.exec(input[1])?.[1] ?? '');
    }
    for (const area of form[2].matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi))
      add(/\bname="([^"]*)"/i.exec(area[1])?.[1], area[2]);
    for (const select of form[2].matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const option = /<option\b[^>]*\bselected\b[^>]*>/i.exec(select[2]) ?? /<option\b[^>]*>/i.exec(select[2]);
      add(/\bname="([^"]*)"/i.exec(select[1])?.[1], /\bvalue="([^"]*)"/i.exec(option?.[0] ?? '')?.[1] ?? '');
    }
    forms.push({ action, fields });
  }
  return forms;
}

const formBody = (fields: unknown): Body => {
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(
    (fields && typeof fields === 'object' ? fields : {}) as Record<string, unknown>,
  )) {
    for (const value of [values].flat()) params.append(key, typeof value === 'string' ? value : (toJson(value) ?? ''));
  }
  return { payload: params.toString(), contentType: 'application/x-www-form-urlencoded' };
};

/** Close-to-valid bodies: the schema's example (or a page's form) with a few mutations, so they reach the services. */
function semanticBodyArb(ep: Endpoint, names: string[]): fc.Arbitrary<Body> {
  const ops = fc.array(semanticOpArb, { maxLength: 4 });
  if (ep.bodySchema) return ops.map((o) => json(toJson(mutate(ep.example ?? {}, o))));
  if (ep.formExample) {
    return fc.oneof(
      CROSS,
      { weight: 4, arbitrary: ops.map((o) => formBody(mutate(ep.formExample, o))) },
      {
        weight: 1,
        arbitrary: ops.map((o) =>
          json(
            toJson(
              Object.fromEntries(
                Object.entries(mutate(ep.formExample, o) as Record<string, unknown>).map(([k, v]) => [
                  k,
                  Array.isArray(v) && v.length === 1 ? v[0] : v,
                ]),
              ),
            ),
          ),
        ),
      },
    );
  }
  const strings = INTERESTING.filter((v) => typeof v === 'string') as string[];
  const fields = fc.dictionary(fc.constantFrom(...names), fc.oneof(CROSS, fc.constantFrom(...strings), printable(40)), {
    maxKeys: 6,
  });
  return fc.oneof(
    CROSS,
    fc.constant<Body>({}),
    fields.map(formBody),
    fields.map((f) => json(toJson(f))),
  );
}

/** Query strings with the declared keys only, their examples mutated or swapped for interesting values. */
function semanticQueryArb(ep: Endpoint): fc.Arbitrary<string> {
  if (!ep.query.length) return fc.constant('');
  const values = fc.constantFrom(
    ...INTERESTING.filter((v) => typeof v === 'string' || typeof v === 'number').map(String),
  );
  const pair = fc.tuple(fc.constantFrom(...ep.query), fc.oneof(CROSS, digitsArb, values)).map(([q, v]) => {
    const value =
      typeof v === 'string'
        ? v
        : String(applyMutation(String(q.example ?? '2026-12-01T00:00:00Z'), { kind: 'digits', ds: v }));
    return `${encode(q.name)}=${encode(value)}`;
  });
  const required = ep.query
    .filter((q) => q.required)
    .map((q) => `${encode(q.name)}=${encode(String(q.example ?? 'xx'))}`);
  return fc.array(pair, { maxLength: 4 }).map((pairs) => [...required, ...pairs].join('&'));
}

const semanticHeadersArb = fc.oneof(
  CROSS,
  fc.constant<Record<string, string>>({}),
  fc.constantFrom<Record<string, string>>({ accept: 'text/html' }, { accept: 'application/json' }, { accept: '*/*' }),
);

// ---------------------------------------------------------------------------------------------
// Requests and the invariant
// ---------------------------------------------------------------------------------------------

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const stats = { requests: 0, byStatus: new Map<number, number>(), msByRoute: new Map<string, number>() };
let ipCounter = 0;
/** A distinct client address per request, so the per-client default rate limit (600/min) never kicks in. */
const nextIp = () => {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

async function send(h: Harness, req: Sent, route = '?'): Promise<TestResponse> {
  const t0 = performance.now();
  const response = await h.api
    .getHttpAdapter()
    .getInstance()
    .inject({ method: req.method as never, url: req.url, headers: req.headers, payload: req.payload });
  stats.msByRoute.set(route, (stats.msByRoute.get(route) ?? 0) + performance.now() - t0);
  stats.requests += 1;
  stats.byStatus.set(response.statusCode, (stats.byStatus.get(response.statusCode) ?? 0) + 1);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    body = undefined;
  }
  return {
    status: response.statusCode,
    headers: response.headers as TestResponse['headers'],
    body,
    text: response.body,
  };
}

const cut = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
function describeRequest(req: Sent, caller?: string): string {
  const headers = Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${cut(JSON.stringify(v), 120)}`)
    .join('; ');
  const payload =
    req.payload === undefined
      ? '(none)'
      : Buffer.isBuffer(req.payload)
        ? `<bytes ${req.payload.toString('hex')}>`
        : cut(JSON.stringify(req.payload));
  return `${caller ? `[${caller}] ` : ''}${req.method} ${cut(req.url, 200)}\n    headers: ${headers}\n    body: ${payload}`;
}

interface Violation {
  kind: string;
  detail: string;
}
/** The api's OpenAPI document: fuzzed responses must match it too (test/support/openapi-contract.ts). */
let openApi: OpenApiContract | undefined;
/** The invariant every response must satisfy; returns what is wrong, or null. */
function violation(req: Sent, res: TestResponse): Violation | null {
  if (res.status >= 500) return { kind: `server error ${res.status}`, detail: '' };
  const mismatch = openApi?.explain(req.method, req.url, res);
  if (mismatch) return { kind: `OpenAPI ${mismatch.operation ?? 'no operation'}: ${mismatch.what}`, detail: '' };
  if (res.status < 400 || req.method === 'HEAD') return null;
  const contentType = String(res.headers['content-type'] ?? '');
  if (contentType.startsWith('text/html')) {
    // Pages and form posts outside /api answer browsers with an HTML error page; the API never does.
    return req.url.startsWith('/api/')
      ? { kind: `${res.status} from /api as an HTML page`, detail: contentType }
      : null;
  }
  if (!contentType.startsWith('application/problem+json')) {
    return {
      kind: `${res.status} is not problem+json (content-type "${contentType}"${res.body?.code ? `, code ${res.body.code}` : ''})`,
      detail: '',
    };
  }
  const b = res.body;
  if (
    !b ||
    typeof b.type !== 'string' ||
    typeof b.title !== 'string' ||
    b.status !== res.status ||
    typeof b.detail !== 'string'
  ) {
    return { kind: `${res.status} problem body lacks type/title/status/detail`, detail: '' };
  }
  if (res.status === 422) {
    const errors = b.errors;
    if (!Array.isArray(errors) || errors.length === 0) return { kind: '422 without errors[]', detail: '' };
    const bad = errors.find(
      (e: any) => typeof e?.field !== 'string' || e.field.length === 0 || typeof e?.message !== 'string',
    );
    if (bad) return { kind: '422 with an error that names no field', detail: JSON.stringify(bad) };
  }
  return null;
}

const report = (v: Violation, req: Sent, res: TestResponse, caller?: string) =>
  `${v.kind}${v.detail ? ` ${v.detail}` : ''}\n    ${describeRequest(req, caller)}\n    → ${res.status} ${res.headers['content-type'] ?? ''} ${cut(res.text, 400)}`;

/**
 * Non-5xx contract breaks (an error that is not problem+json, a 422 naming no field), grouped by
 * kind, keeping the smallest example. 5xx are thrown instead, so fast-check shrinks them.
 */
class ContractLog {
  readonly kinds = new Map<string, { where: Set<string>; example: string; size: number }>();
  add(v: Violation, where: string, req: Sent, res: TestResponse, caller?: string): void {
    const entry = this.kinds.get(v.kind) ?? { where: new Set<string>(), example: '', size: Infinity };
    entry.where.add(where);
    const size = req.url.length + (req.payload?.length ?? 0) + JSON.stringify(req.headers).length;
    if (size < entry.size) Object.assign(entry, { size, example: report(v, req, res, caller) });
    this.kinds.set(v.kind, entry);
  }
  lines(): string[] {
    return [...this.kinds.values()].map(
      (e) =>
        `${e.example}\n    seen at: ${[...e.where].slice(0, 12).join(', ')}${e.where.size > 12 ? `, … (${e.where.size})` : ''}`,
    );
  }
}

class ServerError extends Error {}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

describe('bad input never causes a 5xx, and errors are problem+json naming the field', () => {
  let h: Harness;
  let endpoints: Endpoint[] = [];
  let names: string[] = [];
  const ids: Record<string, string[]> = {};
  const creds: Record<CredCaller, Cred> = {
    volunteer: { token: '' },
    coordinator: { token: '' },
    apiKey: { token: '' },
    volunteerWeb: { token: '' },
    coordinatorWeb: { token: '' },
  };
  /** Credentials to re-check before the next request (a fuzzed request may have signed out, deleted the account…). */
  const recheck = new Set<CredCaller>();
  const webPages: Partial<Record<CredCaller, string>> = {};
  let coordinatorEmail = '';
  const minted: Partial<Record<CredCaller, number>> = {};
  const started = Date.now();
  const failures: string[] = [];
  const notes = new Set<string>();
  const helperHeaders = () => ({ 'x-forwarded-for': nextIp() });

  const cookieHeaders = (c: Cred): Record<string, string> => ({
    cookie: `ks_session=${c.token}${c.csrfSecret ? `; ks_csrf=${c.csrfSecret}` : ''}`,
    ...(c.csrfToken ? { 'x-csrf-token': c.csrfToken } : {}),
  });
  const isValid = async (caller: CredCaller): Promise<boolean> => {
    const url = caller.startsWith('volunteer') ? '/api/me' : `/api/organisations/${ids.organisationId[0]}`;
    const auth = caller.endsWith('Web')
      ? cookieHeaders(creds[caller])
      : { authorization: `Bearer ${creds[caller].token}` };
    return (await h.request('GET', url, { headers: { ...helperHeaders(), ...auth } })).status === 200;
  };
  const EMAILS: Partial<Record<CredCaller, string>> = {
    volunteer: 'fuzz-volunteer@example.org',
    volunteerWeb: 'fuzz-volunteer-web@example.org',
  };
  /**
   * A fresh session without the mail round trip (the link flow itself is covered by other tests);
   * a volunteer whose account a fuzzed DELETE removed signs up again.
   */
  const sessionFor = async (caller: CredCaller): Promise<string> => {
    const email = caller.startsWith('coordinator') ? coordinatorEmail : EMAILS[caller]!;
    const identity = h.api.get(IdentityService, { strict: false });
    let account = await identity.findAccountByEmail(email);
    if (!account) {
      // A fuzzed request deleted the account: sign up again under a new address (the old one's mails linger in the sink).
      EMAILS[caller] = `fuzz-${caller.toLowerCase()}-${minted[caller]}@example.org`;
      const body = {
        email: EMAILS[caller],
        name: 'Fuzz',
        timeZone: 'Europe/London',
        home: MANCHESTER,
        travelKm: 10,
        skills: ['cooking'],
        availability: [{ weekday: 2, start: '16:00', end: '22:00' }],
      };
      const signUp = await h.request('POST', '/api/volunteers', { body, headers: helperHeaders() });
      account = await identity.findAccountByEmail(EMAILS[caller]!);
      if (!account) throw new Error(`could not sign up a volunteer again: ${signUp.status} ${signUp.text}`);
    }
    return (await identity.completeLink(await identity.issueLinkToken(account.id, 'sign_in', 600), 'sign_in')).token;
  };
  /** A browser session: finds a page (any parameterless GET outside /api) that renders a CSRF token for it. */
  const webCred = async (caller: CredCaller, token: string): Promise<Cred> => {
    const candidates = [
      webPages[caller],
      ...endpoints
        .filter((e) => e.method === 'GET' && !e.params.length && !/^\/(api|links|health|docs)(\/|$)/.test(e.path))
        .map((e) => e.path),
    ];
    for (const path of candidates) {
      if (!path) continue;
      const page = await h.request('GET', path, {
        headers: { ...helperHeaders(), cookie: `ks_session=${token}`, accept: 'text/html' },
      });
      const csrfSecret = /ks_csrf=([^;,\s]+)/.exec(String(page.headers['set-cookie'] ?? ''))?.[1];
      const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
      if (page.status === 200 && csrfSecret && csrfToken) {
        webPages[caller] = path;
        return { token, csrfSecret, csrfToken };
      }
    }
    return { token }; // no page hands out CSRF tokens: a plain session cookie
  };
  const mint = async (caller: CredCaller): Promise<void> => {
    minted[caller] = (minted[caller] ?? 0) + 1;
    switch (caller) {
      case 'volunteer':
      case 'coordinator':
        creds[caller] = { token: await sessionFor(caller) };
        break;
      case 'volunteerWeb':
      case 'coordinatorWeb':
        creds[caller] = await webCred(caller, await sessionFor(caller));
        break;
      case 'apiKey': {
        await ensure('coordinator', true);
        const created = await h.request('POST', `/api/organisations/${ids.organisationId[0]}/api-keys`, {
          token: creds.coordinator.token,
          body: { name: `fuzz ${minted.apiKey}` },
          headers: helperHeaders(),
        });
        creds.apiKey = { token: created.body.key };
      }
    }
  };
  /** Re-mints a credential that a fuzzed request used up (sign-out, account deletion, revocation). */
  const ensure = async (caller: Caller, verify: boolean): Promise<void> => {
    if (!CRED_CALLERS.includes(caller)) return;
    const c = caller as CredCaller;
    if (!verify && !recheck.has(c)) return;
    recheck.delete(c);
    if (!creds[c].token || !(await isValid(c))) await mint(c);
  };

  const headersFor = (caller: Caller, junkToken: string): Record<string, string> => {
    switch (caller) {
      case 'anonymous':
        return {};
      case 'admin':
        return { authorization: `Bearer ${ADMIN_TOKEN}` };
      case 'garbage':
        return { authorization: junkToken };
      case 'volunteerWeb':
      case 'coordinatorWeb':
        return cookieHeaders(creds[caller]);
      default:
        return { authorization: `Bearer ${creds[caller].token}` };
    }
  };
  const fill = (ep: Endpoint, values: string[]) =>
    ep.params.reduce((path, name, i) => path.replace(`{${name}}`, values[i]), ep.path);
  const paramArb = (name: string): fc.Arbitrary<string> => {
    const known = ids[name] ?? Object.values(ids).flat();
    return fc.oneof(
      CROSS,
      { weight: 5, arbitrary: fc.constantFrom(...known) },
      { weight: 2, arbitrary: fc.uuid() },
      { weight: 3, arbitrary: junkSegment },
    );
  };
  const knownParamArb = (name: string): fc.Arbitrary<string> => {
    const known = ids[name] ?? Object.values(ids).flat();
    return fc.oneof(
      CROSS,
      { weight: 8, arbitrary: fc.constantFrom(...known) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: junkSegment },
    );
  };
  const validPath = (ep: Endpoint) =>
    fill(
      ep,
      ep.params.map((name) => (ids[name] ?? ids.organisationId)[0]),
    );

  /** Reads the forms of every page (as each browser caller) so form posts get close-to-valid bodies. */
  const harvestForms = async () => {
    const pages = endpoints.filter((e) => e.method === 'GET' && !/^\/(api|links|health|docs)(\/|$)/.test(e.path));
    const posts = endpoints.filter((e) => e.method !== 'GET' && !e.bodySchema);
    const formNames = new Set<string>();
    for (const caller of ['anonymous', 'volunteerWeb', 'coordinatorWeb'] as const) {
      for (const page of pages) {
        const res = await h.request('GET', validPath(page), {
          headers: { ...helperHeaders(), ...headersFor(caller, ''), accept: 'text/html' },
        });
        if (res.status !== 200) continue;
        for (const form of formsIn(res.text)) {
          Object.keys(form.fields).forEach((name) => formNames.add(name));
          const target = posts.find((ep) =>
            new RegExp(`^${ep.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(form.action),
          );
          if (
            target &&
            (!target.formExample || Object.keys(form.fields).length > Object.keys(target.formExample).length)
          )
            target.formExample = form.fields;
        }
      }
    }
    names = [...new Set([...names, ...formNames])];
    const harvested = posts
      .filter((ep) => ep.formExample)
      .map((ep) => `${label(ep)} (${Object.keys(ep.formExample!).length})`);
    notes.add(`form fields harvested from the pages for: ${harvested.join(', ') || 'none'}`);
  };

  /** Fresh shifts (a draft and an open one) and a series, so cases with valid ids do not meet ones a fuzzed request cancelled. */
  const refreshIds = async () => {
    await ensure('coordinator', true);
    const org = `/api/organisations/${ids.organisationId[0]}`;
    const as = { token: creds.coordinator.token, headers: helperHeaders() };
    const shift = (publish: boolean) =>
      h.request('POST', `${org}/shifts`, {
        ...as,
        body: { title: 'Fuzz shift', startsAt: inDays(3, 10), endsAt: inDays(3, 12), capacity: 2, publish },
      });
    const series = await h.request('POST', `${org}/series`, {
      ...as,
      body: {
        title: 'Fuzz series',
        weekday: 2,
        start: '17:00',
        end: '20:00',
        startsOn: inDays(1, 0).slice(0, 10),
        until: inDays(60, 0).slice(0, 10),
        capacity: 3,
      },
    });
    Object.assign(ids, {
      shiftId: [(await shift(false)).body.id, (await shift(true)).body.id],
      seriesId: [series.body.id],
    });
    for (const [name, values] of Object.entries(ids)) {
      if (values.some((v) => typeof v !== 'string'))
        throw new Error(`setup failed for ${name}: ${JSON.stringify(values)} (series: ${series.text})`);
    }
  };

  beforeAll(async () => {
    // No worker: these requests only need the api, and every session is minted without mail, so the
    // worker's mail rendering would only compete for the CPU.
    h = await startHarness('bad_input', {
      worker: false,
      env: { RATE_LIMIT_AUTH_PER_HOUR: '100000', TRUST_PROXY: 'loopback' },
    });
    openApi = h.contract;
    const organisation = async (slug: string) => {
      const created = await h.request('POST', '/api/admin/organisations', {
        token: ADMIN_TOKEN,
        body: {
          name: `Kitchen ${slug}`,
          kind: 'soup_kitchen',
          timeZone: 'Europe/London',
          address: { label: 'Main hall', ...MANCHESTER },
          coordinator: { email: `coordinator@${slug}.example.org`, name: 'Alex' },
        },
      });
      if (created.status !== 201) throw new Error(`organisation not created: ${created.status} ${created.text}`);
      return {
        organisationId: created.body.id as string,
        addressId: created.body.addresses[0].id as string,
        email: `coordinator@${slug}.example.org`,
        token: '',
      };
    };
    const a = await organisation('fuzza');
    const b = await organisation('fuzzb');
    coordinatorEmail = a.email;
    creds.coordinator = { token: await sessionFor('coordinator') };
    a.token = creds.coordinator.token;
    const org = `/api/organisations/${a.organisationId}`;
    creds.apiKey = {
      token: (await h.request('POST', `${org}/api-keys`, { token: a.token, body: { name: 'main' } })).body.key,
    };
    const victim = (await h.request('POST', `${org}/api-keys`, { token: a.token, body: { name: 'victim' } })).body.id;
    const extraAddress = await h.request('POST', `${org}/addresses`, {
      token: a.token,
      body: { label: 'Side door', ...MANCHESTER },
    });
    Object.assign(ids, {
      organisationId: [a.organisationId, b.organisationId],
      apiKeyId: [victim],
      addressId: [a.addressId, extraAddress.body.addresses?.[1]?.id ?? a.addressId],
    });
    await refreshIds();
    const discovered = await discoverEndpoints(h, ids);
    endpoints = discovered.endpoints;
    names = knownNames(discovered.doc);
    for (const caller of ['volunteer', 'volunteerWeb', 'coordinatorWeb'] as const) await mint(caller);
    await harvestForms();
  }, 60_000);

  afterAll(async () => {
    const statuses = [...stats.byStatus.entries()]
      .sort(([x], [y]) => x - y)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    console.log(
      `bad-input: ${endpoints.length} endpoints (${endpoints.filter((e) => !e.documented).length} hidden from OpenAPI), ${stats.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}, ${RUNS} runs per endpoint × caller, credentials minted ${JSON.stringify(minted)}, CSRF tokens read from ${JSON.stringify(webPages)}\n  statuses: ${statuses}\n  slowest routes (ms in total): ${[
        ...stats.msByRoute.entries(),
      ]
        .sort(([, a], [, b]) => b - a)
        .slice(0, 6)
        .map(([r, ms]) => `${r} ${Math.round(ms)}`)
        .join(
          ', ',
        )}${notes.size ? `\n  notes:\n    ${[...notes].join('\n    ')}` : ''}${failures.length ? `\n  ${failures.length} problem(s), each listed under its failing test below` : ''}`,
    );
    await h?.close();
  });

  /** One fuzzed request: the caller's credentials win over fuzzed Authorization headers. */
  const buildRequest = (
    method: string,
    url: string,
    caller: Caller,
    s: { headers: Record<string, string>; body: Body; junkToken: string },
  ): Sent => ({
    method,
    url,
    headers: {
      'x-forwarded-for': nextIp(),
      ...s.headers,
      ...headersFor(caller, s.junkToken),
      ...(s.body.contentType !== undefined ? { 'content-type': s.body.contentType } : {}),
    },
    payload: s.body.payload,
  });
  /** Any accepted state change may have used up the caller's credential (sign-out, deletion…): re-check it. */
  const usedUp = (caller: Caller, method: string, res: TestResponse) => {
    if (res.status < 400 && method !== 'GET' && CRED_CALLERS.includes(caller)) recheck.add(caller as CredCaller);
  };
  const failureOf = (
    details: { errorInstance?: unknown; counterexamplePath: string | null; numShrinks: number },
    where: string,
    seed: number,
  ) => {
    const error = details.errorInstance;
    const message = error instanceof Error ? error.message : String(error);
    return `${where} (seed ${seed}, path "${details.counterexamplePath}", ${details.numShrinks} shrinks): ${message}`;
  };

  it('finds the endpoints in the OpenAPI document (and the routes hidden from it)', () => {
    const list = endpoints.map(label);
    expect(list).toEqual(
      expect.arrayContaining([
        'POST /api/volunteers',
        'PATCH /api/me',
        'POST /api/admin/organisations',
        'GET /api/organisations/{organisationId}/shifts',
        'GET /health/live',
        'GET /links/verify',
      ]),
    );
    expect(endpoints.filter((e) => e.documented).length).toBeGreaterThan(20);
  });

  // ------------------------------------------------------------------------------------------
  // Explicit cases, for every endpoint they apply to
  // ------------------------------------------------------------------------------------------

  /** The callers that get past the guard (the probe carries a bad id or an unknown field, so nothing happens). */
  const allowedCache = new Map<Endpoint, Caller[]>();
  async function allowedCallers(ep: Endpoint): Promise<Caller[]> {
    const cached = allowedCache.get(ep);
    if (cached) return cached;
    const allowed: Caller[] = [];
    for (const caller of CALLERS.filter((c) => c !== 'garbage')) {
      await ensure(caller, false);
      const res = await send(h, {
        method: ep.method,
        url: fill(
          ep,
          ep.params.map(() => 'not-a-uuid'),
        ),
        headers: { 'x-forwarded-for': nextIp(), ...headersFor(caller, ''), 'content-type': 'application/json' },
        payload: JSON.stringify({ ...(ep.example as object), unexpectedProbeField: 1 }),
      });
      usedUp(caller, ep.method, res);
      if (![401, 403].includes(res.status)) allowed.push(caller);
    }
    allowedCache.set(ep, allowed);
    return allowed;
  }
  const bodyEndpoints = () => endpoints.filter((ep) => ep.bodySchema);
  const jsonRequest = (ep: Endpoint, caller: Caller, payload: unknown, path = validPath(ep)): Sent => ({
    method: ep.method,
    url: path,
    headers: { 'x-forwarded-for': nextIp(), ...headersFor(caller, ''), 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
  const fieldsOf = (res: TestResponse): string[] => (res.body?.errors ?? []).map((e: { field: string }) => e.field);
  /** Explicit cases: the shared invariant first, then the case's own expectation. */
  const expectCase = (
    problems: string[],
    where: string,
    req: Sent,
    res: TestResponse,
    expectation: string | null,
    caller?: string,
  ) => {
    const v = violation(req, res);
    if (v) problems.push(`${where}: ${report(v, req, res, caller)}`);
    else if (expectation) problems.push(`${where}: ${expectation}, got ${res.status} ${cut(res.text, 300)}`);
  };
  /** Fails with every problem spelled out (request, response), not as an array diff. */
  const finish = (name: string, problems: string[]) => {
    failures.push(...problems.map((p) => `${name}: ${p}`));
    if (problems.length)
      throw new Error(`${problems.length} problem(s):\n\n${problems.map((p) => `✗ ${p}`).join('\n\n')}`);
  };

  it('rejects unknown body fields, top-level and nested, with 422 naming the field', async () => {
    await refreshIds();
    const problems: string[] = [];
    for (const ep of bodyEndpoints()) {
      const example = ep.example as Record<string, unknown>;
      const nested = nodePaths(example).filter((p) => {
        const n = getAt(example, p);
        return n && typeof n === 'object' && !Array.isArray(n);
      });
      const cases: Array<{ payload: unknown; field: string }> = [
        { payload: { ...example, unexpectedField: 1 }, field: 'unexpectedField' },
      ];
      for (const path of nested) {
        const payload = structuredClone(example);
        getAt(payload, path).unexpectedField = 1;
        cases.push({ payload, field: `${path.join('.')}.unexpectedField` });
      }
      const allowed = await allowedCallers(ep);
      if (!allowed.length) notes.add(`${label(ep)}: no caller gets past the guard, so unknown fields were not checked`);
      for (const caller of allowed) {
        await ensure(caller, false);
        for (const { payload, field } of cases) {
          const req = jsonRequest(ep, caller, payload);
          const res = await send(h, req);
          expectCase(
            problems,
            `${label(ep)} as ${caller}`,
            req,
            res,
            res.status !== 422 || !fieldsOf(res).includes(field) ? `expected 422 naming ${field}` : null,
            caller,
          );
        }
      }
    }
    finish('unknown field', problems);
  });

  it('rejects unknown query parameters with 422 naming them', async () => {
    await refreshIds();
    const problems: string[] = [];
    for (const ep of endpoints.filter((e) => e.query.length)) {
      const required = ep.query.filter((q) => q.required).map((q) => `${q.name}=${encode(String(q.example ?? 'xx'))}`);
      for (const caller of await allowedCallers(ep)) {
        await ensure(caller, false);
        const req: Sent = {
          method: ep.method,
          url: `${validPath(ep)}?${[...required, 'unexpectedField=1'].join('&')}`,
          headers: { 'x-forwarded-for': nextIp(), ...headersFor(caller, '') },
        };
        const res = await send(h, req);
        expectCase(
          problems,
          `${label(ep)} as ${caller}`,
          req,
          res,
          res.status !== 422 || !fieldsOf(res).includes('unexpectedField')
            ? 'expected 422 naming unexpectedField'
            : null,
          caller,
        );
      }
    }
    finish('unknown query', problems);
  });

  it('answers 413 problem+json to a 70 KB JSON body, before authentication', async () => {
    const problems: string[] = [];
    const big = JSON.stringify({ name: 'x'.repeat(70 * 1024) });
    for (const ep of endpoints.filter((e) => e.method !== 'GET')) {
      for (const caller of ['anonymous', 'admin'] as const) {
        const req: Sent = {
          method: ep.method,
          url: validPath(ep),
          headers: { 'x-forwarded-for': nextIp(), ...headersFor(caller, ''), 'content-type': 'application/json' },
          payload: big,
        };
        const res = await send(h, req);
        expectCase(
          problems,
          `${label(ep)} as ${caller}`,
          req,
          res,
          res.status !== 413 || !String(res.headers['content-type']).startsWith('application/problem+json')
            ? 'expected 413 problem+json'
            : null,
          caller,
        );
      }
    }
    finish('70 KB body', problems);
  });

  it('answers 400 problem+json naming `body` to malformed JSON', async () => {
    const problems: string[] = [];
    for (const ep of endpoints.filter((e) => e.method !== 'GET')) {
      const req: Sent = {
        method: ep.method,
        url: validPath(ep),
        headers: { 'x-forwarded-for': nextIp(), 'content-type': 'application/json' },
        payload: '{"email": ',
      };
      const res = await send(h, req);
      expectCase(
        problems,
        label(ep),
        req,
        res,
        res.status !== 400 || !fieldsOf(res).includes('body') ? 'expected 400 with errors naming body' : null,
      );
    }
    finish('malformed JSON', problems);
  });

  it('answers 4xx, not 5xx, to deeply nested JSON within the size limit', async () => {
    await refreshIds();
    const problems: string[] = [];
    for (const ep of bodyEndpoints()) {
      const caller = (await allowedCallers(ep)).find((c) => c !== 'anonymous') ?? 'anonymous';
      await ensure(caller, false);
      for (const [name, payload] of [
        ['5 000 nested objects', DEEP['\u0001deep-object\u0001']],
        ['10 000 nested arrays', DEEP['\u0001deep-array\u0001']],
      ]) {
        const req: Sent = {
          method: ep.method,
          url: validPath(ep),
          headers: { 'x-forwarded-for': nextIp(), ...headersFor(caller, ''), 'content-type': 'application/json' },
          payload,
        };
        const res = await send(h, req);
        expectCase(
          problems,
          `${label(ep)} as ${caller}, ${name}`,
          req,
          res,
          res.status < 400 ? 'expected a 4xx' : null,
          caller,
        );
      }
    }
    finish('deep JSON', problems);
  });

  it('answers 422 naming the parameter to a path id that is not a UUID', async () => {
    await refreshIds();
    const problems: string[] = [];
    for (const ep of endpoints.filter((e) => e.params.length)) {
      const allowed = await allowedCallers(ep);
      for (const [i, name] of ep.params.entries()) {
        for (const junk of ['not-a-uuid', '1', `${ids.organisationId[0]}x`, encode("1' OR '1'='1")]) {
          const values = ep.params.map((n, j) => (j === i ? junk : (ids[n] ?? ids.organisationId)[0]));
          let named = false;
          for (const caller of allowed) {
            await ensure(caller, false);
            const req = jsonRequest(ep, caller, ep.example ?? {}, fill(ep, values));
            if (!ep.bodySchema) {
              delete req.payload;
              delete req.headers['content-type'];
            }
            const res = await send(h, req);
            const htmlPage =
              String(res.headers['content-type'] ?? '').startsWith('text/html') &&
              res.status >= 400 &&
              res.status < 500;
            if ((res.status === 422 && fieldsOf(res)[0] === name) || htmlPage) named = true;
            expectCase(
              problems,
              `${label(ep)} ${name}=${junk} as ${caller}`,
              req,
              res,
              res.status < 400 ? 'expected a 4xx' : null,
              caller,
            );
          }
          if (!allowed.length)
            notes.add(`${label(ep)}: no caller gets past the guard, so the path ids were not checked`);
          else if (!named) problems.push(`${label(ep)}: no caller got a 422 naming ${name} for ${junk}`);
        }
      }
    }
    finish('bad path id', problems);
  });

  it('refuses each field of each body with the wrong type, or left out, with a 4xx and never a 5xx', async () => {
    const problems: string[] = [];
    for (const ep of endpoints.filter((e) => e.bodySchema || e.formExample)) {
      const allowed = await allowedCallers(ep);
      const caller = allowed.find((c) => c !== 'anonymous') ?? allowed[0];
      if (!caller) {
        notes.add(`${label(ep)}: no caller gets past the guard, so its fields were not checked`);
        continue;
      }
      await refreshIds();
      const base = (ep.bodySchema ? ep.example : ep.formExample) ?? {};
      for (const path of nodePaths(base)) {
        for (const variant of ['(left out)', null, '', ' ', 0, true, [], {}]) {
          const payload = structuredClone(base) as any;
          const parent = path.length > 1 ? getAt(payload, path.slice(0, -1)) : payload;
          const key = path[path.length - 1];
          if (variant === '(left out)') {
            if (Array.isArray(parent)) parent.splice(Number(key), 1);
            else delete parent[key];
          } else parent[key] = structuredClone(variant);
          await ensure(caller, false);
          const body = ep.bodySchema ? json(toJson(payload)) : formBody(payload);
          const req: Sent = {
            method: ep.method,
            url: validPath(ep),
            headers: { 'x-forwarded-for': nextIp(), ...headersFor(caller, ''), 'content-type': body.contentType! },
            payload: body.payload,
          };
          const res = await send(h, req, label(ep));
          usedUp(caller, ep.method, res);
          const v = violation(req, res);
          if (v)
            problems.push(
              `${label(ep)} as ${caller}, ${path.join('.')} = ${typeof variant === 'string' ? JSON.stringify(variant).slice(0, 20) : JSON.stringify(variant)}: ${report(v, req, res, caller)}`,
            );
        }
      }
    }
    finish('wrong type or missing field', problems);
  }, 120_000);

  it('bounds the size of every string and array field (20 000 characters / 1 000 items are refused, naming the field)', async () => {
    await refreshIds();
    const problems: string[] = [];
    for (const ep of bodyEndpoints()) {
      const example = ep.example;
      const leaves = nodePaths(example).filter((p) => {
        const n = getAt(example, p);
        return typeof n === 'string' || Array.isArray(n);
      });
      const allowed = await allowedCallers(ep);
      const caller = allowed.find((c) => c !== 'anonymous') ?? allowed[0];
      if (!caller) continue;
      for (const path of leaves) {
        const payload = structuredClone(example) as any;
        const parent = path.length > 1 ? getAt(payload, path.slice(0, -1)) : payload;
        const key = path[path.length - 1];
        const original = parent[key];
        parent[key] = Array.isArray(original) ? Array(1000).fill(original[0] ?? 'x') : 'x'.repeat(20_000);
        await ensure(caller, false);
        const req = jsonRequest(ep, caller, payload);
        const res = await send(h, req);
        const field = path.join('.');
        const named = fieldsOf(res).some((f) => f === field || field.startsWith(`${f}.`) || f.startsWith(`${field}.`));
        expectCase(
          problems,
          `${label(ep)} as ${caller}, ${field}`,
          req,
          res,
          res.status < 400
            ? `accepted an oversized ${field}`
            : res.status === 422 && !named
              ? `422 does not name ${field}`
              : null,
          caller,
        );
      }
    }
    finish('size bound', problems);
  });
  // ------------------------------------------------------------------------------------------
  // Property-based fuzzing last: it changes state (cancels shifts, deletes accounts) the cases above rely on
  // ------------------------------------------------------------------------------------------

  it.each(CALLERS)(
    'random bodies, query strings, ids and headers at every endpoint, as %s',
    async (caller) => {
      await refreshIds();
      const serverErrors: string[] = [];
      const contract = new ContractLog();
      for (const [index, ep] of endpoints.entries()) {
        await ensure(caller, true);
        const allowed = (await allowedCallers(ep)).includes(caller);
        // Junk: anything at all in every part of the request. Semantic: known ids, near-valid bodies and
        // queries, run only for callers the guard lets through. Two properties, so a failure of one
        // kind does not hide the other.
        const junk = fc.record({
          params: fc.tuple(...ep.params.map(paramArb)),
          query: queryArb(ep, names),
          headers: headersArb,
          body: bodyArb(ep, names),
          junkToken: authJunk,
        });
        const semantic = fc.record({
          params: fc.tuple(...ep.params.map(knownParamArb)),
          query: semanticQueryArb(ep),
          headers: semanticHeadersArb,
          body: semanticBodyArb(ep, names),
          junkToken: authJunk,
        });
        const runs: Array<[string, typeof junk, number]> = [
          ['junk', junk, allowed ? RUNS : Math.ceil(RUNS / 3)],
          ['semantic', semantic, allowed ? RUNS : 0],
        ];
        for (const [kind, sample, numRuns] of runs) {
          if (!numRuns) continue;
          const property = fc.asyncProperty(sample, async (s) => {
            await ensure(caller, false);
            const req = buildRequest(ep.method, `${fill(ep, s.params)}${s.query ? `?${s.query}` : ''}`, caller, s);
            const res = await send(h, req, label(ep));
            usedUp(caller, ep.method, res);
            const v = violation(req, res);
            if (v && res.status >= 500) throw new ServerError(report(v, req, res, caller));
            if (v) contract.add(v, label(ep), req, res, caller);
          });
          const seed = SEED + CALLERS.indexOf(caller) * 1000 + index * 2 + (kind === 'junk' ? 0 : 1);
          const details = await fc.check(property, {
            numRuns,
            seed,
            interruptAfterTimeLimit: 15_000,
            markInterruptAsFailure: false,
          });
          if (details.failed) serverErrors.push(failureOf(details, `${label(ep)} as ${caller}, ${kind} input`, seed));
        }
      }
      finish(`fuzz as ${caller}`, [...serverErrors, ...contract.lines()]);
    },
    120_000,
  );

  it('random methods and paths (known routes with junk, unknown routes, docs and static files)', async () => {
    await refreshIds();
    const contract = new ContractLog();
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
    const templated = fc
      .constantFrom(...endpoints)
      .chain((ep) => fc.tuple(...ep.params.map(paramArb)).map((values) => fill(ep, values)));
    const pathArb = fc.oneof(
      CROSS,
      fc.constantFrom(
        '/',
        '/api',
        '/api/',
        '/docs',
        '/docs/',
        '/docs/openapi.json',
        '/docs-json',
        '/docs/swagger-ui-init.js',
        '/static/site.css',
        '/static/',
        '/static/../package.json',
        '/static/%2e%2e/package.json',
        '/static/..%2F..%2Fpackage.json',
        '/static/%2e%2e%2f%2e%2e%2fpackage.json',
        '//api//me',
        '/api/me/',
        '/API/ME',
        '/api/me;x',
        '/links',
        '/links/',
        '/health',
        '/metrics',
        '/favicon.ico',
        '/api/organisations',
        '/api/organisations/',
        '/api/admin/organisations/',
        `/${'a'.repeat(10_000)}`,
        '/%',
        '/%00',
        '/%C3%A9',
      ),
      templated,
      fc
        .tuple(templated, fc.array(junkSegment, { minLength: 1, maxLength: 3 }))
        .map(([p, extra]) => `${p}/${extra.join('/')}`),
      fc.array(junkSegment, { minLength: 1, maxLength: 6 }).map((segments) => `/${segments.join('/')}`),
    );
    const anyEndpoint: Endpoint = { method: 'POST', path: '/', params: [], query: [], documented: false };
    const property = fc.asyncProperty(
      fc.record({
        method: fc.constantFrom(...methods),
        path: pathArb,
        query: queryArb(anyEndpoint, names),
        headers: headersArb,
        body: bodyArb(anyEndpoint, names),
        caller: fc.constantFrom(...CALLERS),
        junkToken: authJunk,
      }),
      async (s) => {
        await ensure(s.caller, false);
        const req = buildRequest(s.method, `${s.path}${s.query ? `?${s.query}` : ''}`, s.caller, s);
        if (s.method === 'GET' || s.method === 'HEAD') delete req.payload;
        const res = await send(h, req);
        usedUp(s.caller, s.method, res);
        if (res.status === 200 && /"name":\s*"kindshift"/.test(res.text))
          throw new ServerError(`served a file outside public/\n    ${describeRequest(req, s.caller)}`);
        const v = violation(req, res);
        if (v && res.status >= 500) throw new ServerError(report(v, req, res, s.caller));
        if (v) contract.add(v, `${s.method} ${s.path.split('?')[0].slice(0, 60)}`, req, res, s.caller);
      },
    );
    const seed = SEED + 99_999;
    const details = await fc.check(property, {
      numRuns: Math.max(100, RUNS * 15),
      seed,
      interruptAfterTimeLimit: 30_000,
      markInterruptAsFailure: false,
    });
    finish('random routes', [
      ...(details.failed ? [failureOf(details, 'random route', seed)] : []),
      ...contract.lines(),
    ]);
  }, 120_000);
});
