/** POST /v1/contacts/bulk: one action on a filtered set or on listed contacts, chunk by chunk, through the core's rules. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertNamesField, assertProblem, token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, type Response, type TestApi } from '../support/api.ts';
import { BULK_CHUNK, ContactBulkService } from '../../src/core/contacts/contact-bulk.service.ts';

for (const engine of engines) {
  describe(`contact bulk actions on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    /** Creates `count` contacts named `<word> n` (in `book` when given); returns their ids. */
    async function makeContacts(word: string, count: number, extra: Record<string, unknown> = {}, key = api.keys.admin): Promise<string[]> {
      const ids: string[] = [];
      for (let start = 0; start < count; start += 1000) {
        const contacts = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({ display_name: `${word} ${start + i}`, ...extra }));
        const res = await api.call('POST', '/v1/contacts/batch', { contacts }, { key });
        assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
        for (const r of res.body.results) {
          assert.equal(r.status, 201, JSON.stringify(r));
          ids.push(r.contact.id);
        }
      }
      return ids;
    }

    const newGroup = async (extra: Record<string, unknown> = {}, key = api.keys.admin) => (await api.call('POST', '/v1/groups', { name: `Bulk ${randomUUID()}`, ...extra }, { key })).body.id as string;
    const bulk = (body: unknown, key = api.keys.write) => api.call('POST', '/v1/contacts/bulk', body, { key });

    /** Every change of the feed that this request wrote. */
    async function changesOf(res: Response, types: string): Promise<any[]> {
      const found: any[] = [];
      let after = '0';
      for (;;) {
        const page = await api.call('GET', `/v1/changes?after=${after}&limit=1000&types=${types}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        found.push(...page.body.data.filter((c: { request_id: string }) => c.request_id === res.headers['x-request-id']));
        if (!page.body.has_more) return found;
        after = page.body.next_cursor;
      }
    }

    test('add_to_group on a filter: every match (over several chunks) joins, nothing else; one journal entry each', async () => {
      const book = await api.newBook();
      const word = token();
      const inBook = await makeContacts(word, 450, { address_book_id: book });
      const outside = await makeContacts(word, 3);
      const group = await newGroup();

      const res = await bulk({ action: 'add_to_group', group_id: group, filter: { address_book_id: book } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { action: 'add_to_group', matched: 450, changed: 450, failed: 0, group_id: group, errors: [], next_cursor: null });

      const members = await api.call('GET', `/v1/contacts?group_id=${group}&limit=500`);
      assert.deepEqual(members.body.data.map((c: { id: string }) => c.id).sort(), [...inBook].sort());
      for (const id of outside) assert.deepEqual((await api.call('GET', `/v1/contacts/${id}`)).body.group_ids, []);
      const journal = await changesOf(res, 'contact.updated');
      assert.equal(journal.length, 450);
      assert.deepEqual(journal[0].fields.group_ids, { before: [], after: [group] });

      // Again: already members, nothing changes and nothing is journalled.
      const again = await bulk({ action: 'add_to_group', group_id: group, filter: { address_book_id: book } });
      assert.deepEqual([again.body.matched, again.body.changed, again.body.failed], [450, 0, 0]);
      assert.equal((await changesOf(again, 'contact.updated')).length, 0);

      // remove_from_group on the group's own filter empties it.
      const removed = await bulk({ action: 'remove_from_group', group_id: group, filter: { group_id: group, q: word } });
      assert.deepEqual([removed.body.matched, removed.body.changed, removed.body.failed], [450, 450, 0]);
      assert.deepEqual((await api.call('GET', `/v1/contacts?group_id=${group}`)).body.data, []);
    });

    test('block on selected ids: they join the account\'s block list (made on first use); delete on a q filter buries only the matches', async () => {
      const word = token();
      const [a, b, c] = await makeContacts(word, 3);
      const res = await bulk({ action: 'block', ids: [a, b, a] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.matched, res.body.changed, res.body.failed], [2, 2, 0], 'ids counted once');
      const blockList = (await api.call('GET', `/v1/groups/${res.body.group_id}`)).body;
      assert.equal(blockList.is_blocklist, true);
      for (const id of [a, b]) assert.deepEqual((await api.call('GET', `/v1/contacts/${id}`)).body.group_ids, [blockList.id]);
      assert.deepEqual((await api.call('GET', `/v1/contacts/${c}`)).body.group_ids, []);
      assert.equal((await bulk({ action: 'block', ids: [c] })).body.group_id, blockList.id, 'the same block list next time');

      const other = token();
      const kept = await makeContacts(other, 2);
      const deleted = await bulk({ action: 'delete', filter: { q: word } });
      assert.deepEqual(deleted.body, { action: 'delete', matched: 3, changed: 3, failed: 0, group_id: null, errors: [], next_cursor: null });
      for (const id of [a, b, c]) assertProblem(await api.call('GET', `/v1/contacts/${id}`), 404, 'contact_not_found');
      for (const id of kept) assert.equal((await api.call('GET', `/v1/contacts/${id}`)).status, 200);
      assert.equal((await changesOf(deleted, 'contact.deleted')).length, 3);
      assert.equal((await api.call('POST', `/v1/contacts/${a}/restore`)).status, 200, 'a tombstone, restorable');
    });

    test('each contact succeeds or fails on its own: unknown ids, and agents for a non-admin key, are reported', async () => {
      const word = token();
      const [plain] = await makeContacts(word, 1);
      const agent = await api.createContact({ display_name: `${word} agent`, type: 'user' });
      const unknown = randomUUID();
      const res = await bulk({ action: 'delete', ids: [plain, agent.id, unknown] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.matched, res.body.changed, res.body.failed], [3, 1, 2]);
      const byId = Object.fromEntries(res.body.errors.map((e: { contact_id: string; error: any }) => [e.contact_id, e.error]));
      assert.equal(byId[agent.id].code, 'forbidden');
      assert.equal(byId[agent.id].status, 403);
      assert.equal(byId[unknown].code, 'contact_not_found');
      assert.equal(byId[unknown].status, 404);
      assert.equal((await api.call('GET', `/v1/contacts/${agent.id}`)).status, 200, 'the agent stays');
      assertProblem(await api.call('GET', `/v1/contacts/${plain}`), 404, 'contact_not_found');
    });

    test('tenant isolation: a filter never reaches another account; its ids are unknown; its group is refused', async () => {
      const other = await api.otherAccount();
      const word = token();
      const mine = await makeContacts(word, 2);
      const theirs = await makeContacts(word, 2, {}, other.key);
      const theirBook = (await api.call('POST', '/v1/address-books', { name: `Theirs ${word}` }, { key: other.key })).body.id;
      const theirGroup = await newGroup({}, other.key);
      const group = await newGroup();

      const res = await bulk({ action: 'add_to_group', group_id: group, filter: { q: word } });
      assert.deepEqual([res.body.matched, res.body.changed], [2, 2]);
      const byBook = await bulk({ action: 'delete', filter: { address_book_id: theirBook } });
      assert.deepEqual([byBook.body.matched, byBook.body.changed], [0, 0]);
      const byGroup = await bulk({ action: 'delete', filter: { group_id: theirGroup } });
      assert.deepEqual([byGroup.body.matched, byGroup.body.changed], [0, 0]);
      const byIds = await bulk({ action: 'delete', ids: theirs });
      assert.deepEqual([byIds.body.matched, byIds.body.changed, byIds.body.failed], [2, 0, 2]);
      assert.ok(byIds.body.errors.every((e: { error: { code: string } }) => e.error.code === 'contact_not_found'));
      assertNamesField(await bulk({ action: 'add_to_group', group_id: theirGroup, ids: mine }), 'group_id');

      for (const id of theirs) {
        const contact = await api.call('GET', `/v1/contacts/${id}`, undefined, { key: other.key });
        assert.equal(contact.status, 200);
        assert.deepEqual(contact.body.group_ids, []);
        assert.equal(contact.body.version, 1);
      }
      for (const id of mine) assert.deepEqual((await api.call('GET', `/v1/contacts/${id}`)).body.group_ids, [group]);
    });

    test('a read-only key is refused (403) and nothing changes', async () => {
      const word = token();
      const ids = await makeContacts(word, 2);
      assertProblem(await bulk({ action: 'delete', filter: { q: word } }, api.keys.read), 403, 'forbidden');
      assertProblem(await bulk({ action: 'delete', ids }, null as unknown as string), 401, 'unauthorized');
      for (const id of ids) assert.equal((await api.call('GET', `/v1/contacts/${id}`)).body.version, 1);
    });

    test('bad requests are 400s naming the field, and change nothing', async () => {
      const word = token();
      const ids = await makeContacts(word, 1);
      const group = await newGroup();
      assertNamesField(await bulk({ action: 'paint', ids }), 'action');
      assertNamesField(await bulk({ ids }), 'action');
      assertNamesField(await bulk({ action: 'delete' }), 'filter');
      assertNamesField(await bulk({ action: 'delete', ids, filter: {} }), 'filter');
      assertNamesField(await bulk({ action: 'delete', ids: [] }), 'ids');
      assertNamesField(await bulk({ action: 'delete', ids: Array.from({ length: 1001 }, () => randomUUID()) }), 'ids');
      assertNamesField(await bulk({ action: 'delete', ids, cursor: 'eyJzIjoxLCJ1IjoyfQ' }), 'cursor');
      assertNamesField(await bulk({ action: 'delete', ids, limit: 5 }), 'limit');
      assertNamesField(await bulk({ action: 'delete', filter: { q: word }, cursor: 'not-a-cursor' }), 'cursor');
      assertNamesField(await bulk({ action: 'delete', filter: { q: word }, limit: 0 }), 'limit');
      assertNamesField(await bulk({ action: 'delete', filter: { q: word }, limit: 10_001 }), 'limit');
      assertNamesField(await bulk({ action: 'add_to_group', ids }), 'group_id');
      assertNamesField(await bulk({ action: 'add_to_group', group_id: randomUUID(), ids }), 'group_id');
      assertNamesField(await bulk({ action: 'delete', group_id: group, ids }), 'group_id');
      assertNamesField(await bulk({ action: 'delete', filter: { colour: 'red' } }), 'filter.colour');
      assertNamesField(await bulk({ action: 'delete', filter: { updated_since: 'yesterday' } }), 'filter.updated_since');
      assertNamesField(await bulk({ action: 'delete', filter: { type: 'robot' } }), 'filter.type');
      assertNamesField(await bulk({ action: 'delete', filter: [] }), 'filter');
      assertProblem(await api.call('POST', '/v1/contacts/bulk', '{"action":', { headers: { 'content-type': 'application/json' } }), 400);
      assert.equal((await api.call('GET', `/v1/contacts/${ids[0]}`)).body.version, 1);
    });

    test('a run over a large filter: limit and next_cursor page it; contacts created during the run are left out', async () => {
      const book = await api.newBook();
      const word = token();
      const first = await makeContacts(word, 250, { address_book_id: book });
      const group = await newGroup();
      const request = { action: 'add_to_group', group_id: group, filter: { address_book_id: book }, limit: 100 };
      const one = await bulk(request);
      assert.deepEqual([one.body.matched, one.body.changed], [100, 100]);
      assert.equal(typeof one.body.next_cursor, 'string');
      const late = await makeContacts(word, 5, { address_book_id: book });

      let cursor = one.body.next_cursor;
      let total = one.body.changed;
      let requests = 1;
      while (cursor !== null) {
        const next = await bulk({ ...request, cursor });
        assert.equal(next.status, 200, JSON.stringify(next.body));
        total += next.body.changed;
        cursor = next.body.next_cursor;
        assert.ok(++requests < 10, 'the run ends');
      }
      assert.equal(total, 250);
      for (const id of [first[0], first[149], first[249]]) assert.deepEqual((await api.call('GET', `/v1/contacts/${id}`)).body.group_ids, [group]);
      for (const id of late) assert.deepEqual((await api.call('GET', `/v1/contacts/${id}`)).body.group_ids, [], 'created after the run began');
      // A new run takes them.
      const rerun = await bulk({ action: 'add_to_group', group_id: group, filter: { address_book_id: book } });
      assert.deepEqual([rerun.body.matched, rerun.body.changed, rerun.body.next_cursor], [255, 5, null]);
    });

    test('a request stops starting chunks when its time is up, after one chunk at least', async () => {
      const book = await api.newBook();
      const word = token();
      const ids = await makeContacts(word, 2 * BULK_CHUNK + 1, { address_book_id: book });
      const hurried = new ContactBulkService(api.db.store, 0);
      const actor = api.admin;
      let result = await hurried.apply(actor, { action: 'delete', filter: { addressBookId: book } });
      const sizes = [result.matched];
      while (result.nextCursor !== null) {
        result = await hurried.apply(actor, { action: 'delete', filter: { addressBookId: book }, cursor: result.nextCursor });
        sizes.push(result.matched);
      }
      assert.deepEqual(sizes, [BULK_CHUNK, BULK_CHUNK, 1]);
      assert.deepEqual((await api.call('GET', `/v1/contacts?address_book_id=${book}`)).body.data, []);
      assert.equal((await api.call('GET', `/v1/contacts/${ids[0]}`)).status, 404);
    });

    test('updated_since and type filters select as the list does', async () => {
      const word = token();
      const older = await makeContacts(word, 2);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const since = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const newer = await makeContacts(word, 2);
      const group = await newGroup();
      const res = await bulk({ action: 'add_to_group', group_id: group, filter: { q: word, updated_since: since, type: 'custom' } });
      assert.deepEqual([res.body.matched, res.body.changed], [2, 2]);
      for (const id of newer) assert.deepEqual((await api.call('GET', `/v1/contacts/${id}`)).body.group_ids, [group]);
      for (const id of older) assert.deepEqual((await api.call('GET', `/v1/contacts/${id}`)).body.group_ids, []);
    });
  });
}
