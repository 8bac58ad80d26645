import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Checks every response an e2e test receives against the api's own OpenAPI document, so the
 * document cannot drift from what the API answers: the operation (method + path template), the
 * status (or `default`), the content type, and — for JSON and problem+json — the body, with ajv
 * over the document's schemas. HTML, text and calendar bodies are checked by content type only.
 *
 * Routes hidden from the document (the pages, behind @ApiExclude…) and the parts that are not the
 * API (Swagger UI, static files, the queue dashboard) are not checked; any other request must hit
 * a documented operation, or be a problem+json 404/405 for a path or method that does not exist.
 */

export interface ContractResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
}

type Route = { method: string; template: string; pattern: RegExp; literalLength: number; params: number };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
/** Served by plugins, not by the API's controllers. */
const OUTSIDE_THE_API = [/^\/docs(\/|-json|$)/, /^\/static\//, /^\/admin\/queues(\/|$)/];
const DOCUMENT_ID = 'kindshift-openapi';
/**
 * The path the router sees: light-my-request parses the URL with WHATWG rules, which resolve
 * dot segments (`%2e%2e/` included), so `/a/b/%2e%2e/c` reaches the route for `/a/c`.
 */
function routedPath(url: string): string {
  try {
    return new URL(url, 'http://contract.invalid').pathname;
  } catch {
    return url.split('?')[0].split('#')[0];
  }
}
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly operations: Route[] = [];
  private readonly hidden: Route[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly document: any,
    hiddenRoutes: Array<{ method: string; path: string }> = [],
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({
      $id: DOCUMENT_ID,
      components: { schemas: toJsonSchema(document.components?.schemas ?? {}, true) },
    });
    for (const [template, item] of Object.entries<any>(document.paths ?? {})) {
      for (const method of HTTP_METHODS) if (item[method]) this.operations.push(route(method.toUpperCase(), template));
    }
    for (const r of hiddenRoutes) {
      if (!this.operations.some((op) => op.method === r.method && op.template === r.path))
        this.hidden.push(route(r.method, r.path));
    }
    this.operations.sort(bySpecificity);
    this.hidden.sort(bySpecificity);
  }

  /** The document served by the running app, and the Nest routes it hides, read once per test file. */
  static async of(api: NestFastifyApplication): Promise<OpenApiContract> {
    const response = await api.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs/openapi.json' });
    if (response.statusCode !== 200)
      throw new Error(`no OpenAPI document at /docs/openapi.json: ${response.statusCode}`);
    return new OpenApiContract(JSON.parse(response.body), nestRoutes(api));
  }

  /** What is wrong with this response by the document, or null. */
  check(method: string, url: string, response: ContractResponse): string | null {
    const mismatch = this.explain(method, url, response);
    return mismatch && `${mismatch.where}${mismatch.operation ? ` (${mismatch.operation})` : ''}: ${mismatch.what}`;
  }

  /** Throws with the first mismatch, so the test that received the response fails. */
  assert(method: string, url: string, response: ContractResponse): void {
    const problem = this.check(method, url, response);
    if (problem) throw new Error(`OpenAPI contract: ${problem}\n    body: ${cut(response.text)}`);
  }

  /** The mismatch in parts: the request, the operation it reached (if any) and what is wrong. */
  explain(
    method: string,
    url: string,
    response: ContractResponse,
  ): { where: string; operation?: string; what: string } | null {
    const path = routedPath(url);
    method = method.toUpperCase();
    if (OUTSIDE_THE_API.some((pattern) => pattern.test(path))) return null;
    const lookup = method === 'HEAD' ? 'GET' : method;
    const found = this.find(this.operations, lookup, path);
    const where = `${method} ${url} → ${response.status}`;
    if (!found) {
      if (this.find(this.hidden, lookup, path)) return null;
      const pathKnown =
        this.operations.some((op) => op.pattern.test(path)) || this.hidden.some((r) => r.pattern.test(path));
      // Not a route: the router's own answers (unknown path or method, unreadable URL, a body it cannot take) must still be problems.
      const what = [400, 404, 405, 413, 414, 415].includes(response.status)
        ? this.checkProblem(method, response)
        : pathKnown
          ? `the document has no ${method} operation for this path`
          : 'no operation in the OpenAPI document matches this path';
      return what ? { where, what } : null;
    }
    const operation = this.document.paths[found.template][found.method.toLowerCase()];
    const name = operation.operationId ?? `${found.method} ${found.template}`;
    const responses = operation.responses ?? {};
    const key = String(response.status) in responses ? String(response.status) : 'default';
    if (!responses[key])
      return {
        where,
        operation: name,
        what: `status ${response.status} is not documented (documented: ${Object.keys(responses).join(', ')})`,
      };
    const what = this.checkBody(
      method,
      response,
      this.resolveResponse(responses[key]),
      `#/paths/${pointer(found.template)}/${found.method.toLowerCase()}/responses/${key}`,
    );
    return what ? { where, operation: name, what } : null;
  }

  private find(routes: Route[], method: string, path: string): Route | undefined {
    return routes.find((r) => r.method === method && r.pattern.test(path));
  }

  private resolveResponse(response: any): any {
    let current = response;
    for (let depth = 0; current?.$ref && depth < 10; depth += 1) current = resolvePointer(this.document, current.$ref);
    return current;
  }

  private checkProblem(method: string, response: ContractResponse): string | null {
    const type = mediaType(response.headers['content-type']);
    if (type === 'text/html') return null; // a browser's error page
    if (type !== 'application/problem+json') return `expected application/problem+json, got "${type}"`;
    if (method === 'HEAD') return null; // the headers of the GET answer, never its body
    return this.validate(`${DOCUMENT_ID}#/components/schemas/ProblemDetails`, null, response.text);
  }

  private checkBody(method: string, response: ContractResponse, documented: any, key: string): string | null {
    const content: Record<string, any> | undefined = documented?.content;
    const type = mediaType(response.headers['content-type']);
    if (!content || Object.keys(content).length === 0) {
      return response.text.length === 0 || method === 'HEAD'
        ? null
        : `the document says no body, got ${type || 'no content type'} (${response.text.length} bytes)`;
    }
    const mediaKey =
      Object.keys(content).find((k) => k === type) ??
      Object.keys(content).find((k) => k === '*/*' || (k.endsWith('/*') && type.startsWith(k.slice(0, -1))));
    if (!mediaKey) return `content type "${type}" is not documented (documented: ${Object.keys(content).join(', ')})`;
    if (method === 'HEAD' || !isJson(mediaKey)) return null;
    const schema = content[mediaKey].schema;
    if (!schema) return null;
    return this.validate(`${key}/${mediaKey}`, schema, response.text);
  }

  private validate(cacheKey: string, schema: any | null, text: string): string | null {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return 'the body is not JSON';
    }
    let validator = this.validators.get(cacheKey);
    if (!validator) {
      const jsonSchema = schema ? rewriteRefs(toJsonSchema(schema)) : { $ref: cacheKey };
      validator = this.ajv.compile(jsonSchema);
      this.validators.set(cacheKey, validator);
    }
    if (validator(body)) return null;
    const errors = (validator.errors ?? [])
      .slice(0, 5)
      .map(
        (e) =>
          `body${e.instancePath} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
      );
    return `the body does not match the document: ${errors.join('; ')}`;
  }
}

/** OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a null type; annotations ajv does not know are dropped. */
export function toJsonSchema(schema: any, isMap = false): any {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item));
  if (!schema || typeof schema !== 'object') return schema;
  if (isMap) return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, toJsonSchema(value)]));
  const out: any = {};
  for (const [key, value] of Object.entries<any>(schema)) {
    if (['nullable', 'example', 'examples', 'xml', 'externalDocs', 'discriminator'].includes(key)) continue;
    if (key === 'properties' || key === 'patternProperties') out[key] = toJsonSchema(value, true);
    else if (['items', 'not', 'additionalProperties'].includes(key)) out[key] = toJsonSchema(value);
    else if (['allOf', 'oneOf', 'anyOf'].includes(key)) out[key] = value.map((item: any) => toJsonSchema(item));
    else out[key] = value;
  }
  if (schema.nullable !== true) return out;
  if (out.$ref || out.allOf || out.oneOf || out.anyOf) return { anyOf: [{ type: 'null' }, out] };
  if (typeof out.type === 'string') out.type = [out.type, 'null'];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

function rewriteRefs(schema: any): any {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `${DOCUMENT_ID}${value}`
        : rewriteRefs(value),
    ]),
  );
}

function route(method: string, template: string): Route {
  const parts = template.split(/(\{[^}]+\})/).filter(Boolean);
  const source = parts
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const params = parts.filter((part) => part.startsWith('{')).length;
  return {
    method,
    template,
    pattern: new RegExp(`^${source}$`),
    literalLength: parts.filter((p) => !p.startsWith('{')).join('').length,
    params,
  };
}

/** Literal segments win over parameters (`/api/me/shifts` before `/api/me/{id}`). */
const bySpecificity = (a: Route, b: Route) => a.params - b.params || b.literalLength - a.literalLength;

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function resolvePointer(document: any, ref: string): any {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, key) => node?.[key], document);
}

function mediaType(header: ContractResponse['headers'][string]): string {
  return String(Array.isArray(header) ? header[0] : (header ?? ''))
    .split(';')[0]
    .trim()
    .toLowerCase();
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');
const cut = (text: string, n = 400) => (text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text);

/** The routes Nest serves, from controller metadata (OpenAPI templates: `{param}`). */
function nestRoutes(api: NestFastifyApplication): Array<{ method: string; path: string }> {
  const methods: Record<number, string> = {
    [RequestMethod.GET]: 'GET',
    [RequestMethod.POST]: 'POST',
    [RequestMethod.PUT]: 'PUT',
    [RequestMethod.DELETE]: 'DELETE',
    [RequestMethod.PATCH]: 'PATCH',
    [RequestMethod.HEAD]: 'HEAD',
    [RequestMethod.OPTIONS]: 'OPTIONS',
  };
  const routes: Array<{ method: string; path: string }> = [];
  for (const module of api.get(ModulesContainer, { strict: false }).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      const bases = [Reflect.getMetadata('path', type) ?? ''].flat() as string[];
      for (const key of Object.getOwnPropertyNames(type.prototype)) {
        const handler = type.prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const method = methods[Reflect.getMetadata('method', handler) as number];
        const own = Reflect.getMetadata('path', handler) as string | string[] | undefined;
        if (!method || own === undefined) continue;
        for (const base of bases) {
          for (const part of [own].flat()) {
            const path = `/${[base, part]
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
