import { generateKeyPairSync } from 'node:crypto';
import { parseConfig } from './config.schema.js';

const BASE = {
  DATABASE_URL: 'postgres://localhost/x',
  REDIS_URL: 'redis://localhost:6379',
  SMTP_URL: 'smtp://localhost:25',
  MAIL_FROM: 'Kindshift <hello@mail.example.org>',
  PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
  ADMIN_TOKEN: 'a'.repeat(20),
  SESSION_SECRET: 's'.repeat(20),
  WELLBEING_NOTE_KEY: '0'.repeat(64),
};
const pem = (
  generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
).trim();
const DKIM = { DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'ks2026', DKIM_PRIVATE_KEY: pem };

describe('DKIM configuration', () => {
  it('is optional: none of the three, or all of them left empty, means unsigned mail', () => {
    expect(parseConfig(BASE).DKIM_DOMAIN).toBeUndefined();
    const empty = parseConfig({ ...BASE, DKIM_DOMAIN: '', DKIM_SELECTOR: '', DKIM_PRIVATE_KEY: '' });
    expect([empty.DKIM_DOMAIN, empty.DKIM_SELECTOR, empty.DKIM_PRIVATE_KEY]).toEqual([undefined, undefined, undefined]);
  });

  it('takes all three, reading \\n escapes in the key as line breaks', () => {
    const config = parseConfig({ ...BASE, ...DKIM, DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    expect(config.DKIM_PRIVATE_KEY).toBe(pem);
    expect(config.DKIM_SELECTOR).toBe('ks2026');
  });

  it.each([
    [{ DKIM_DOMAIN: 'example.org' }, ['DKIM_SELECTOR', 'DKIM_PRIVATE_KEY']],
    [{ DKIM_SELECTOR: 'ks2026', DKIM_PRIVATE_KEY: pem }, ['DKIM_DOMAIN']],
    [{ DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'ks2026', DKIM_PRIVATE_KEY: '' }, ['DKIM_PRIVATE_KEY']],
  ])('refuses part of it, naming each missing variable (%o)', (partial, missing) => {
    let message = '';
    try {
      parseConfig({ ...BASE, ...partial });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of missing) expect(message).toMatch(new RegExp(`- ${name}: ${name} is required when`));
    expect(message.match(/^ {2}- /gm)).toHaveLength(missing.length);
  });

  it('refuses a key that is not a PEM private key, without echoing it', () => {
    expect(() => parseConfig({ ...BASE, ...DKIM, DKIM_PRIVATE_KEY: 'not-a-key-secret' })).toThrow(
      /DKIM_PRIVATE_KEY: DKIM_PRIVATE_KEY must be a PEM private key/,
    );
    expect(() => parseConfig({ ...BASE, ...DKIM, DKIM_PRIVATE_KEY: 'not-a-key-secret' })).not.toThrow(
      /not-a-key-secret/,
    );
  });

  it('refuses a signing domain DMARC would not align with the From address', () => {
    expect(() => parseConfig({ ...BASE, ...DKIM, DKIM_DOMAIN: 'other.example' })).toThrow(
      /DKIM_DOMAIN: DKIM_DOMAIN must be the domain of MAIL_FROM \(mail\.example\.org\)/,
    );
    expect(parseConfig({ ...BASE, ...DKIM, DKIM_DOMAIN: 'mail.example.org' }).DKIM_DOMAIN).toBe('mail.example.org');
  });
});
