import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { contactToVCard, parseVCard, splitVCards } from '../../src/formats/vcard/index.ts';
import { EVERY_TYPE_FIELDS, fixture, storedContact } from './vcard-support.ts';

const readCtx = { customFields: EVERY_TYPE_FIELDS, defaultRegion: 'US', defineFields: true };
const vendorText = ['google-contacts-3.0.vcf', 'apple-contacts-3.0.vcf', 'outlook-2.1.vcf', 'vcard-4.0.vcf'].map(fixture).join('');

/** A card read from anything, written back and read again: nothing throws, and the second reading keeps the first's names and numbers. */
function assertSurvives(text: string): void {
  const parsed = parseVCard(text, readCtx);
  let contact;
  try {
    contact = storedContact({ ...parsed.input, custom_fields: {} }, EVERY_TYPE_FIELDS);
  } catch {
    return; // the core refuses the input (a field it checks further): the caller reports it, nothing to write
  }
  for (const version of ['3.0', '4.0'] as const) {
    const again = parseVCard(contactToVCard(contact, { groupNames: new Map(), customFields: EVERY_TYPE_FIELDS }, version, parsed.extras), readCtx);
    assert.equal(again.input.first_name ?? null, contact.first_name);
    assert.equal(again.input.last_name ?? null, contact.last_name);
    assert.deepEqual((again.input.phone_numbers ?? []).length, contact.phone_numbers.length);
  }
}

test('any text, and any cut or splice of the vendor fixtures, is read without throwing and written back readable', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.nat(vendorText.length), fc.nat(vendorText.length), (noise, from, to) => {
      const [a, b] = from < to ? [from, to] : [to, from];
      assertSurvives(noise);
      assertSurvives(`BEGIN:VCARD\r\nVERSION:3.0\r\n${noise}\r\nEND:VCARD\r\n`);
      assertSurvives(`BEGIN:VCARD\r\n${vendorText.slice(a, b)}\r\nEND:VCARD\r\n`);
      assertSurvives(vendorText.slice(0, a) + noise + vendorText.slice(b));
    }),
    { numRuns: 300, seed: 20261206 },
  );
});

test('the splitter gives every card of any chunking of any text, and never text outside a card', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }), fc.string({ maxLength: 40 }), async (sizes, noise) => {
      const text = `${noise.replace(/BEGIN/gi, '')}\n${vendorText}`;
      async function* chunks() {
        let at = 0;
        for (let i = 0; at < text.length; i++) {
          const size = sizes[i % sizes.length]!;
          yield text.slice(at, at + size);
          at += size;
        }
      }
      const cards = [];
      for await (const card of splitVCards(chunks())) cards.push(card.text);
      assert.equal(cards.length, 5);
      for (const card of cards) assert.match(card, /^BEGIN:VCARD\r\n[\s\S]*END:VCARD\r\n$/);
    }),
    { numRuns: 100, seed: 7 },
  );
});
