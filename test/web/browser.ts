import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { Harness } from '../support/harness.js';

/** Debian's Chromium, headless, with nothing phoning home; playwright gives each launch a fresh temporary profile. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** Makes the api listen on a real port for the browser and returns its base URL. */
export async function listen(h: Harness): Promise<string> {
  await h.api.listen(0, '127.0.0.1');
  const address = h.api.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/**
 * A browser context like a person's phone or laptop. bypassCSP lets the test inject axe-core as a
 * script tag; the CSP itself is checked by a test that runs with it enforced.
 */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
    ...options,
  });
}

/** Emailed links point at PUBLIC_BASE_URL; the browser opens the same path on the test server. */
export function onServer(base: string, link: URL): string {
  return `${base}${link.pathname}${link.search}`;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules plus best practices) on the page as it is now. */
export async function runAxe(page: Page): Promise<{ violations: AxeViolation[]; passes: number }> {
  await page.addScriptTag({ path: AXE_PATH });
  return (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
       .then((r) => ({ violations: r.violations, passes: r.passes.length }))`,
  )) as { violations: AxeViolation[]; passes: number };
}

/** Collects the axe results of every page a test visits, to assert once at the end. */
export class AxeLog {
  readonly checked: string[] = [];
  /** Serious or critical violations: the tests require none. */
  readonly problems: string[] = [];
  /** Minor or moderate findings, reported but not failing. */
  readonly notes: string[] = [];

  async check(page: Page, name: string): Promise<void> {
    const { violations, passes } = await runAxe(page);
    if (passes === 0) throw new Error(`axe-core checked nothing on ${name}`);
    this.checked.push(name);
    for (const v of violations) {
      const line = `[${name}] ${v.id} (${v.impact}): ${v.help} at ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`;
      (v.impact === 'serious' || v.impact === 'critical' ? this.problems : this.notes).push(line);
    }
  }

  /** Prints what was checked (set WEB_AXE_REPORT=1). */
  report(): void {
    if (process.env.WEB_AXE_REPORT)
      console.log(
        `axe: ${this.checked.length} pages: ${this.checked.join(', ')}\nminor/moderate: ${this.notes.length ? this.notes.join('\n') : 'none'}`,
      );
  }
}

/** Full-page screenshots at a phone and a desktop width. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const [width, height] of [
    [360, 800],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

/** Nothing may overflow sideways at phone width (readable at 360 px without horizontal scrolling). */
export async function horizontalOverflow(page: Page): Promise<number> {
  const before = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.setViewportSize({ width: 360, height: 800 });
  const overflow = (await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  )) as number;
  await page.setViewportSize(before);
  return overflow;
}
