import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contactToJCard, contactToVCard, parseVCard } from '../../src/formats/vcard/index.ts';
import { customField, cardsOf, fixture, storedContact } from './vcard-support.ts';

const readCtx = { customFields: [customField('tier', 'pick_list', ['gold', 'silver'])], defaultRegion: 'US' };
const phonesOf = (input: ReturnType<typeof parseVCard>['input']) =>
  (input.phone_numbers ?? []).map((p) => [p.number, p.type, p.label ?? null, p.extension ?? null, p.is_primary === true]);

test('Google Contacts 3.0: item1.TEL with its X-ABLabel, INTERNET emails, CATEGORIES', () => {
  const [jane, bob] = cardsOf(fixture('google-contacts-3.0.vcf')).map((c) => parseVCard(c, readCtx));
  assert.deepEqual(jane!.errors, []);
  assert.equal(jane!.input.display_name, 'Jane Doe');
  assert.equal(jane!.input.first_name, 'Jane');
  assert.equal(jane!.input.last_name, 'Doe');
  assert.equal(jane!.input.company, 'Acme Corp');
  assert.equal(jane!.input.role, 'Buyer');
  assert.deepEqual(phonesOf(jane!.input), [
    ['+1 651-555-0100', 'mobile', null, null, false],
    ['(651) 555-0101', 'other', 'Front desk', '204', false],
    ['+1 651 555 0102', 'main', null, null, false],
  ]);
  assert.deepEqual(jane!.input.emails, [
    { address: 'jane.doe@example.com', type: 'work', is_primary: undefined },
    { address: 'jane@home.example', type: 'home', is_primary: undefined },
  ]);
  assert.deepEqual(jane!.groupNames, ['Customers'], 'Google\'s "myContacts" marks every contact: no group');
  assert.deepEqual(jane!.extras.properties, [
    'ADR;TYPE=HOME:;;1 Main St;Springfield;MN;55001;US',
    'BDAY:1985-04-12',
    'item3.URL:https://acme.example',
    'NOTE:Prefers email\\, not calls.',
    'item3.X-ABLabel:_$!<HomePage>!$_',
  ]);
  // An email in an item takes its label as its type.
  assert.deepEqual(bob!.input.emails, [{ address: 'bob@stone.example', type: 'wholesale', is_primary: undefined }]);
  assert.deepEqual(phonesOf(bob!.input), [['651-555-0110', 'work', null, null, false]]);
});

test('Apple Contacts 3.0: TYPE=CELL,VOICE,pref, X-ABUID, Apple labels, IMPP services, a folded base64 PHOTO', () => {
  const card = parseVCard(fixture('apple-contacts-3.0.vcf'), readCtx);
  assert.deepEqual(card.errors, []);
  assert.equal(card.input.first_name, 'Anh');
  assert.equal(card.input.last_name, 'Nguyen');
  assert.equal(card.input.salutation, 'Dr.');
  assert.equal(card.input.company, 'Globex');
  assert.deepEqual(phonesOf(card.input), [
    ['+1 (612) 555-0120', 'mobile', null, null, true],
    ['612-555-0121', 'work', null, '88', false],
    ['612-555-0122', 'fax', null, null, false],
    ['+44 20 7946 0958', 'other', null, null, false],
  ]);
  assert.deepEqual(card.input.emails, [{ address: 'anh.nguyen@globex.example', type: 'work', is_primary: true }]);
  assert.deepEqual(card.input.messaging, [
    { channel: 'skype', handle: 'anh.nguyen' },
    { channel: 'whatsapp', handle: '+16125550120' },
    { channel: 'twitter', handle: 'anhn' },
  ]);
  const names = card.extras.properties.map((p) => p.split(/[;:]/)[0]);
  assert.deepEqual(names, ['N', 'NICKNAME', 'ORG', 'item2.ADR', 'item2.X-ABADR', 'IMPP', 'IMPP', 'X-SOCIALPROFILE', 'BDAY', 'X-ABUID', 'PHOTO']);
  const photo = card.extras.properties.find((p) => p.startsWith('PHOTO'))!;
  assert.ok(!/\s/.test(photo.slice(photo.indexOf(':'))), 'the photo is unfolded whole');
  assert.equal(Buffer.from(photo.slice(photo.indexOf(':') + 1), 'base64').length, 600);
});

