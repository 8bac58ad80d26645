import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldProblem } from './domain-errors.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
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
    if (problem.status >= 500) {
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
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
      return { type: TYPE_BASE + `http-${status}`, title: STATUS_CODES[status] ?? 'Error', status, detail, ...bodyProblem(status, detail) };
    }
    // Errors Fastify raises before a handler runs (bad JSON, body too large, bad content type).
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const detail = (exception as Error).message ?? 'Bad request';
      return { type: TYPE_BASE + `http-${status}`, title: STATUS_CODES[status] ?? 'Bad request', status, detail, errors: [{ field: 'body', message: detail }] };
    }
    return { type: TYPE_BASE + 'internal', title: 'Internal error', status: 500, detail: 'Something went wrong on our side.' };
  }
}

/** Errors Fastify raises while reading the body (bad JSON, too large, wrong type) name the body. */
function bodyProblem(status: number, detail: string): { errors?: FieldProblem[] } {
  if (status === 413) return { errors: [{ field: 'body', message: 'is too large' }] };
  if (status === 415) return { errors: [{ field: 'body', message: 'has a content type this endpoint does not accept' }] };
  if (status === 400 && /body|JSON/i.test(detail)) return { errors: [{ field: 'body', message: /JSON/i.test(detail) ? 'is not valid JSON' : detail }] };
  return {};
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return !request.url.startsWith('/api/') && accept.includes('text/html');
}
