import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildContactState } from '../../src/core/contacts/contact-state.ts';
import type { Contact, ContactInput } from '../../src/core/types.ts';
import { contactToJCard, contactToVCard, parseVCard, type CardExtras } from '../../src/formats/vcard/index.ts';
import { EVERY_TYPE_FIELDS, customField, storedContact } from './vcard-support.ts';

const GROUPS = new Map([['g-vip', 'VIP'], ['g-west', 'West, Region']]);
const ctx = { groupNames: GROUPS, customFields: EVERY_TYPE_FIELDS };
const readCtx = { customFields: EVERY_TYPE_FIELDS, defaultRegion: 'US' };

const everything: ContactInput = {
  display_name: 'Dr. Jane Doe',
  first_name: 'Jane',
  last_name: 'Doe; Smith',
  salutation: 'Dr.',
  company: 'Acme, Inc.',
  role: 'Head of Purchasing',
  location: 'Building 4\nFloor 2',
  timezone: 'America/Chicago',
  account_number: 'AC-77',
  external_id: 'crm:42',
  country: 'US',
  type: 'user',
  user_name: 'jdoe',
  employee_id: 'E-9',
  phone_numbers: [
    { number: '+1 651 555 0100', type: 'mobile', is_primary: true },
    { number: '(651) 555-0101', type: 'work', extension: '204' },
    { number: '+44 20 7946 0958', type: 'home', label: 'London flat' },
    { number: '651-555-0103', type: 'main' },
    { number: '651-555-0104', type: 'fax' },
    { number: '651-555-0105', type: 'pager' },
    { number: '651-555-0106', type: 'other' },
    { number: '651-555-0107', type: 'assistant' },
    { number: '651-555-0108', type: 'after hours', extension: '9' },
  ],
  emails: [
    { address: 'jane@acme.example', type: 'work' },
    { address: 'jane@home.example', type: 'home', is_primary: true },
    { address: 'jd@other.example', type: 'other' },
  ],
  messaging: [
    { channel: 'whatsapp', handle: '+16515550100' },
    { channel: 'wechat', handle: 'jane_doe' },
    { channel: 'telegram', handle: '@janedoe' },
    { channel: 'skype', handle: 'live:jane.doe' },
    { channel: 'kakao_talk', handle: 'jane doe' },
    // Characters a vCard text value escapes, and a URI's own escape character.
    { channel: 'line', handle: 'jd;line,x\\y 100%' },
  ],
  custom_fields: {
    customer_no: 'C-1,2;3',
    lifetime_value: 1234.5,
    is_vip: true,
    renewal_date: '2027-03-01',
    last_call_at: '2026-11-30T15:04:05.000Z',
    billing_email: 'billing@acme.example',
    backup_phone: '+16515550199',
    portal_url: 'https://portal.acme.example/x?a=1&b=2',
    balance: -20,
    discount: 12.5,
    tier: 'gold',
  },
  group_ids: ['g-vip', 'g-west'],
};

/** The stored contact a card gives back: read, groups by name, built by the core. */
function readBack(text: string, defineFields = false): { contact: Contact; extras: CardExtras; errors: unknown[] } {
  const parsed = parseVCard(text, { ...readCtx, defineFields });
  const ids = new Map([...GROUPS].map(([id, name]) => [name, id]));
  const group_ids = parsed.groupNames.map((n) => ids.get(n) ?? `new:${n}`);
  return { contact: storedContact({ ...parsed.input, group_ids }, EVERY_TYPE_FIELDS), extras: parsed.extras, errors: parsed.errors };
}

/** The stored state, phones without the text as typed: cards carry the E.164 form. */
function comparable(contact: Contact) {
  return {
    ...buildContactState({ ...contact, phone_numbers: contact.phone_numbers, address_book_id: 'book-1' }, { region: 'US', customFields: new Map(EVERY_TYPE_FIELDS.map((f) => [f.key, f])) }),
    phone_numbers: contact.phone_numbers.map(({ number: _, ...p }) => p),
  };
}

