import { renderEmail } from '../../platform/mail/email-layout.js';
import {
  bookingCancelledEmail,
  bookingConfirmedEmail,
  bookingReminderEmail,
  coverAskerEmail,
  coverCoordinatorEmail,
  coverOfferEmail,
  noCandidatesEmail,
  offerEmail,
  offerWithdrawnEmail,
  shiftCancelledEmail,
  shiftChangedEmail,
  type OfferEmailInput,
  type RenderedEmail,
  type ShiftEmailDetails,
} from './offer-emails.js';

const offer: OfferEmailInput = {
  volunteerName: 'Ann',
  shiftTitle: 'Evening meal service',
  organisationName: 'St Mary’s Kitchen',
  place: { label: 'St Mary’s Hall', street: '1 High Street' },
  localTime: 'Tue 1 Dec 2026, 17:00–20:00 (Europe/London)',
  explanation: '2.1 km away · has cooking · fits your Tuesday evenings',
  acceptUrl: 'https://kindshift.example/links/offer?token=abc&action=accept',
  declineUrl: 'https://kindshift.example/links/offer?token=abc&action=decline',
  unsubscribeUrl: 'https://kindshift.example/links/unsubscribe?token=unsub',
  expiresLocal: 'Tue 1 Dec, 09:00 (Europe/London)',
};

const shift: ShiftEmailDetails = {
  volunteerName: 'Ann',
  shiftTitle: 'Evening meal service',
  organisationName: 'St Mary’s Kitchen',
  place: { label: 'St Mary’s Hall', street: '1 High Street' },
  localTime: 'Tue 1 Dec 2026, 17:00–20:00 (Europe/London)',
};

const PUSHY = /urgent|hurry|asap|don't miss|last chance|you must|required to|disappoint|let .* down/i;
const amp = (url: string) => url.replace(/&/g, '&amp;');

function expectWellFormed(mail: RenderedEmail) {
  expect(mail.subject).not.toMatch(/[\r\n]/);
  expect(mail.subject.length).toBeGreaterThan(0);
  expect(mail.html.startsWith('<!doctype html>')).toBe(true);
  expect(mail.html).not.toContain('undefined');
  expect(mail.text).not.toContain('undefined');
  expect(`${mail.subject}\n${mail.text}`).not.toMatch(PUSHY);
}

