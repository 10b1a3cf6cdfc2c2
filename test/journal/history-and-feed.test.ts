import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

/** Reads the whole feed from `after` (a cursor or position), following next_cursor until it stops moving. */
async function readFeed(api: TestApi, query = '', key?: string): Promise<{ changes: any[]; cursor: string }> {
  const changes: any[] = [];
  let cursor = '0';
  for (;;) {
    const res = await api.call('GET', `/v1/changes?after=${cursor}&limit=7${query}`, undefined, key === undefined ? {} : { key });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    changes.push(...res.body.data);
    if (!res.body.has_more) return { changes, cursor: res.body.next_cursor };
    cursor = res.body.next_cursor;
  }
}

for (const engine of engines) {
  describe(`change journal: history and feed on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    test('create, change and delete each leave a change with actor, request id and each field before and after', async () => {
      const phone = uniquePhone();
      const created = await api.call('POST', '/v1/contacts', { display_name: 'Ada', company: 'Acme', phone_numbers: [{ number: phone }] }, { headers: { 'x-request-id': 'req-create-1' } });
      assert.equal(created.status, 201);
      const id = created.body.id;
      const patched = await api.call('PATCH', `/v1/contacts/${id}`, { company: 'Acme Corp' }, { key: api.keys.write, headers: { 'x-request-id': 'req-patch-1' } });
      assert.equal(patched.status, 200);
      assert.equal((await api.call('DELETE', `/v1/contacts/${id}`)).status, 204);

      const history = await api.call('GET', `/v1/contacts/${id}/history`, undefined, { key: api.keys.read });
      assert.equal(history.status, 200, JSON.stringify(history.body));
      assert.deepEqual(history.body.data.map((c: any) => c.type), ['contact.deleted', 'contact.updated', 'contact.created']);
      const [deleted, updated, made] = history.body.data;
      assert.deepEqual(made.actor, { key_id: api.admin.keyId, surface: 'native' });
      assert.equal(made.request_id, 'req-create-1');
      assert.deepEqual(made.fields.display_name, { before: null, after: 'Ada' });
      assert.equal(made.fields.phone_numbers.after[0].e164, phone);
      assert.deepEqual(updated.fields, { company: { before: 'Acme', after: 'Acme Corp' } });
      assert.equal(updated.request_id, 'req-patch-1');
      assert.notEqual(updated.actor.key_id, api.admin.keyId, 'the write key is the actor of the patch');
      assert.equal(deleted.fields.company.before, 'Acme Corp');
      assert.equal(deleted.fields.company.after, null);
      assert.ok(made.position < updated.position && updated.position < deleted.position);
      // A tombstone is not there for reads, but its history is.
      assert.equal((await api.call('GET', `/v1/contacts/${id}`)).status, 404);
    });

    test('history pages newest first with a cursor, and is 404 for a contact that never existed', async () => {
      const contact = await api.createContact({ display_name: 'Pages' });
      for (let i = 0; i < 4; i++) assert.equal((await api.call('PATCH', `/v1/contacts/${contact.id}`, { role: `role ${i}` })).status, 200);
      const first = await api.call('GET', `/v1/contacts/${contact.id}/history?limit=2`);
      assert.equal(first.body.data.length, 2);
      assert.ok(first.body.next_cursor);
      const second = await api.call('GET', `/v1/contacts/${contact.id}/history?limit=2&cursor=${first.body.next_cursor}`);
      const third = await api.call('GET', `/v1/contacts/${contact.id}/history?limit=2&cursor=${second.body.next_cursor}`);
      const all = [...first.body.data, ...second.body.data, ...third.body.data];
      assert.equal(all.length, 5);
      assert.equal(third.body.next_cursor, null);
      assert.deepEqual(all.map((c: any) => c.position), [...all.map((c: any) => c.position)].sort((a, b) => b - a));
      const missing = await api.call('GET', '/v1/contacts/00000000-0000-4000-8000-000000000000/history');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'contact_not_found');
    });

    test('the feed lists every change once, oldest first; types filter; next_cursor moves on past the end', async () => {
      const { changes, cursor } = await readFeed(api);
      const positions = changes.map((c) => c.position);
      assert.deepEqual(positions, [...new Set(positions)].sort((a, b) => a - b), 'each position once, in order');
      // SQLite numbers each account's changes 1, 2, 3, …; PostgreSQL's positions grow with gaps.
      if (engine.name === 'sqlite') assert.deepEqual(positions, Array.from({ length: positions.length }, (_, i) => i + 1), 'no gaps on SQLite');
      // Nothing new: the cursor stays and the page is empty.
      const idle = await api.call('GET', `/v1/changes?after=${cursor}`);
      assert.deepEqual(idle.body.data, []);
      assert.equal(idle.body.next_cursor, cursor);
      const made = await api.createContact({ display_name: 'Later' });
      const next = await api.call('GET', `/v1/changes?after=${cursor}`);
      assert.deepEqual(next.body.data.map((c: any) => [c.type, c.object_id]), [['contact.created', made.id]]);

      const onlyCreates = await readFeed(api, '&types=contact.created');
      assert.ok(onlyCreates.changes.length > 0 && onlyCreates.changes.every((c) => c.type === 'contact.created'));
      assert.equal(onlyCreates.cursor, next.body.next_cursor, 'a filtered reader is carried to the same end');
    });

    test('admin objects are journalled; a key without admin sees contact changes only and is refused admin types', async () => {
      const book = await api.newBook('reject');
      const field = await api.call('POST', '/v1/custom-fields', { key: 'tier', data_type: 'string' });
      assert.equal(field.status, 201, JSON.stringify(field.body));
      const group = await api.call('POST', '/v1/groups', { name: `g ${uniquePhone()}` });
      assert.equal(group.status, 201);
      const admin = await readFeed(api, '&types=address_book.*,custom_field.created,group.*');
      assert.ok(admin.changes.some((c) => c.type === 'address_book.created' && c.object_id === book));
      assert.ok(admin.changes.some((c) => c.type === 'custom_field.created' && c.snapshot.key === 'tier'));
      assert.ok(admin.changes.some((c) => c.type === 'group.created' && c.object_id === group.body.id));

      const reader = await readFeed(api, '', api.keys.read);
      assert.ok(reader.changes.length > 0 && reader.changes.every((c) => c.object_type === 'contact'));
      const refused = await api.call('GET', '/v1/changes?types=address_book.created', undefined, { key: api.keys.read });
      assert.equal(refused.status, 403);
      const unknown = await api.call('GET', '/v1/changes?types=contact.exploded');
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.errors[0].path, 'types');
    });

    test('tenants never see each other\'s changes or history', async () => {
      const other = await api.otherAccount();
      const mine = await api.createContact({ display_name: 'Mine' });
      assert.equal((await api.call('GET', `/v1/contacts/${mine.id}/history`, undefined, { key: other.key })).status, 404);
      const res = await api.call('GET', '/v1/changes?after=0&limit=1000', undefined, { key: other.key });
      assert.ok(res.body.data.every((c: any) => c.object_type !== 'contact' || c.object_id !== mine.id));
      assert.ok(res.body.data.every((c: any) => c.snapshot === null || c.snapshot.account_id === undefined || c.snapshot.account_id === other.accountId));
    });
  });
}
