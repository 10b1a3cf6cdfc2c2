/**
 * Issue 12 §1 "Large books ... PROPFIND Depth: 1 streams its answer": the members are read from
 * the store a page (500) at a time. A book of 1,234 cards crosses page boundaries: every card is
 * listed exactly once, in order, by PROPFIND Depth 1 and by the initial sync alike.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';
import { bookPath, dav, multistatus, propfindBody, syncBody } from './support.ts';

const CARDS = 1234;

for (const engine of engines) {
  describe(`CardDAV large books on ${engine.name}`, () => {
    let api: TestApi;
    let book: string;
    let ids: string[];
    before(async () => {
      api = await startApi(engine);
      book = await api.newBook();
      const inputs = Array.from({ length: CARDS }, (_, i) => ({ address_book_id: book, first_name: `Card${i}`, phone_numbers: [{ number: `+1415${String(2000000 + i).padStart(7, '0')}` }] }));
      const outcomes = await api.app.services.contacts.createMany(api.admin, inputs);
      ids = outcomes.map((o) => ('contact' in o ? o.contact.id : assert.fail(String(o.error))));
    });
    after(() => api.close());

    test('PROPFIND Depth 1 lists every card once, in order, across pages', async () => {
      const res = multistatus(await dav(api, 'PROPFIND', bookPath(book), propfindBody('<d:getetag/>'), { headers: { depth: '1' } }));
      assert.deepEqual(res.entries.slice(1).map((e) => e.href), ids.map((id) => `${bookPath(book)}${id}.vcf`));
    });

    test('the initial sync lists every card once; a TEL query in it finds one', async () => {
      const res = multistatus(await dav(api, 'REPORT', bookPath(book), syncBody('')));
      assert.equal(new Set(res.entries.map((e) => e.href)).size, CARDS);
      const query = `<c:addressbook-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/></d:prop><c:filter><c:prop-filter name="TEL"><c:text-match match-type="equals">(415) 200-1000</c:text-match></c:prop-filter></c:filter></c:addressbook-query>`;
      const found = multistatus(await dav(api, 'REPORT', bookPath(book), query));
      assert.deepEqual(found.entries.map((e) => e.href), [`${bookPath(book)}${ids[1000]}.vcf`]);
    });
  });
}
