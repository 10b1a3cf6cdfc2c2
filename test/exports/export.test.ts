/**
 * GET /v1/contacts/export through HTTP on every engine: each format's headers and content, the
 * list filters, what is left out (merged, deleted, other accounts), scopes and bad input.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertNamesField, assertProblem, token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { parseVCard } from '../../src/formats/vcard/index.ts';
import { FIELD_VALUES, defineAccountData, exportFile, parseCsv, parseNdjson, richContact } from './support.ts';

const TEXT_FIELDS = ['display_name', 'first_name', 'last_name', 'salutation', 'company', 'role', 'location', 'timezone', 'account_number', 'country', 'user_name', 'employee_id'];

for (const engine of engines) {
  describe(`contact export on ${engine.name}`, () => {
    let api: TestApi;
    let groups: { id: string; name: string }[];
    let rich: any;
    let plain: any;
    before(async () => {
      api = await startApi(engine);
      ({ groups } = await defineAccountData(api));
      rich = await api.createContact(richContact(groups.map((g) => g.id)));
      plain = await api.createContact({ first_name: 'Plain', phone_numbers: [{ number: uniquePhone() }] });
    });
    after(() => api.close());

    const exportOf = (query: string, key?: string | null) => exportFile(api, query, key);

    test('CSV: the native layout, one numbered column set per phone, email and handle of the longest lists', async () => {
      const res = await exportOf('format=csv');
      assert.equal(res.status, 200, res.raw.body);
      assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
      assert.match(String(res.headers['content-disposition']), /^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
      const { header, rows } = parseCsv(res.raw.body);
      const phoneColumns = [1, 2, 3].flatMap((n) => [`phone_${n}`, `phone_${n}_type`, `phone_${n}_label`, `phone_${n}_extension`]);
      const emailColumns = [1, 2].flatMap((n) => [`email_${n}`, `email_${n}_type`]);
      const messagingColumns = [1, 2].flatMap((n) => [`messaging_${n}_channel`, `messaging_${n}_handle`]);
      const fieldColumns = Object.keys(FIELD_VALUES).map((k) => `custom_fields.${k}`);
      assert.deepEqual(header, ['id', 'external_id', 'type', ...TEXT_FIELDS, ...phoneColumns, ...emailColumns, ...messagingColumns, 'groups', ...fieldColumns, 'address_book', 'created_at', 'updated_at']);
      assert.deepEqual(rows.map((r) => r.id), [rich.id, plain.id]);

      const row = rows[0]!;
      assert.equal(row.external_id, rich.external_id);
      assert.equal(row.type, 'custom');
      for (const field of TEXT_FIELDS) assert.equal(row[field], rich[field] ?? '', field);
      rich.phone_numbers.forEach((p: any, i: number) => {
        assert.equal(row[`phone_${i + 1}`], p.e164);
        assert.equal(row[`phone_${i + 1}_type`], p.type);
        assert.equal(row[`phone_${i + 1}_label`], p.label ?? '');
        assert.equal(row[`phone_${i + 1}_extension`], p.extension ?? '');
      });
      assert.equal(row.phone_2_extension, '4711');
      assert.equal(row.phone_2_label, 'Front desk');
      assert.deepEqual([row.email_1, row.email_1_type, row.email_2_type], [rich.emails[0].address, 'work', 'home']);
      assert.deepEqual([row.messaging_1_channel, row.messaging_1_handle, row.messaging_2_handle], ['whatsapp', '+33612345678', "'@zoe_ob"], 'a handle starting with @ is guarded as a formula would be');
      assert.equal(row.groups, groups.map((g) => g.name).join(' ::: '));
      assert.deepEqual(
        Object.fromEntries(Object.keys(FIELD_VALUES).map((k) => [k, row[`custom_fields.${k}`]])),
        {
          cf_string: 'Gold, "VIP"\nsince 2019', cf_number: '1234.5', cf_boolean: 'false', cf_date: '2026-03-14', cf_datetime: '2026-03-14T09:26:53.000Z',
          cf_email: 'billing@example.com', cf_phone: '+442071234567', cf_url: 'https://crm.example.com/c/42', cf_currency: '99.99', cf_percent: '12.5', cf_pick_list: 'silver',
        },
      );
      assert.equal(row.address_book, 'Default');
      assert.deepEqual([row.created_at, row.updated_at], [rich.created_at, rich.updated_at]);

      const second = rows[1]!;
      assert.equal(second.phone_1, plain.phone_numbers[0].e164);
      for (const column of ['phone_2', 'phone_3_extension', 'email_1', 'messaging_1_channel', 'groups', 'custom_fields.cf_boolean', 'external_id']) assert.equal(second[column], '', column);
    });

    test('CSV: the primary phone and email come first (a CSV has no column to mark them)', async () => {
      const word = token();
      const [first, primary] = [uniquePhone(), uniquePhone()];
      const contact = await api.createContact({ first_name: word, phone_numbers: [{ number: first, type: 'home' }, { number: primary, type: 'mobile', is_primary: true }], emails: [{ address: `a.${word}@example.com` }, { address: `b.${word}@example.com`, is_primary: true }] });
      const [row] = parseCsv((await exportOf(`format=csv&q=${word}`)).raw.body).rows;
      assert.deepEqual([row!.phone_1, row!.phone_1_type, row!.phone_2, row!.phone_2_type], [primary, 'mobile', first, 'home']);
      assert.deepEqual([row!.email_1, row!.email_2], [`b.${word}@example.com`, `a.${word}@example.com`]);
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}?purge=true`)).status, 204);
    });

    test('CSV: a cell a spreadsheet would run as a formula gets a leading quote; numbers (a phone, a negative value) do not', async () => {
      const word = token();
      const phone = uniquePhone();
      const contact = await api.createContact({ first_name: word, display_name: '=cmd|\' /C calc\'!A0', company: '+SUM(A1)', role: '@x', location: "'=quoted", phone_numbers: [{ number: phone }] });
      const [row] = parseCsv((await exportOf(`format=csv&q=${word}`)).raw.body).rows;
      assert.deepEqual([row!.display_name, row!.company, row!.role, row!.location, row!.phone_1], ["'=cmd|' /C calc'!A0", "'+SUM(A1)", "'@x", "''=quoted", phone]);
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}?purge=true`)).status, 204);
    });

    test('NDJSON: the create shape plus id, groups by name, no address book; a line posts back as a contact', async () => {
      const res = await exportOf('format=ndjson');
      assert.equal(res.status, 200, res.raw.body);
      assert.equal(res.headers['content-type'], 'application/x-ndjson; charset=utf-8');
      assert.match(String(res.headers['content-disposition']), /filename="contacts-[\d-]+\.ndjson"/);
      assert.ok(res.raw.body.endsWith('\n'));
      const lines = parseNdjson(res.raw.body);
      assert.deepEqual(lines.map((l) => l.id), [rich.id, plain.id]);
      const line = lines[0]!;
      assert.equal(line.address_book_id, undefined);
      assert.equal(line.group_ids, undefined);
      assert.deepEqual(line.groups, groups.map((g) => g.name));
      assert.deepEqual(line.phone_numbers, rich.phone_numbers.map((p: any) => ({ number: p.e164, type: p.type, ...(p.label ? { label: p.label } : {}), ...(p.extension ? { extension: p.extension } : {}), is_primary: p.is_primary })));
      assert.deepEqual(line.emails, rich.emails);
      assert.deepEqual(line.messaging, rich.messaging);
      assert.deepEqual(line.custom_fields, rich.custom_fields);
      assert.equal(line.external_id, rich.external_id);

      // Without its id, groups and external id (taken by the original), the line is a valid create body.
      const { id, groups: names, external_id, ...create } = line;
      const copy = await api.createContact({ ...create, group_ids: groups.map((g) => g.id) });
      for (const field of [...TEXT_FIELDS, 'type', 'phone_numbers', 'emails', 'messaging', 'custom_fields', 'group_ids']) assert.deepEqual(copy[field], rich[field], field);
      await api.call('DELETE', `/v1/contacts/${copy.id}?purge=true`);
    });

    test('vCard: 3.0 by default, 4.0 on request, one card a contact that reads back as the contact', async () => {
      for (const version of ['3.0', '4.0'] as const) {
        const res = await exportOf(version === '3.0' ? 'format=vcard' : 'format=vcard&version=4.0');
        assert.equal(res.status, 200, res.raw.body);
        assert.equal(res.headers['content-type'], 'text/vcard; charset=utf-8');
        assert.match(String(res.headers['content-disposition']), /filename="contacts-[\d-]+\.vcf"/);
        const cards = res.raw.body.split(/(?<=END:VCARD\r\n)/);
        assert.equal(cards.length, 2, version);
        for (const card of cards) assert.match(card, new RegExp(`^BEGIN:VCARD\r\nVERSION:${version.replace('.', '\\.')}\r\n`));
        const customFields = (await api.call('GET', '/v1/custom-fields')).body.data;
        const parsed = parseVCard(cards[0]!, { customFields, defaultRegion: 'US' });
        assert.deepEqual(parsed.errors, [], version);
        assert.deepEqual(parsed.groupNames, groups.map((g) => g.name), version);
        const input = parsed.input as any;
        for (const field of ['external_id', 'first_name', 'last_name', 'display_name', 'company', 'role']) assert.equal(input[field], rich[field], `${version} ${field}`);
        assert.deepEqual(input.phone_numbers.map((p: any) => [p.number, p.type, p.extension ?? null]), rich.phone_numbers.map((p: any) => [p.e164, p.type, p.extension]), version);
        assert.deepEqual(input.emails.map((e: any) => [e.address, e.type]), rich.emails.map((e: any) => [e.address, e.type]), version);
        assert.deepEqual(input.custom_fields, rich.custom_fields, version);
      }
    });

    test('the list filters: address book, group, type, q and updated_since', async () => {
      const book = await api.newBook();
      const word = token();
      const inBook = await api.createContact({ first_name: word, address_book_id: book });
      const inGroup = await api.createContact({ first_name: word, group_ids: [groups[0]!.id] });
      const user = await api.createContact({ first_name: word, type: 'user', user_name: `u${word}` });
      const idsOf = async (query: string) => {
        const res = await exportOf(`format=ndjson&${query}`);
        assert.equal(res.status, 200, res.raw.body);
        return parseNdjson(res.raw.body).map((l) => l.id);
      };
      assert.deepEqual(await idsOf(`address_book_id=${book}`), [inBook.id]);
      assert.deepEqual(await idsOf(`group_id=${groups[0]!.id}`), [rich.id, inGroup.id]);
      assert.deepEqual(await idsOf(`type=user`), [user.id]);
      assert.deepEqual(await idsOf(`q=${word}`), [inBook.id, inGroup.id, user.id]);
      assert.deepEqual(await idsOf(`q=${word}&type=custom`), [inBook.id, inGroup.id]);
      // updated_since: a contact changed after the others is the only one at or after its own time.
      while (Date.now() <= Date.parse(user.updated_at)) await new Promise((resolve) => setImmediate(resolve));
      const changed = await api.call('PATCH', `/v1/contacts/${inBook.id}`, { role: 'changed' });
      assert.equal(changed.status, 200);
      assert.deepEqual(await idsOf(`q=${word}&updated_since=${encodeURIComponent(changed.body.updated_at)}`), [inBook.id]);
      // The CSV's numbered columns follow the filtered set: these contacts hold no phone.
      const csv = parseCsv((await exportOf(`format=csv&q=${word}`)).raw.body);
      assert.equal(csv.header.some((h) => h.startsWith('phone_')), false);
      assert.equal(csv.rows.length, 3);
    });

    test('merged and deleted contacts are not exported', async () => {
      const word = token();
      const survivor = await api.createContact({ first_name: word });
      const source = await api.createContact({ first_name: word });
      const deleted = await api.createContact({ first_name: word });
      assert.equal((await api.call('POST', `/v1/contacts/${survivor.id}/merge`, { source_ids: [source.id] })).status, 200);
      assert.equal((await api.call('DELETE', `/v1/contacts/${deleted.id}`)).status, 204);
      const lines = parseNdjson((await exportOf(`format=ndjson&q=${word}`)).raw.body);
      assert.deepEqual(lines.map((l) => l.id), [survivor.id]);
    });

    test('an empty set: the CSV header alone, an empty NDJSON file', async () => {
      const none = `q=${token(12)}`;
      const csv = await exportOf(`format=csv&${none}`);
      assert.equal(csv.status, 200);
      assert.deepEqual(parseCsv(csv.raw.body).rows, []);
      assert.equal(parseCsv(csv.raw.body).header[0], 'id');
      const ndjson = await exportOf(`format=ndjson&${none}`);
      assert.equal(ndjson.status, 200);
      assert.equal(ndjson.raw.body, '');
    });

    test('tenancy: another account exports only its own contacts, and this account\'s book names none', async () => {
      const other = await api.otherAccount();
      const theirs = await api.call('POST', '/v1/contacts', { first_name: 'Theirs' }, { key: other.key });
      assert.equal(theirs.status, 201);
      const lines = parseNdjson((await exportOf('format=ndjson', other.key)).raw.body);
      assert.deepEqual(lines.map((l) => l.id), [theirs.body.id]);
      const mine = parseNdjson((await exportOf('format=ndjson')).raw.body).map((l) => l.id);
      assert.equal(mine.includes(theirs.body.id), false);
      const book = (await api.call('GET', `/v1/contacts/${rich.id}`)).body.address_book_id;
      const foreign = await exportOf(`format=csv&address_book_id=${book}`, other.key);
      assert.equal(foreign.status, 200);
      assert.deepEqual(parseCsv(foreign.raw.body).rows, []);
    });

    test('scope and bad input: a read key exports; no key, a bad format or version is a problem', async () => {
      const read = await exportOf('format=csv', api.keys.read);
      assert.equal(read.status, 200);
      assertProblem(await exportOf('format=csv', null), 401, 'unauthorized');
      assertNamesField(await exportOf('format=xlsx'), 'format');
      assertNamesField(await exportOf(''), 'format');
      assertNamesField(await exportOf('format=vcard&version=5.0'), 'version');
      assertNamesField(await exportOf('format=csv&updated_since=yesterday'), 'updated_since');
      assertNamesField(await exportOf(`format=csv&type=${randomUUID()}`), 'type');
    });
  });
}
