import { jest } from '@jest/globals';
import { organisationWithCoordinator } from '../support/actors.js';
import { ADMIN_TOKEN, startHarness, waitUntil, type Harness } from '../support/harness.js';
import { launchBrowser, listen } from '../web/browser.js';
import { metricsRegistry } from '../../libs/platform/observability/metrics.js';

const registration = (email: string) => ({
  email,
  name: 'Robin',
  timeZone: 'Europe/London',
  home: { lat: 53.48, lon: -2.24 },
  travelKm: 8,
  skills: ['cooking'],
  causes: ['soup_kitchen'],
  weeklyShiftCap: 2,
  availability: [{ weekday: 2, start: '17:00', end: '21:00' }],
});

const basic = (password: string, user = 'operator') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The value of one sample line (`name{labels} value`) in a Prometheus text exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operations: Prometheus metrics and the queue dashboard', () => {
  let h: Harness;
  // Jest gives each test file fresh modules, so the process registry starts empty here.
  beforeAll(async () => {
    h = await startHarness('metrics');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('exposes queue depth, offers, outbox and the worker counters after a verification email', async () => {
    const res = await h.request('POST', '/api/volunteers', { body: registration('robin@example.org') });
    expect(res.status).toBe(202);
    await h.smtp.waitFor((m) => m.to.includes('robin@example.org'));

    // The delivery log counts after its commit, a moment after the SMTP reply.
    const worker = await waitUntil(
      async () => {
        const text = await metricsRegistry.metrics();
        return sample(text, 'kindshift_emails_total{kind="verification",outcome="sent"}') === 1 ? text : null;
      },
      10_000,
      'the sent email to be counted',
    );
    expect(sample(worker, 'kindshift_job_duration_seconds_count{job="email.verification",result="completed"}')).toBe(1);
    expect(worker).toMatch(
      /^kindshift_job_duration_seconds_bucket\{le="[\d.]+",job="email.verification",result="completed"\} 1$/m,
    );
    expect(worker).not.toContain('kindshift_email_retries_total{');
    expect(worker).toContain('process_cpu_seconds_total'); // default Node.js metrics are collected

    const scrape = await waitUntil(
      async () => {
        const r = await h.request('GET', '/metrics', { token: ADMIN_TOKEN });
        return sample(r.text, 'kindshift_outbox_pending') === 0 ? r : null;
      },
      10_000,
      'the outbox to be drained',
    );
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = scrape.text;
    for (const queue of ['email', 'work']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(sample(text, `kindshift_queue_jobs{queue="${queue}",state="${state}"}`)).toBeGreaterThanOrEqual(0);
      }
    }
    expect(sample(text, 'kindshift_offers{status="pending"}')).toBe(0);
    expect(sample(text, 'kindshift_offers_total{outcome="created"}')).toBe(0);
    expect(sample(text, 'kindshift_outbox_pending')).toBe(0);
    expect(sample(text, 'kindshift_metrics_source_up{source="redis"}')).toBe(1);
    expect(sample(text, 'kindshift_metrics_source_up{source="database"}')).toBe(1);
    expect(text).toContain('# TYPE kindshift_publish_to_first_offer_seconds histogram');
    // Nothing personal in any label.
    expect(text).not.toContain('robin');
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('/metrics and /admin/queues are for the operator only', async () => {
    expect((await h.request('GET', '/metrics')).status).toBe(401);
    expect((await h.request('GET', '/metrics', { token: 'not-a-real-session-token-abcdefgh' })).status).toBe(401);
    expect((await h.request('GET', '/metrics', { token: 'ks_key_not-a-real-key' })).status).toBe(401);
    // A real coordinator is known but not the operator.
    const coordinator = await organisationWithCoordinator(h, 'metrics-kitchen');
    expect((await h.request('GET', '/metrics', { token: coordinator.token })).status).toBe(403);
    expect((await h.request('GET', '/admin/queues', { token: coordinator.token })).status).toBe(401);
    expect(
      (await h.request('GET', '/admin/queues', { headers: { authorization: basic(coordinator.token) } })).status,
    ).toBe(401);
  });

  it('/admin/queues asks for the operator password and accepts Basic or Bearer', async () => {
    const anonymous = await h.request('GET', '/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="Kindshift operator"');

    const wrong = await h.request('GET', '/admin/queues', {
      headers: { authorization: basic('wrong-password-0123456789') },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Basic realm="Kindshift operator"');
    expect((await h.request('GET', '/admin/queues', { token: 'junk-session-token-0123456789' })).status).toBe(401);

    const page = await h.request('GET', '/admin/queues', { headers: { authorization: basic(ADMIN_TOKEN) } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<div id="root">');
    expect(page.headers['cache-control']).toBe('no-store');
    const asset = await h.request('GET', '/admin/queues/static/favicon-32x32.png', { token: ADMIN_TOKEN });
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('private, no-cache');

    // Every route of the board is covered, not just the page: its JSON API and its static files.
    expect((await h.request('GET', '/admin/queues/api/queues')).status).toBe(401);
    expect((await h.request('GET', '/admin/queues/static/favicon-32x32.png')).status).toBe(401);
    expect((await h.request('PUT', '/admin/queues/api/queues/email/pause')).status).toBe(401);
    expect((await h.request('GET', '/admin/queues/queue/email')).status).toBe(401);
    expect((await h.request('GET', '/admin/queues/no-such-page')).status).toBe(401);
    const api = await h.request('GET', '/admin/queues/api/queues', { token: ADMIN_TOKEN });
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['email', 'work']);

    // Cached Basic credentials ride along with cross-site requests: actions must be same-origin.
    const crossSite = await h.request('PUT', '/admin/queues/api/queues/email/pause', {
      headers: { authorization: basic(ADMIN_TOKEN), origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const oldBrowser = await h.request('PUT', '/admin/queues/api/queues/email/pause', {
      headers: { authorization: basic(ADMIN_TOKEN), origin: 'https://evil.example' },
    });
    expect(oldBrowser.status).toBe(403);
    // The board's own requests (same origin) go through.
    const own = await h.request('PUT', '/admin/queues/api/queues/work/pause', {
      headers: { authorization: basic(ADMIN_TOKEN), 'sec-fetch-site': 'same-origin' },
    });
    expect(own.status).toBe(200);
    await h.request('PUT', '/admin/queues/api/queues/work/resume', { token: ADMIN_TOKEN });
  });

  it('the dashboard renders in Chromium without CSP violations', async () => {
    const base = await listen(h);
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ httpCredentials: { username: 'operator', password: ADMIN_TOKEN } });
      // No internet here: answer the board's Google Fonts requests locally. CSP is checked by the
      // browser before a request is made, so a blocked font would still be reported.
      await context.route(/^https:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) =>
        route.fulfill({ status: 200, contentType: 'text/css', body: '' }),
      );
      // Browser-side code as strings: the project compiles without the DOM library.
      await context.addInitScript({
        content: `window.cspViolations = [];
          document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
      });
      const page = await context.newPage();
      const errors: string[] = [];
      const failedAssets: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('response', (response) => {
        if (response.url().startsWith(base) && response.status() >= 400)
          failedAssets.push(`${response.status()} ${response.url()}`);
      });

      const response = await page.goto(`${base}/admin/queues`, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      // The React app ran, called the board's API with the Basic credentials and listed both queues.
      await page.getByText('Kindshift queues').first().waitFor({ timeout: 15_000 });
      await page.locator('a[href$="/queue/email"]').first().waitFor({ timeout: 15_000 });
      await page.locator('a[href$="/queue/work"]').first().waitFor({ timeout: 15_000 });
      const violations = await page.evaluate<string[]>('window.cspViolations');

      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
      expect(failedAssets).toEqual([]);
      // The page's own styles applied (a stylesheet blocked by CSP would leave the body unstyled).
      const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      expect(background).not.toBe('rgba(0, 0, 0, 0)');
      await context.close();
    } finally {
      await browser.close();
    }
  });

  it('counts transient SMTP refusals as retries and permanent ones as failed_permanent', async () => {
    const { email } = await organisationWithCoordinator(h, 'metrics-retries');
    const count = async (series: string) => sample(await metricsRegistry.metrics(), series) ?? 0;
    const retries = 'kindshift_email_retries_total{kind="sign-in"}';
    const sent = 'kindshift_emails_total{kind="sign-in",outcome="sent"}';
    const failed = 'kindshift_emails_total{kind="sign-in",outcome="failed_permanent"}';
    const before = { retries: await count(retries), sent: await count(sent), failed: await count(failed) };

    h.smtp.refuseWith = 451; // "try again later"
    expect((await h.request('POST', '/api/auth/sign-in', { body: { email } })).status).toBe(202);
    await waitUntil(async () => (await count(retries)) > before.retries, 10_000, 'a retry to be counted');
    h.smtp.refuseWith = null;
    await h.smtp.waitFor((m) => m.to.includes(email) && /sign in/i.test(m.subject), 15_000);
    await waitUntil(async () => (await count(sent)) === before.sent + 1, 5_000, 'the sent email to be counted');
    expect(await count(failed)).toBe(before.failed);
    expect(
      await count('kindshift_job_duration_seconds_count{job="email.sign-in",result="failed"}'),
    ).toBeGreaterThanOrEqual(1);

    h.smtp.refuseWith = 550; // "no such mailbox": recorded, never retried
    try {
      expect((await h.request('POST', '/api/auth/sign-in', { body: { email } })).status).toBe(202);
      await waitUntil(
        async () => (await count(failed)) === before.failed + 1,
        10_000,
        'the permanent failure to be counted',
      );
    } finally {
      h.smtp.refuseWith = null;
    }
    expect(await count(sent)).toBe(before.sent + 1);
  });

  it('the rest of the app keeps the strict CSP', async () => {
    const health = await h.request('GET', '/health/live');
    expect(health.headers['content-security-policy']).toContain("style-src 'self';");
  });
});

describe('operations: /metrics while Redis is unreachable', () => {
  let h: Harness;
  let quiet: { mockRestore: () => void };
  beforeAll(async () => {
    // BullMQ prints every refused connection with console.error; expected here, so kept quiet.
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    // Nothing listens on port 1: every Redis connection is refused, as when Redis is down.
    h = await startHarness('metrics_noredis', { worker: false, env: { REDIS_URL: 'redis://127.0.0.1:1/0' } });
  });
  afterAll(async () => {
    await h?.close();
    // ioredis arms a 2 s "destroy the socket" timer on disconnect even for a socket that never
    // connected; let it run out so jest's open-handle check stays quiet.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    quiet.mockRestore();
  });

  it('still answers, leaving out the queue gauges and saying Redis did not answer', async () => {
    const res = await h.request('GET', '/metrics', { token: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/^kindshift_queue_jobs\{/m);
    expect(res.text).toContain('# TYPE kindshift_queue_jobs gauge');
    expect(sample(res.text, 'kindshift_metrics_source_up{source="redis"}')).toBe(0);
    expect(sample(res.text, 'kindshift_metrics_source_up{source="database"}')).toBe(1);
    expect(sample(res.text, 'kindshift_outbox_pending')).toBe(0);
    expect(sample(res.text, 'kindshift_offers{status="accepted"}')).toBe(0);
  });
});
