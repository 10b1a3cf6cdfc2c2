import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { apptoto, assertApptotoError } from './support.ts';

/** GET /contacts (README Decision after Apptoto's GET /v1/events: filters, page, page_size) and GET /address_books. */
for (const engine of engines) {
  describe(`Apptoto GET /contacts and /address_books on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof apptoto>;
    const createIn = async (bookName: string, items: Record<string, unknown>[]) =>
      (await call('POST', '/contacts', { contacts: items.map((i) => ({ address_book: bookName, ...i })) })).body.contacts;
    before(async () => {
      api = await startApi(engine);
      call = apptoto(api);
    });
    after(() => api.close());

    test('filters: address_book_id, external_id, phone_number (any format), email_address (any case); they combine', async () => {
      const bookName = `List ${randomUUID()}`;
      const phone = uniquePhone();
      const externalId = `l-${randomUUID()}`;
      const [a, b] = await createIn(bookName, [{ name: 'Alpha', phone, email: 'Alpha@Example.com', external_id: externalId }, { name: 'Beta', phone: uniquePhone() }]);
      const [elsewhere] = await createIn(`Other ${randomUUID()}`, [{ name: 'Gamma', phone, email: 'alpha@example.com' }]);
      const ids = async (query: string) => (await call('GET', `/contacts?${query}`)).body.contacts.map((c: { id: number }) => c.id);
      assert.deepEqual(await ids(`address_book_id=${a.address_book_id}`), [a.id, b.id]);
      assert.deepEqual(await ids(`external_id=${externalId}`), [a.id]);
      assert.deepEqual(await ids(`phone_number=${encodeURIComponent(phone.slice(2))}`), [a.id, elsewhere.id], 'national format');
      assert.deepEqual(await ids(`email_address=ALPHA%40example.com`), [a.id, elsewhere.id]);
      assert.deepEqual(await ids(`email_address=alpha%40example.com&address_book_id=${a.address_book_id}`), [a.id]);
      assert.deepEqual(await ids(`phone_number=${encodeURIComponent(uniquePhone())}`), []);
    });

    test('paging: page (1 based) and page_size (default 30), oldest first, total_count over all pages', async () => {
      const bookName = `Pages ${randomUUID()}`;
      const created = await createIn(bookName, Array.from({ length: 35 }, (_, i) => ({ name: `Paged ${i}` })));
      const bookId = created[0].address_book_id;
      const first = (await call('GET', `/contacts?address_book_id=${bookId}`)).body;
      assert.equal(first.contacts.length, 30);
      assert.equal(first.page, 1);
      assert.equal(first.page_size, 30);
      assert.equal(first.total_count, 35);
      const second = (await call('GET', `/contacts?address_book_id=${bookId}&page=2`)).body;
      assert.deepEqual(second.contacts.map((c: { name: string }) => c.name), ['Paged 30', 'Paged 31', 'Paged 32', 'Paged 33', 'Paged 34']);
      const small = (await call('GET', `/contacts?address_book_id=${bookId}&page=3&page_size=10`)).body;
      assert.deepEqual(small.contacts.map((c: { id: number }) => c.id), created.slice(20, 30).map((c: { id: number }) => c.id));
      assert.deepEqual((await call('GET', `/contacts?address_book_id=${bookId}&page=9`)).body.contacts, []);
    });

    test('a contact created natively is listed with integer ids and its book, and another account\'s are not', async () => {
      const phone = uniquePhone();
      const native = await api.createContact({ display_name: 'Native One', first_name: 'Native', last_name: 'One', phone_numbers: [{ number: phone, type: 'mobile' }], emails: [{ address: 'native@example.com' }] });
      const listed = (await call('GET', `/contacts?phone_number=${encodeURIComponent(phone)}`)).body.contacts;
      assert.equal(listed.length, 1);
      assert.equal(listed[0].name, 'Native One');
      assert.equal(listed[0].phone_numbers[0].is_mobile, true);
      const books = (await call('GET', '/address_books')).body.address_books;
      const home = books.find((b: { id: number }) => b.id === listed[0].address_book_id);
      assert.equal(home.is_default, true);
      assert.equal(listed[0].address_book, home.name);
      assert.ok(native.id);
      const other = await api.otherAccount();
      const theirs = (await api.call('GET', `/apptoto/v1/contacts?phone_number=${encodeURIComponent(phone)}`, undefined, { key: other.key })).body.contacts;
      assert.deepEqual(theirs, []);
    });

    test('README: "a contact created through one platform\'s API is visible ... through every other dialect": a Genesys contact is listed here', async () => {
      const phone = uniquePhone();
      const gws = await api.call('POST', '/genesys/api/v2/contacts', { name: 'From Genesys', phoneNumber: phone });
      assert.equal(gws.status, 200, JSON.stringify(gws.body));
      const listed = (await call('GET', `/contacts?phone_number=${encodeURIComponent(phone)}`)).body.contacts;
      assert.deepEqual(listed.map((c: { name: string; normalized_phone: string }) => [c.name, c.normalized_phone]), [['From Genesys', phone]]);
    });

    test('an address_book_id the account does not have: 404, address_book_not_found', async () => {
      assertApptotoError(await call('GET', '/contacts?address_book_id=987654'), 404, 'address_book_not_found');
    });

    test('README: "GET /address_books lists address books with the phone and email types their type allows"', async () => {
      const bookName = `Typed ${randomUUID()}`;
      const [c] = await createIn(bookName, [{ name: 'Typed' }]);
      const res = await call('GET', '/address_books');
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['address_books']);
      const book = res.body.address_books.find((b: { name: string }) => b.name === bookName);
      assert.deepEqual(book, { id: c.address_book_id, name: bookName, type: 'contactd', is_default: false, phone_types: ['mobile', 'home', 'work', 'main', 'fax', 'pager', 'other'], email_types: ['home', 'work', 'other'] });
      // The types listed are the ones a write accepts.
      const all = await call('POST', '/contacts', { contacts: [{ address_book_id: book.id, name: 'Every Type', phone_numbers: book.phone_types.map((type: string) => ({ number: uniquePhone(), type })), email_addresses: book.email_types.map((type: string, i: number) => ({ address: `t${i}@example.com`, type })) }] });
      assert.deepEqual(all.body.contacts[0].phone_numbers.map((p: { type: string }) => p.type), book.phone_types);
      assert.deepEqual(all.body.contacts[0].email_addresses.map((e: { type: string }) => e.type), book.email_types);
      // Integer ids are the core's: the native API shows the same books.
      const nativeBooks = (await api.call('GET', '/v1/address-books?limit=500')).body.data;
      assert.equal(nativeBooks.length, res.body.address_books.length);
      assert.deepEqual(nativeBooks.map((b: { name: string }) => b.name), res.body.address_books.map((b: { name: string }) => b.name));
    });

    test('a contacts:read key may list; the list answers in the same shape with Bearer', async () => {
      assert.equal((await call('GET', '/contacts', undefined, api.keys.read)).status, 200);
      assert.equal((await call('GET', '/address_books', undefined, api.keys.read)).status, 200);
      const bearer = await api.call('GET', '/apptoto/v1/contacts?page_size=1', undefined, { key: api.keys.read });
      assert.equal(bearer.status, 200);
      assert.deepEqual(Object.keys(bearer.body).sort(), ['contacts', 'page', 'page_size', 'total_count']);
    });
  });
}
