/**
 * The problem+json errors (RFC 9457) every route can answer, documented once: the ProblemDetails
 * schema and one response per status. The api's document post-processor adds the set that fits
 * each operation, so routes added later are covered without anyone remembering to.
 */

export const PROBLEM_SCHEMAS = {
  FieldProblem: {
    type: 'object',
    additionalProperties: false,
    required: ['field', 'message'],
    properties: {
      field: {
        type: 'string',
        description:
          'Dotted path of the field, e.g. `availability.0.start`; `body`, `query` or `path` for the whole part',
        example: 'email',
      },
      message: { type: 'string', example: 'must be an email address' },
    },
  },
  ProblemDetails: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string', format: 'uri', example: 'https://kindshift.org/problems/invalid-input' },
      title: { type: 'string', example: 'Invalid input' },
      status: { type: 'integer', minimum: 400, maximum: 599, example: 422 },
      detail: { type: 'string', example: 'email: must be an email address' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        items: { $ref: '#/components/schemas/FieldProblem' },
        description: 'Each bad field (always present on 422)',
      },
      dependencies: {
        type: 'array',
        items: { type: 'string', enum: ['database', 'redis'] },
        description: 'On 503: the dependencies that do not answer',
      },
      booked: {
        type: 'integer',
        minimum: 0,
        description:
          'On 409 `capacity-below-bookings`: the places already booked (or held) that the capacity may not go below',
      },
      rule: {
        type: 'string',
        description: 'On 409 `shift-does-not-fit`: the matching rule the shift fails for you',
        example: 'availability',
      },
    },
  },
} as const;

interface ProblemStatus {
  name: string;
  description: string;
  headers?: Record<string, unknown>;
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
};

export const PROBLEM_STATUSES: Record<number, ProblemStatus> = {
  400: { name: 'BadRequest', description: 'The request could not be read (malformed JSON, URL or header).' },
  401: { name: 'Unauthorized', description: 'No valid credentials: missing, malformed, expired or revoked.' },
  403: { name: 'Forbidden', description: 'These credentials may not do this.' },
  404: { name: 'NotFound', description: 'Nothing here, or nothing this caller may see.' },
  405: {
    name: 'MethodNotAllowed',
    description: 'This path does not take this method.',
    headers: { Allow: { description: 'The methods the path takes', schema: { type: 'string' } } },
  },
  409: { name: 'Conflict', description: 'The change conflicts with the current state.' },
  410: { name: 'Gone', description: 'The link is not valid any more (used, expired or for something else).' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than 64 KiB.' },
  414: { name: 'UriTooLong', description: 'A path parameter is longer than 200 characters.' },
  415: { name: 'UnsupportedMediaType', description: 'The body has a content type this route does not accept.' },
  422: { name: 'UnprocessableContent', description: 'Some fields are not valid; `errors` names each one.' },
  429: { name: 'TooManyRequests', description: 'Rate limited.', headers: RETRY_AFTER },
  503: {
    name: 'ServiceUnavailable',
    description: 'A dependency (database, Redis) is down; try again later.',
    headers: RETRY_AFTER,
  },
};

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } };

/** components.responses: one problem+json response per status. */
export function problemResponses(): Record<string, unknown> {
  return Object.fromEntries(
    Object.values(PROBLEM_STATUSES).map(({ name, description, headers }) => [
      name,
      { description, ...(headers ? { headers } : {}), content: problemContent },
    ]),
  );
}

/**
 * The error statuses an operation can answer. Generous on purpose: an undocumented status fails
 * the e2e contract check, and any route can meet a bad header, a rate limit or a database outage.
 */
export function problemStatusesFor(operation: {
  method: string;
  path: string;
  isPublic: boolean;
  hasInput: boolean;
}): number[] {
  const statuses = [400, 401, 404, 405, 429, 503];
  const writes = operation.method !== 'get' && operation.method !== 'head';
  if (!operation.isPublic) statuses.push(403);
  if (writes) statuses.push(409, 413, 415);
  if (writes || operation.hasInput) statuses.push(422);
  if (operation.path.startsWith('/links/')) statuses.push(410);
  if (operation.path.includes('{')) statuses.push(414); // the router's limit on a path parameter
  return statuses.sort((a, b) => a - b);
}

/**
 * One operation's error response. Outside /api a browser (Accept: text/html) gets the HTML error
 * page instead, so those routes list both; /api routes refer to the shared component.
 */
export function problemResponseFor(status: number, path: string): Record<string, unknown> {
  const { name, description, headers } = PROBLEM_STATUSES[status];
  if (path.startsWith('/api/')) return { $ref: `#/components/responses/${name}` };
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { ...problemContent, 'text/html': { schema: { type: 'string' } } },
  };
}
