/**
 * Issue 12 §1: "sync-collection ... Its cost follows the number of changes, not the size of the
 * book", and addressbook-query answers "from its indexed store". Checked by what the store is
 * asked (not by timing): a later sync reads the journal after its token and the changed contacts
 * by id, never a list of the book; a TEL, EMAIL or name query asks the store for the index match,
 * and only a filter no index serves (NICKNAME) walks the book.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ContactFilter } from '../../src/core/ports.ts';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';
import { bookPath, dav, multistatus, queryBody, syncBody } from './support.ts';

for (const engine of engines) {
  describe(`CardDAV costs on ${engine.name}`, () => {
    let api: TestApi;
    let book: string;
    let lists: ContactFilter[];
    let feedReads: number[];
    before(async () => {
      api = await startApi(engine);
      book = await api.newBook();
      const inputs = Array.from({ length: 300 }, (_, i) => ({ address_book_id: book, first_name: `Person${i}`, last_name: 'Cost', phone_numbers: [{ number: `+1212${String(5550000 + i)}` }], emails: [{ address: `p${i}@cost.test` }] }));
      await api.app.services.contacts.createMany(api.admin, inputs);
      // Count what the store is asked: the real store answers, nothing is replaced.
      const store = api.db.store;
      const list = store.contacts.list.bind(store.contacts);
      store.contacts.list = async (accountId, filter, page) => {
        lists.push(filter);
        return list(accountId, filter, page);
      };
      const readFeed = store.changes.readFeed.bind(store.changes);
      store.changes.readFeed = async (accountId, afterPosition, limit, types) => {
        feedReads.push(afterPosition);
        return readFeed(accountId, afterPosition, limit, types);
      };
    });
    after(() => api.close());
    const reset = () => {
      lists = [];
      feedReads = [];
    };

    test('a sync after a token reads the journal after it, and never lists the book', async () => {
      reset();
      const first = multistatus(await dav(api, 'REPORT', bookPath(book), syncBody('')));
      assert.equal(first.entries.length, 300);
      const id = (await api.call('GET', `/v1/contacts?address_book_id=${book}&limit=1`)).body.data[0].id;
      assert.equal((await api.call('PATCH', `/v1/contacts/${id}`, { last_name: 'Changed' })).status, 200);
      reset();
      const later = multistatus(await dav(api, 'REPORT', bookPath(book), syncBody(first.syncToken!)));
      assert.equal(later.entries.length, 1);
      assert.deepEqual(lists, [], 'no list of the book');
      assert.deepEqual(feedReads, [Number(first.syncToken!.split('/').pop())], 'one read of the journal, from the token on');
    });

    test('TEL and EMAIL equals are answered from the lookup index, name prefixes from store patterns; NICKNAME walks the book', async () => {
      const ask = async (filter: string) => {
        reset();
        const res = multistatus(await dav(api, 'REPORT', bookPath(book), queryBody(filter)));
        return { found: res.entries.length, lists };
      };
      const tel = await ask('<c:prop-filter name="TEL"><c:text-match match-type="equals">(212) 555-0042</c:text-match></c:prop-filter>');
      assert.equal(tel.found, 1);
      assert.deepEqual(tel.lists.map((f) => f.phoneE164), ['+12125550042']);
      const email = await ask('<c:prop-filter name="EMAIL"><c:text-match match-type="equals">P42@COST.TEST</c:text-match></c:prop-filter>');
      assert.equal(email.found, 1);
      assert.deepEqual(email.lists.map((f) => f.email), ['p42@cost.test']);
      const prefix = await ask('<c:prop-filter name="TEL"><c:text-match match-type="starts-with">212555004</c:text-match></c:prop-filter>');
      assert.equal(prefix.found, 10);
      assert.deepEqual(prefix.lists.map((f) => f.termPrefix), ['212555004'], 'the search terms');
      const name = await ask('<c:prop-filter name="FN"><c:text-match match-type="starts-with">Person29</c:text-match></c:prop-filter>');
      assert.equal(name.found, 11);
      assert.ok(name.lists.every((f) => f.patterns?.length === 1));
      const nick = await ask('<c:prop-filter name="NICKNAME"><c:text-match>x</c:text-match></c:prop-filter>');
      assert.equal(nick.found, 0);
      assert.ok(nick.lists.every((f) => f.phoneE164 === undefined && f.patterns === undefined && f.addressBookId === book), 'a walk of the book');
    });
  });
}
