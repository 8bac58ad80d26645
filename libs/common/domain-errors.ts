/** One problem with one input field; `field` is a dotted path such as `availability.0.start`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Typed errors the libraries throw. They carry no HTTP knowledge beyond a status hint; the one
 * ProblemDetailsFilter turns them into RFC 9457 problem+json.
 */
export class DomainError extends Error {
  /** RFC 9457 extension members added to the problem (e.g. which rule a booking failed). */
  extensions: Record<string, string | number> = {};

  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail?: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail ?? title);
  }
}

export class InvalidInputError extends DomainError {
  constructor(errors: FieldProblem[], detail = 'Some fields are not valid.') {
    super(422, 'invalid-input', 'Invalid input', detail, errors);
  }
  static field(field: string, message: string): InvalidInputError {
    return new InvalidInputError([{ field, message }], `${field}: ${message}`);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(404, 'not-found', 'Not found', `${what} was not found.`);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(detail = 'Sign in to continue.') {
    super(401, 'unauthenticated', 'Not signed in', detail);
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail = 'You are not allowed to do this.') {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class ConflictError extends DomainError {
  constructor(slug: string, detail: string) {
    super(409, slug, 'Conflict', detail);
  }
}

/** A link token that is unknown, used, expired or for something else. */
export class InvalidLinkError extends DomainError {
  constructor(detail = 'This link is not valid any more. It may have been used already or expired.') {
    super(410, 'invalid-link', 'Link not valid', detail);
  }
}

/** A rate limit refused the request; the guard that throws it sets Retry-After to `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    const wait =
      retryAfterSeconds >= 60
        ? `${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? 's' : ''}`
        : `${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`;
    super(
      429,
      'rate-limited',
      'Too Many Requests',
      `Too many requests from your address. Please try again in ${wait}.`,
    );
  }
}

/**
 * Seconds a client should wait before retrying a 503: PostgreSQL restarting or failing over, or
 * Redis coming back, takes a few seconds; sooner only adds load to a struggling dependency.
 */
/**
 * A product limit reached (not an address's request rate): 429 with its own slug and words; the
 * exception filter sets Retry-After to `retryAfterSeconds`.
 */
export class LimitReachedError extends DomainError {
  constructor(
    slug: string,
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, slug, 'Too Many Requests', detail);
  }
}

export const RETRY_AFTER_SECONDS = 5;

/** A dependency (named in `dependencies`, e.g. `database`) cannot serve the request right now. */
export class ServiceUnavailableError extends DomainError {
  constructor(
    detail: string,
    readonly dependencies: string[] = [],
  ) {
    super(503, 'unavailable', 'Service unavailable', detail);
  }
}