for (const version of ['3.0', '4.0'] as const) {
  test(`vCard ${version}: every modelled field survives a round trip`, () => {
    const original = storedContact(everything, EVERY_TYPE_FIELDS);
    const text = contactToVCard(original, ctx, version);
    const back = readBack(text);
    assert.deepEqual(back.errors, []);
    assert.deepEqual(comparable(back.contact), comparable(original));
    assert.deepEqual(back.extras, { uid: original.id, properties: [] });
  });
}

test('vCard lines are CRLF and folded at 75 octets, multi-byte characters kept whole', () => {
  const original = storedContact({ display_name: 'Zoë Ångström '.repeat(20).trim(), phone_numbers: [{ number: '+16515550100' }] }, []);
  const text = contactToVCard(original, ctx, '4.0');
  assert.ok(text.endsWith('END:VCARD\r\n'));
  for (const line of text.split('\r\n').slice(0, -1)) assert.ok(Buffer.byteLength(line) <= 75, line);
  assert.equal(readBack(text).contact.display_name, original.display_name);
});

test('PRODID is plain in both versions (no VALUE parameter)', () => {
  const original = storedContact({ first_name: 'Ann' }, []);
  for (const version of ['3.0', '4.0'] as const) assert.match(contactToVCard(original, ctx, version), /\r\nPRODID:-\/\/contactd\/\/vCard\/\/EN\r\n/, version);
});

test('the UID is the contact id, or the client\'s own UID when it sent one', () => {
  const original = storedContact({ first_name: 'Ann' }, []);
  assert.match(contactToVCard(original, ctx, '3.0'), new RegExp(`\r\nUID:${original.id}\r\n`));
  const own = contactToVCard(original, ctx, '3.0', { uid: 'ABC-123@phone', properties: [] });
  assert.match(own, /\r\nUID:ABC-123@phone\r\n/);
  assert.equal(parseVCard(own, readCtx).extras.uid, 'ABC-123@phone');
});

test('3.0 writes extensions as x123, 4.0 as ;ext= in a tel: URI', () => {
  const original = storedContact({ phone_numbers: [{ number: '+1 651 555 0101', type: 'work', extension: '204' }] }, []);
  assert.match(contactToVCard(original, ctx, '3.0'), /\r\nTEL;TYPE=work,pref:\+16515550101 x204\r\n/);
  assert.match(contactToVCard(original, ctx, '4.0'), /\r\nTEL;VALUE=uri;PREF=1;TYPE=work:tel:\+16515550101;ext=204\r\n/);
});

test('custom field keys become X-CONTACTD-<KEY> and are read back case-insensitively', () => {
  const fields = [customField('customer_no', 'string'), customField('score', 'number')];
  const original = storedContact({ custom_fields: { customer_no: 'C-9', score: 7 } }, fields);
  const text = contactToVCard(original, { groupNames: new Map(), customFields: fields }, '3.0');
  assert.match(text, /\r\nX-CONTACTD-CUSTOMER-NO;X-DATA-TYPE=string:C-9\r\n/);
  const lower = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nx-contactd-Customer_No:C-9\r\nX-CONTACTD-SCORE:7\r\nEND:VCARD\r\n';
  assert.deepEqual(parseVCard(lower, { customFields: fields, defaultRegion: 'US' }).input.custom_fields, { customer_no: 'C-9', score: 7 });
});

test('a custom field the account lacks is kept verbatim, or proposed for definition on import', () => {
  const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nX-CONTACTD-SHOE-SIZE;X-DATA-TYPE=number:44\r\nEND:VCARD\r\n';
  const kept = parseVCard(text, { customFields: [], defaultRegion: 'US' });
  assert.deepEqual(kept.extras.properties, ['X-CONTACTD-SHOE-SIZE;X-DATA-TYPE=number:44']);
  assert.equal(kept.input.custom_fields, undefined);
  const imported = parseVCard(text, { customFields: [], defaultRegion: 'US', defineFields: true });
  assert.deepEqual(imported.input.custom_fields, { shoe_size: 44 });
  assert.deepEqual(imported.fieldsToDefine, [{ key: 'shoe_size', data_type: 'number' }]);
  assert.deepEqual(imported.extras.properties, []);
});

