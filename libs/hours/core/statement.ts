import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CreditSource } from './credit.js';

/** One line of a statement: an entry that counts, as it was credited. */
export interface StatementLine {
  entryId: string;
  organisationId: string;
  organisationName: string;
  /** YYYY-MM-DD: the shift's date on the organisation's clock, or the day the volunteer logged. */
  date: string;
  /** The shift's title, or the volunteer's description of logged work. */
  title: string;
  minutes: number;
  source: CreditSource;
}

/** What a statement states: who, for which organisation(s), which days, and the lines. */
export interface StatementScope {
  volunteerName: string;
  /** null: every organisation, one section each. */
  organisationId: string | null;
  from: string | null;
  to: string;
}

export interface OrganisationTotal {
  organisationId: string;
  organisationName: string;
  minutes: number;
  entries: number;
}

export const totalMinutes = (lines: readonly { minutes: number }[]) => lines.reduce((sum, l) => sum + l.minutes, 0);

/** Totals per organisation, in order of first appearance (lines come sorted by date). */
export function totalsByOrganisation(lines: readonly StatementLine[]): OrganisationTotal[] {
  const totals = new Map<string, OrganisationTotal>();
  for (const line of lines) {
    const total = totals.get(line.organisationId) ?? {
      organisationId: line.organisationId,
      organisationName: line.organisationName,
      minutes: 0,
      entries: 0,
    };
    total.minutes += line.minutes;
    total.entries += 1;
    totals.set(line.organisationId, total);
  }
  return [...totals.values()];
}

/**
 * A digest of a statement's content: the same scope and lines always give the same digest, and any
 * change to a line (minutes, date, title, an entry added or gone) gives another. The verification
 * page compares the issued digest with one recomputed from today's ledger.
 */
export function statementDigest(scope: StatementScope, lines: readonly StatementLine[]): string {
  const canonical = JSON.stringify({
    v: 1,
    name: scope.volunteerName,
    organisation: scope.organisationId,
    from: scope.from,
    to: scope.to,
    lines: lines.map((l) => [l.entryId, l.organisationId, l.date, l.title, l.minutes]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Signs and checks statement references. The key is derived from SESSION_SECRET with a label of
 * its own, so a statement signature can never stand in for a session, link or CSRF token.
 */
export class StatementSigner {
  private readonly key: Buffer;

  constructor(sessionSecret: string) {
    this.key = createHmac('sha256', sessionSecret).update('kindshift hours statements v1').digest();
  }

  sign(ref: string, digest: string): string {
    return createHmac('sha256', this.key).update(`${ref}.${digest}`).digest('base64url').slice(0, 32);
  }

  verify(ref: string, digest: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(ref, digest));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** Splits "<ref>.<sig>" from a verification URL; null when it cannot be one. */
export function parseVerification(value: string): { ref: string; signature: string } | null {
  const match = /^([A-Z0-9]{8,40})\.([A-Za-z0-9_-]{32})$/.exec(value);
  return match ? { ref: match[1], signature: match[2] } : null;
}
