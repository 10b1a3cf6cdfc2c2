import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { countImportRows, planImport, previewImport } from '../../src/core/imports/import-reader.ts';
import { contextOf, errorsOf, optionsOf, rowsOf, sourceOf } from './readers.support.ts';

/** The CardDAV codec's vendor fixtures (test/fixtures/vcard): the import reads the same files. */
const card = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/vcard/${name}`, import.meta.url)));

describe('vCard reader', () => {
  test('the plan: properties seen as columns, with what they feed and their samples', async () => {
    const plan = await planImport(sourceOf(card('google-contacts-3.0.vcf')), 'text/vcard', optionsOf(), contextOf());
    assert.deepEqual([plan.format, plan.encoding, plan.delimiter], ['vcard', 'utf-8', null]);
    const byName = Object.fromEntries(plan.columns.map((c) => [c.column, c]));
    assert.deepEqual(byName.TEL, { column: 'TEL', target: 'phone_numbers', source: 'native', samples: ['+1 651-555-0100', '(651) 555-0101 ext. 204', '+1 651 555 0102'] });
    assert.equal(byName.N?.target, 'last_name, first_name, salutation');
    assert.equal(byName.CATEGORIES?.target, 'groups');
    assert.deepEqual(byName.NOTE, { column: 'NOTE', target: null, source: 'none', samples: ['Prefers email, not calls.'] });
    assert.equal(byName.VERSION, undefined);
  });

  test('Google 3.0: each card a row numbered by its ordinal, raw = the card, system groups dropped', async () => {
    const source = sourceOf(card('google-contacts-3.0.vcf'), 13);
    const plan = await planImport(source, undefined, optionsOf(), contextOf());
    const rows = await rowsOf(source, plan, optionsOf(), contextOf());
    assert.deepEqual(rows.map((r) => r.row), [1, 2]);
    assert.equal(await countImportRows(source, plan), 2);
    assert.equal(rows[0]!.input?.display_name, 'Jane Doe');
    assert.deepEqual(rows[0]!.input?.group_names, ['Customers']);
    assert.equal(rows[1]!.input?.group_names, undefined, 'myContacts is Google\'s, not a group of the user');
    assert.deepEqual(rows[0]!.input?.phone_numbers?.map((p) => [p.number, p.type, p.label, p.extension]), [
      ['+1 651-555-0100', 'mobile', null, null],
      ['(651) 555-0101', 'other', 'Front desk', '204'],
      ['+1 651 555 0102', 'main', null, null],
    ]);
    assert.match(rows[1]!.raw as string, /^BEGIN:VCARD\r\n[\s\S]*FN:Bob Stone[\s\S]*END:VCARD\r\n$/);
    assert.ok(rows.every((r) => r.errors.length === 0));
  });

  test('4.0: contactd properties give fields; a pick list the account lacks is defined as text', async () => {
    const source = sourceOf(card('vcard-4.0.vcf'));
    const plan = await planImport(source, 'text/vcard', optionsOf(), contextOf());
    assert.deepEqual(plan.fieldsToDefine, [{ key: 'tier', data_type: 'string' }]);
    assert.equal(plan.columns.find((c) => c.column === 'X-CONTACTD-EXTERNAL-ID')?.target, 'external_id');
    assert.equal(plan.columns.find((c) => c.column === 'X-CONTACTD-TIER')?.target, 'custom_fields.tier');
    const [row] = await rowsOf(source, plan, optionsOf(), contextOf());
    assert.equal(row!.input?.external_id, 'crm-981');
    assert.deepEqual(row!.input?.custom_fields, { tier: 'gold' });
    assert.deepEqual(row!.input?.group_names, ['Partners', 'VIP']);
    assert.equal(row!.columnOf('custom_fields.tier'), 'X-CONTACTD-TIER');
    assert.equal(row!.columnOf('phone_numbers[2].number'), 'TEL');
  });

  test('Apple 3.0 and Outlook 2.1 read to contacts without errors', async () => {
    for (const name of ['apple-contacts-3.0.vcf', 'outlook-2.1.vcf']) {
      const preview = await previewImport(sourceOf(card(name)), 'text/x-vcard', optionsOf(), contextOf());
      assert.equal(preview.rows.length, 1, name);
      assert.deepEqual(preview.rows[0]!.errors, [], name);
    }
    const outlook = await previewImport(sourceOf(card('outlook-2.1.vcf')), undefined, optionsOf(), contextOf());
    assert.deepEqual(outlook.columns.find((c) => c.column === 'FN')?.samples, ['Jörg Müller'], 'samples are decoded (quoted-printable)');
  });

  test('bad cards: a number that is not one, an empty card, a card without END; a property mapped to null is not read', async () => {
    const text = [
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nTEL:call me\r\nEMAIL:ann@example.com\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut short\r\n',
    ].join('\r\n');
    const plan = await planImport(sourceOf(text), 'text/vcard', optionsOf(), contextOf());
    const rows = await rowsOf(sourceOf(text), plan, optionsOf(), contextOf());
    assert.deepEqual(rows.map((r) => [r.row, errorsOf(r)]), [[1, ['TEL invalid_phone']], [2, ['null empty_row']], [3, ['null malformed_record']]]);
    const options = optionsOf({ mapping: { TEL: null } });
    const ignoring = await planImport(sourceOf(text), 'text/vcard', options, contextOf());
    assert.deepEqual(ignoring.columns.find((c) => c.column === 'TEL'), { column: 'TEL', target: null, source: 'mapping', samples: ['call me'] });
    const [ann] = await rowsOf(sourceOf(text), ignoring, options, contextOf());
    assert.deepEqual([ann!.input?.phone_numbers, ann!.errors], [undefined, []]);
    const refused = await planImport(sourceOf(text), 'text/vcard', optionsOf({ mapping: { NOTE: 'phone_numbers', BDAY: 'nickname' } }), contextOf()).catch((e: Error) => e);
    assert.match(String(refused), /mapping\.NOTE: a vCard property can go to a text field or a custom field/);
    assert.match(String(refused), /mapping\.BDAY/);
  });

  test('a property mapped to a text or custom field is written there, typed, and a new field is defined', async () => {
    const options = optionsOf({ mapping: { NOTE: 'custom_fields.notes', BDAY: 'custom_fields.birthday', NICKNAME: 'display_name', ORG: 'account_number' } });
    const source = sourceOf(card('google-contacts-3.0.vcf'));
    const plan = await planImport(source, 'text/vcard', options, contextOf());
    assert.deepEqual(plan.fieldsToDefine, [{ key: 'notes', data_type: 'string' }, { key: 'birthday', data_type: 'date' }]);
    assert.deepEqual(plan.columns.find((c) => c.column === 'NOTE'), { column: 'NOTE', target: 'custom_fields.notes', source: 'mapping', samples: ['Prefers email, not calls.'] });
    const [jane, bob] = await rowsOf(source, plan, options, contextOf());
    assert.deepEqual(jane!.input?.custom_fields, { notes: 'Prefers email, not calls.', birthday: '1985-04-12' });
    assert.equal(jane!.input?.account_number, 'Acme Corp');
    assert.equal(jane!.input?.company, undefined, 'a mapped property is not also read by the codec');
    assert.equal(jane!.columnOf('custom_fields.birthday'), 'BDAY');
    assert.equal(bob!.input?.custom_fields, undefined);
    const typed = contextOf([['birthday', 'number']]);
    const [refused] = await rowsOf(source, await planImport(source, 'text/vcard', options, typed), options, typed);
    assert.deepEqual(errorsOf(refused), ['BDAY invalid_value']);
  });
});
