import fc from 'fast-check';
import { requestSource } from './cross-site.js';

const OWN = 'https://kindshift.example.org';

describe('requestSource', () => {
  it('trusts the browser’s Sec-Fetch-Site first, then Origin, then Referer', () => {
    expect(requestSource({ 'sec-fetch-site': 'same-origin' }, OWN)).toBe('same');
    expect(requestSource({ 'sec-fetch-site': 'same-site', origin: OWN }, OWN)).toBe('foreign');
    expect(requestSource({ 'sec-fetch-site': 'cross-site' }, OWN)).toBe('foreign');
    expect(requestSource({ 'sec-fetch-site': 'none' }, OWN)).toBe('foreign');
    expect(requestSource({ origin: OWN }, OWN)).toBe('same');
    expect(requestSource({ origin: 'https://evil.example' }, OWN)).toBe('foreign');
    expect(requestSource({ origin: 'null' }, OWN)).toBe('foreign');
    expect(requestSource({ origin: `${OWN}:443` }, OWN)).toBe('foreign'); // browsers never send a default port
    expect(requestSource({ origin: 'https://kindshift.example.org.evil.example' }, OWN)).toBe('foreign');
    expect(requestSource({ referer: `${OWN}/me/profile?x=1` }, OWN)).toBe('same');
    expect(requestSource({ referer: 'https://evil.example/kindshift.example.org' }, OWN)).toBe('foreign');
    expect(requestSource({ referer: 'not a url' }, OWN)).toBe('foreign');
    expect(requestSource({ origin: 'https://evil.example', referer: `${OWN}/` }, OWN)).toBe('foreign');
    expect(requestSource({}, OWN)).toBe('unknown');
  });

  it('calls no other origin the same', () => {
    fc.assert(
      fc.property(fc.webUrl(), fc.constantFrom('origin', 'referer'), (url, header) => {
        const other = new URL(url).origin;
        fc.pre(other !== OWN);
        expect(requestSource({ [header]: header === 'origin' ? other : url }, OWN)).toBe('foreign');
      }),
    );
  });
});
