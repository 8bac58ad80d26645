import { createRequire } from 'node:module';
import { benchShift } from '../bench-offers/world.js';
import type { SoakWorld } from './world.js';

// autocannon is CommonJS without bundled types; only run() and its result are used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: Record<string, unknown>,
) => AutocannonInstance;
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  stop(): void;
}
interface AutocannonResult {
  requests: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p99: number };
}

/** One stream of the mix: a route, how many requests a second, how each request is made. */
interface Stream {
  name: string;
  rate: number;
  connections?: number;
  method: 'GET' | 'POST';
  request: (n: number) => { path: string; headers?: Record<string, string>; body?: unknown };
}

export interface StreamResult {
  name: string;
  total: number;
  non2xx: number;
  errors: number;
  statuses: string;
  p50: number;
  p99: number;
}

let counter = 0;
const pick = <T>(items: T[], n: number) => items[n % items.length];
// Every request claims its own client address (the api trusts X-Forwarded-For, as behind a proxy),
// so the per-client rate limits stay out of the way of a soak test.
const client = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** The mix: registration, sign-in, /api/me, shift lists, offer pages and publishing shifts. */
export function soakStreams(world: SoakWorld, scale: number, connections?: number): Stream[] {
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const streams: Stream[] = [
    {
      name: 'register',
      rate: 15,
      method: 'POST',
      request: (n) => ({ path: '/api/volunteers', body: registration(`soak-${run}-${n}@example.org`) }),
    },
    {
      name: 'sign-in',
      rate: 10,
      method: 'POST',
      request: (n) => ({ path: '/api/auth/sign-in', body: { email: pick(world.volunteerEmails, n) } }),
    },
    {
      name: '/api/me',
      rate: 30,
      method: 'GET',
      request: (n) => ({ path: '/api/me', headers: { authorization: `Bearer ${pick(world.volunteerTokens, n)}` } }),
    },
    {
      name: 'shift list',
      rate: 30,
      method: 'GET',
      request: (n) => {
        const org = pick(world.organisations, n);
        return {
          path: `/api/organisations/${org.organisationId}/shifts`,
          headers: { authorization: `Bearer ${org.token}` },
        };
      },
    },
    {
      name: 'offer page',
      rate: 30,
      method: 'GET',
      request: (n) => ({
        path: `/links/offer?token=${encodeURIComponent(pick(world.offerTokens, n))}&action=accept`,
        headers: { accept: 'text/html' },
      }),
    },
    {
      name: 'publish shift',
      rate: 1,
      method: 'POST',
      request: (n) => {
        const org = pick(world.organisations, n);
        return {
          path: `/api/organisations/${org.organisationId}/shifts`,
          headers: { authorization: `Bearer ${org.token}` },
          body: benchShift(n, 2, n % 6),
        };
      },
    },
  ];
  return streams.map((stream) => ({ ...stream, connections, rate: Math.max(1, Math.round(stream.rate * scale)) }));
}

/** Runs every stream at its rate for `seconds`, all at once; resolves with each stream's counts. */
export async function drive(baseUrl: string, streams: Stream[], seconds: number): Promise<StreamResult[]> {
  const runs = streams.map((stream) => {
    const instance = autocannon({
      url: baseUrl,
      connections: stream.connections ?? Math.max(1, Math.min(4, Math.ceil(stream.rate / 10))),
      overallRate: stream.rate,
      duration: seconds,
      timeout: 10,
      requests: [
        {
          method: stream.method,
          setupRequest: (request: Record<string, unknown>) => {
            const n = counter++;
            const made = stream.request(n);
            return {
              ...request,
              path: made.path,
              headers: {
                'x-forwarded-for': client(n),
                ...(made.body === undefined ? {} : { 'content-type': 'application/json' }),
                ...made.headers,
              },
              ...(made.body === undefined ? {} : { body: JSON.stringify(made.body) }),
            };
          },
        },
      ],
    });
    return Promise.resolve(instance).then((result): StreamResult => ({
      name: stream.name,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      statuses: Object.entries(result.statusCodeStats)
        .map(([code, stat]) => `${code}×${stat.count}`)
        .join(' '),
      p50: result.latency.p50,
      p99: result.latency.p99,
    }));
  });
  return Promise.all(runs);
}

function registration(email: string) {
  return {
    email,
    name: 'Soak Volunteer',
    timeZone: 'Europe/London',
    home: { lat: 53.48, lon: -2.24 },
    travelKm: 8,
    skills: ['cooking'],
    causes: ['soup_kitchen'],
    weeklyShiftCap: 2,
    availability: [{ weekday: 2, start: '17:00', end: '21:00' }],
  };
}
