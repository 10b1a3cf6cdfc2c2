import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { ZOOM_SPEC, assertZoomError, newZoomBook, zoom } from './support.ts';

/** Contacts of an address book (zoom-contact-center-create-address-book-contact.txt and the OpenAPI file). */
for (const engine of engines) {
  describeWithSpec(ZOOM_SPEC, `Zoom address book contacts on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof zoom>;
    let bookId: string;
    let tier: any;
    let vip: any;
    before(async () => {
      api = await startApi(engine);
      call = zoom(api);
      bookId = await newZoomBook(call);
      tier = (await call('POST', '/custom_fields', { custom_field_name: `Tier ${randomUUID().slice(0, 6)}`, data_type: 'pick_list', pick_list_values: ['gold', 'silver'] })).body;
      vip = (await call('POST', '/custom_fields', { custom_field_name: `VIP ${randomUUID().slice(0, 6)}`, data_type: 'boolean' })).body;
    });
    after(() => api.close());

    test('seed: POST .../contacts with the seed\'s body answers 201 Created with the seed\'s response fields; the core holds it', async () => {
      const phones = [uniquePhone(), uniquePhone()];
      const body = {
        phone_numbers: phones, display_name: 'Jill Chill', first_name: 'Jill', last_name: 'Chill', emails: ['jill@example.com', 'chill@example.com'],
        location: 'San Jose', account_number: '112233445566', company: 'Example', role: 'Agent',
        variables: [{ variable_id: tier.custom_field_id, variable_value: 'gold' }, { variable_id: vip.custom_field_id, variable_value: 'true' }],
      };
      const res = await call('POST', `/${bookId}/contacts`, body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const bookName = (await call('GET', `/${bookId}`)).body.address_book_name;
      const { variables: _v, ...plain } = body;
      assert.deepEqual({ ...res.body, custom_fields_url: undefined, contact_id: undefined }, {
        ...plain, contact_id: undefined, custom_fields_url: undefined, address_book_id: bookId, address_book_name: bookName,
        variables: [
          { variable_id: tier.custom_field_id, variable_name: tier.custom_field_name, data_type: 'string', variable_value: 'gold' },
          { variable_id: vip.custom_field_id, variable_name: vip.custom_field_name, data_type: 'boolean', variable_value: 'true' },
        ],
      });
      const native = await api.call('GET', `/v1/contacts/${res.body.contact_id}`);
      assert.equal(native.status, 200);
      assert.equal(native.body.address_book_id, bookId);
      assert.deepEqual(native.body.phone_numbers.map((p: any) => p.e164), phones);
      assert.deepEqual(Object.values(native.body.custom_fields).sort(), ['gold', true].sort() as any);
      assert.deepEqual((await call('GET', `/${bookId}/contacts/${res.body.contact_id}`)).body, res.body);
    });

    test('OpenAPI: timezone, consumer_ids, custom_fields (custom_field_id, custom_field_value) are taken and shown', async () => {
      const res = await call('POST', `/${bookId}/contacts`, {
        display_name: 'Zed', emails: ['zed@example.com'], timezone: 'America/Los_Angeles', consumer_ids: ['cvC2JxWkToWZsJUenBvNnw'],
        custom_fields: [{ custom_field_id: tier.custom_field_id, custom_field_value: 'silver' }],
      });
      assert.equal(res.status, 201);
      assert.deepEqual([res.body.timezone, res.body.consumer_ids, res.body.phone_numbers], ['America/Los_Angeles', ['cvC2JxWkToWZsJUenBvNnw'], []]);
      assert.deepEqual(res.body.variables.map((v: any) => v.variable_value), ['silver']);
    });

    test('create: display_name missing or empty 400/2104; neither phone nor email 400/2102; unknown variable or custom field 400/2114; unknown book 404/2001', async () => {
      const before = (await call('GET', `/${bookId}/contacts`)).body.total_records;
      assertZoomError(await call('POST', `/${bookId}/contacts`, { phone_numbers: [uniquePhone()] }), 400, 2104);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { display_name: ' ', phone_numbers: [uniquePhone()] }), 400, 2104);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { display_name: 'Nobody' }), 400, 2102);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { display_name: 'Nobody', phone_numbers: [], emails: [] }), 400, 2102);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { display_name: 'N', emails: ['n@example.com'], variables: [{ variable_id: randomUUID(), variable_value: 'x' }] }), 400, 2114);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { display_name: 'N', emails: ['n@example.com'], custom_fields: [{ custom_field_id: randomUUID(), custom_field_value: 'x' }] }), 400, 2114);
      assertZoomError(await call('POST', `/${randomUUID()}/contacts`, { display_name: 'N', emails: ['n@example.com'] }), 404, 2001);
      assert.equal((await call('GET', `/${bookId}/contacts`)).body.total_records, before, 'nothing was written');
    });

    test('create: first and last names without display_name are 400/2104, in one create and in a batch (the core derives no name for Zoom)', async () => {
      // zoom-contact-center-address-books-openapi.json, createContact's body: "required": ["display_name", "email", "phone_numbers"];
      // its 400: "Error Code: `2104` The `display_name` field cannot be an empty value." (specs README: "A contact needs `display_name` (2104)").
      const before = (await call('GET', `/${bookId}/contacts`)).body.total_records;
      assertZoomError(await call('POST', `/${bookId}/contacts`, { first_name: 'Jill', phone_numbers: [uniquePhone()] }), 400, 2104);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { first_name: 'Jill', last_name: 'Chill', emails: ['jill@example.com'] }), 400, 2104);
      const batch = await call('POST', `/${bookId}/contacts/batch`, { contacts: [{ first_name: 'Jill', phone_numbers: [uniquePhone()] }] });
      assert.equal(batch.status, 200, JSON.stringify(batch.body));
      assert.equal(batch.body.contacts[0].code, 2104);
      assert.equal((await call('GET', `/${bookId}/contacts`)).body.total_records, before, 'nothing was written');
    });

    test('create: a value that does not fit its type 400/2113, outside the pick list 400/2116; an invalid time zone 400/2117; invalid consumer IDs 400/2106; bad phone or email 400/300', async () => {
      const count = (await call('POST', '/custom_fields', { custom_field_name: `Count ${randomUUID().slice(0, 6)}`, data_type: 'number' })).body;
      const base = { display_name: 'Typed', emails: ['typed@example.com'] };
      assertZoomError(await call('POST', `/${bookId}/contacts`, { ...base, custom_fields: [{ custom_field_id: count.custom_field_id, custom_field_value: 'many' }] }), 400, 2113);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { ...base, variables: [{ variable_id: vip.custom_field_id, variable_value: 'maybe' }] }), 400, 2113);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { ...base, custom_fields: [{ custom_field_id: tier.custom_field_id, custom_field_value: 'bronze' }] }), 400, 2116);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { ...base, timezone: 'Mars/Olympus' }), 400, 2117);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { ...base, consumer_ids: ['not a consumer id!'] }), 400, 2106);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { display_name: 'P', phone_numbers: ['not a phone'] }), 400, 300);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { display_name: 'P', emails: ['not-an-email'] }), 400, 300);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { display_name: 'P', phone_numbers: Array.from({ length: 6 }, uniquePhone) }), 400, 300);
      assertZoomError(await call('POST', `/${bookId}/contacts`, { display_name: 'x'.repeat(126), phone_numbers: [uniquePhone()] }), 400, 300);
    });

    test('a contact sent back as it was read (with its read-only contact_id, address_book_id, address_book_name) is a valid PATCH', async () => {
      const created = await call('POST', `/${bookId}/contacts`, { display_name: 'Round Trip', phone_numbers: [uniquePhone()] });
      const read = await call('GET', `/${bookId}/contacts/${created.body.contact_id}`);
      const patched = await call('PATCH', `/${bookId}/contacts/${created.body.contact_id}`, { ...read.body, display_name: 'Round Tripped' });
      assert.equal(patched.status, 204, JSON.stringify(patched.body));
      assert.equal((await call('GET', `/${bookId}/contacts/${created.body.contact_id}`)).body.display_name, 'Round Tripped');
      const misspelt = await call('PATCH', `/${bookId}/contacts/${created.body.contact_id}`, { dispaly_name: 'Typo' });
      assert.equal(misspelt.status, 400, 'a misspelt field is still refused');
    });

    test('getContact: 404/2101 for an unknown contact or one of another book or tenant; 404/2001 for an unknown book', async () => {
      const other = await newZoomBook(call);
      const contact = (await call('POST', `/${other}/contacts`, { display_name: 'Elsewhere', phone_numbers: [uniquePhone()] })).body;
      assertZoomError(await call('GET', `/${bookId}/contacts/${contact.contact_id}`), 404, 2101);
      assertZoomError(await call('PATCH', `/${bookId}/contacts/${contact.contact_id}`, { location: 'x' }), 404, 2101);
      assertZoomError(await call('DELETE', `/${bookId}/contacts/${contact.contact_id}`), 404, 2101);
      assertZoomError(await call('GET', `/${bookId}/contacts/${randomUUID()}`), 404, 2101);
      assertZoomError(await call('GET', `/${randomUUID()}/contacts/${contact.contact_id}`), 404, 2001);
      const tenant = await api.otherAccount();
      const theirs = zoom({ ...api, keys: { ...api.keys, admin: tenant.key } });
      assertZoomError(await theirs('GET', `/${other}/contacts/${contact.contact_id}`), 404, 2001);
      const theirBook = await newZoomBook(theirs);
      assertZoomError(await theirs('GET', `/${theirBook}/contacts/${contact.contact_id}`), 404, 2101);
      assertZoomError(await theirs('DELETE', `/${theirBook}/contacts/${contact.contact_id}`), 404, 2101);
      assert.equal((await call('GET', `/${other}/contacts/${contact.contact_id}`)).status, 200);
    });

    test('updateContact 204: given fields change, lists are replaced, an empty value clears a custom field; it must keep display_name (2104) and a phone or email (2102)', async () => {
      const phone = uniquePhone();
      const made = (await call('POST', `/${bookId}/contacts`, {
        display_name: 'Patchy', phone_numbers: [phone], emails: ['patchy@example.com'], company: 'Old', variables: [{ variable_id: tier.custom_field_id, variable_value: 'gold' }],
      })).body;
      const url = `/${bookId}/contacts/${made.contact_id}`;
      const res = await call('PATCH', url, { location: 'New York', emails: [], custom_fields: [{ custom_field_id: tier.custom_field_id, custom_field_value: '' }], consumer_ids: ['c1'] });
      assert.equal(res.status, 204);
      const after = (await call('GET', url)).body;
      assert.deepEqual([after.location, after.company, after.emails, after.phone_numbers, after.variables, after.consumer_ids], ['New York', 'Old', [], [phone], undefined, ['c1']]);
      assertZoomError(await call('PATCH', url, { phone_numbers: [] }), 400, 2102);
      assertZoomError(await call('PATCH', url, { display_name: '' }), 400, 2104);
      assertZoomError(await call('PATCH', url, { variables: [{ variable_id: randomUUID(), variable_value: 'x' }] }), 400, 2114);
      assertZoomError(await call('PATCH', url, { timezone: 'Nowhere/Land' }), 400, 2117);
      assert.equal((await call('PATCH', url, {})).status, 204, 'Decision: a PATCH requires nothing');
      assert.deepEqual((await call('GET', url)).body, after, 'refused PATCHes changed nothing');
      assert.equal((await api.call('GET', `/v1/contacts/${made.contact_id}`)).body.location, 'New York');
    });

    test('a contact merged away through the native API is no longer a Zoom contact (404/2101); the survivor shows both numbers', async () => {
      const [p1, p2] = [uniquePhone(), uniquePhone()];
      const target = (await call('POST', `/${bookId}/contacts`, { display_name: 'Survivor', phone_numbers: [p1] })).body;
      const source = (await call('POST', `/${bookId}/contacts`, { display_name: 'Merged', phone_numbers: [p2], variables: [{ variable_id: tier.custom_field_id, variable_value: 'gold' }] })).body;
      const merged = await api.call('POST', `/v1/contacts/${target.contact_id}/merge`, { source_ids: [source.contact_id] });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assertZoomError(await call('GET', `/${bookId}/contacts/${source.contact_id}`), 404, 2101);
      assertZoomError(await call('GET', `/contacts/${source.contact_id}/custom_fields`), 404, 2101);
      assert.deepEqual((await call('GET', `/${bookId}/contacts/${target.contact_id}`)).body.phone_numbers, [p1, p2]);
    });

    test('contactDelete 204, then 404/2101', async () => {
      const made = (await call('POST', `/${bookId}/contacts`, { display_name: 'Gone', phone_numbers: [uniquePhone()] })).body;
      assert.equal((await call('DELETE', `/${bookId}/contacts/${made.contact_id}`)).status, 204);
      assertZoomError(await call('GET', `/${bookId}/contacts/${made.contact_id}`), 404, 2101);
      assertZoomError(await call('DELETE', `/${bookId}/contacts/${made.contact_id}`), 404, 2101);
      assert.equal((await api.call('GET', `/v1/contacts/${made.contact_id}`)).status, 404);
    });

    test('listContacts: phone_numbers and emails filter by exact match (repeated or comma-separated); more than 10 is 400/300; paging with total_records', async () => {
      const book = await newZoomBook(call);
      const [p1, p2] = [uniquePhone(), uniquePhone()];
      const a = (await call('POST', `/${book}/contacts`, { display_name: 'A', phone_numbers: [p1] })).body;
      const b = (await call('POST', `/${book}/contacts`, { display_name: 'B', emails: ['Bee@Example.com'] })).body;
      const c = (await call('POST', `/${book}/contacts`, { display_name: 'C', phone_numbers: [p2], emails: ['c@example.com'] })).body;
      await call('POST', `/${bookId}/contacts`, { display_name: 'Other book', phone_numbers: [p1] });
      const ids = async (query: string) => (await call('GET', `/${book}/contacts?${query}`)).body.contacts.map((x: any) => x.contact_id);
      assert.deepEqual(await ids(''), [a.contact_id, b.contact_id, c.contact_id]);
      assert.deepEqual(await ids(`phone_numbers=${encodeURIComponent(p1)}`), [a.contact_id]);
      assert.deepEqual(await ids(`phone_numbers=${encodeURIComponent(p1)}&phone_numbers=${encodeURIComponent(p2)}`), [a.contact_id, c.contact_id]);
      assert.deepEqual(await ids(`phone_numbers=${encodeURIComponent(`${p1},${p2}`)}`), [a.contact_id, c.contact_id]);
      assert.deepEqual(await ids('emails=bee@example.com'), [b.contact_id]);
      assert.deepEqual(await ids('emails=bee@example.co'), [], 'exact, not a prefix');
      assert.deepEqual(await ids(`emails=c@example.com&phone_numbers=${encodeURIComponent(p2)}`), [c.contact_id]);
      const eleven = Array.from({ length: 11 }, (_, i) => `phone_numbers=${encodeURIComponent(uniquePhone())}`).join('&');
      assertZoomError(await call('GET', `/${book}/contacts?${eleven}`), 400, 300);
      const elevenEmails = Array.from({ length: 11 }, (_, i) => `e${i}@example.com`).join(',');
      assertZoomError(await call('GET', `/${book}/contacts?emails=${elevenEmails}`), 400, 300);
      assertZoomError(await call('GET', `/${book}/contacts?phone_numbers=nonsense`), 400, 300);
      assertZoomError(await call('GET', `/${book}/contacts?emails=nonsense`), 400, 300);
      const first = await call('GET', `/${book}/contacts?page_size=2`);
      assert.deepEqual([first.body.contacts.length, first.body.total_records, first.body.page_size], [2, 3, 2]);
      const second = await call('GET', `/${book}/contacts?page_size=2&next_page_token=${first.body.next_page_token}`);
      assert.deepEqual(second.body.contacts.map((x: any) => x.contact_id), [c.contact_id]);
      assert.equal(second.body.next_page_token, undefined);
      assertZoomError(await call('GET', `/${book}/contacts?page_size=301`), 400, 300);
      assertZoomError(await call('GET', `/${randomUUID()}/contacts`), 404, 2001);
    });

    test('a contact written through the native API shows in Zoom within Zoom\'s limits (5 phones, 4 emails, a display name)', async () => {
      const phones = Array.from({ length: 6 }, () => ({ number: uniquePhone() }));
      const emails = Array.from({ length: 5 }, (_, i) => ({ address: `n${i}.${randomUUID().slice(0, 6)}@example.com` }));
      const native = await api.createContact({ address_book_id: bookId, phone_numbers: phones, emails });
      const shown = (await call('GET', `/${bookId}/contacts/${native.id}`)).body;
      assert.equal(shown.phone_numbers.length, 5);
      assert.equal(shown.emails.length, 4);
      assert.equal(shown.display_name, phones[0]!.number);
    });
  });
}
