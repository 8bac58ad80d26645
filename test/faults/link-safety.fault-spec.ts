import { IdentityService } from '../../libs/identity/identity.service.js';
import { hashToken } from '../../libs/common/tokens.js';
import { FaultEnv, type Response } from './support/fault-env.js';
import { createOrganisation, insertOpenShift, insertPendingOffers, insertVolunteers } from './support/world.js';

/**
 * Fault 5: emailed links. Mail scanners open every link, so GET on accept, decline and
 * unsubscribe links only shows a page; a token expired, tampered with, minted for another purpose
 * or bound to another volunteer's offer is refused with a clear page (410), and so is a used one,
 * except that a used accept link shows its booking again (changing nothing).
 */
describe('fault 5: accept, decline and unsubscribe links', () => {
  let env: FaultEnv;
  let identity: IdentityService;
  let shiftId: string;
  let volunteers: string[];
  let offers: string[];
  beforeAll(async () => {
    env = await FaultEnv.start('link_safety');
    identity = env.api.get(IdentityService);
    const org = await createOrganisation(env.db, env.env.SESSION_SECRET, 'links');
    volunteers = await insertVolunteers(env.db, 'links', 6);
    shiftId = await insertOpenShift(env.db, org, 'Link safety', 3);
    offers = await insertPendingOffers(env.db, shiftId, volunteers);
  });
  afterAll(async () => {
    await env?.close();
  });

  const offerToken = (index: number) =>
    identity.issueLinkToken(volunteers[index], 'offer_response', 3600, offers[index]);
  const html = { accept: 'text/html' };
  const getPage = (path: string, token: string, action?: string) =>
    env.request('GET', `${path}?token=${encodeURIComponent(token)}${action ? `&action=${action}` : ''}`, {
      headers: html,
    });
  const postForm = (path: string, form: Record<string, string>) => env.request('POST', path, { form, headers: html });

  /** Everything a click could change. */
  const state = async () => ({
    offers: (
      await env.db.query(`select id, status::text, responded_at from offers where shift_id = $1 order by id`, [shiftId])
    ).rows,
    tokens: (await env.db.query(`select id, used_at, expires_at from link_tokens order by id`)).rows,
    volunteers: (await env.db.query(`select account_id, status::text, updated_at from volunteers order by account_id`))
      .rows,
    shift: (await env.db.query(`select filled, status::text from shifts where id = $1`, [shiftId])).rows[0],
    bookings: (await env.db.query(`select count(*)::int as n from bookings`)).rows[0].n,
    outbox: (await env.db.query(`select count(*)::int as n from outbox`)).rows[0].n,
  });

  function expectRefused(response: Response, what: string) {
    expect({ what, status: response.status, type: String(response.headers['content-type']).split(';')[0] }).toEqual({
      what,
      status: 410,
      type: 'text/html',
    });
    expect(response.text).toMatch(/not valid/i);
  }

  it('GET on accept, decline and unsubscribe links changes nothing, however often it is opened', async () => {
    const token = await offerToken(0);
    const unsubscribe = await identity.issueLinkToken(volunteers[0], 'unsubscribe', 3600);
    const before = await state();
    for (let i = 0; i < 3; i += 1) {
      for (const action of ['accept', 'decline', undefined]) {
        const page = await getPage('/links/offer', token, action);
        expect(page.status).toBe(200);
        expect(page.text).toMatch(/<form[^>]+method="post"/i);
      }
      const page = await getPage('/links/unsubscribe', unsubscribe);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/<form[^>]+method="post"/i);
    }
    expect(await state()).toEqual(before);
    // The links still work afterwards: the POST behind the button does the change.
    const answered = await postForm('/links/offer', { token, action: 'decline' });
    expect(answered.status).toBe(200);
    expect((await env.db.query(`select status::text from offers where id = $1`, [offers[0]])).rows[0].status).toBe(
      'declined',
    );
  });

  it('a token used twice changes nothing the second time: a repeated yes shows the booking, anything else is refused', async () => {
    const token = await offerToken(1);
    expect((await postForm('/links/offer', { token, action: 'accept' })).status).toBe(200);
    const after = await state();
    for (const [what, response] of [
      ['second accept', await postForm('/links/offer', { token, action: 'accept' })],
      ['GET after use', await getPage('/links/offer', token, 'accept')],
    ] as const) {
      expect({
        what,
        status: response.status,
        booked: response.text.includes('You’re booked'),
        form: /<form[^>]+action="\/links\/offer"/.test(response.text),
      }).toEqual({ what, status: 200, booked: true, form: false });
    }
    expectRefused(await postForm('/links/offer', { token, action: 'decline' }), 'decline after accept');
    expect(await state()).toEqual(after);
    expect(
      (await env.db.query(`select count(*)::int as n from bookings where offer_id = $1`, [offers[1]])).rows[0].n,
    ).toBe(1);
  });

  it('an expired token is refused', async () => {
    const token = await offerToken(2);
    await env.db.query(`update link_tokens set expires_at = now() - interval '1 minute' where token_hash = $1`, [
      hashToken(token, env.env.SESSION_SECRET),
    ]);
    const before = await state();
    expectRefused(await getPage('/links/offer', token, 'accept'), 'GET expired');
    expectRefused(await postForm('/links/offer', { token, action: 'accept' }), 'POST expired');
    const unsubscribe = await identity.issueLinkToken(volunteers[2], 'unsubscribe', 3600);
    await env.db.query(`update link_tokens set expires_at = now() - interval '1 minute' where token_hash = $1`, [
      hashToken(unsubscribe, env.env.SESSION_SECRET),
    ]);
    expectRefused(await postForm('/links/unsubscribe', { token: unsubscribe }), 'unsubscribe expired');
    expect(await state()).toEqual({ ...before, tokens: (await state()).tokens });
    expect((await env.db.query(`select status::text from offers where id = $1`, [offers[2]])).rows[0].status).toBe(
      'pending',
    );
  });

  it('a tampered token is refused', async () => {
    const token = await offerToken(3);
    const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    const before = await state();
    for (const tampered of [flipped, token.slice(0, -2) + 'xx', `${token}x`]) {
      expectRefused(await getPage('/links/offer', tampered, 'accept'), `GET ${tampered}`);
      expectRefused(await postForm('/links/offer', { token: tampered, action: 'accept' }), `POST ${tampered}`);
    }
    expect(await state()).toEqual(before);
  });

  it('a token for another purpose or another volunteer’s offer is refused', async () => {
    const offer = await offerToken(4);
    const unsubscribe = await identity.issueLinkToken(volunteers[4], 'unsubscribe', 3600);
    const signIn = await identity.issueLinkToken(volunteers[4], 'sign_in', 3600);
    // Minted for volunteer 4 but naming volunteer 5's offer: the link must not act on it.
    const crossed = await identity.issueLinkToken(volunteers[4], 'offer_response', 3600, offers[5]);
    const before = await state();
    expectRefused(
      await postForm('/links/offer', { token: unsubscribe, action: 'accept' }),
      'unsubscribe token as offer answer',
    );
    expectRefused(await postForm('/links/offer', { token: signIn, action: 'accept' }), 'sign-in token as offer answer');
    expectRefused(await getPage('/links/offer', signIn, 'accept'), 'sign-in token on the offer page');
    expectRefused(await postForm('/links/unsubscribe', { token: offer }), 'offer token as unsubscribe');
    expectRefused(await getPage('/links/unsubscribe', offer), 'offer token on the unsubscribe page');
    expectRefused(await getPage('/links/offer', crossed, 'accept'), 'GET another volunteer’s offer');
    expectRefused(
      await postForm('/links/offer', { token: crossed, action: 'accept' }),
      'POST another volunteer’s offer',
    );
    const after = await state();
    expect({ ...after, tokens: undefined }).toEqual({ ...before, tokens: undefined });
    expect(after.offers.find((o: { id: string }) => o.id === offers[5]).status).toBe('pending');
  });
});
