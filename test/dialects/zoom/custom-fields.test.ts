import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { ZOOM_SPEC, assertZoomError, newZoomBook, zoom } from './support.ts';

const uniqueName = (prefix = 'Field') => `${prefix} ${randomUUID().slice(0, 8)}`;

/** Address book custom fields and a contact's custom fields (Createacustomfield ... ListContactCustomFields). */
for (const engine of engines) {
  describeWithSpec(ZOOM_SPEC, `Zoom custom fields on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof zoom>;
    before(async () => {
      api = await startApi(engine);
      call = zoom(api);
    });
    after(() => api.close());

    test('Createacustomfield 201 with every attribute; Getaaddressbookcustomfield returns it; the core holds it (native /v1 shows it by its key)', async () => {
      const bookId = await newZoomBook(call);
      const name = uniqueName('Preferred');
      const body = {
        custom_field_name: name, custom_field_description: 'The custom field for contact method', data_type: 'pick_list', default_value: 'phone',
        pick_list_values: ['phone', 'email'], address_book_ids: [bookId], use_as_routing_profile_parameter: true, use_as_external_url_parameter: false,
        show_in_transferred_calls: true, show_in_inbound_notification: true, show_in_profile_tab: false,
      };
      const created = await call('POST', '/custom_fields', body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const bookName = (await call('GET', `/${bookId}`)).body.address_book_name;
      const { address_book_ids: _ids, ...rest } = body;
      assert.deepEqual(created.body, { ...rest, custom_field_id: created.body.custom_field_id, address_books: [{ address_book_id: bookId, address_book_name: bookName }] });
      assert.deepEqual((await call('GET', `/custom_fields/${created.body.custom_field_id}`)).body, created.body);
      const native = (await api.call('GET', '/v1/custom-fields')).body.data.find((f: any) => f.id === created.body.custom_field_id);
      assert.deepEqual([native.label, native.data_type, native.options], [name, 'pick_list', ['phone', 'email']]);
    });

    test('a field made through the native API shows in Zoom (label as name, dateTime for datetime, date and url as string)', async () => {
      const key = `n_${randomUUID().slice(0, 8)}`;
      await api.call('POST', '/v1/custom-fields', { key, label: 'Native Since', data_type: 'datetime', group: 'Profile' });
      const bare = `b_${randomUUID().slice(0, 8)}`;
      await api.call('POST', '/v1/custom-fields', { key: bare, data_type: 'url' });
      const list = (await call('GET', '/custom_fields?page_size=300')).body.custom_fields;
      assert.deepEqual(list.filter((f: any) => f.custom_field_name === 'Native Since').map((f: any) => f.data_type), ['dateTime']);
      assert.deepEqual(list.filter((f: any) => f.custom_field_name === bare).map((f: any) => f.data_type), ['string']);
    });

    test('"A custom field with this name already exists" 400/2107, also when racing; data type not supported 400/2108; missing name 400/300', async () => {
      const name = uniqueName();
      const racing = await Promise.all([0, 1, 2].map(() => call('POST', '/custom_fields', { custom_field_name: name, data_type: 'string' })));
      assert.deepEqual(racing.map((r) => r.status).sort(), [201, 400, 400]);
      for (const r of racing.filter((x) => x.status === 400)) assertZoomError(r, 400, 2107);
      assert.equal((await call('GET', '/custom_fields?page_size=300')).body.custom_fields.filter((f: any) => f.custom_field_name === name).length, 1);
      assertZoomError(await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'date' }), 400, 2108);
      assertZoomError(await call('POST', '/custom_fields', { data_type: 'string' }), 400, 300);
      assertZoomError(await call('POST', '/custom_fields', { custom_field_name: 'x'.repeat(31), data_type: 'string' }), 400, 300);
    });

    test('default value: not matching the type 400/2109, not in the pick list 400/2115; spaces with use_as_external_url_parameter 400/2111; unknown book 404/2006', async () => {
      assertZoomError(await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'number', default_value: 'ten' }), 400, 2109);
      assertZoomError(await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'email', default_value: 'not-an-email' }), 400, 2109);
      assertZoomError(await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'pick_list', pick_list_values: ['a'], default_value: 'b' }), 400, 2115);
      assertZoomError(await call('POST', '/custom_fields', { custom_field_name: 'Has Spaces', data_type: 'string', use_as_external_url_parameter: true }), 400, 2111);
      assertZoomError(await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'string', address_book_ids: [randomUUID()] }), 404, 2006);
      assertZoomError(await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'string', pick_list_values: ['a'] }), 400, 300);
      const ok = await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'dateTime', default_value: '1700000000' });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.default_value, '1700000000');
      // A PATCH whose new pick list leaves the stored default out drops it, as a change of type does.
      const picked = await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'pick_list', pick_list_values: ['a', 'b'], default_value: 'a' });
      const narrowed = await call('PATCH', `/custom_fields/${picked.body.custom_field_id}`, { custom_field_name: picked.body.custom_field_name, data_type: 'pick_list', pick_list_values: ['b', 'c'] });
      assert.equal(narrowed.status, 204, JSON.stringify(narrowed.body));
      assert.equal((await call('GET', `/custom_fields/${picked.body.custom_field_id}`)).body.default_value, undefined);
    });

    test('Updateacustomfield 204 (name and data_type required by the file); 2107 for a taken name; 2112 for an unknown field; the id stays', async () => {
      const first = (await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'string' })).body;
      const second = (await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'string' })).body;
      assertZoomError(await call('PATCH', `/custom_fields/${first.custom_field_id}`, { custom_field_name: second.custom_field_name, data_type: 'string' }), 400, 2107);
      assertZoomError(await call('PATCH', `/custom_fields/${first.custom_field_id}`, { custom_field_description: 'no name' }), 400, 300);
      assertZoomError(await call('PATCH', `/custom_fields/${randomUUID()}`, { custom_field_name: uniqueName(), data_type: 'string' }), 404, 2112);
      const renamed = uniqueName('Renamed');
      const res = await call('PATCH', `/custom_fields/${first.custom_field_id}`, { custom_field_name: renamed, data_type: 'pick_list', pick_list_values: ['x', 'y'], show_in_profile_tab: true });
      assert.equal(res.status, 204);
      assert.deepEqual((await call('GET', `/custom_fields/${first.custom_field_id}`)).body, {
        custom_field_id: first.custom_field_id, custom_field_name: renamed, data_type: 'pick_list', pick_list_values: ['x', 'y'], show_in_profile_tab: true,
      });
    });

    test('Deleteancustomfield 204, then 404/2112 on get, patch and delete; another tenant\'s field is unknown', async () => {
      const field = (await call('POST', '/custom_fields', { custom_field_name: uniqueName(), data_type: 'string' })).body;
      const other = await api.otherAccount();
      const theirs = zoom({ ...api, keys: { ...api.keys, admin: other.key } });
      assertZoomError(await theirs('GET', `/custom_fields/${field.custom_field_id}`), 404, 2112);
      assertZoomError(await theirs('DELETE', `/custom_fields/${field.custom_field_id}`), 404, 2112);
      assert.equal((await call('DELETE', `/custom_fields/${field.custom_field_id}`)).status, 204);
      assertZoomError(await call('GET', `/custom_fields/${field.custom_field_id}`), 404, 2112);
      assertZoomError(await call('DELETE', `/custom_fields/${field.custom_field_id}`), 404, 2112);
      assertZoomError(await call('PATCH', `/custom_fields/${field.custom_field_id}`, { custom_field_name: 'x', data_type: 'string' }), 404, 2112);
    });

    test('"Maximum limit of 4096 custom fields has been exceeded" 400/2110, nothing written', async () => {
      const other = await api.otherAccount();
      const now = new Date().toISOString();
      await api.db.store.transaction(async (tx) => {
        for (let i = 0; i < 4096; i++) {
          await tx.customFields.insert({
            id: randomUUID(), account_id: other.accountId, key: `k${i}`, label: null, name: `k${i}`, data_type: 'string', group: null, options: null,
            description: null, default_value: null, address_book_ids: [], flags: {}, created_at: now, updated_at: now,
          });
        }
      });
      const theirs = zoom({ ...api, keys: { ...api.keys, admin: other.key } });
      assertZoomError(await theirs('POST', '/custom_fields', { custom_field_name: 'One too many', data_type: 'string' }), 400, 2110);
      assert.equal((await theirs('GET', '/custom_fields?page_size=1')).body.total_records, 4096);
    });

    test('Listaddressbookcustomfields pages with page_size and next_page_token; total_records counts every field', async () => {
      for (let i = 0; i < 3; i++) await call('POST', '/custom_fields', { custom_field_name: uniqueName('Paged'), data_type: 'boolean' });
      const total = (await call('GET', '/custom_fields')).body.total_records;
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await call('GET', `/custom_fields?page_size=2${token ? `&next_page_token=${token}` : ''}`);
        seen.push(...page.body.custom_fields.map((f: any) => f.custom_field_id));
        token = page.body.next_page_token;
      } while (token);
      assert.equal(new Set(seen).size, total);
    });

    test('ListContactCustomFields: the contact\'s values as text, outdated once the type changes; unknown contact 404/2101', async () => {
      const bookId = await newZoomBook(call);
      const count = (await call('POST', '/custom_fields', { custom_field_name: uniqueName('Count'), data_type: 'number' })).body;
      const since = (await call('POST', '/custom_fields', { custom_field_name: uniqueName('Since'), data_type: 'dateTime' })).body;
      const contact = (await call('POST', `/${bookId}/contacts`, {
        display_name: 'Valued', phone_numbers: [uniquePhone()],
        custom_fields: [{ custom_field_id: count.custom_field_id, custom_field_value: '42' }, { custom_field_id: since.custom_field_id, custom_field_value: '1700000000' }],
      })).body;
      const url = `/contacts/${contact.contact_id}/custom_fields`;
      assert.ok(contact.custom_fields_url.endsWith(`/zoom/v2/contact_center/address_books${url}`));
      const listed = await call('GET', url);
      assert.deepEqual(listed.body.custom_fields, [
        { custom_field_id: count.custom_field_id, custom_field_name: count.custom_field_name, data_type: 'number', custom_field_value: '42', outdated: false },
        { custom_field_id: since.custom_field_id, custom_field_name: since.custom_field_name, data_type: 'dateTime', custom_field_value: '1700000000', outdated: false },
      ]);
      const native = await api.call('GET', `/v1/contacts/${contact.contact_id}`);
      const sinceKey = (await api.call('GET', '/v1/custom-fields')).body.data.find((f: any) => f.id === since.custom_field_id).key;
      assert.equal(native.body.custom_fields[sinceKey], '2023-11-14T22:13:20.000Z', 'stored as the core\'s date-time');
      await call('PATCH', `/custom_fields/${count.custom_field_id}`, { custom_field_name: count.custom_field_name, data_type: 'email' });
      assert.equal((await call('GET', url)).body.custom_fields[0].outdated, true);
      const page = await call('GET', `${url}?page_size=1`);
      assert.equal(page.body.custom_fields.length, 1);
      assert.equal((await call('GET', `${url}?page_size=1&next_page_token=${page.body.next_page_token}`)).body.custom_fields[0].custom_field_id, since.custom_field_id);
      assertZoomError(await call('GET', `/contacts/${randomUUID()}/custom_fields`), 404, 2101);
    });
  });
}