describe('offerEmail', () => {
  const mail = offerEmail(offer);

  it('says what, where, when, why and until when, in HTML and text', () => {
    expectWellFormed(mail);
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('Evening meal service');
      expect(body).toContain('1 High Street');
      expect(body).toContain('17:00–20:00 (Europe/London)');
      expect(body).toContain('fits your Tuesday evenings');
      expect(body).toContain('Tue 1 Dec, 09:00 (Europe/London)');
    }
    expect(mail.subject).toBe('Could you help? Evening meal service at St Mary’s Kitchen, Tue 1 Dec 2026, 17:00–20:00');
  });

  it('names the role offered on a multi-role shift, in the subject and the body; a one-role shift names none', () => {
    const lead = offerEmail({ ...offer, roleName: 'Kitchen lead' });
    expectWellFormed(lead);
    expect(lead.subject).toBe(
      'Could you help? Kitchen lead — Evening meal service at St Mary’s Kitchen, Tue 1 Dec 2026, 17:00–20:00',
    );
    expect(lead.text).toContain('St Mary’s Kitchen could use a hand as Kitchen lead');
    expect(lead.text).toMatch(/Role:?\s+Kitchen lead/);
    expect(lead.html).toContain('Kitchen lead');
    for (const body of [mail.text, mail.html]) expect(body).not.toMatch(/Role\b/);
    expect(offerEmail({ ...offer, roleName: null }).subject).toBe(mail.subject);
  });

  it('has Accept and Decline buttons and the pause link, with URLs escaped in HTML', () => {
    expect(mail.text).toContain(`Yes, I can help: ${offer.acceptUrl}`);
    expect(mail.text).toContain(`Not this time: ${offer.declineUrl}`);
    expect(mail.text).toContain(offer.unsubscribeUrl);
    expect(mail.html).toContain(`href="${amp(offer.acceptUrl)}"`);
    expect(mail.html).toContain(`href="${amp(offer.declineUrl)}"`);
    expect(mail.html).toContain(`href="${offer.unsubscribeUrl}"`);
    expect(mail.html).toContain('>Pause offers</a>');
  });

  it('is gentle: no is fine, links change nothing by themselves, offers can be paused', () => {
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('Opening a link changes nothing until you press the button on the page.');
      expect(body).toContain('No is a perfectly good answer');
      expect(body).toMatch(/pause offers/i);
    }
  });

  it('carries RFC 8058 one-click unsubscribe headers', () => {
    expect(mail.headers).toEqual({
      'List-Unsubscribe': `<${offer.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('escapes user-supplied text in HTML and keeps it out of headers', () => {
    const evil = offerEmail({
      ...offer,
      volunteerName: '<script>alert(1)</script>',
      shiftTitle: 'Soup\r\nBcc: victim@example.com',
      organisationName: 'Tom & Jerry "Shelter"',
      explanation: '<b>near</b>',
    });
    expect(evil.subject).not.toMatch(/[\r\n]/);
    expect(evil.subject).toContain('Soup Bcc: victim@example.com');
    expect(evil.html).not.toContain('<script>');
    expect(evil.html).toContain('&lt;script&gt;');
    expect(evil.html).toContain('Tom &amp; Jerry &quot;Shelter&quot;');
    expect(evil.html).not.toContain('<b>near</b>');
  });

  it('falls back gracefully when the place has no street', () => {
    const noStreet = offerEmail({ ...offer, place: { label: 'Main hall' } });
    expect(noStreet.text).toMatch(/Where:\s+Main hall\n/);
  });
});

describe('offerWithdrawnEmail', () => {
  it('is short and thankful', () => {
    const mail = offerWithdrawnEmail({
      volunteerName: 'Ann',
      shiftTitle: 'Evening meal service',
      organisationName: 'St Mary’s Kitchen',
      localTime: shift.localTime,
    });
    expectWellFormed(mail);
    expect(mail.subject).toBe('Evening meal service has filled — thank you');
    expect(mail.text).toContain('nothing you need to do');
    expect(mail.text).toMatch(/thank you/i);
    expect(mail.text.length).toBeLessThan(600);
    expect(mail.headers).toBeUndefined();
  });
});

describe('booking emails', () => {
  it('confirms with the details, the calendar note and a cancel link when given', () => {
    const mail = bookingConfirmedEmail({
      ...shift,
      cancelUrl: 'https://kindshift.example/links/cancel?token=c&x=1',
      calendarAttached: true,
    });
    expectWellFormed(mail);
    expect(mail.subject).toBe("You're booked: Evening meal service, Tue 1 Dec 2026, 17:00–20:00 (Europe/London)");
    expect(mail.text).toMatch(/When:\s+Tue 1 Dec 2026, 17:00–20:00 \(Europe\/London\)/);
    expect(mail.text).toMatch(/Where:\s+St Mary’s Hall, 1 High Street/);
    expect(mail.text).toContain('Cancel my place: https://kindshift.example/links/cancel?token=c&x=1');
    expect(mail.html).toContain('href="https://kindshift.example/links/cancel?token=c&amp;x=1"');
    expect(mail.text).toContain('calendar invite is attached');
  });

  it('confirms without a cancel link or calendar claim when not given', () => {
    const mail = bookingConfirmedEmail(shift);
    expect(mail.text).not.toContain('Cancel my place');
    expect(mail.text).not.toContain('calendar');
    expect(mail.text).toMatch(/cancel/i);
  });

  it('reminds', () => {
    const mail = bookingReminderEmail({ ...shift, cancelUrl: 'https://kindshift.example/c' });
    expectWellFormed(mail);
    expect(mail.subject).toBe('Reminder: Evening meal service, Tue 1 Dec 2026, 17:00–20:00 (Europe/London)');
    expect(mail.text).toContain('St Mary’s Hall');
    expect(mail.text).toContain('Cancel my place: https://kindshift.example/c');
  });

  it('lists what changed', () => {
    const mail = shiftChangedEmail({
      ...shift,
      changes: ['The start time has changed.', 'The place has changed.'],
      calendarAttached: true,
    });
    expectWellFormed(mail);
    expect(mail.subject).toContain('A change to your shift');
    expect(mail.text).toContain('The start time has changed.');
    expect(mail.text).toContain('The place has changed.');
    expect(mail.text).toMatch(/When:\s+Tue 1 Dec 2026/);
    expect(shiftChangedEmail({ ...shift, changes: [] }).text).toContain('Some details have changed.');
  });

  it('tells of a cancellation kindly', () => {
    const mail = shiftCancelledEmail({ ...shift, calendarAttached: true });
    expectWellFormed(mail);
    expect(mail.subject).toBe('Cancelled: Evening meal service, Tue 1 Dec 2026, 17:00–20:00 (Europe/London)');
    expect(mail.text).toContain('you do not need to go');
    expect(mail.text).toContain('removes the shift from your calendar');
  });

  it('confirms a volunteer’s own cancellation without blame', () => {
    const mail = bookingCancelledEmail({ ...shift, calendarAttached: true });
    expectWellFormed(mail);
    expect(mail.subject).toBe('You cancelled: Evening meal service, Tue 1 Dec 2026, 17:00–20:00 (Europe/London)');
    expect(mail.text).toContain('no longer booked');
    expect(mail.text).toContain('Plans change, and that is fine.');
    expect(mail.text).toContain('removes the shift from your calendar');
    expect(bookingCancelledEmail(shift).text).not.toContain('calendar');
  });
});

describe('noCandidatesEmail', () => {
  it('tells the coordinator, with the summary', () => {
    const mail = noCandidatesEmail({
      coordinatorName: 'Maya',
      shiftTitle: 'Dog walking',
      localTime: 'Sat 5 Dec 2026, 10:00–12:00 (Europe/London)',
      excludedSummary: '1 of 3 places are booked after 2 rounds of offers.',
    });
    expectWellFormed(mail);
    expect(mail.subject).toBe('No more volunteers to ask for Dog walking, Sat 5 Dec 2026, 10:00–12:00 (Europe/London)');
    expect(mail.text.startsWith('Hi Maya,')).toBe(true);
    expect(mail.text).toContain('1 of 3 places are booked after 2 rounds of offers.');
  });

  it('works without a coordinator name', () => {
    const mail = noCandidatesEmail({
      shiftTitle: 'Dog walking',
      localTime: 'Sat 5 Dec 2026, 10:00–12:00 (Europe/London)',
      excludedSummary: '',
    });
    expect(mail.text.startsWith('We have run out of volunteers to ask')).toBe(true);
    expect(mail.text).not.toMatch(/\n\n\n/);
  });
});

describe('renderEmail extensions', () => {
  it('renders existing content exactly as before (no details, buttons or notes)', () => {
    expect(
      renderEmail({
        heading: 'Hi <Ann>',
        paragraphs: ['a & b'],
        button: { label: 'Go', url: 'https://x.example/?a=1&b=2' },
      }),
    ).toEqual({
      html: '<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:560px;margin:auto;padding:16px">\n<h1 style="font-size:20px">Hi &lt;Ann&gt;</h1>\n<p>a &amp; b</p>\n<p><a href="https://x.example/?a=1&amp;b=2" style="display:inline-block;background:#0b6e4f;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Go</a></p>\n<hr style="border:none;border-top:1px solid #ddd"><p style="font-size:12px;color:#52606d">Kindshift — volunteering that fits your life.</p>\n</body></html>',
      text: 'Hi <Ann>\n\na & b\n\nGo: https://x.example/?a=1&b=2\n\n--\nKindshift — volunteering that fits your life.',
    });
  });

  it('renders details, several buttons, notes with links and a preheader, escaped', () => {
    const { html, text } = renderEmail({
      heading: 'H',
      paragraphs: ['p'],
      preheader: 'Preview <text>',
      details: [
        { label: 'When', value: 'Tue <1 Dec>' },
        { label: 'Why you', value: 'a & b' },
      ],
      buttons: [
        { label: 'Yes', url: 'https://x/y?a=1&b=2' },
        { label: 'No', url: 'https://x/n', variant: 'secondary' },
      ],
      notes: ['Small <print>', { text: 'Need a break?', link: { label: 'Pause', url: 'https://x/p' } }],
    });
    expect(html).toContain('Preview &lt;text&gt;');
    expect(html).toContain('<th scope="row"');
    expect(html).toContain('Tue &lt;1 Dec&gt;');
    expect(html).toContain('href="https://x/y?a=1&amp;b=2"');
    expect(html).toMatch(/href="https:\/\/x\/n" style="[^"]*background:#fff/);
    expect(html).toContain('Small &lt;print&gt;');
    expect(html).toContain('Need a break? <a href="https://x/p"');
    expect(text).toBe(
      'H\n\np\n\nWhen:    Tue <1 Dec>\nWhy you: a & b\n\nYes: https://x/y?a=1&b=2\n\nNo: https://x/n\n\nSmall <print>\n\nNeed a break? Pause: https://x/p\n\n--\nKindshift — volunteering that fits your life.',
    );
  });
});

describe('cover emails', () => {
  it('asks kindly whether someone could cover, with the same Yes / No links as an offer', () => {
    const mail = coverOfferEmail({
      ...shift,
      askerFirstName: 'Ada',
      acceptUrl: offer.acceptUrl,
      declineUrl: offer.declineUrl,
      expiresLocal: 'Tue 1 Dec, 09:00 (Europe/London)',
    });
    expectWellFormed(mail);
    expect(mail.subject).toBe('Could you cover a shift? Evening meal service, Tue 1 Dec 2026, 17:00–20:00');
    expect(mail.text).toContain('Ada is booked for Evening meal service');
    expect(mail.text).toContain(`Yes, I’ll cover it: ${offer.acceptUrl}`);
    expect(mail.text).toContain('Saying no, or not answering, is completely fine.');
    expect(mail.html).toContain(`href="${amp(offer.declineUrl)}"`);
  });

  it('tells the asker they are free, covered or released, with the calendar note', () => {
    const covered = coverAskerEmail({ ...shift, calendarAttached: true, takerFirstName: 'Ben' });
    expectWellFormed(covered);
    expect(covered.subject).toBe('Ben is covering your shift — you’re free');
    expect(covered.text).toContain('removes the shift from your calendar');
    const released = coverAskerEmail({ ...shift, takerFirstName: null });
    expectWellFormed(released);
    expect(released.subject).toBe('You’re free: Evening meal service, Tue 1 Dec 2026, 17:00–20:00');
    expect(released.text).toContain('Nobody could take your place');
  });

  it('tells the coordinator about the swap, or that the place is open again', () => {
    const base = {
      coordinatorName: 'Jo',
      shiftTitle: 'Evening meal service',
      localTime: shift.localTime,
      askerName: 'Ada L.',
    };
    const swap = coverCoordinatorEmail({ ...base, takerName: 'Ben K.' });
    expectWellFormed(swap);
    expect(swap.subject).toBe('Ada L. → covered by Ben K.: Evening meal service');
    const alert = coverCoordinatorEmail({ ...base, takerName: null });
    expect(alert.subject).toBe('Nobody could cover Ada L.’s place: Evening meal service');
    expect(alert.text).toContain('it is open again and being offered');
  });
});
