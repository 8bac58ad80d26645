import fc from 'fast-check';
import { maskEmail } from './email-change.service.js';

describe('maskEmail', () => {
  it('keeps the first character and the domain only', () => {
    expect(maskEmail('robin.new@example.org')).toBe('r***@example.org');
    expect(maskEmail('a@b.example')).toBe('a***@b.example');
  });

  it('never shows more of the local part than its first character', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const masked = maskEmail(email);
        const local = email.slice(0, email.lastIndexOf('@'));
        expect(masked).toBe(`${local[0]}***${email.slice(email.lastIndexOf('@'))}`);
      }),
    );
  });
});
