import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiModule } from '../api/api.module.js';
import { buildOpenApiDocument } from '../api/openapi-document.js';

/**
 * Writes the api's OpenAPI document (default dist/openapi.json) for `redocly lint`. Preview mode
 * resolves the modules without creating providers, so it needs no configuration, database or Redis.
 */
async function main() {
  const out = process.argv[2] ?? 'dist/openapi.json';
  const app = await NestFactory.create(ApiModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
    console.log(JSON.stringify({ msg: 'openapi document written', path: out }));
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
