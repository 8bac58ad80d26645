import type { AppConfig } from '../config/index.js';

export type TrustProxyFn = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as Fastify's `trustProxy` option. Fastify 5.12 made a bare hop count trust nothing
 * (a client that can reach the api directly could spoof enough hops), so a count becomes a trust
 * function here: the nearest `hops` addresses are proxies. That is right where the api can only be
 * reached through the platform's router (Heroku, Render, Fly: one hop); elsewhere list the proxies.
 */
export function fastifyTrustProxy(value: AppConfig['TRUST_PROXY']): boolean | string[] | TrustProxyFn {
  if (typeof value !== 'number') return value;
  return (_address, hop) => hop < value;
}
