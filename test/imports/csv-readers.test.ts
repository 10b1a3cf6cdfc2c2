import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countImportRows, planImport, previewImport } from '../../src/core/imports/import-reader.ts';
import { CONTACT_TEXT_FIELDS } from '../../src/core/types.ts';
import { contextOf, errorsOf, fixture, optionsOf, rowsOf, sourceOf } from './readers.support.ts';

describe('CSV readers', () => {
  test('Google Contacts: the proposed mapping and its samples', async () => {
    const plan = await planImport(sourceOf(fixture('google-contacts.csv')), 'text/csv', optionsOf(), contextOf());
    const target = (column: string) => plan.columns.find((c) => c.column === column);
    assert.deepEqual(target('First Name'), { column: 'First Name', target: 'first_name', source: 'header', samples: ['Jane', 'Bob', 'Carla'] });
    assert.equal(target('Organization Name')?.target, 'company');
    assert.equal(target('Labels')?.target, 'groups');
    assert.equal(target('Phone 1 - Label')?.target, 'phone_numbers[1].type');
    assert.equal(target('Phone 1 - Value')?.target, 'phone_numbers[1]');
    assert.equal(target('E-mail 2 - Value')?.target, 'emails[2]');
    assert.deepEqual(target('Notes'), { column: 'Notes', target: null, source: 'none', samples: ['Prefers email.\nCall after 5pm.', 'Met at the trade fair.\nWants a callback\nabout pricing.'] });
    assert.equal(target('Birthday')?.target, null);
    assert.deepEqual(plan.fieldsToDefine, []);
  });

  test('Google Contacts: rows as stored, numbered as a spreadsheet shows them, with their errors', async () => {
    const bytes = fixture('google-contacts.csv');
    const plan = await planImport(sourceOf(bytes), 'text/csv', optionsOf(), contextOf());
    const rows = await rowsOf(sourceOf(bytes), plan, optionsOf(), contextOf());
    // Row 2 spans two lines of the file (a Notes cell with a line break), row 4 three; row 7 is blank.
    assert.deepEqual(rows.map((r) => r.row), [2, 3, 4, 5, 6, 8, 9]);
    assert.equal(await countImportRows(sourceOf(bytes), plan), 7);
    const [jane, bob, carla, ravi, initech, ming, ulrich] = rows;
    assert.deepEqual(jane!.input, {
      first_name: 'Jane', last_name: 'Doe', company: 'Acme Corp', role: 'Support Lead', location: '100 Main St\nSaint Paul, MN 55101',
      group_names: ['VIP'],
      phone_numbers: [{ number: '+1 651-555-0101', type: 'mobile' }, { number: '+1 651-555-0102', type: 'mobile' }, { number: '(651) 555-0110', type: 'work' }],
      emails: [{ address: 'jane.doe@acme.example', type: 'work' }, { address: 'jane@home.example', type: 'home' }],
    });
    assert.equal(jane!.columnOf('phone_numbers[1].number'), 'Phone 1 - Value');
    assert.equal(jane!.columnOf('phone_numbers[2].e164'), 'Phone 2 - Value');
    assert.equal(jane!.columnOf('emails[1].type'), 'E-mail 2 - Label');
    assert.equal(jane!.columnOf('group_names'), 'Labels');
    assert.equal(jane!.columnOf('salutation'), null);
    assert.equal((jane!.raw as string[]).length, 29);
    assert.deepEqual(bob!.input, { first_name: 'Bob', last_name: 'Smith', phone_numbers: [{ number: '612 555 0123', type: 'home' }] }, 'system groups (* myContacts) are dropped');
    assert.deepEqual(carla!.input?.phone_numbers, [{ number: '+1 651 555 0177', type: 'fax' }]);
    assert.deepEqual(carla!.input?.group_names, ['Suppliers', 'VIP']);
    assert.deepEqual(errorsOf(ravi), ['Phone 1 - Value invalid_phone']);
    assert.match(ravi!.errors[0]!.message, /"call me maybe" is not a phone number/);
    assert.equal(ravi!.errors[0]!.row, 5);
    assert.deepEqual(initech!.input, { company: 'Initech', phone_numbers: [{ number: '+1 612 555 0199', type: 'main' }] });
    assert.deepEqual(errorsOf(ming), ['E-mail 1 - Value invalid_email']);
    assert.deepEqual(ulrich!.input?.phone_numbers, [
      { number: '+1 651 555 0144', type: 'other', label: 'Google Voice' },
      { number: '+1 651 555 0145', type: 'home', extension: '12' },
    ]);
    for (const row of [jane, bob, carla, initech, ulrich]) assert.deepEqual(row!.errors, [], `row ${row!.row}`);
  });

  test("Google's older layout: Given Name, Phone 1 - Type, Group Membership, Organization 1 - Name", async () => {
    const csv = 'Name,Given Name,Additional Name,Family Name,Name Prefix,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Organization 1 - Title\n'
      + 'Dr. Ada Lovelace,Ada,,Lovelace,Dr.,* myContacts ::: Friends,* Home,ada@example.com,* Mobile,+44 20 7946 0000 ::: +44 20 7946 0001,Analytical Engines,Analyst\n';
    const plan = await planImport(sourceOf(csv), 'text/csv', optionsOf(), contextOf());
    assert.equal(plan.columns.find((c) => c.column === 'Additional Name')?.target, null);
    const [ada] = await rowsOf(sourceOf(csv), plan, optionsOf(), contextOf());
    assert.deepEqual(ada!.input, {
      display_name: 'Dr. Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', salutation: 'Dr.', company: 'Analytical Engines', role: 'Analyst',
      group_names: ['Friends'],
      phone_numbers: [{ number: '+44 20 7946 0000', type: 'mobile' }, { number: '+44 20 7946 0001', type: 'mobile' }],
      emails: [{ address: 'ada@example.com', type: 'home' }],
    });
  });

  test('the Google file in UTF-16 LE (as Excel saves "Unicode text") reads to the same rows', async () => {
    const utf8 = fixture('google-contacts.csv');
    const utf16 = Buffer.from(`\ufeff${utf8.toString('utf8')}`, 'utf16le');
    const read = async (bytes: Buffer) => {
      const plan = await planImport(sourceOf(bytes), undefined, optionsOf(), contextOf());
      return { encoding: plan.encoding, rows: (await rowsOf(sourceOf(bytes), plan, optionsOf(), contextOf())).map((r) => [r.row, r.input, r.errors]) };
    };
    const [a, b] = [await read(utf8), await read(utf16)];
    assert.equal(b.encoding, 'utf-16le');
    assert.equal(b.rows.length, 7);
    assert.deepEqual(b.rows, a.rows);
  });

  test('Outlook: fixed phone types by column, extensions, several emails, ;-separated categories', async () => {
    const bytes = fixture('outlook.csv');
    const plan = await planImport(sourceOf(bytes), undefined, optionsOf(), contextOf());
    assert.equal(plan.columns.find((c) => c.column === 'Mobile Phone')?.target, 'phone_numbers[type=mobile]');
    assert.equal(plan.columns.find((c) => c.column === 'Categories')?.target, 'groups[split=;]');
    const rows = await rowsOf(sourceOf(bytes), plan, optionsOf(), contextOf());
    assert.deepEqual(rows.map((r) => r.row), [2, 3, 4, 5]);
    assert.deepEqual(rows[0]!.input, {
      first_name: 'Anna', last_name: 'Svensson', salutation: 'Ms.', company: 'Northwind Traders', role: 'Account Manager', group_names: ['Customers', 'VIP'],
      phone_numbers: [
        { number: '+1 (425) 555-0100', type: 'work', extension: '204' },
        { number: '+1 (425) 555-0109', type: 'fax' },
        { number: '(425) 555-0133', type: 'mobile' },
        { number: '+1 (425) 555-0100', type: 'main' },
      ],
      emails: [{ address: 'anna@northwind.example' }, { address: 'a.svensson@mail.example' }],
    });
    assert.deepEqual(rows[1]!.input?.phone_numbers, [{ number: '425.555.0150', type: 'home' }, { number: '425.555.0151', type: 'home' }]);
    assert.deepEqual(rows[3]!.input?.phone_numbers, [{ number: '+47 912 34 567', type: 'mobile' }]);
    assert.ok(rows.every((r) => r.errors.length === 0));
  });

  test("European Excel with the caller's mapping: national numbers in the default region, decimal commas, typed custom values", async () => {
    const bytes = fixture('european-excel.csv');
    const mapping = {
      Vorname: 'first_name', Nachname: 'last_name', Firma: 'company', Mobil: 'phone_numbers[type=mobile]', 'E-Mail': 'emails[type=work]',
      Kundennummer: 'custom_fields.customer_no', Umsatz: 'custom_fields.revenue', Newsletter: 'custom_fields.newsletter',
    };
    const options = optionsOf({ mapping, default_region: 'DE' });
    const ctx = contextOf([['revenue', 'currency'], ['newsletter', 'boolean']]);
    const plan = await planImport(sourceOf(bytes), 'text/csv', options, ctx);
    assert.ok(plan.columns.every((c) => c.source === 'mapping'));
    // Customer numbers with leading zeros stay text: as numbers they would lose digits.
    assert.deepEqual(plan.fieldsToDefine, [{ key: 'customer_no', data_type: 'string' }]);
    const rows = await rowsOf(sourceOf(bytes), plan, options, ctx);
    assert.deepEqual(rows[0]!.input, {
      first_name: 'Jürgen', last_name: 'Müller', company: 'Müller; Söhne GmbH',
      custom_fields: { customer_no: '00123', revenue: 1234.5, newsletter: true },
      phone_numbers: [{ number: '0171 2345678', type: 'mobile' }], emails: [{ address: 'j.mueller@example.de', type: 'work' }],
    });
    assert.deepEqual(rows[1]!.input?.custom_fields, { customer_no: '00124', revenue: 99.9, newsletter: false });
    assert.deepEqual(errorsOf(rows[2]), ['Umsatz invalid_value', 'Mobil invalid_phone']);
    assert.match(rows[2]!.errors[0]!.message, /"abc" is not a number/);
  });

  test('the preview: the plan and the first 20 rows with their errors', async () => {
    const header = 'Name,Mobile Phone,custom_fields.score\n';
    const body = Array.from({ length: 30 }, (_, i) => `Person ${i},${i === 3 ? 'nope' : `+1 651 555 ${String(1000 + i)}`},${i}\n`).join('');
    const preview = await previewImport(sourceOf(header + body), 'text/csv', optionsOf(), contextOf());
    assert.deepEqual([preview.format, preview.encoding, preview.delimiter], ['csv', 'utf-8', ',']);
    assert.deepEqual(preview.fields_to_define, [{ key: 'score', data_type: 'number' }]);
    assert.deepEqual(preview.columns[2], { column: 'custom_fields.score', target: 'custom_fields.score', source: 'native', samples: ['0', '1', '2'] });
    assert.equal(preview.rows.length, 20);
    // As the store would hold it: the number read to E.164 and made primary, the score typed by the field the import defines.
    const first = preview.rows[0]!;
    assert.deepEqual([first.row, first.errors], [2, []]);
    assert.deepEqual(first.contact, {
      ...Object.fromEntries(CONTACT_TEXT_FIELDS.map((f) => [f, null])), display_name: 'Person 0', type: 'custom', emails: [], messaging: [], custom_fields: { score: 0 },
      phone_numbers: [{ number: '+1 651 555 1000', e164: '+16515551000', type: 'mobile', label: null, extension: null, is_primary: true }],
    });
    assert.deepEqual(preview.rows[3]!.errors.map((e) => [e.row, e.column, e.code]), [[5, 'Mobile Phone', 'invalid_phone']]);
  });

  test('a reader that stops early (the plan, the preview) closes the stored file', async () => {
    const text = `Name\n${'Someone\n'.repeat(50_000)}`;
    let opened = 0;
    let closed = 0;
    const tracked = async function* () {
      opened++;
      try {
        yield* sourceOf(text, 4096)();
      } finally {
        closed++;
      }
    };
    const preview = await previewImport(tracked, 'text/csv', optionsOf(), contextOf());
    assert.equal(preview.rows.length, 20);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(opened >= 2);
    assert.equal(closed, opened, 'every read of the file was closed');
  });

  test('rows that cannot be read: too many cells, a quote left open, a row that maps to nothing', async () => {
    const text = 'Name,Company,Notes\nJane,Acme\nBob,Globex,hi,extra\n,,only a note\n"Open,quote\n';
    const plan = await planImport(sourceOf(text), 'text/csv', optionsOf(), contextOf());
    const rows = await rowsOf(sourceOf(text), plan, optionsOf(), contextOf());
    assert.deepEqual(rows.map((r) => [r.row, errorsOf(r)]), [
      [2, []],
      [3, ['null malformed_record']],
      [4, ['null empty_row']],
      [5, ['null malformed_record']],
    ]);
    assert.equal(await countImportRows(sourceOf(text), plan), 4);
  });
});
