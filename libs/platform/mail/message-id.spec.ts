import fc from 'fast-check';
import { mailDomain, messageIdFor } from './message-id.js';

describe('Message-IDs', () => {
  it('take the domain of the From address, with or without a display name', () => {
    expect(mailDomain('Kindshift <hello@Kindshift.example>')).toBe('kindshift.example');
    expect(mailDomain('hello@mail.example.org')).toBe('mail.example.org');
    expect(messageIdFor('offer-1', 'Kindshift <hello@kindshift.test>')).toBe('<offer-1@kindshift.test>');
  });

  it('are always <local@domain> with the From domain', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 2, maxLength: 4 }),
        fc.uuid(),
        fc.constantFrom('', 'Kindshift ', '"Kind, shift" '),
        (labels, id, name) => {
          const domain = labels.join('.');
          const from = name ? `${name}<hello@${domain}>` : `hello@${domain}`;
          expect(messageIdFor(id, from)).toBe(`<${id}@${domain}>`);
        },
      ),
    );
  });
});
