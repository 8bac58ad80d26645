import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import { Logger } from 'nestjs-pino';
import { plural } from '../../libs/common/plural.js';
import { APP_CONFIG, parseConfig, type AppConfig } from '../../libs/platform/config/index.js';
import { createValidationPipe } from '../../libs/platform/http/index.js';
import { methodNotAllowed } from '../../libs/platform/http/method-not-allowed.js';
import { fastifyTrustProxy } from '../../libs/platform/http/trust-proxy.js';
import { csrfPluginOptions } from '../../libs/web/csrf.js';
import { ApiModule } from './api.module.js';
import { buildOpenApiDocument } from './openapi-document.js';

const ROOT = join(import.meta.dirname, '..', '..', ...(import.meta.dirname.includes('/dist/') ? ['..'] : []));

/** Builds the api application (used by main.ts and by the end-to-end tests alike). */
export async function createApiApp(): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Only the configured proxies may name the client (X-Forwarded-For), which rate limits count by.
    bodyLimit: 64 * 1024,
    trustProxy: fastifyTrustProxy(parseConfig(process.env).TRUST_PROXY),
    routerOptions: { maxParamLength: 200 },
    // The router rejects a malformed or over-long URL before Nest sees it; answer in problem+json too.
    frameworkErrors: (error: any, _request: any, reply: any) => {
      const status = error.statusCode ?? 400;
      void reply
        .code(status)
        .type('application/problem+json')
        .send({
          type: `https://kindshift.org/problems/http-${status}`,
          title: status === 414 ? 'URI Too Long' : 'Bad Request',
          status,
          detail: status === 414 ? 'A part of the address is too long.' : 'The address is not valid.',
          errors: [{ field: 'path', message: 'is not a valid URL' }],
        });
    },
  } as never);
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.register(fastifyCookie as never);
  // CSRF tokens for the cookie-authenticated web pages, bound to the session (libs/web/csrf.ts).
  await app.register(fastifyCsrfProtection as never, csrfPluginOptions(app.get<AppConfig>(APP_CONFIG)) as never);
  await app.register(
    fastifyHelmet as never,
    {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
        },
      },
    } as never,
  );
  await app.register(fastifyStatic as never, { root: join(ROOT, 'public'), prefix: '/static/' } as never);
  // plural() is in every template's context, so counts on pages read right ("1 volunteer lives").
  await app.register(
    fastifyView as never,
    { engine: { eta: new Eta() }, root: join(ROOT, 'views'), viewExt: 'eta', defaultContext: { plural } } as never,
  );
  app.getHttpAdapter().getInstance().addHook('onRequest', methodNotAllowed);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setUpOpenApi(app);
  return app;
}

function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
}
