import { generateKeyPairSync } from 'node:crypto';
import { DateTime } from 'luxon';
import { dkimVerify } from 'mailauth';
import { confirmedVolunteer, organisationWithCoordinator } from '../support/actors.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rawHeader, type ReceivedMail } from '../support/smtp-sink.js';

const SELECTOR = 'ks2026';
const DOMAIN = 'kindshift.test'; // the MAIL_FROM domain of the harness

/** A DNS that knows one record: the test's public key at <selector>._domainkey.<domain>. */
function resolverFor(publicKeyDer: Buffer) {
  return async (name: string, type: string) => {
    if (type === 'TXT' && name === `${SELECTOR}._domainkey.${DOMAIN}`)
      return [[`v=DKIM1; k=rsa; p=${publicKeyDer.toString('base64')}`]];
    throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
  };
}

const dkimDomain = (mail: ReceivedMail) => /\bd=([^;\s]+)/.exec(rawHeader(mail, 'dkim-signature') ?? '')?.[1];

/** Next Tuesday 17:00–20:00 London time, inside the volunteers' Tuesday 16:00–22:00 window. */
function nextTuesdayEvening() {
  const start = DateTime.now()
    .setZone('Europe/London')
    .plus({ weeks: 1 })
    .set({ weekday: 2, hour: 17, minute: 0, second: 0, millisecond: 0 });
  return { startsAt: start.toISO() as string, endsAt: start.plus({ hours: 3 }).toISO() as string };
}

/** One offer email: an organisation posts a shift that fits one volunteer. */
async function anOfferMail(h: Harness, slug: string): Promise<ReceivedMail> {
  const org = await organisationWithCoordinator(h, slug);
  const email = `vol@${slug}.example.org`;
  await confirmedVolunteer(h, email, { quietHours: { start: '00:00', end: '00:00' } });
  const shift = await h.request('POST', `/api/organisations/${org.organisationId}/shifts`, {
    token: org.token,
    body: { title: 'Soup night', ...nextTuesdayEvening(), capacity: 1, requiredSkills: ['cooking'], publish: true },
  });
  expect(shift.status).toBe(201);
  return h.smtp.waitFor((m) => m.to.includes(email) && m.text.includes('/links/offer?token='));
}

describe('mail without DKIM configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('mail-nodkim');
  });
  afterAll(async () => {
    await h.close();
  });

  it('carries no DKIM-Signature, and every Message-ID (offers too) uses the MAIL_FROM domain', async () => {
    const offer = await anOfferMail(h, 'nodkim');
    expect(h.smtp.messages.length).toBeGreaterThanOrEqual(3); // invite, verification, offer
    for (const mail of h.smtp.messages) {
      expect(rawHeader(mail, 'dkim-signature')).toBeUndefined();
      expect(mail.headers.get('message-id')).toMatch(new RegExp(`@${DOMAIN.replace('.', '\\.')}>$`));
    }
    expect(offer.headers.get('message-id')).toMatch(/^<offer-[0-9a-f-]{36}@kindshift\.test>$/);
  });
});

describe('mail with DKIM configured', () => {
  let h: Harness;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const resolver = resolverFor(publicKey.export({ type: 'spki', format: 'der' }));
  beforeAll(async () => {
    // As one line with \n escapes, the way a PEM fits into an environment variable.
    const pem = (privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).trim().replace(/\n/g, '\\n');
    h = await startHarness('mail-dkim', {
      env: { DKIM_DOMAIN: DOMAIN, DKIM_SELECTOR: SELECTOR, DKIM_PRIVATE_KEY: pem },
    });
  });
  afterAll(async () => {
    await h.close();
    for (const name of ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY']) delete process.env[name];
  });

  it('signs every mail (sign-in, verification, offer) so that a receiver verifies it: dkim=pass, d= the From domain', async () => {
    const offer = await anOfferMail(h, 'dkim');
    expect(await h.request('POST', '/api/auth/sign-in', { body: { email: 'vol@dkim.example.org' } })).toMatchObject({
      status: 202,
    });
    await h.smtp.waitFor((m) => m.to.includes('vol@dkim.example.org') && /sign in/i.test(m.subject));
    expect(h.smtp.messages.length).toBeGreaterThanOrEqual(4);
    for (const mail of h.smtp.messages) {
      const { results } = await dkimVerify(mail.raw, { resolver });
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ signingDomain: DOMAIN, selector: SELECTOR, status: { result: 'pass' } });
      expect(dkimDomain(mail)).toBe(DOMAIN);
    }
    expect(offer.headers.get('message-id')).toMatch(/@kindshift\.test>$/);
  });

  it('a message changed on the way does not verify (the check is real)', async () => {
    const raw = h.smtp.messages[0].raw.toString('utf8');
    const subject = await dkimVerify(Buffer.from(raw.replace(/^Subject: /m, 'Subject: Urgent: ')), { resolver });
    expect(subject.results[0].status).toMatchObject({ result: 'fail', comment: 'bad signature' });
    // A changed body is PERMFAIL, which RFC 8601 reports as neutral: anything but pass.
    const body = await dkimVerify(Buffer.from(raw.replace(/\r\n\r\n/, '\r\n\r\nP.S. send your password\r\n')), {
      resolver,
    });
    expect(body.results[0].status.result).toBe('neutral');
    expect(body.results[0].status.comment).toMatch(/body hash/);
  });
});
