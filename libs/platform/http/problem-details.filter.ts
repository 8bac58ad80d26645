import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DomainError,
  LimitReachedError,
  RETRY_AFTER_SECONDS,
  ServiceUnavailableError,
  type FieldProblem,
} from '../../common/index.js';
import { translateDriverError } from './driver-errors.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
  /** On a 503: the dependencies that failed (e.g. `database`). */
  dependencies?: string[];
}

const TYPE_BASE = 'https://kindshift.org/problems/';

/** Maps anything thrown while handling a request to RFC 9457 problem+json (or the HTML error page). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const problem = this.toProblem(exception);
    if (problem.status === 503) {
      // A dependency is down: expected, so a warning with the driver's code only (a driver error's
      // message holds SQL and the values bound to it).
      this.logger.warn(
        { reqId: request.id, dependencies: problem.dependencies, cause: causeOf(exception) },
        'dependency unavailable',
      );
      // A guard that knows better (the rate limiter while Redis is away) has set its own already.
      if (!reply.hasHeader('retry-after')) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    } else if (exception instanceof LimitReachedError) {
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    } else if (problem.status >= 500) {
      this.logger.error({ err: exception, reqId: request.id }, 'request failed');
    }
    if (wantsHtml(request) && typeof reply.view === 'function') {
      void reply.status(problem.status).type('text/html; charset=utf-8').view('error.eta', { problem });
      return;
    }
    void reply.status(problem.status).type('application/problem+json').send(problem);
  }

  toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      return {
        type: TYPE_BASE + exception.slug,
        title: exception.title,
        status: exception.status,
        detail: exception.message,
        ...exception.extensions,
        ...(exception.errors.length ? { errors: exception.errors } : {}),
        ...(exception instanceof ServiceUnavailableError && exception.dependencies.length
          ? { dependencies: exception.dependencies }
          : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail =
        typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
      return {
        type: TYPE_BASE + `http-${status}`,
        title: STATUS_CODES[status] ?? 'Error',
        status,
        detail,
        ...bodyProblem(status, detail),
      };
    }
    // A database down or a constraint the validation let through: 503 / 409 / 422, never 500.
    const translated = translateDriverError(exception);
    if (translated) return this.toProblem(translated);
    // Errors Fastify raises before a handler runs (bad JSON, body too large, bad content type).
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const detail = (exception as Error).message ?? 'Bad request';
      return {
        type: TYPE_BASE + `http-${status}`,
        title: STATUS_CODES[status] ?? 'Bad request',
        status,
        detail,
        errors: [{ field: 'body', message: detail }],
      };
    }
    return {
      type: TYPE_BASE + 'internal',
      title: 'Internal error',
      status: 500,
      detail: 'Something went wrong on our side.',
    };
  }
}

/** Name and code of an error (and of its cause), for a log line without its message. */
function causeOf(exception: unknown): { name?: string; code?: string } {
  const error = exception as { name?: unknown; code?: unknown; cause?: unknown } | undefined;
  const name = typeof error?.name === 'string' ? error.name : undefined;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  return code || !error?.cause ? { name, code } : causeOf(error.cause);
}

/** Errors Fastify raises while reading the body (bad JSON, too large, wrong type) name the body. */
function bodyProblem(status: number, detail: string): { errors?: FieldProblem[] } {
  if (status === 413) return { errors: [{ field: 'body', message: 'is too large' }] };
  if (status === 415)
    return { errors: [{ field: 'body', message: 'has a content type this endpoint does not accept' }] };
  if (status === 400 && /body|JSON/i.test(detail))
    return { errors: [{ field: 'body', message: /JSON/i.test(detail) ? 'is not valid JSON' : detail }] };
  return {};
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return !request.url.startsWith('/api/') && accept.includes('text/html');
}
