import { statementPdf } from './statement-pdf.js';
import type { IssuedStatement } from './hours-statements.service.js';

/** The text pdfkit drew: the hex strings of each TJ array, decoded and joined (uncompressed only). */
function drawnText(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  return [...raw.matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\] TJ/g)].map((m) =>
    [...m[1].matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join(''),
  );
}

function statement(lines: number, organisations: number): IssuedStatement {
  const all = Array.from({ length: lines }, (_, i) => ({
    entryId: `e${i}`,
    organisationId: `o${i % organisations}`,
    organisationName: `Kitchen ${i % organisations}`,
    date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-10`,
    title: i === 0 ? 'A very long description of the work '.repeat(5) : `Shift ${i}`,
    minutes: 90,
    source: 'scheduled' as const,
  }));
  const ordered = [...all].sort((a, b) => a.organisationId.localeCompare(b.organisationId));
  return {
    ref: 'ABCDEFGHJKMN',
    verifyUrl: 'http://localhost:3000/verify/hours/ABCDEFGHJKMN.sig',
    scope: { volunteerName: 'Robin', organisationId: null, from: null, to: '2026-12-06' },
    organisationName: null,
    lines: ordered,
    totals: Array.from({ length: organisations }, (_, o) => ({
      organisationId: `o${o}`,
      organisationName: `Kitchen ${o}`,
      minutes: ordered.filter((l) => l.organisationId === `o${o}`).length * 90,
      entries: ordered.filter((l) => l.organisationId === `o${o}`).length,
    })),
    totalMinutes: lines * 90,
    issuedAt: new Date('2026-12-06T12:00:00Z'),
  };
}

describe('the statement PDF', () => {
  it('prints every line, a section per organisation with its total, the link and the signature line', async () => {
    const pdf = await statementPdf(statement(120, 2), { compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = drawnText(pdf);
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThan(2); // 120 lines flow onto further pages
    for (let i = 1; i < 120; i++) expect(text).toContain(`Shift ${i}`);
    expect(text).toContain('Total with Kitchen 0');
    expect(text).toContain('Total with Kitchen 1');
    expect(text).toContain('180 h (120 entries)');
    expect(text).toContain('Issued by Kindshift on behalf of Kitchen 0, Kitchen 1');
    expect(text.join(' ')).toContain('http://localhost:3000/verify/hours/ABCDEFGHJKMN.sig');
    // A long description is cut to its column on one line, never running into the hours.
    const long = text.filter((t) => t.startsWith('A very long description'));
    expect(long).toHaveLength(1);
    expect(long[0].length).toBeLessThan('A very long description of the work '.repeat(5).length);
  });

  it('says so when nothing was credited', async () => {
    const empty = { ...statement(0, 1), totals: [], lines: [], totalMinutes: 0 };
    expect(drawnText(await statementPdf(empty, { compress: false }))).toContain(
      'No volunteering hours were credited in this period.',
    );
  });
});
