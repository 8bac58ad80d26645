import type { LinkPurpose } from '../identity/index.js';

/** The kinds of wellbeing mail a volunteer subscribes to, named as in their consent. */
export type StoppableMail = 'checkIns' | 'suggestions';

/**
 * The one-click stop link of each kind: where it points and its token purpose. Each kind has its
 * own purpose, so one link never stops the other.
 */
export const STOP_LINKS: Record<StoppableMail, { path: string; purpose: LinkPurpose }> = {
  checkIns: { path: '/links/check-in-stop', purpose: 'check_in_stop' },
  suggestions: { path: '/links/suggestions-stop', purpose: 'suggestions_stop' },
};

/** How long a stop link works. */
export const STOP_LINK_TTL_SECONDS = 180 * 24 * 3600;
