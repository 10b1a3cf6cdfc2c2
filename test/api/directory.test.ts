/** Address books, custom fields and groups (with membership) through the native API. */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertNamesField, assertProblem } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

const unique = (prefix: string) => `${prefix} ${randomBytes(4).toString('hex')}`;
const uniqueKey = () => `k_${randomBytes(5).toString('hex')}`;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

for (const engine of engines) {
  describe(`directory on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    /** Every item of a paged list, following next_cursor; checks the page shape on the way. */
    async function allPages(url: string, limit: number): Promise<any[]> {
      const items: any[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const sep = url.includes('?') ? '&' : '?';
        const res = await api.call('GET', `${url}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(Object.keys(res.body).sort(), ['data', 'next_cursor']);
        assert.ok(res.body.data.length <= limit);
        items.push(...res.body.data);
        cursor = res.body.next_cursor;
        if (cursor === null) return items;
        assert.equal(typeof cursor, 'string');
      }
      throw new Error('paging never ended');
    }

    describe('address books', () => {
      test('POST answers 201 with the book; duplicate_policy defaults to allow', async () => {
        const name = unique('Customers');
        const res = await api.call('POST', '/v1/address-books', { name, description: 'Our customers' });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.match(res.body.id, /^[0-9a-f-]{36}$/);
        assert.equal(res.body.name, name);
        assert.equal(res.body.description, 'Our customers');
        assert.equal(res.body.duplicate_policy, 'allow');
        assert.equal(res.body.account_id, api.accountId);
        assert.match(res.body.created_at, ISO);
        assert.match(res.body.updated_at, ISO);

        const bare = await api.call('POST', '/v1/address-books', { name: unique('Bare') });
        assert.equal(bare.status, 201);
        assert.equal(bare.body.description, null);
        assert.equal(bare.body.duplicate_policy, 'allow');

        for (const policy of ['allow', 'reject', 'merge']) {
          const book = await api.call('POST', '/v1/address-books', { name: unique(policy), duplicate_policy: policy });
          assert.equal(book.status, 201);
          assert.equal(book.body.duplicate_policy, policy);
        }
      });

      test('a second book of the same name is a 409; after a rename the old name is free', async () => {
        const name = unique('Twice');
        const first = await api.call('POST', '/v1/address-books', { name });
        assert.equal(first.status, 201);
        assertProblem(await api.call('POST', '/v1/address-books', { name }), 409, 'duplicate_address_book');
        const other = await api.call('POST', '/v1/address-books', { name: unique('Other') });
        assertProblem(await api.call('PATCH', `/v1/address-books/${other.body.id}`, { name }), 409, 'duplicate_address_book');
        const renamed = await api.call('PATCH', `/v1/address-books/${first.body.id}`, { name: unique('Renamed') });
        assert.equal(renamed.status, 200);
        assert.equal((await api.call('POST', '/v1/address-books', { name })).status, 201);
      });

      test('another account may use the same book name', async () => {
        const name = unique('Shared name');
        assert.equal((await api.call('POST', '/v1/address-books', { name })).status, 201);
        const other = await api.otherAccount();
        assert.equal((await api.call('POST', '/v1/address-books', { name }, { key: other.key })).status, 201);
      });

      test('GET list answers {data, next_cursor} and pages through every book once', async () => {
        const created = [];
        for (let i = 0; i < 5; i++) created.push((await api.call('POST', '/v1/address-books', { name: unique(`Paged ${i}`) })).body.id);
        const first = await api.call('GET', '/v1/address-books?limit=2');
        assert.equal(first.status, 200);
        assert.equal(first.body.data.length, 2);
        assert.equal(typeof first.body.next_cursor, 'string');
        const all = await allPages('/v1/address-books', 2);
        const ids = all.map((b) => b.id);
        assert.equal(new Set(ids).size, ids.length, 'no book twice');
        for (const id of created) assert.ok(ids.includes(id), `book ${id} listed`);
        assert.ok(all.some((b) => b.is_default === true), 'the default book is listed');
        const everything = await api.call('GET', '/v1/address-books?limit=500');
        assert.equal(everything.body.next_cursor, null);
        assert.deepEqual(everything.body.data.map((b: { id: string }) => b.id), ids, 'pages hold the same books in the same order as one page');
      });

      test('GET, PATCH and DELETE by id', async () => {
        const book = (await api.call('POST', '/v1/address-books', { name: unique('Crud'), description: 'before' })).body;
        const read = await api.call('GET', `/v1/address-books/${book.id}`);
        assert.equal(read.status, 200);
        assert.deepEqual(read.body, book);

        const patched = await api.call('PATCH', `/v1/address-books/${book.id}`, { description: 'after', duplicate_policy: 'reject' });
        assert.equal(patched.status, 200);
        assert.equal(patched.body.name, book.name, 'absent fields are kept');
        assert.equal(patched.body.description, 'after');
        assert.equal(patched.body.duplicate_policy, 'reject');
        assert.ok(patched.body.updated_at >= book.updated_at);
        assert.deepEqual((await api.call('GET', `/v1/address-books/${book.id}`)).body, patched.body);

        const cleared = await api.call('PATCH', `/v1/address-books/${book.id}`, { description: null });
        assert.equal(cleared.status, 200);
        assert.equal(cleared.body.description, null);

        const deleted = await api.call('DELETE', `/v1/address-books/${book.id}`);
        assert.equal(deleted.status, 204);
        assert.equal(deleted.raw.body, '');
        assertProblem(await api.call('GET', `/v1/address-books/${book.id}`), 404, 'address_book_not_found');
        assertProblem(await api.call('DELETE', `/v1/address-books/${book.id}`), 404, 'address_book_not_found');
        assertProblem(await api.call('PATCH', `/v1/address-books/${book.id}`, { description: 'x' }), 404, 'address_book_not_found');
        const list = await api.call('GET', '/v1/address-books?limit=500');
        assert.ok(!list.body.data.some((b: { id: string }) => b.id === book.id));
      });

      test('DELETE refuses a non-empty book (409) unless ?force=true, which deletes its contacts too', async () => {
        const book = (await api.call('POST', '/v1/address-books', { name: unique('Full') })).body;
        const phone = uniquePhone();
        const contacts = [];
        for (const name of ['One', 'Two']) {
          const res = await api.call('POST', '/v1/contacts', { address_book_id: book.id, display_name: name, phone_numbers: [{ number: phone }] });
          assert.equal(res.status, 201);
          contacts.push(res.body.id);
        }
        assertProblem(await api.call('DELETE', `/v1/address-books/${book.id}`), 409, 'address_book_not_empty');
        assertProblem(await api.call('DELETE', `/v1/address-books/${book.id}?force=false`), 409, 'address_book_not_empty');
        assert.equal((await api.call('GET', `/v1/address-books/${book.id}`)).status, 200, 'the refused book is still there');
        for (const id of contacts) assert.equal((await api.call('GET', `/v1/contacts/${id}`)).status, 200);

        const forced = await api.call('DELETE', `/v1/address-books/${book.id}?force=true`);
        assert.equal(forced.status, 204);
        assertProblem(await api.call('GET', `/v1/address-books/${book.id}`), 404, 'address_book_not_found');
        for (const id of contacts) assertProblem(await api.call('GET', `/v1/contacts/${id}`), 404, 'contact_not_found');
        const lookup = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`);
        assert.deepEqual(lookup.body.matches, [], 'a forced delete leaves nothing for lookups');
        const listed = await api.call('GET', `/v1/contacts?phone=${encodeURIComponent(phone)}`);
        assert.deepEqual(listed.body.data, []);
      });

      test('an empty book deletes without force; contacts of other books stay', async () => {
        const keep = (await api.call('POST', '/v1/address-books', { name: unique('Keep') })).body;
        const kept = (await api.call('POST', '/v1/contacts', { address_book_id: keep.id, display_name: 'Kept' })).body;
        const empty = (await api.call('POST', '/v1/address-books', { name: unique('Empty') })).body;
        assert.equal((await api.call('DELETE', `/v1/address-books/${empty.id}`)).status, 204);
        assert.equal((await api.call('GET', `/v1/contacts/${kept.id}`)).status, 200);
      });

      test('the default book cannot be deleted (409), even with force; contacts without a book still land in it', async () => {
        const books = await api.call('GET', '/v1/address-books?limit=500');
        const defaultBook = books.body.data.find((b: { is_default: boolean }) => b.is_default);
        assert.ok(defaultBook, 'every account has a default book');
        for (const url of [`/v1/address-books/${defaultBook.id}`, `/v1/address-books/${defaultBook.id}?force=true`]) {
          assertProblem(await api.call('DELETE', url), 409, 'default_address_book');
        }
        const created = await api.call('POST', '/v1/contacts', { display_name: 'No book given' });
        assert.equal(created.status, 201);
        assert.equal(created.body.address_book_id, defaultBook.id);
      });

      test('invalid values are 400s naming the field', async () => {
        assertNamesField(await api.call('POST', '/v1/address-books', { name: unique('Bad policy'), duplicate_policy: 'overwrite' }), 'duplicate_policy');
        assertNamesField(await api.call('POST', '/v1/address-books', { name: unique('Bad policy'), duplicate_policy: 1 }), 'duplicate_policy');
        assertNamesField(await api.call('POST', '/v1/address-books', { name: '' }), 'name');
        assertNamesField(await api.call('POST', '/v1/address-books', { name: 'x'.repeat(101) }), 'name');
        assertNamesField(await api.call('POST', '/v1/address-books', { description: 'no name' }), 'name');
        assertNamesField(await api.call('POST', '/v1/address-books', { name: unique('Extra'), colour: 'red' }), 'colour');
        const book = (await api.call('POST', '/v1/address-books', { name: unique('Patch bad') })).body;
        assertNamesField(await api.call('PATCH', `/v1/address-books/${book.id}`, { duplicate_policy: 'sometimes' }), 'duplicate_policy');
        assertNamesField(await api.call('PATCH', `/v1/address-books/${book.id}`, { name: null }), 'name');
        assert.equal((await api.call('GET', `/v1/address-books/${book.id}`)).body.duplicate_policy, 'allow');
        assertNamesField(await api.call('DELETE', `/v1/address-books/${book.id}?force=maybe`), 'force');
      });
    });

    describe('custom fields', () => {
      test('POST answers 201; GET lists it; GET by key reads it', async () => {
        const key = uniqueKey();
        const res = await api.call('POST', '/v1/custom-fields', { key, label: 'Loyalty tier', data_type: 'pick_list', group: 'Loyalty', options: ['gold', 'silver'] });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.key, key);
        assert.equal(res.body.label, 'Loyalty tier');
        assert.equal(res.body.data_type, 'pick_list');
        assert.equal(res.body.group, 'Loyalty');
        assert.deepEqual(res.body.options, ['gold', 'silver']);
        assert.match(res.body.created_at, ISO);

        const list = await api.call('GET', '/v1/custom-fields');
        assert.equal(list.status, 200);
        assert.ok(Array.isArray(list.body.data));
        assert.ok('next_cursor' in list.body);
        assert.deepEqual(list.body.data.find((f: { key: string }) => f.key === key), res.body);
        assert.deepEqual((await api.call('GET', `/v1/custom-fields/${key}`)).body, res.body);
      });

      test('every data type is accepted; a minimal field has null label, group and options', async () => {
        for (const dataType of ['string', 'number', 'boolean', 'date', 'datetime', 'email', 'phone', 'url', 'currency', 'percent']) {
          const res = await api.call('POST', '/v1/custom-fields', { key: uniqueKey(), data_type: dataType });
          assert.equal(res.status, 201, `${dataType}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.data_type, dataType);
          assert.equal(res.body.label, null);
          assert.equal(res.body.group, null);
          assert.equal(res.body.options, null);
        }
      });

      test('a duplicate key is a 409', async () => {
        const key = uniqueKey();
        assert.equal((await api.call('POST', '/v1/custom-fields', { key, data_type: 'string' })).status, 201);
        assertProblem(await api.call('POST', '/v1/custom-fields', { key, data_type: 'number' }), 409, 'duplicate_custom_field');
        assert.equal((await api.call('GET', `/v1/custom-fields/${key}`)).body.data_type, 'string');
      });

      test('DELETE /v1/custom-fields/{key} answers 204; the field is gone; a second delete is a 404', async () => {
        const key = uniqueKey();
        await api.call('POST', '/v1/custom-fields', { key, data_type: 'string' });
        const deleted = await api.call('DELETE', `/v1/custom-fields/${key}`);
        assert.equal(deleted.status, 204);
        assert.equal(deleted.raw.body, '');
        assertProblem(await api.call('GET', `/v1/custom-fields/${key}`), 404, 'custom_field_not_found');
        const list = await api.call('GET', '/v1/custom-fields');
        assert.ok(!list.body.data.some((f: { key: string }) => f.key === key));
        assertProblem(await api.call('DELETE', `/v1/custom-fields/${key}`), 404, 'custom_field_not_found');
        assert.equal((await api.call('POST', '/v1/custom-fields', { key, data_type: 'number' })).status, 201, 'the key is free again');
      });

      test('contact values are checked against the field\'s type and unknown keys refused', async () => {
        const key = uniqueKey();
        await api.call('POST', '/v1/custom-fields', { key, data_type: 'number' });
        const ok = await api.call('POST', '/v1/contacts', { display_name: 'Typed', custom_fields: { [key]: 42 } });
        assert.equal(ok.status, 201, JSON.stringify(ok.body));
        assert.equal(ok.body.custom_fields[key], 42);
        const wrong = await api.call('POST', '/v1/contacts', { display_name: 'Typed', custom_fields: { [key]: 'forty-two' } });
        assertProblem(wrong, 400, 'validation_failed');
        assert.ok(wrong.body.errors.some((e: { path: string }) => e.path.includes(key)), JSON.stringify(wrong.body.errors));
        const unknown = await api.call('POST', '/v1/contacts', { display_name: 'Typed', custom_fields: { [uniqueKey()]: 'x' } });
        assertProblem(unknown, 400, 'validation_failed');
        assert.ok(unknown.body.errors.some((e: { path: string }) => e.path.startsWith('custom_fields')), JSON.stringify(unknown.body.errors));

        const pick = uniqueKey();
        await api.call('POST', '/v1/custom-fields', { key: pick, data_type: 'pick_list', options: ['gold', 'silver'] });
        assert.equal((await api.call('POST', '/v1/contacts', { display_name: 'Gold', custom_fields: { [pick]: 'gold' } })).status, 201);
        assertProblem(await api.call('POST', '/v1/contacts', { display_name: 'Bronze', custom_fields: { [pick]: 'bronze' } }), 400, 'validation_failed');
      });

      test('invalid definitions are 400s naming the field', async () => {
        assertNamesField(await api.call('POST', '/v1/custom-fields', { key: uniqueKey(), data_type: 'colour' }), 'data_type');
        assertNamesField(await api.call('POST', '/v1/custom-fields', { key: uniqueKey() }), 'data_type');
        assertNamesField(await api.call('POST', '/v1/custom-fields', { key: uniqueKey(), data_type: 'pick_list' }), 'options');
        assertNamesField(await api.call('POST', '/v1/custom-fields', { key: uniqueKey(), data_type: 'pick_list', options: [] }), 'options');
        assertNamesField(await api.call('POST', '/v1/custom-fields', { key: uniqueKey(), data_type: 'pick_list', options: null }), 'options');
        assertNamesField(await api.call('POST', '/v1/custom-fields', { key: uniqueKey(), data_type: 'string', options: ['a'] }), 'options');
        assertNamesField(await api.call('POST', '/v1/custom-fields', { key: 'Not Snake', data_type: 'string' }), 'key');
        assertNamesField(await api.call('POST', '/v1/custom-fields', { data_type: 'string' }), 'key');
        assertNamesField(await api.call('POST', '/v1/custom-fields', { key: uniqueKey(), data_type: 'string', label: 'x'.repeat(101) }), 'label');
      });
    });

    describe('groups', () => {
      test('POST answers 201 {name, is_blocklist}; is_blocklist defaults to false; duplicate names are 409', async () => {
        const name = unique('VIP');
        const res = await api.call('POST', '/v1/groups', { name });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.match(res.body.id, /^[0-9a-f-]{36}$/);
        assert.equal(res.body.name, name);
        assert.equal(res.body.is_blocklist, false);
        assert.match(res.body.created_at, ISO);
        const blocked = await api.call('POST', '/v1/groups', { name: unique('Blocked'), description: 'spam callers', is_blocklist: true });
        assert.equal(blocked.status, 201);
        assert.equal(blocked.body.is_blocklist, true);
        assert.equal(blocked.body.description, 'spam callers');
        assertProblem(await api.call('POST', '/v1/groups', { name }), 409, 'duplicate_group');
      });

      test('GET list pages; GET, PATCH and DELETE by id', async () => {
        const ids = [];
        for (let i = 0; i < 3; i++) ids.push((await api.call('POST', '/v1/groups', { name: unique(`Paged group ${i}`) })).body.id);
        const all = (await allPages('/v1/groups', 2)).map((g) => g.id);
        for (const id of ids) assert.ok(all.includes(id));
        assert.equal(new Set(all).size, all.length);

        const group = (await api.call('POST', '/v1/groups', { name: unique('Crud group') })).body;
        assert.deepEqual((await api.call('GET', `/v1/groups/${group.id}`)).body, group);
        const patched = await api.call('PATCH', `/v1/groups/${group.id}`, { is_blocklist: true });
        assert.equal(patched.status, 200);
        assert.equal(patched.body.is_blocklist, true);
        assert.equal(patched.body.name, group.name);
        const renamed = await api.call('PATCH', `/v1/groups/${group.id}`, { name: unique('Renamed group') });
        assert.equal(renamed.status, 200);
        assert.equal(renamed.body.is_blocklist, true);
        assertNamesField(await api.call('PATCH', `/v1/groups/${group.id}`, { is_blocklist: 'yes' }), 'is_blocklist');
        assertProblem(await api.call('PATCH', `/v1/groups/${group.id}`, { name: (await api.call('GET', `/v1/groups/${ids[0]}`)).body.name }), 409, 'duplicate_group');

        assert.equal((await api.call('DELETE', `/v1/groups/${group.id}`)).status, 204);
        assertProblem(await api.call('GET', `/v1/groups/${group.id}`), 404, 'group_not_found');
        assertProblem(await api.call('DELETE', `/v1/groups/${group.id}`), 404, 'group_not_found');
      });

      test('invalid groups are 400s naming the field', async () => {
        assertNamesField(await api.call('POST', '/v1/groups', {}), 'name');
        assertNamesField(await api.call('POST', '/v1/groups', { name: '' }), 'name');
        assertNamesField(await api.call('POST', '/v1/groups', { name: unique('G'), is_blocklist: 1 }), 'is_blocklist');
      });

      test('membership through group_ids on the contact; GET /v1/contacts?group_id= lists members', async () => {
        const a = (await api.call('POST', '/v1/groups', { name: unique('A') })).body;
        const b = (await api.call('POST', '/v1/groups', { name: unique('B') })).body;
        const member = await api.call('POST', '/v1/contacts', { display_name: 'Member', group_ids: [a.id] });
        assert.equal(member.status, 201);
        assert.deepEqual(member.body.group_ids, [a.id]);
        const outsider = (await api.call('POST', '/v1/contacts', { display_name: 'Outsider' })).body;
        assert.deepEqual(outsider.group_ids, []);

        const listA = await api.call('GET', `/v1/contacts?group_id=${a.id}`);
        assert.equal(listA.status, 200);
        assert.deepEqual(listA.body.data.map((c: { id: string }) => c.id), [member.body.id]);

        const moved = await api.call('PATCH', `/v1/contacts/${member.body.id}`, { group_ids: [b.id] });
        assert.equal(moved.status, 200);
        assert.deepEqual(moved.body.group_ids, [b.id]);
        assert.deepEqual((await api.call('GET', `/v1/contacts?group_id=${a.id}`)).body.data, []);
        assert.deepEqual((await api.call('GET', `/v1/contacts?group_id=${b.id}`)).body.data.map((c: { id: string }) => c.id), [member.body.id]);

        const unknown = await api.call('POST', '/v1/contacts', { display_name: 'Nowhere', group_ids: [randomUUID()] });
        assertProblem(unknown, 400, 'validation_failed');
        assert.ok(unknown.body.errors.some((e: { path: string }) => e.path.startsWith('group_ids')));
      });

      test('PUT and DELETE /v1/groups/{id}/members/{contactId} answer 204 and show in the contact\'s group_ids and the group_id filter', async () => {
        const group = (await api.call('POST', '/v1/groups', { name: unique('Members') })).body;
        const other = (await api.call('POST', '/v1/groups', { name: unique('Other members') })).body;
        const contact = (await api.call('POST', '/v1/contacts', { display_name: 'Joiner', group_ids: [other.id] })).body;

        const added = await api.call('PUT', `/v1/groups/${group.id}/members/${contact.id}`);
        assert.equal(added.status, 204);
        assert.equal(added.raw.body, '');
        const after = (await api.call('GET', `/v1/contacts/${contact.id}`)).body;
        assert.deepEqual([...after.group_ids].sort(), [group.id, other.id].sort());
        assert.equal(after.version, contact.version + 1, 'joining a group is a change of the contact');
        assert.deepEqual((await api.call('GET', `/v1/contacts?group_id=${group.id}`)).body.data.map((c: { id: string }) => c.id), [contact.id]);

        const again = await api.call('PUT', `/v1/groups/${group.id}/members/${contact.id}`);
        assert.equal(again.status, 204, 'adding twice is harmless');
        const twice = (await api.call('GET', `/v1/contacts/${contact.id}`)).body;
        assert.equal(twice.group_ids.filter((g: string) => g === group.id).length, 1);

        const removed = await api.call('DELETE', `/v1/groups/${group.id}/members/${contact.id}`);
        assert.equal(removed.status, 204);
        assert.deepEqual((await api.call('GET', `/v1/contacts/${contact.id}`)).body.group_ids, [other.id]);
        assert.deepEqual((await api.call('GET', `/v1/contacts?group_id=${group.id}`)).body.data, []);

        assertProblem(await api.call('PUT', `/v1/groups/${randomUUID()}/members/${contact.id}`), 404, 'group_not_found');
        assertProblem(await api.call('PUT', `/v1/groups/${group.id}/members/${randomUUID()}`), 404, 'contact_not_found');
        assertProblem(await api.call('DELETE', `/v1/groups/${group.id}/members/${randomUUID()}`), 404, 'contact_not_found');
      });

      test('deleting a group takes it off every member\'s group_ids; the members stay', async () => {
        const doomed = (await api.call('POST', '/v1/groups', { name: unique('Doomed') })).body;
        const stays = (await api.call('POST', '/v1/groups', { name: unique('Stays') })).body;
        const first = (await api.call('POST', '/v1/contacts', { display_name: 'First', group_ids: [doomed.id, stays.id] })).body;
        const second = (await api.call('POST', '/v1/contacts', { display_name: 'Second' })).body;
        assert.equal((await api.call('PUT', `/v1/groups/${doomed.id}/members/${second.id}`)).status, 204);

        assert.equal((await api.call('DELETE', `/v1/groups/${doomed.id}`)).status, 204);
        const firstAfter = await api.call('GET', `/v1/contacts/${first.id}`);
        assert.equal(firstAfter.status, 200);
        assert.deepEqual(firstAfter.body.group_ids, [stays.id]);
        const secondAfter = await api.call('GET', `/v1/contacts/${second.id}`);
        assert.equal(secondAfter.status, 200);
        assert.deepEqual(secondAfter.body.group_ids, []);
        const filtered = await api.call('GET', `/v1/contacts?group_id=${doomed.id}`);
        assert.equal(filtered.status, 200);
        assert.deepEqual(filtered.body.data, []);
        // The member can be changed afterwards without tripping over the deleted group.
        const patched = await api.call('PATCH', `/v1/contacts/${first.id}`, { company: 'Still here' });
        assert.equal(patched.status, 200, JSON.stringify(patched.body));
      });
    });
  });
}
