import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Check-in notes are encrypted at rest with AES-256-GCM. Stored layout: version byte (1) ‖ 12-byte
 * IV ‖ 16-byte tag ‖ ciphertext. The volunteer id is bound as additional data, so a note copied onto
 * another volunteer's row does not decrypt.
 */
export class NoteCipher {
  private readonly key: Buffer;

  constructor(keyText: string) {
    this.key = /^[0-9a-f]{64}$/i.test(keyText) ? Buffer.from(keyText, 'hex') : Buffer.from(keyText, 'base64');
    if (this.key.length !== 32) throw new Error('WELLBEING_NOTE_KEY must be 32 bytes');
  }

  encrypt(plain: string, volunteerId: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(volunteerId));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(stored: Buffer, volunteerId: string): string {
    if (stored[0] !== 1) throw new Error('unknown note format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, stored.subarray(1, 13));
    decipher.setAAD(Buffer.from(volunteerId));
    decipher.setAuthTag(stored.subarray(13, 29));
    return Buffer.concat([decipher.update(stored.subarray(29)), decipher.final()]).toString('utf8');
  }
}
