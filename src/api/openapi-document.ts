import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import {
  problemResponseFor,
  problemResponses,
  problemStatusesFor,
  PROBLEM_SCHEMAS,
} from '../../libs/platform/http/index.js';
import {
  ALLOWED_PRINCIPALS,
  SECURITY_SCHEMES,
  securityRequirementsFor,
  type PrincipalKind,
} from '../../libs/identity/index.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The api's OpenAPI document: what the decorators say, plus what holds for every route and is
 * written once here — security from @Allow, the problem+json errors, closed objects.
 * Served at /docs/openapi.json, linted by `npm run lint`, and every e2e response is checked against it.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Kindshift API')
    .setDescription('Matches volunteers with open shifts. Errors are RFC 9457 problem+json naming the field.')
    .setVersion('0.1.0')
    .setLicense('AGPL-3.0-only', 'https://www.gnu.org/licenses/agpl-3.0.html')
    .addServer('/', 'This server')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  return finishOpenApiDocument(document, allowedByOperationId(app));
}

/** `Controller_method` (swagger's default operationId) → the kinds its @Allow names (method over class, like the guard). */
function allowedByOperationId(app: INestApplication): Map<string, Array<PrincipalKind | 'public'>> {
  const allowed = new Map<string, Array<PrincipalKind | 'public'>>();
  for (const module of app.get(ModulesContainer, { strict: false }).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      for (const key of Object.getOwnPropertyNames(type.prototype)) {
        const handler = type.prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const kinds = Reflect.getMetadata(ALLOWED_PRINCIPALS, handler) ?? Reflect.getMetadata(ALLOWED_PRINCIPALS, type);
        if (kinds) allowed.set(`${type.name}_${key}`, kinds);
      }
    }
  }
  return allowed;
}

export function finishOpenApiDocument(
  document: OpenAPIObject,
  allowed: Map<string, Array<PrincipalKind | 'public'>>,
): OpenAPIObject {
  const components = (document.components ??= {});
  components.securitySchemes = { ...SECURITY_SCHEMES } as never;
  components.schemas = { ...(components.schemas ?? {}), ...PROBLEM_SCHEMAS } as never;
  components.responses = { ...(components.responses ?? {}), ...problemResponses() } as never;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      // A route without @Allow is refused to everyone (403), and lists no credential.
      const kinds = allowed.get(operation.operationId ?? '') ?? [];
      operation.security = securityRequirementsFor(kinds);
      const hasInput = !!operation.requestBody || (operation.parameters ?? []).length > 0;
      for (const status of problemStatusesFor({ method, path, isPublic: kinds.includes('public'), hasInput })) {
        operation.responses[String(status)] ??= problemResponseFor(status, path) as never;
      }
      // Every error goes through ProblemDetailsFilter, so a library's own error schema (terminus's 503) is not
      // what is sent, and an error a controller documents by description only (@ApiConflictResponse) has its body.
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        if (Number(status) >= 400 && !response.$ref && !response.content?.['application/problem+json'])
          operation.responses[status] = problemResponseFor(Number(status), path) as never;
      }
    }
  }
  for (const schema of Object.values(components.schemas ?? {})) closeObjects(schema);
  // Keep only the shared error responses some operation refers to.
  const text = JSON.stringify(document.paths);
  for (const name of Object.keys(components.responses))
    if (!text.includes(`"#/components/responses/${name}"`)) delete components.responses[name];
  return document;
}

/**
 * The API's own objects have exactly the properties documented (requests: the validation pipe
 * refuses unknown fields; responses: the e2e check refuses undocumented ones).
 */
function closeObjects(schema: any): void {
  if (!schema || typeof schema !== 'object') return;
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  for (const property of Object.values<any>(schema.properties ?? {})) closeObjects(property);
  if (schema.items) closeObjects(schema.items);
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) closeObjects(part);
}