test('Apple 3.0 comes back as it was saved: middle name, org unit, Apple\'s IMPP and X-SOCIALPROFILE, photo', () => {
  const text = fixture('apple-contacts-3.0.vcf');
  const card = parseVCard(text, readCtx);
  const contact = storedContact(card.input, []);
  const written = contactToVCard(contact, { groupNames: new Map(), customFields: [] }, '3.0', card.extras);
  const originalLines = unfold(text);
  const writtenLines = new Set(unfold(written));
  for (const line of originalLines) {
    if (/^(PRODID|VERSION|FN|TEL|EMAIL|TITLE|item1\.)/.test(line)) continue; // written in contactd's own spelling
    assert.ok(writtenLines.has(line), `kept: ${line.slice(0, 60)}`);
  }
  // Not twice: the client's N, ORG and IMPP stand for the generated ones.
  assert.equal([...unfold(written)].filter((l) => l.startsWith('N:')).length, 1);
  assert.equal([...unfold(written)].filter((l) => l.startsWith('IMPP')).length, 2);
  // Once the value changes elsewhere, the stale line gives way to the new value.
  const renamed = contactToVCard({ ...contact, first_name: 'Binh', company: 'Initech' }, { groupNames: new Map(), customFields: [] }, '3.0', card.extras);
  assert.ok(unfold(renamed).includes('N:Nguyen;Binh;;Dr.;'));
  assert.ok(unfold(renamed).includes('ORG:Initech'));
});

test('Outlook 2.1: bare parameters, quoted-printable in UTF-8, x-extensions', () => {
  const card = parseVCard(fixture('outlook-2.1.vcf'), readCtx);
  assert.deepEqual(card.errors, []);
  assert.equal(card.input.first_name, 'Jörg');
  assert.equal(card.input.last_name, 'Müller');
  assert.equal(card.input.display_name, 'Jörg Müller');
  assert.deepEqual(phonesOf(card.input), [
    ['+49 170 1234567', 'mobile', null, null, false],
    ['(651) 555-0130', 'work', null, '12', false],
    ['+1 651 555 0131', 'fax', null, null, false],
  ]);
  assert.deepEqual(card.input.emails, [{ address: 'joerg.mueller@initech.example', type: 'other', is_primary: true }]);
  // Kept as 3.0 writes it, so that the cards written back are valid 3.0.
  assert.deepEqual(card.extras.properties, ['NOTE:Call after 3pm\\nAsk for Jörg', 'X-MS-OL-DEFAULT-POSTAL-ADDRESS:0']);
});

test('vCard 4.0: tel: URIs with ;ext=, quoted TYPE lists, PREF=1, IMPP schemes, contactd properties', () => {
  const card = parseVCard(fixture('vcard-4.0.vcf'), readCtx);
  assert.deepEqual(card.errors, []);
  assert.equal(card.extras.uid, 'urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1');
  assert.equal(card.input.salutation, 'Ms.');
  assert.deepEqual(phonesOf(card.input), [
    ['+1-651-555-0140', 'mobile', null, '12', false],
    ['+1-651-555-0141', 'work', null, null, true],
    ['+16515550142', 'pager', null, null, false],
  ]);
  assert.deepEqual(card.input.messaging, [{ channel: 'xmpp', handle: 'carla@chat.example' }, { channel: 'whatsapp', handle: '+16515550140' }]);
  assert.equal(card.input.external_id, 'crm-981');
  assert.deepEqual(card.input.custom_fields, { tier: 'gold' });
  assert.deepEqual(card.groupNames, ['Partners', 'VIP']);
  assert.deepEqual(card.extras.properties, ['KIND:individual', 'IMPP;PREF=1:xmpp:carla@chat.example', 'LANG;PREF=1:es', 'GENDER:F']);
});

test('a PHOTO over 1 MB is refused with too_large; the rest of the card is read', () => {
  const photo = `PHOTO;ENCODING=b;TYPE=JPEG:${'A'.repeat(1_500_000)}`;
  const card = parseVCard(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big\r\n${photo}\r\nEND:VCARD\r\n`, readCtx);
  assert.deepEqual(card.errors.map((e) => [e.property, e.code]), [['PHOTO', 'too_large']]);
  assert.equal(card.input.display_name, 'Big');
  assert.deepEqual(card.extras.properties, []);
});

function unfold(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l !== '');
}

test('a photo kept from a 3.0 client is a data URI in 4.0 and jCard, and back again in 3.0', () => {
  const card = parseVCard(fixture('apple-contacts-3.0.vcf'), readCtx);
  const contact = storedContact(card.input, []);
  const ctx = { groupNames: new Map(), customFields: [] };
  const base64 = card.extras.properties.find((p) => p.startsWith('PHOTO'))!.split(':')[1]!;
  const v4 = contactToVCard(contact, ctx, '4.0', card.extras);
  assert.ok(unfold(v4).includes(`PHOTO:data:image/jpeg;base64,${base64}`));
  const jcard = contactToJCard(contact, ctx, card.extras) as [string, unknown[][]];
  assert.deepEqual(jcard[1].find((p) => p[0] === 'photo'), ['photo', {}, 'uri', `data:image/jpeg;base64,${base64}`]);
  const from4 = parseVCard(v4, readCtx);
  assert.ok(unfold(contactToVCard(contact, ctx, '3.0', from4.extras)).includes(`PHOTO;ENCODING=b;TYPE=JPEG:${base64}`));
});
