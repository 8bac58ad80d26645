import { ConfigError, parseConfig } from './config.schema.js';

const base = {
  DATABASE_URL: 'postgres://localhost/kindshift',
  REDIS_URL: 'redis://localhost:6379',
  SMTP_URL: 'smtp://localhost:25',
  MAIL_FROM: 'Kindshift <hello@example.org>',
  PUBLIC_BASE_URL: 'https://kindshift.example.org',
  ADMIN_TOKEN: 'a'.repeat(16),
  SESSION_SECRET: 'b'.repeat(16),
  WELLBEING_NOTE_KEY: '0'.repeat(64),
};
const trustProxy = (value?: string) =>
  parseConfig({ ...base, ...(value === undefined ? {} : { TRUST_PROXY: value }) }).TRUST_PROXY;

describe('TRUST_PROXY', () => {
  it('is off by default', () => {
    expect(trustProxy()).toBe(false);
    expect(trustProxy('')).toBe(false);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('0')).toBe(false);
  });

  it('takes a hop count, true, or a list of addresses and CIDR ranges as Fastify does', () => {
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy('true')).toBe(true);
    expect(trustProxy('10.0.0.0/8, 172.16.0.0/12,192.168.1.7')).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.1.7']);
    expect(trustProxy('::1, fd00::/8, loopback, uniquelocal')).toEqual(['::1', 'fd00::/8', 'loopback', 'uniquelocal']);
  });

  it.each([
    'yes',
    '10.0.0.0/33',
    '::1/129',
    '10.0.0',
    'example.org',
    '10.0.0.1,,10.0.0.2',
    '-1',
    '1.5',
    '10.0.0.0/8/8',
  ])('refuses %j naming the variable', (value) => {
    expect(() => trustProxy(value)).toThrow(ConfigError);
    expect(() => trustProxy(value)).toThrow(/TRUST_PROXY/);
  });
});
