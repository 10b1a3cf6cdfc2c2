// tsdav, the CardDAV client web apps use, against contactd on every engine (issue 12 §3):
// discovery, the address books, the cards (its fetchVCards lists them with an addressbook-query
// on `<prop-filter name="FN"/>`), a multiget, and sync by token.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAccount, createDAVClient, getBasicAuthHeaders, type DAVAddressBook, type DAVVCard } from 'tsdav';
import { uniquePhone } from '../support/api.ts';
import { fillBook, startDavServer, type DavServer } from '../support/dav-server.ts';
import { engines } from '../support/engines.ts';
import { summarizeCard } from '../support/vcards.ts';

type Client = Awaited<ReturnType<typeof createDAVClient>>;

for (const engine of engines) {
  describe(`tsdav against contactd on ${engine.name}`, () => {
    let server: DavServer;
    let bookId: string;
    let bookName: string;
    let ids: string[];
    let client: Client;
    let book: DAVAddressBook;
    let cards: DAVVCard[];

    const clientFor = (key: 'admin' | 'write' | 'read') =>
      createDAVClient({ serverUrl: server.davUrl, credentials: { username: server.api.accountId, password: server.api.keys[key] }, authMethod: 'Basic', defaultAccountType: 'carddav' });
    const findBook = (books: DAVAddressBook[]) => books.find((b) => new URL(b.url).pathname === `/dav/books/${bookId}/`);

    before(async () => {
      server = await startDavServer(engine);
      bookName = `tsdav ${randomUUID().slice(0, 8)}`;
      const created = await server.api.call('POST', '/v1/address-books', { name: bookName });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      bookId = created.body.id;
      ids = await fillBook(server.api, bookId, 25, (i) => ({ display_name: `Tsdav Person ${i}`, phone_numbers: [{ number: uniquePhone(), type: 'mobile' }], emails: [{ address: `tsdav${i}.${randomUUID().slice(0, 6)}@example.com` }] }));
    });
    after(() => server?.close());

    test('createDAVClient discovers the principal and the address book home', async () => {
      client = await clientFor('admin');
      // The same discovery the client just ran, through tsdav's own function, to see what it found.
      const account = await createAccount({
        account: { serverUrl: server.davUrl, accountType: 'carddav' },
        headers: getBasicAuthHeaders({ username: server.api.accountId, password: server.api.keys.admin }),
      });
      assert.equal(new URL(account.principalUrl!).pathname, '/dav/principal/');
      assert.equal(new URL(account.homeUrl!).pathname, '/dav/books/');
    });

    test('fetchAddressBooks lists the book with its name, ctag, sync token and reports', async () => {
      const books = await client.fetchAddressBooks();
      book = findBook(books)!;
      assert.ok(book, `the book is listed among ${books.map((b) => b.url).join(', ')}`);
      assert.equal(book.displayName, bookName);
      assert.ok(book.resourcetype?.includes('addressbook'));
      assert.ok(book.ctag, 'a ctag');
      assert.ok(book.syncToken, 'a sync token');
      for (const report of ['syncCollection', 'addressbookMultiget', 'addressbookQuery']) assert.ok(book.reports?.includes(report), `${report} in ${book.reports}`);
    });

    test('fetchVCards returns every card of the book, each with its ETag and its data', async () => {
      cards = await client.fetchVCards({ addressBook: book });
      assert.equal(cards.length, ids.length);
      const uids = cards.map((card) => summarizeCard(card.data).uid).sort();
      assert.deepEqual(uids, [...ids].sort());
      for (const card of cards) {
        assert.match(card.etag ?? '', /^"?.+"?$/);
        assert.match(summarizeCard(card.data).fn, /^Tsdav Person \d+$/);
      }
    });

    test('addressBookMultiGet fetches exactly the cards asked for', async () => {
      const wanted = cards.slice(0, 3).map((card) => new URL(card.url).pathname);
      const responses = await client.addressBookMultiGet({ url: book.url, props: { 'd:getetag': {}, 'card:address-data': {} }, objectUrls: wanted, depth: '1' });
      assert.deepEqual(responses.map((r) => decodeURIComponent(new URL(r.href ?? '', server.origin).pathname)).sort(), [...wanted].sort());
      for (const response of responses) {
        const data = response.props?.addressData?._cdata ?? response.props?.addressData;
        assert.match(String(data), /BEGIN:VCARD/);
      }
    });

    test('a sync by token reports what was created, changed and deleted since, and nothing after', async () => {
      const start = { ...book, objects: cards, objectMultiGet: client.addressBookMultiGet };
      const [changed, removed] = [ids[1]!, ids[2]!];
      assert.equal((await server.api.call('PATCH', `/v1/contacts/${changed}`, { display_name: 'Changed Since' })).status, 200);
      assert.equal((await server.api.call('DELETE', `/v1/contacts/${removed}`)).status, 204);
      const added = await server.api.createContact({ address_book_id: bookId, display_name: 'Added Since', phone_numbers: [{ number: uniquePhone() }] });

      const synced = await client.smartCollectionSyncDetailed({ collection: start, method: 'webdav' });
      const uidsOf = (objects: DAVVCard[]) => objects.map((o) => summarizeCard(o.data).uid);
      assert.deepEqual(uidsOf(synced.objects.created), [added.id]);
      assert.deepEqual(uidsOf(synced.objects.updated), [changed]);
      assert.equal(summarizeCard(synced.objects.updated[0]!.data).fn, 'Changed Since');
      assert.deepEqual(synced.objects.deleted.map((o) => new URL(o.url).pathname), [cards.find((c) => summarizeCard(c.data).uid === removed)!.url].map((u) => new URL(u).pathname));
      assert.ok(synced.syncToken && synced.syncToken !== book.syncToken, 'a new token');

      const again = await client.smartCollectionSyncDetailed({ collection: { ...synced, objects: [], objectMultiGet: client.addressBookMultiGet }, method: 'webdav' });
      assert.deepEqual(again.objects, { created: [], updated: [], deleted: [] });
    });

    test('createVCard, updateVCard and deleteVCard write through a contacts:write key', async () => {
      const writer = await clientFor('write');
      const writerBook = findBook(await writer.fetchAddressBooks())!;
      const uid = `tsdav-${randomUUID()}`;
      const phone = uniquePhone();
      const vCard = (fn: string) => ['BEGIN:VCARD', 'VERSION:4.0', `UID:${uid}`, `FN:${fn}`, `TEL;TYPE=cell:${phone}`, 'END:VCARD', ''].join('\r\n');
      const created = await writer.createVCard({ addressBook: writerBook, vCardString: vCard('Made By Tsdav'), filename: `${uid}.vcf` });
      assert.equal(created.status, 201);
      const url = new URL(`${uid}.vcf`, writerBook.url).href;
      const found = await server.api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`);
      assert.deepEqual(found.body.matches.map((c: { display_name: string }) => c.display_name), ['Made By Tsdav']);

      const [stored] = await writer.fetchVCards({ addressBook: writerBook, objectUrls: [new URL(url).pathname] });
      const updated = await writer.updateVCard({ vCard: { url, etag: stored!.etag, data: vCard('Renamed By Tsdav') } });
      assert.ok([200, 204].includes(updated.status), `update answered ${updated.status}`);
      const renamed = await server.api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`);
      assert.equal(renamed.body.matches[0].display_name, 'Renamed By Tsdav');

      const stale = await writer.updateVCard({ vCard: { url, etag: stored!.etag, data: vCard('Lost Update') } });
      assert.equal(stale.status, 412, 'an ETag that is no longer current is refused');

      const deleted = await writer.deleteVCard({ vCard: { url, etag: '' } });
      assert.ok([200, 204].includes(deleted.status), `delete answered ${deleted.status}`);
      assert.deepEqual((await server.api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`)).body.matches, []);
    });

    test('a contacts:read key syncs but cannot write', async () => {
      const reader = await clientFor('read');
      const readerBook = findBook(await reader.fetchAddressBooks())!;
      assert.ok(readerBook);
      assert.equal((await reader.fetchVCards({ addressBook: readerBook })).length, (await client.fetchVCards({ addressBook: book })).length);
      const uid = `tsdav-${randomUUID()}`;
      const refused = await reader.createVCard({ addressBook: readerBook, vCardString: ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, 'FN:Not Allowed', 'END:VCARD', ''].join('\r\n'), filename: `${uid}.vcf` });
      assert.equal(refused.status, 403);
    });

    test('Bearer works as well as Basic', async () => {
      const bearer = await createDAVClient({
        serverUrl: server.davUrl,
        credentials: {},
        authMethod: 'Custom',
        authFunction: async () => ({ authorization: `Bearer ${server.api.keys.read}` }),
        defaultAccountType: 'carddav',
      });
      assert.ok(findBook(await bearer.fetchAddressBooks()));
    });
  });
}