test('a custom field whose key spells a contactd property stays a custom field', () => {
  const fields = [customField('external_id', 'string'), customField('type', 'string')];
  const original = storedContact({ external_id: 'crm-1', custom_fields: { external_id: 'legacy-7', type: 'reseller' } }, fields);
  const text = contactToVCard(original, { groupNames: new Map(), customFields: fields }, '4.0');
  const parsed = parseVCard(text, { customFields: fields, defaultRegion: 'US' });
  assert.equal(parsed.input.external_id, 'crm-1');
  assert.deepEqual(parsed.input.custom_fields, { external_id: 'legacy-7', type: 'reseller' });
  assert.equal(parsed.input.type, undefined);
});

test('a value that does not fit its field is reported, and the rest of the card is read', () => {
  const text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nTEL:not a number\r\nEMAIL:nope\r\nX-CONTACTD-LIFETIME-VALUE:lots\r\nTEL:+16515550100\r\nEND:VCARD\r\n';
  const parsed = parseVCard(text, readCtx);
  assert.deepEqual(parsed.errors.map((e) => [e.property, e.code]), [['TEL', 'invalid_phone'], ['EMAIL', 'invalid_email'], ['X-CONTACTD-LIFETIME-VALUE', 'invalid_value']]);
  assert.deepEqual(parsed.input.phone_numbers?.map((p) => p.number), ['+16515550100']);
  assert.equal(parsed.input.display_name, 'Ann');
});

test('text without a card is a malformed record', () => {
  assert.deepEqual(parseVCard('hello', readCtx).errors.map((e) => e.code), ['malformed_record']);
});

test('jCard is the vCard 4.0 data model (RFC 7095)', () => {
  const original = storedContact(everything, EVERY_TYPE_FIELDS);
  const jcard = contactToJCard(original, ctx) as [string, [string, Record<string, unknown>, string, ...unknown[]][]];
  assert.equal(jcard[0], 'vcard');
  const props = jcard[1];
  assert.deepEqual(props[0], ['version', {}, 'text', '4.0']);
  assert.deepEqual(props.find((p) => p[0] === 'n'), ['n', {}, 'text', ['Doe; Smith', 'Jane', '', 'Dr.', '']]);
  assert.deepEqual(props.find((p) => p[0] === 'tel' && p[3] === 'tel:+16515550101;ext=204'), ['tel', { type: 'work' }, 'uri', 'tel:+16515550101;ext=204']);
  assert.deepEqual(props.find((p) => p[0] === 'categories'), ['categories', {}, 'text', 'VIP', 'West, Region']);
});

test('extras that would repeat a generated property, or are not one content line, are not written', () => {
  const fields = [customField('score', 'number')];
  const original = storedContact({ first_name: 'Ann', phone_numbers: [{ number: '+16515550100' }], custom_fields: { score: 3 } }, fields);
  const extras = {
    uid: null,
    properties: [
      'FN:Someone else', 'TEL:+16515550199', 'UID:other', 'VERSION:2.1', 'END:VCARD', 'X-CONTACTD-SCORE;X-DATA-TYPE=number:9',
      'X-CONTACTD-EXTERNAL-ID:stale', 'NOTE:line one\r\nFN:injected', 'no colon here', 'NOTE:kept', 'X-CONTACTD-SHOE-SIZE;X-DATA-TYPE=number:44',
    ],
  };
  const text = contactToVCard(original, { groupNames: new Map(), customFields: fields }, '3.0', extras);
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
  assert.deepEqual(lines.filter((l) => /^(FN|TEL|UID|VERSION|END|X-CONTACTD-SCORE|X-CONTACTD-EXTERNAL-ID|NOTE|X-CONTACTD-SHOE-SIZE)[:;]/.test(l)), [
    'VERSION:3.0', `UID:${original.id}`, 'FN:Ann', 'TEL;TYPE=other,pref:+16515550100', 'X-CONTACTD-SCORE;X-DATA-TYPE=number:3', 'NOTE:kept', 'X-CONTACTD-SHOE-SIZE;X-DATA-TYPE=number:44', 'END:VCARD',
  ]);
});
