import fc from 'fast-check';
import { NoteCipher } from './note-crypto.js';

const KEY = 'a'.repeat(64);

describe('NoteCipher', () => {
  it('round-trips any text, and the stored bytes never contain it', () => {
    const cipher = new NoteCipher(KEY);
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 500 }), (note) => {
        const stored = cipher.encrypt(note, 'volunteer-1');
        expect(cipher.decrypt(stored, 'volunteer-1')).toBe(note);
        expect(stored.includes(Buffer.from(note))).toBe(false);
      }),
    );
  });

  it('refuses a note moved to another volunteer, a tampered note, or another key', () => {
    const stored = new NoteCipher(KEY).encrypt('private', 'volunteer-1');
    expect(() => new NoteCipher(KEY).decrypt(stored, 'volunteer-2')).toThrow();
    const tampered = Buffer.from(stored);
    tampered[tampered.length - 1] ^= 1;
    expect(() => new NoteCipher(KEY).decrypt(tampered, 'volunteer-1')).toThrow();
    expect(() => new NoteCipher('b'.repeat(64)).decrypt(stored, 'volunteer-1')).toThrow();
  });

  it('accepts base64 keys and refuses short ones', () => {
    expect(() => new NoteCipher(Buffer.alloc(32, 7).toString('base64'))).not.toThrow();
    expect(() => new NoteCipher('short')).toThrow(/32 bytes/);
  });
});
