import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random, URL-safe secret with 256 bits of entropy; the prefix says what it is for. */
export function generateToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * Tokens are stored as keyed hashes: a copy of the database alone cannot mint or check links.
 */
export function hashToken(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const API_KEY_PREFIX = 'ks_key_';
