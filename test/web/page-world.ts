import pg from 'pg';
import type { Browser } from 'playwright-core';
import { IdentityService } from '../../libs/identity/index.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { MANCHESTER } from '../support/actors.js';
import { launchBrowser, listen } from './browser.js';

/** What a browser test file works with: the api on a real port (no worker), Chromium, and SQL for its rows. */
export interface PageWorld {
  h: Harness;
  base: string;
  browser: Browser;
  db: pg.Client;
  close(): Promise<void>;
}

export async function startPageWorld(name: string): Promise<PageWorld> {
  const [h, browser] = await Promise.all([startHarness(name, { worker: false }), launchBrowser()]);
  const base = await listen(h);
  const db = new pg.Client({ connectionString: h.databaseUrl });
  await db.connect();
  return {
    h,
    base,
    browser,
    db,
    close: async () => {
      await db.end();
      await browser.close();
      await h.close();
    },
  };
}

/**
 * An organisation in Europe/London, made by the operator, and a signed-in session of its coordinator
 * (without the invite's mail round trip, which other tests cover).
 */
export async function organisationWithSession(h: Harness, slug: string, name = `Kitchen ${slug}`) {
  const res = await h.request('POST', '/api/admin/organisations', {
    token: ADMIN_TOKEN,
    body: {
      name,
      kind: 'soup_kitchen',
      timeZone: 'Europe/London',
      address: { label: 'Hall', street: '1 Mill Street', ...MANCHESTER },
      coordinator: { email: `coordinator@${slug}.example.org`, name: 'Jo' },
    },
  });
  if (res.status !== 201) throw new Error(`organisation not created: ${res.status} ${res.text}`);
  return {
    id: res.body.id as string,
    addressId: res.body.addresses[0].id as string,
    session: await sessionOf(h, res.body.coordinatorAccountId, 'sign_in'),
  };
}

/** A session for an account, as completing its emailed link would give. */
export async function sessionOf(h: Harness, accountId: string, purpose: 'sign_in' | 'verify_email'): Promise<string> {
  const identity = h.api.get(IdentityService);
  return (await identity.completeLink(await identity.issueLinkToken(accountId, purpose, 600), purpose)).token;
}
