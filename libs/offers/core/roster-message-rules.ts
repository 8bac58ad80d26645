/**
 * Roster messages: the caps that keep a coordinator's message to a shift's volunteers from
 * becoming spam, and how its text is cut into paragraphs. Pure: the service reads the times of
 * the recent messages and asks here.
 */
export const ROSTER_MESSAGE_WINDOW_MS = 24 * 3600 * 1000;

export interface MessageCaps {
  perShift: number;
  perOrganisation: number;
}

export interface RecentMessages {
  /** When the shift's messages of the last 24 hours were sent. */
  shift: Date[];
  /** When the organisation's messages of the last 24 hours were sent, the shift's included. */
  organisation: Date[];
}

export type CapDecision =
  { allowed: true } | { allowed: false; scope: 'shift' | 'organisation'; retryAfterSeconds: number };

/**
 * A sliding 24-hour window per shift and per organisation. When a cap is reached, the wait is
 * until enough of the oldest messages in the window age out of it (at least one second).
 */
export function decideCap(recent: RecentMessages, caps: MessageCaps, now: Date): CapDecision {
  const since = now.getTime() - ROSTER_MESSAGE_WINDOW_MS;
  for (const scope of ['shift', 'organisation'] as const) {
    const cap = scope === 'shift' ? caps.perShift : caps.perOrganisation;
    const inWindow = recent[scope]
      .map((d) => d.getTime())
      .filter((t) => t > since)
      .sort((a, b) => a - b);
    if (inWindow.length >= cap) {
      // The message that must leave the window before one more fits.
      const freesAt = inWindow[inWindow.length - cap] + ROSTER_MESSAGE_WINDOW_MS;
      return { allowed: false, scope, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000)) };
    }
  }
  return { allowed: true };
}

/**
 * Paragraphs of a message as the coordinator typed it: each line its own paragraph (the email
 * layout takes text paragraphs, never HTML), blank lines dropped.
 */
export function paragraphsOf(body: string): string[] {
  return body
    .split(/\r\n?|\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
