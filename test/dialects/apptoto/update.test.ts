import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { apptoto, assertItemFailure } from './support.ts';

/** PUT /contacts (README: "creates or updates, matching on id or external_id"; https://apidocs.apptoto.com/reference/v1contacts-1). */
for (const engine of engines) {
  describe(`Apptoto PUT /contacts on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof apptoto>;
    let tierKey: string;
    const create = async (item: Record<string, unknown>) => {
      const res = await call('POST', '/contacts', { contacts: [{ address_book: `Put ${randomUUID()}`, ...item }] });
      assert.equal(typeof res.body.contacts[0].id, 'number', JSON.stringify(res.body));
      return res.body.contacts[0];
    };
    const put = async (...items: Record<string, unknown>[]) => {
      const res = await call('PUT', '/contacts', { contacts: items });
      // 200 when one item was written; when none was, the items' own status (README Decision).
      const noneWritten = res.body.contacts.every((e: { code?: string }) => e.code !== undefined);
      if (noneWritten) assert.ok(res.status >= 400 && res.status < 500 && typeof res.body.code === 'string', JSON.stringify(res.body));
      else assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.contacts;
    };
    const nativeOf = async (externalId: string) => (await api.call('GET', `/v1/contacts?external_id=${encodeURIComponent(externalId)}`)).body.data;
    before(async () => {
      api = await startApi(engine);
      call = apptoto(api);
      tierKey = `tier_${randomUUID().slice(0, 8)}`;
      await api.call('POST', '/v1/custom-fields', { key: tierKey, data_type: 'string' });
      await api.call('POST', '/v1/custom-fields', { key: `${tierKey}_n`, data_type: 'number' });
    });
    after(() => api.close());

    test('README: PUT "plain fields are patched": fields given change, fields not given are kept (by id and by external_id)', async () => {
      const externalId = `p-${randomUUID()}`;
      const phone = uniquePhone();
      const c = await create({ name: 'Fred Smith', phone, email: 'fred@example.com', external_id: externalId, custom_data: { [tierKey]: 'gold' } });
      const [byId] = await put({ id: c.id, last_name: 'Smyth' });
      assert.equal(byId.id, c.id);
      assert.deepEqual([byId.name, byId.first_name, byId.last_name], ['Fred Smyth', 'Fred', 'Smyth']);
      assert.equal(byId.phone, phone);
      assert.equal(byId.email, 'fred@example.com');
      assert.deepEqual(byId.custom_data, { [tierKey]: 'gold' });
      const [byExternal] = await put({ external_id: externalId, first_name: 'Frederick' });
      assert.equal(byExternal.id, c.id);
      assert.equal(byExternal.name, 'Frederick Smyth');
      const native = await nativeOf(externalId);
      assert.equal(native.length, 1);
      assert.equal(native[0].first_name, 'Frederick');
      assert.equal(native[0].last_name, 'Smyth');
    });

    test('README: "phone_numbers, email_addresses and custom_data are replaced whole"', async () => {
      const externalId = `w-${randomUUID()}`;
      const [p1, p2, p3] = [uniquePhone(), uniquePhone(), uniquePhone()];
      const c = await create({ name: 'Whole Lists', phone_numbers: [{ number: p1 }, { number: p2 }], email_addresses: [{ address: 'a@example.com' }, { address: 'b@example.com' }], custom_data: { [tierKey]: 'gold', [`${tierKey}_n`]: 1 }, external_id: externalId });
      const [changed] = await put({ id: c.id, phone_numbers: [{ number: p3, is_mobile: true }], email_addresses: [{ address: 'c@example.com', type: 'work' }], custom_data: { [`${tierKey}_n`]: 2 } });
      assert.deepEqual(changed.phone_numbers.map((p: { normalized_number: string; type: string }) => [p.normalized_number, p.type]), [[p3, 'mobile']]);
      assert.deepEqual(changed.email_addresses, [{ address: 'c@example.com', type: 'work', is_primary: true }]);
      assert.deepEqual(changed.custom_data, { [`${tierKey}_n`]: 2 }, 'not merged key by key');
      const [emptied] = await put({ id: c.id, email_addresses: [], custom_data: {} });
      assert.deepEqual(emptied.email_addresses, []);
      assert.deepEqual(emptied.custom_data, {});
      assert.equal(emptied.phone_numbers.length, 1, 'not given: kept');
      const native = (await nativeOf(externalId))[0];
      assert.deepEqual(native.emails, []);
      assert.deepEqual(native.phone_numbers.map((p: { e164: string }) => p.e164), [p3]);
      // The old numbers are no longer the contact's: lookups by them find nothing.
      assert.deepEqual((await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(p1)}`)).body.matches, []);
    });

    test('Apptoto PUT reference: add_phone and add_email add one to the stored ones (phone and email too, README Decision)', async () => {
      const [p1, p2, p3] = [uniquePhone(), uniquePhone(), uniquePhone()];
      const c = await create({ name: 'Adder', phone: p1, email: 'first@example.com' });
      const [changed] = await put({ id: c.id, add_phone: p2, add_email: 'second@example.com' });
      assert.deepEqual(changed.phone_numbers.map((p: { normalized_number: string }) => p.normalized_number), [p1, p2]);
      assert.deepEqual(changed.email_addresses.map((e: { address: string }) => e.address), ['first@example.com', 'second@example.com']);
      assert.equal(changed.phone, p1, 'the primary stays');
      const [again] = await put({ id: c.id, phone: p3 });
      assert.equal(again.phone_numbers.length, 3);
      const [bad] = await put({ id: c.id, add_phone: 'not a phone' });
      assertItemFailure(bad, 400, 'validation_failed', 'add_phone');
    });

    test('Apptoto PUT reference: "provide either an external_id or id, otherwise a new contact will be created"', async () => {
      const bookName = `New ${randomUUID()}`;
      const externalId = `n-${randomUUID()}`;
      const [plain, byExternal] = await put({ address_book: bookName, name: 'Brand New' }, { address_book: bookName, name: 'New By External', external_id: externalId });
      assert.equal(plain.name, 'Brand New');
      assert.equal(plain.address_book, bookName);
      assert.equal(byExternal.external_id, externalId);
      const [again] = await put({ external_id: externalId, name: 'Changed By External' });
      assert.equal(again.id, byExternal.id, 'the second PUT changes the contact the first created');
      assert.equal((await nativeOf(externalId)).length, 1);
    });

    test('a PUT that would create needs an address book and a name, as a POST does; an unknown id is not created', async () => {
      const [noBook, noName, unknownId] = await put({ name: 'No Book' }, { address_book: `B ${randomUUID()}`, phone: uniquePhone() }, { id: 987654321, name: 'Ghost' });
      assertItemFailure(noBook, 400, 'validation_failed', 'address_book');
      assertItemFailure(noName, 400, 'validation_failed', 'name');
      assertItemFailure(unknownId, 404, 'contact_not_found');
    });

    test('racing PUTs with the same new external_id leave one contact, and every one of them succeeds', async () => {
      const externalId = `race-${randomUUID()}`;
      const bookName = `Race ${randomUUID()}`;
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => call('PUT', '/contacts', { contacts: [{ external_id: externalId, address_book: bookName, name: `Racer ${i}` }] })));
      const ids = new Set(answers.map((a) => a.body.contacts[0].id));
      assert.equal(ids.size, 1, JSON.stringify(answers.map((a) => a.body)));
      assert.ok([...ids].every((id) => typeof id === 'number'));
      assert.equal((await nativeOf(externalId)).length, 1);
    });

    test('README: "A contact never moves between books": another book fails the item and changes nothing', async () => {
      const externalId = `m-${randomUUID()}`;
      const c = await create({ name: 'Stay Put', external_id: externalId });
      const other = await create({ name: 'Elsewhere' });
      const [byId, byExternal, byName, sameBook] = await put(
        { id: c.id, address_book_id: other.address_book_id, name: 'Moved' },
        { external_id: externalId, address_book_id: other.address_book_id, name: 'Moved' },
        { id: c.id, address_book: other.address_book, name: 'Moved' },
        { id: c.id, address_book_id: c.address_book_id, name: 'Same Book' },
      );
      assertItemFailure(byId, 400, 'validation_failed', 'address_book_id');
      assertItemFailure(byExternal, 400, 'validation_failed', 'address_book_id');
      assertItemFailure(byName, 400, 'validation_failed', 'address_book');
      assert.equal(sameBook.name, 'Same Book');
      assert.equal(sameBook.address_book_id, c.address_book_id);
    });

    test('id with external_id sets the external id; one held by another contact fails the item (409)', async () => {
      const a = await create({ name: 'Holder A', external_id: `a-${randomUUID()}` });
      const b = await create({ name: 'Holder B' });
      const fresh = `fresh-${randomUUID()}`;
      const [set, taken] = await put({ id: b.id, external_id: fresh }, { id: b.id, external_id: a.external_id });
      assert.equal(set.external_id, fresh);
      assertItemFailure(taken, 409, 'duplicate_external_id', 'external_id');
      assert.equal((await nativeOf(a.external_id))[0].display_name, 'Holder A');
    });

    test('another account\'s ids and external ids are not found and not touched', async () => {
      const other = await api.otherAccount();
      const theirExternal = `theirs-${randomUUID()}`;
      const theirs = (await api.call('POST', '/apptoto/v1/contacts', { contacts: [{ address_book: 'Theirs', name: 'Their Contact', external_id: theirExternal }] }, { key: other.key })).body.contacts[0];
      const [byId] = await put({ id: theirs.id, name: 'Taken Over' });
      assertItemFailure(byId, 404, 'contact_not_found');
      const [byExternal] = await put({ external_id: theirExternal, address_book: `Mine ${randomUUID()}`, name: 'Mine' });
      assert.notEqual(byExternal.id, theirs.id, 'external ids are per account: a new contact of mine');
      const stillTheirs = (await api.call('GET', `/v1/contacts?external_id=${theirExternal}`, undefined, { key: other.key })).body.data;
      assert.equal(stillTheirs.length, 1);
      assert.equal(stillTheirs[0].display_name, 'Their Contact');
    });

    test('directory users and queues stay read-only through Apptoto (403 for that item), even with an admin key', async () => {
      const user = await api.createContact({ type: 'user', display_name: 'Agent Smith', external_id: `u-${randomUUID()}` });
      const listed = (await call('GET', `/contacts?external_id=${user.external_id}`)).body.contacts;
      assert.equal(listed.length, 1, 'users are listed');
      const [byId] = await put({ id: listed[0].id, name: 'Hijacked' });
      const [byExternal] = await put({ external_id: user.external_id, name: 'Hijacked' });
      assertItemFailure(byId, 403, 'forbidden');
      assertItemFailure(byExternal, 403, 'forbidden');
      assert.equal((await api.call('GET', `/v1/contacts/${user.id}`)).body.display_name, 'Agent Smith');
    });
  });
}
