import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { PageRenderer } from './page-renderer.js';

/**
 * The pages behind emailed links (/links/*) belong to their areas and render without PageRenderer;
 * a signed-in person opening one still gets their own navigation. The layout reads it from
 * reply.locals, which @fastify/view merges into every render, error pages included.
 */
@Injectable()
export class LinkPagesInterceptor implements NestInterceptor {
  constructor(private readonly pages: PageRenderer) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (request.url.startsWith('/links/') && this.pages.viewerOf(request)) {
      const reply = http.getResponse<FastifyReply & { locals?: Record<string, unknown> }>();
      reply.locals = { ...reply.locals, ...this.pages.context(request, reply) };
    }
    return next.handle();
  }
}
