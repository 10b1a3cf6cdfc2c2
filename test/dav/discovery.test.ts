/**
 * Issue 12 §1, discovery "as Thunderbird, iOS and DAVx5 walk it" (RFC 6764 §5, RFC 5397, RFC 6352
 * §7.1.1): well-known 301 to /dav/, current-user-principal, addressbook-home-set, and one
 * collection per address book with its properties; PROPFIND Depth 0/1, allprop, propname, and
 * unknown properties in a 404 propstat (RFC 4918 §9.1).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { NS, bookPath, dav, entryOf, multistatus, propfindBody } from './support.ts';

for (const engine of engines) {
  describe(`CardDAV discovery on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    test('/.well-known/carddav redirects (301) to /dav/, and OPTIONS says what the server speaks', async () => {
      const res = await dav(api, 'GET', '/.well-known/carddav');
      assert.equal(res.status, 301);
      assert.equal(res.headers.location, '/dav/');
      assert.equal((await dav(api, 'PROPFIND', '/.well-known/carddav', propfindBody('<d:current-user-principal/>'))).status, 301);
      const options = await api.app.inject({ method: 'OPTIONS', url: '/dav/' });
      assert.equal(options.statusCode, 200);
      assert.equal(options.headers.dav, '1, 3, addressbook');
      assert.match(String(options.headers.allow), /PROPFIND/);
      assert.match(String(options.headers.allow), /REPORT/);
    });

    test('the chain: root -> principal -> home -> one collection per address book', async () => {
      const root = multistatus(await dav(api, 'PROPFIND', '/dav/', propfindBody('<d:current-user-principal/>'), { headers: { depth: '0' } }));
      assert.equal(root.entries.length, 1);
      assert.equal(root.entries[0]!.found['current-user-principal'].href[0], '/dav/principal/');

      const principal = multistatus(await dav(api, 'PROPFIND', '/dav/principal/', propfindBody('<c:addressbook-home-set/><d:displayname/><d:principal-URL/>'), { headers: { depth: '0' } }));
      const p = entryOf(principal.entries, '/dav/principal/');
      assert.equal(p.found['addressbook-home-set'].href[0], '/dav/books/');
      assert.equal(p.found.displayname, 'Test account');

      const created = await api.call('POST', '/v1/address-books', { name: `book ${Date.now()}`, description: 'Customers & partners' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const book: string = created.body.id;
      const props = '<d:displayname/><d:resourcetype/><c:supported-address-data/><cs:getctag/><d:sync-token/><d:current-user-privilege-set/><d:supported-report-set/><c:addressbook-description/>';
      const home = multistatus(await dav(api, 'PROPFIND', '/dav/books/', propfindBody(props), { headers: { depth: '1' } }));
      const books = (await api.call('GET', '/v1/address-books?limit=100')).body.data;
      assert.equal(home.entries.length, 1 + books.length, 'the home and one collection per book');
      const entry = entryOf(home.entries, bookPath(book));
      assert.match(entry.found.displayname, /^book /);
      assert.deepEqual(Object.keys(entry.found.resourcetype).sort(), ['addressbook', 'collection']);
      const types = entry.found['supported-address-data']['address-data-type'].map((t: any) => `${t['@content-type']} ${t['@version']}`);
      assert.deepEqual(types, ['text/vcard 3.0', 'text/vcard 4.0', 'application/vcard+json 4.0']);
      assert.match(entry.found['sync-token'], /^http:\/\/contactd\.org\/sync\/\d+$/);
      assert.equal(entry.found.getctag, entry.found['sync-token']);
      const reports = entry.found['supported-report-set']['supported-report'].map((r: any) => Object.keys(r.report)[0]);
      assert.deepEqual(reports.sort(), ['addressbook-multiget', 'addressbook-query', 'sync-collection']);
      const privileges = entry.found['current-user-privilege-set'].privilege.map((p: any) => Object.keys(p)[0]);
      assert.ok(privileges.includes('read') && privileges.includes('write-content') && privileges.includes('bind'), privileges.join());
      assert.equal(entry.found['addressbook-description'], 'Customers & partners');
    });

    test('a read-only key sees the books without write privileges', async () => {
      const book = await api.newBook();
      const res = multistatus(await dav(api, 'PROPFIND', bookPath(book), propfindBody('<d:current-user-privilege-set/>'), { key: api.keys.read, headers: { depth: '0' } }));
      const privileges = res.entries[0]!.found['current-user-privilege-set'].privilege.map((p: any) => Object.keys(p)[0]);
      assert.deepEqual(privileges.sort(), ['read', 'read-current-user-privilege-set']);
    });

    test('the ctag and sync token move when a card of the book changes, a delete included', async () => {
      const book = await api.newBook();
      const token = async () => multistatus(await dav(api, 'PROPFIND', bookPath(book), propfindBody('<cs:getctag/>'), { headers: { depth: '0' } })).entries[0]!.found.getctag;
      const t0 = await token();
      const contact = await api.createContact({ address_book_id: book, first_name: 'Ctag', phone_numbers: [{ number: uniquePhone() }] });
      const t1 = await token();
      assert.notEqual(t1, t0);
      assert.equal((await api.call('DELETE', `/v1/contacts/${contact.id}`)).status, 204);
      assert.notEqual(await token(), t1);
    });

    test('Depth 0 answers the collection alone; Depth 1 lists its cards with their ETags', async () => {
      const book = await api.newBook();
      const a = await api.createContact({ address_book_id: book, first_name: 'Ann', phone_numbers: [{ number: uniquePhone() }] });
      const b = await api.createContact({ address_book_id: book, first_name: 'Ben', phone_numbers: [{ number: uniquePhone() }] });
      const zero = multistatus(await dav(api, 'PROPFIND', bookPath(book), propfindBody('<d:getetag/>'), { headers: { depth: '0' } }));
      assert.deepEqual(zero.entries.map((e) => e.href), [bookPath(book)]);
      const one = multistatus(await dav(api, 'PROPFIND', bookPath(book), propfindBody('<d:getetag/><d:getcontenttype/>'), { headers: { depth: '1' } }));
      assert.deepEqual(one.entries.map((e) => e.href), [bookPath(book), `${bookPath(book)}${a.id}.vcf`, `${bookPath(book)}${b.id}.vcf`]);
      assert.equal(one.entries[1]!.found.getetag, `"${a.version}"`);
      assert.match(one.entries[1]!.found.getcontenttype, /^text\/vcard/);
      assert.deepEqual(one.entries[0]!.missing, ['getetag', 'getcontenttype'], 'a collection has no ETag: a 404 propstat');
    });

    test('allprop lists the properties, propname their names, unknown properties are a 404 propstat', async () => {
      const book = await api.newBook();
      const all = multistatus(await dav(api, 'PROPFIND', bookPath(book), `<d:propfind ${NS}><d:allprop/></d:propfind>`, { headers: { depth: '0' } }));
      assert.ok(all.entries[0]!.found.displayname && all.entries[0]!.found['sync-token']);
      const empty = multistatus(await dav(api, 'PROPFIND', bookPath(book), undefined, { headers: { depth: '0' } }));
      assert.ok(empty.entries[0]!.found.displayname, 'no body is allprop');
      const names = multistatus(await dav(api, 'PROPFIND', bookPath(book), `<d:propfind ${NS}><d:propname/></d:propfind>`, { headers: { depth: '0' } }));
      assert.equal(names.entries[0]!.found.displayname, '', 'propname: names without values');
      const odd = multistatus(await dav(api, 'PROPFIND', bookPath(book), `<A:propfind xmlns:A="DAV:" xmlns:Z="urn:example:z"><A:prop><A:displayname/><Z:colour/><A:quota-used-bytes/></A:prop></A:propfind>`, { headers: { depth: '0' } }));
      assert.deepEqual(odd.entries[0]!.missing.sort(), ['colour', 'quota-used-bytes']);
      assert.match(odd.entries[0]!.found.displayname, /^book /, 'any prefix is understood');
    });

    test('a body that is not XML is a 400, an unknown book a 404', async () => {
      const bad = await dav(api, 'PROPFIND', '/dav/books/', '<d:propfind xmlns:d="DAV:"><d:prop>');
      assert.equal(bad.status, 400, bad.body);
      const doctype = await dav(api, 'PROPFIND', '/dav/books/', '<!DOCTYPE x [<!ENTITY a "aaaa">]><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>');
      assert.equal(doctype.status, 400);
      assert.equal((await dav(api, 'PROPFIND', bookPath('00000000-0000-4000-8000-000000000000'), propfindBody('<d:displayname/>'))).status, 404);
    });
  });
}
