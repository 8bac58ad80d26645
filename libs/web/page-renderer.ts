import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../identity/index.js';
import { csrfTokenFor } from './csrf.js';
import { PageExtensions, type NavLink } from './page-extensions.js';

export type Viewer = { kind: 'volunteer' | 'coordinator' } | null;

const PUBLIC_NAV: NavLink[] = [
  { href: '/sign-up', label: 'Volunteer with us' },
  { href: '/sign-in', label: 'Sign in' },
];
const VOLUNTEER_NAV: NavLink[] = [
  { href: '/me', label: 'My shifts' },
  { href: '/me/profile', label: 'Profile' },
  { href: '/me/data', label: 'My data' },
];
const COORDINATOR_NAV: NavLink[] = [
  { href: '/org', label: 'Shifts' },
  { href: '/org/shifts/new', label: 'Post a shift' },
  { href: '/org/series/new', label: 'Weekly series' },
  { href: '/org/api-keys', label: 'API keys' },
];

export function principalOf(request: FastifyRequest): Principal | undefined {
  return (request as FastifyRequest & { principal?: Principal }).principal;
}

/**
 * Renders a page inside the shared layout with what every page needs: who is looking (for the
 * navigation and the sign-out button), a CSRF token for the page's forms, and no caching of
 * personal pages.
 */
@Injectable()
export class PageRenderer {
  constructor(private readonly extensions: PageExtensions) {}

  viewerOf(request: FastifyRequest): Viewer {
    const principal = principalOf(request);
    return principal?.kind === 'volunteer' || principal?.kind === 'coordinator' ? { kind: principal.kind } : null;
  }

  render(request: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>, status = 200) {
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .view(view, { ...data, ...this.context(request, reply) });
  }

  /** What the layout needs about the viewer: their navigation, and a CSRF token for the sign-out button. */
  context(request: FastifyRequest, reply: FastifyReply) {
    const viewer = this.viewerOf(request);
    const path = request.url.split('?')[0];
    const links =
      viewer?.kind === 'volunteer'
        ? [...VOLUNTEER_NAV, ...this.extensions.navLinks('volunteer')]
        : viewer?.kind === 'coordinator'
          ? [...COORDINATOR_NAV, ...this.extensions.navLinks('coordinator')]
          : PUBLIC_NAV;
    const nav = links.map((link) => ({ ...link, current: link.href === path }));
    const csrfToken = viewer ? csrfTokenFor(request, reply) : '';
    if (viewer) reply.header('cache-control', 'no-store');
    return { viewer, nav, csrfToken };
  }

  /** POST → redirect → GET, so reloading a page never repeats an action. */
  redirect(reply: FastifyReply, url: string) {
    return reply.redirect(url, 303);
  }
}
