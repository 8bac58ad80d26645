import { Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BullBoardModule } from '@bull-board/nestjs';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { safeEqual } from '../../common/index.js';
import { QueueName } from '../queue/job-names.js';

export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';
export const OPERATOR_REALM = 'Kindshift operator';

/**
 * The Bull Board's own page loads only same-origin scripts, but it styles itself with inline
 * `style` attributes and a `<style>` element and pulls IBM Plex from Google Fonts, all of which the
 * app-wide CSP (`style-src 'self'`) refuses, leaving an unstyled page and console errors. For
 * /admin/queues only (an operator-only page showing no volunteer content) styles may be inline or
 * from fonts.googleapis.com and fonts from fonts.gstatic.com. Scripts stay `'self'` — that is what
 * actually matters against XSS — and every other route keeps helmet's strict policy.
 */
export const QUEUE_DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
  "font-src 'self' https://fonts.gstatic.com",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

/**
 * Bull Board at /admin/queues for the operator (api process only). @bull-board/nestjs registers the
 * board as a plain Fastify plugin, so Nest guards (AuthGuard, @Allow) never see its routes; access
 * is enforced by a Fastify onRequest hook instead (see protectQueueDashboard).
 */
@Module({
  imports: [
    // forRootAsync, not forRoot: forRoot creates the server adapter once at import time, which two
    // api instances in one process (the tests) would then share.
    BullBoardModule.forRootAsync({
      useFactory: () => ({
        route: QUEUE_DASHBOARD_ROUTE,
        adapter: BullBoardFastifyAdapter,
        boardOptions: { uiConfig: { boardTitle: 'Kindshift queues' } },
      }),
    }),
    BullBoardModule.forFeature(
      { name: QueueName.Email, adapter: BullMQAdapter },
      { name: QueueName.Work, adapter: BullMQAdapter },
    ),
  ],
})
export class QueueDashboardModule {
  constructor(adapterHost: HttpAdapterHost, @Inject(APP_CONFIG) config: AppConfig) {
    // Runs while the app is being built, before the board's plugin is registered at init, so its
    // routes inherit these root hooks (Fastify copies hooks into a plugin's context when it loads).
    protectQueueDashboard(
      adapterHost.httpAdapter.getInstance<FastifyInstance>(),
      config.ADMIN_TOKEN,
      new URL(config.PUBLIC_BASE_URL).host,
    );
  }
}

/**
 * Every request under `prefix` must carry the operator token, either as `Authorization: Bearer
 * <ADMIN_TOKEN>` (scripts) or as HTTP Basic with any user name and the token as password (a
 * browser: the 401 carries `WWW-Authenticate: Basic`, so it asks once and then sends it with every
 * request of the board). Compared timing-safe. Because a browser also sends cached Basic
 * credentials with cross-site requests, state-changing requests (the board's PUT/POST actions)
 * must come from the board's own origin.
 */
export function protectQueueDashboard(
  fastify: FastifyInstance,
  adminToken: string,
  publicHost: string,
  prefix = QUEUE_DASHBOARD_ROUTE,
): void {
  const covers = (request: FastifyRequest) => {
    const route = request.routeOptions?.url;
    if (route === prefix || route?.startsWith(`${prefix}/`)) return true;
    const path = request.url.split('?')[0];
    return path === prefix || path.startsWith(`${prefix}/`);
  };

  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (!covers(request)) return done();
    if (!isOperator(request.headers.authorization, adminToken)) {
      void reply
        .code(401)
        .header('www-authenticate', `Basic realm="${OPERATOR_REALM}"`)
        .header('cache-control', 'no-store')
        .type('application/problem+json')
        .send({
          type: 'https://kindshift.org/problems/unauthenticated',
          title: 'Authentication required',
          status: 401,
          detail:
            'The queue dashboard is for the operator: use the operator token as the password, or as a bearer token.',
        });
      return;
    }
    if (!isSafeMethod(request.method) && isCrossSite(request, publicHost)) {
      void reply.code(403).type('application/problem+json').send({
        type: 'https://kindshift.org/problems/forbidden',
        title: 'Forbidden',
        status: 403,
        detail: 'Queue actions must come from the dashboard itself.',
      });
      return;
    }
    done();
  });

  fastify.addHook(
    'onSend',
    (
      request: FastifyRequest,
      reply: FastifyReply,
      payload: unknown,
      done: (error: Error | null, payload?: unknown) => void,
    ) => {
      // onSend runs after helmet's onRequest hook has set the app-wide policy, so this one wins here.
      if (covers(request)) {
        reply.header('content-security-policy', QUEUE_DASHBOARD_CSP);
        // Never in a shared cache (@fastify/static would say `public`); the board's hashed static
        // files may stay in the operator's browser and revalidate by ETag, the rest is not stored.
        const isStatic = request.url.startsWith(`${prefix}/static/`);
        reply.header('cache-control', isStatic ? 'private, no-cache' : 'no-store');
      }
      done(null, payload);
    },
  );
}

/** Bearer <token>, or Basic with any user name and the token as the password. */
export function isOperator(header: string | undefined, adminToken: string): boolean {
  if (typeof header !== 'string') return false;
  const bearer = /^Bearer\s+(\S{1,512})$/i.exec(header);
  if (bearer) return safeEqual(bearer[1], adminToken);
  const basic = /^Basic\s+([A-Za-z0-9+/]{1,2048}={0,2})$/i.exec(header);
  if (!basic) return false;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && safeEqual(decoded.slice(colon + 1), adminToken);
}

function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/**
 * Browsers say where a request comes from: Sec-Fetch-Site (all current browsers), else Origin,
 * compared with the host the request was sent to (behind a proxy: X-Forwarded-Host, or the public
 * base URL). Scripts send neither and pass — they hold the token themselves.
 */
function isCrossSite(request: FastifyRequest, publicHost: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    const host = new URL(origin).host;
    return host !== request.host && host !== request.headers.host && host !== publicHost;
  } catch {
    return true;
  }
}
