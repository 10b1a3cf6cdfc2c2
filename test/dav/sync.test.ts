/**
 * Issue 12 §1 sync-collection (RFC 6578), "served from the journal ... It honours limit. A token
 * older than the journal keeps answers 403 with DAV:valid-sync-token, so that clients fall back to
 * a full sync." An initial sync lists every member; a later one what changed or left since the
 * token (a delete, a move to another book), and the token moves on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { bookPath, cardPath, dav, multistatus, syncBody, vcard } from './support.ts';

for (const engine of engines) {
  describe(`CardDAV sync-collection on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    const sync = async (book: string, token: string, options: { limit?: number; props?: string } = {}) => multistatus(await dav(api, 'REPORT', bookPath(book), syncBody(token, options)));
    const newContact = async (book: string, name: string) => (await api.createContact({ address_book_id: book, first_name: name, phone_numbers: [{ number: uniquePhone() }] })).id as string;

    test('initial sync lists every member; a later one lists what changed and what was removed', async () => {
      const book = await api.newBook();
      const other = await api.newBook();
      const [a, b, c] = [await newContact(book, 'A'), await newContact(book, 'B'), await newContact(book, 'C')];
      await newContact(other, 'Elsewhere');
      const first = await sync(book, '');
      assert.deepEqual(first.entries.map((e) => e.href), [a, b, c].map((id) => cardPath(book, id)));
      assert.equal(first.entries[0]!.found.getetag, '"1"');
      assert.match(first.syncToken!, /^http:\/\/contactd\.org\/sync\/\d+$/);

      const unchanged = await sync(book, first.syncToken!);
      assert.deepEqual(unchanged.entries, [], 'nothing changed');
      assert.equal(unchanged.syncToken, first.syncToken);

      assert.equal((await api.call('PATCH', `/v1/contacts/${a}`, { last_name: 'Changed' })).status, 200);
      assert.equal((await api.call('DELETE', `/v1/contacts/${b}`)).status, 204);
      assert.equal((await api.call('PATCH', `/v1/contacts/${c}`, { address_book_id: other })).status, 200);
      const d = await newContact(book, 'D');
      await newContact(other, 'Elsewhere too');
      const put = await dav(api, 'PUT', cardPath(book, 'phone-made'), vcard(['UID:pm', 'FN:Phone Made']), { contentType: 'text/vcard' });
      assert.equal(put.status, 201);

      const second = await sync(book, first.syncToken!, { props: '<d:getetag/><c:address-data/>' });
      const byHref = new Map(second.entries.map((e) => [e.href, e]));
      assert.equal(byHref.size, 5, second.entries.map((e) => e.href).join());
      assert.equal(byHref.get(cardPath(book, a))!.found.getetag, '"2"');
      assert.match(byHref.get(cardPath(book, a))!.found['address-data'], /Changed/);
      assert.equal(byHref.get(cardPath(book, b))!.status, 404, 'deleted');
      assert.equal(byHref.get(cardPath(book, c))!.status, 404, 'moved to another book');
      assert.ok(byHref.get(cardPath(book, d))!.found.getetag);
      assert.ok(byHref.get(cardPath(book, 'phone-made'))!.found.getetag);
      assert.notEqual(second.syncToken, first.syncToken);

      const otherSync = await sync(other, first.syncToken!);
      assert.ok(otherSync.entries.some((e) => e.href === cardPath(other, c) && e.status === undefined), 'the moved card arrives in its new book');
      assert.deepEqual((await sync(book, second.syncToken!)).entries, []);
    });

    test('a card deleted through CardDAV is reported removed under its own name', async () => {
      const book = await api.newBook();
      assert.equal((await dav(api, 'PUT', cardPath(book, 'goner'), vcard(['UID:g', 'FN:Goner']), { contentType: 'text/vcard' })).status, 201);
      const token = (await sync(book, '')).syncToken!;
      assert.equal((await dav(api, 'DELETE', cardPath(book, 'goner'))).status, 204);
      const after = await sync(book, token);
      assert.deepEqual(after.entries.map((e) => [e.href, e.status]), [[cardPath(book, 'goner'), 404]]);
    });

    test('limit cuts a sync with a 507 for the book and a token that continues where it stopped', async () => {
      const book = await api.newBook();
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await newContact(book, `L${i}`));
      const seen: string[] = [];
      let token = '';
      for (let round = 0; round < 10; round++) {
        const page = await sync(book, token, { limit: 2 });
        seen.push(...page.entries.filter((e) => e.status === undefined).map((e) => e.href));
        token = page.syncToken!;
        if (!page.entries.some((e) => e.status === 507)) break;
        assert.equal(page.entries.find((e) => e.status === 507)!.href, bookPath(book));
      }
      assert.deepEqual(seen, ids.map((id) => cardPath(book, id)), 'the initial sync, in pages of 2');
      for (const id of ids) assert.equal((await api.call('PATCH', `/v1/contacts/${id}`, { last_name: 'X' })).status, 200);
      const changed: string[] = [];
      for (let round = 0; round < 10; round++) {
        const page = await sync(book, token, { limit: 2 });
        changed.push(...page.entries.filter((e) => e.status === undefined).map((e) => e.href));
        token = page.syncToken!;
        if (!page.entries.some((e) => e.status === 507)) break;
      }
      assert.deepEqual(changed.sort(), ids.map((id) => cardPath(book, id)).sort(), 'the changes, in pages of 2');
      assert.deepEqual((await sync(book, token)).entries, []);
    });

    test('an invalid, foreign or future token is a 403 with DAV:valid-sync-token', async () => {
      const book = await api.newBook();
      for (const token of ['garbage', 'http://example.com/sync/1', 'http://contactd.org/sync/99999999999', 'http://contactd.org/sync/-1']) {
        const res = await dav(api, 'REPORT', bookPath(book), syncBody(token));
        assert.equal(res.status, 403, token);
        assert.match(res.body, /<D:valid-sync-token\/>/, token);
        assert.match(String(res.headers['content-type']), /xml/);
      }
    });

    test('journal actor: a CardDAV write is journalled under the dav surface', async () => {
      const book = await api.newBook();
      assert.equal((await dav(api, 'PUT', cardPath(book, 'actor'), vcard(['FN:Actor One']), { contentType: 'text/vcard' })).status, 201);
      assert.equal((await dav(api, 'PUT', cardPath(book, 'actor'), vcard(['FN:Actor Two']), { contentType: 'text/vcard' })).status, 204);
      const feed = (await api.call('GET', '/v1/changes?limit=100')).body.data.filter((c: any) => c.snapshot?.address_book_id === book);
      const writerKey = (await api.app.services.accounts.authenticate(api.keys.write))!.keyId;
      assert.deepEqual(feed.map((c: any) => [c.type, c.actor.surface, c.actor.key_id]), [['contact.created', 'dav', writerKey], ['contact.updated', 'dav', writerKey]]);
    });
  });
}
