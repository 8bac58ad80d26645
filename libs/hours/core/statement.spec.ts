import fc from 'fast-check';
import {
  parseVerification,
  statementDigest,
  StatementSigner,
  totalsByOrganisation,
  type StatementLine,
  type StatementScope,
} from './statement.js';

const scope: StatementScope = { volunteerName: 'Robin', organisationId: null, from: null, to: '2026-12-06' };
const line = (id: string, organisationId: string, minutes: number): StatementLine => ({
  entryId: id,
  organisationId,
  organisationName: `Org ${organisationId}`,
  date: '2026-11-28',
  title: 'Shift',
  minutes,
  source: 'scheduled',
});

describe('statements', () => {
  it('totals per organisation in order of appearance', () => {
    expect(totalsByOrganisation([line('1', 'a', 60), line('2', 'b', 30), line('3', 'a', 15)])).toEqual([
      { organisationId: 'a', organisationName: 'Org a', minutes: 75, entries: 2 },
      { organisationId: 'b', organisationName: 'Org b', minutes: 30, entries: 1 },
    ]);
  });

  it('the digest is stable for the same content and changes with any line or the scope', () => {
    const lines = [line('1', 'a', 60), line('2', 'b', 30)];
    expect(statementDigest(scope, lines)).toBe(
      statementDigest(
        { ...scope },
        lines.map((l) => ({ ...l })),
      ),
    );
    expect(statementDigest(scope, [line('1', 'a', 61), lines[1]])).not.toBe(statementDigest(scope, lines));
    expect(statementDigest(scope, lines.slice(0, 1))).not.toBe(statementDigest(scope, lines));
    expect(statementDigest({ ...scope, to: '2026-12-07' }, lines)).not.toBe(statementDigest(scope, lines));
  });

  it('a signature verifies only for its reference and digest, and only with its key', () => {
    const signer = new StatementSigner('s'.repeat(32));
    const digest = statementDigest(scope, [line('1', 'a', 60)]);
    const sig = signer.sign('ABCDEFGHJKMN', digest);
    expect(signer.verify('ABCDEFGHJKMN', digest, sig)).toBe(true);
    expect(signer.verify('ABCDEFGHJKMP', digest, sig)).toBe(false);
    expect(
      signer.verify(
        'ABCDEFGHJKMN',
        digest.replace(/^./, (c) => (c === '0' ? '1' : '0')),
        sig,
      ),
    ).toBe(false);
    expect(new StatementSigner('t'.repeat(32)).verify('ABCDEFGHJKMN', digest, sig)).toBe(false);
    expect(parseVerification(`ABCDEFGHJKMN.${sig}`)).toEqual({ ref: 'ABCDEFGHJKMN', signature: sig });
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        (forged) => forged === sig || !signer.verify('ABCDEFGHJKMN', digest, forged),
      ),
    );
  });

  it('refuses what cannot be a verification value', () => {
    for (const bad of ['', 'abc', 'ABCDEFGH', 'ABCDEFGH.short', 'ABCDEFGH.' + 'x'.repeat(33), '../etc.passwd'])
      expect(parseVerification(bad)).toBeNull();
  });
});
