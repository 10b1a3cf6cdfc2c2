import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

for (const engine of engines) {
  describe(`delete, restore and purge on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    async function deleted(): Promise<any[]> {
      const res = await api.call('GET', '/v1/contacts?status=deleted&limit=500');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data;
    }

    test('a deleted contact is gone from reads, lookups, searches and duplicate rules, and listed as deleted', async () => {
      const book = await api.newBook('reject');
      const phone = uniquePhone();
      const name = `Tomb${randomUUID().slice(0, 8)}`;
      const contact = await api.createContact({ display_name: name, address_book_id: book, phone_numbers: [{ number: phone }] });
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}`, undefined, { key: api.keys.write })).status, 204);

      assert.equal((await api.call('GET', `/v1/contacts/${contact.id}`)).status, 404);
      assert.deepEqual((await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`)).body.matches, []);
      assert.deepEqual((await api.call('GET', `/v1/contacts?q=${name.toLowerCase()}`)).body.data, []);
      assert.ok(!(await api.call('GET', `/v1/contacts?address_book_id=${book}`)).body.data.some((c: any) => c.id === contact.id));
      const tombstone = (await deleted()).find((c) => c.id === contact.id);
      assert.equal(tombstone.status, 'deleted');
      assert.ok(Date.parse(tombstone.deleted_at) > 0);
      assert.equal(tombstone.phone_numbers[0].e164, phone);
      // The reject book's rule no longer counts it: the number is free again.
      const again = await api.call('POST', '/v1/contacts', { display_name: 'New holder', address_book_id: book, phone_numbers: [{ number: phone }] });
      assert.equal(again.status, 201);
    });

    test('restore brings the contact back whole: same id, data and groups; lookups find it; history says restored', async () => {
      const group = await api.call('POST', '/v1/groups', { name: `vip ${randomUUID()}` });
      const phone = uniquePhone();
      const contact = await api.createContact({ display_name: 'Back again', external_id: `ext-${randomUUID()}`, phone_numbers: [{ number: phone }], group_ids: [group.body.id] });
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}`)).status, 204);
      const restored = await api.call('POST', `/v1/contacts/${contact.id}/restore`, undefined, { key: api.keys.write });
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
      const { version, updated_at, ...rest } = restored.body;
      const { version: v0, updated_at: u0, ...before } = contact;
      assert.deepEqual(rest, before);
      assert.equal(version, v0 + 1);
      assert.equal((await api.call('GET', `/v1/contacts/${contact.id}`)).status, 200);
      assert.deepEqual((await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`)).body.matches.map((c: any) => c.id), [contact.id]);
      const members = await api.call('GET', `/v1/contacts?group_id=${group.body.id}`);
      assert.deepEqual(members.body.data.map((c: any) => c.id), [contact.id]);
      assert.ok(!(await deleted()).some((c) => c.id === contact.id));
      const history = await api.call('GET', `/v1/contacts/${contact.id}/history`);
      assert.deepEqual(history.body.data.slice(0, 2).map((c: any) => c.type), ['contact.restored', 'contact.deleted']);
    });

    test('restore is refused with a 409 naming the holder of its external id, or of its number in a reject book', async () => {
      const externalId = `ext-${randomUUID()}`;
      const first = await api.createContact({ display_name: 'First', external_id: externalId });
      assert.equal((await api.call('DELETE', `/v1/contacts/${first.id}`)).status, 204);
      const holder = await api.createContact({ display_name: 'Holder', external_id: externalId });
      const refused = await api.call('POST', `/v1/contacts/${first.id}/restore`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.code, 'duplicate_external_id');
      assert.equal(refused.body.existing_contact_id, holder.id);

      const book = await api.newBook('reject');
      const phone = uniquePhone();
      const old = await api.createContact({ display_name: 'Old', address_book_id: book, phone_numbers: [{ number: phone }] });
      assert.equal((await api.call('DELETE', `/v1/contacts/${old.id}`)).status, 204);
      const taker = await api.createContact({ display_name: 'Taker', address_book_id: book, phone_numbers: [{ number: phone }] });
      const clash = await api.call('POST', `/v1/contacts/${old.id}/restore`);
      assert.equal(clash.status, 409);
      assert.equal(clash.body.code, 'duplicate_contact');
      assert.equal(clash.body.existing_contact_id, taker.id);
      assert.ok((await deleted()).some((c) => c.id === old.id), 'a refused restore leaves the tombstone');
    });

    test('restore: a live contact is 409, an unknown one 404, a read-only key 403, another tenant 404', async () => {
      const live = await api.createContact({ display_name: 'Alive' });
      const notDeleted = await api.call('POST', `/v1/contacts/${live.id}/restore`);
      assert.equal(notDeleted.status, 409);
      assert.equal(notDeleted.body.code, 'contact_not_deleted');
      assert.equal((await api.call('POST', `/v1/contacts/${randomUUID()}/restore`)).status, 404);
      assert.equal((await api.call('DELETE', `/v1/contacts/${live.id}`)).status, 204);
      assert.equal((await api.call('POST', `/v1/contacts/${live.id}/restore`, undefined, { key: api.keys.read })).status, 403);
      const other = await api.otherAccount();
      assert.equal((await api.call('POST', `/v1/contacts/${live.id}/restore`, undefined, { key: other.key })).status, 404);
      assert.equal((await api.call('GET', '/v1/contacts?status=deleted', undefined, { key: other.key })).body.data.length, 0);
    });

    test('a book deleted with force leaves its contacts as tombstones, restored into the default book', async () => {
      const book = await api.newBook();
      const contact = await api.createContact({ display_name: 'In a doomed book', address_book_id: book });
      assert.equal((await api.call('DELETE', `/v1/address-books/${book}?force=true`)).status, 204);
      assert.ok((await deleted()).some((c) => c.id === contact.id));
      const restored = await api.call('POST', `/v1/contacts/${contact.id}/restore`);
      assert.equal(restored.status, 200);
      const books = await api.call('GET', '/v1/address-books');
      const fallback = books.body.data.find((b: any) => b.is_default);
      assert.equal(restored.body.address_book_id, fallback.id);
    });

    test('purge (admin only) erases the contact and its personal data from the journal, leaving a purged change', async () => {
      const secret = `Secret${randomUUID().slice(0, 8)}`;
      const phone = uniquePhone();
      const contact = await api.createContact({ display_name: secret, phone_numbers: [{ number: phone }] });
      assert.equal((await api.call('PATCH', `/v1/contacts/${contact.id}`, { company: `${secret} Ltd` })).status, 200);
      const forbidden = await api.call('DELETE', `/v1/contacts/${contact.id}?purge=true`, undefined, { key: api.keys.write });
      assert.equal(forbidden.status, 403);
      assert.equal((await api.call('GET', `/v1/contacts/${contact.id}`)).status, 200, 'a refused purge deletes nothing');
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}?purge=true`)).status, 204);

      assert.equal((await api.call('GET', `/v1/contacts/${contact.id}`)).status, 404);
      assert.ok(!(await deleted()).some((c) => c.id === contact.id), 'no tombstone is left');
      assert.equal((await api.call('POST', `/v1/contacts/${contact.id}/restore`)).status, 404);
      const history = await api.call('GET', `/v1/contacts/${contact.id}/history`);
      assert.deepEqual(history.body.data.map((c: any) => c.type), ['contact.purged', 'contact.updated', 'contact.created']);
      for (const change of history.body.data) {
        assert.equal(change.fields, null);
        assert.equal(change.snapshot, null);
      }
      const feed = await api.call('GET', '/v1/changes?after=0&limit=1000');
      const text = JSON.stringify(feed.body);
      assert.ok(!text.includes(secret) && !text.includes(phone.slice(1)), 'nothing of the contact is left in the feed');
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}?purge=true`)).status, 404);
    });

    test('purging a contact purges the records merged into it, which hold the same person\'s data', async () => {
      const secret = `Merged${randomUUID().slice(0, 8)}`;
      const survivor = await api.createContact({ display_name: 'Survivor' });
      const source = await api.createContact({ display_name: secret, company: `${secret} Ltd` });
      assert.equal((await api.call('POST', `/v1/contacts/${survivor.id}/merge`, { source_ids: [source.id] })).status, 200);
      assert.equal((await api.call('DELETE', `/v1/contacts/${survivor.id}?purge=true`)).status, 204);
      assert.equal((await api.call('GET', `/v1/contacts/${source.id}`)).status, 404);
      const history = await api.call('GET', `/v1/contacts/${source.id}/history`);
      assert.equal(history.body.data[0].type, 'contact.purged');
      const feed = await api.call('GET', '/v1/changes?after=0&limit=1000');
      assert.ok(!JSON.stringify(feed.body).includes(secret), 'nothing of the merged record is left in the feed');
    });

    test('a tombstone can be purged too', async () => {
      const contact = await api.createContact({ display_name: 'Deleted, then purged' });
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}`)).status, 204);
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}?purge=true`)).status, 204);
      assert.ok(!(await deleted()).some((c) => c.id === contact.id));
    });
  });

  describe(`the retention sweep on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      // A retention of about a tenth of a second, swept every second.
      api = await startApi(engine, { DELETED_RETENTION_DAYS: '0.000001', DELETED_SWEEP_SECONDS: '1' });
    });
    after(() => api.close());

    test('tombstones past the retention are purged by the sweep, by the system actor', async () => {
      const contact = await api.createContact({ display_name: 'Expiring' });
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}`)).status, 204);
      let types: string[] = [];
      for (let waited = 0; waited < 8000 && types[0] !== 'contact.purged'; waited += 200) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        types = (await api.call('GET', `/v1/contacts/${contact.id}/history`)).body.data.map((c: any) => c.type);
      }
      assert.deepEqual(types, ['contact.purged', 'contact.deleted', 'contact.created']);
      const purged = (await api.call('GET', `/v1/contacts/${contact.id}/history`)).body.data[0];
      assert.deepEqual(purged.actor, { key_id: null, surface: 'system' });
      assert.equal((await api.call('GET', '/v1/contacts?status=deleted')).body.data.length, 0);
    });
  });
}
