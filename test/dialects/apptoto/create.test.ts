import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { BASE, apptoto, assertItemFailure } from './support.ts';

/** POST /contacts (apptoto-create-contacts.txt, every field of its tables). */
for (const engine of engines) {
  describe(`Apptoto POST /contacts on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof apptoto>;
    const bookName = () => `Book ${randomUUID()}`;
    const booksNamed = async (name: string) => (await api.call('GET', '/v1/address-books?limit=500')).body.data.filter((b: { name: string }) => b.name === name);
    before(async () => {
      api = await startApi(engine);
      call = apptoto(api);
    });
    after(() => api.close());

    test('spec: "The POST request body should look like {"contacts": [...]}"; "Example Result: { contacts: [ CONTACTS CREATED ] }"', async () => {
      const name = bookName();
      const phone = uniquePhone();
      const res = await call('POST', '/contacts', { contacts: [{ address_book: name, name: 'Fred Smith', phone, email: 'fred@example.com', external_id: `crm-${randomUUID()}` }] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ['contacts']);
      assert.equal(res.body.contacts.length, 1);
      const created = res.body.contacts[0];
      assert.equal(typeof created.id, 'number', 'integer ids (README: Apptoto contacts and address books)');
      assert.equal(typeof created.address_book_id, 'number');
      assert.equal(created.address_book, name);
      assert.equal(created.name, 'Fred Smith');
      assert.equal(created.phone, phone);
      assert.equal(created.email, 'fred@example.com');

      // The data is really in the core: the native API shows the same contact in the same book.
      const native = (await api.call('GET', `/v1/contacts?external_id=${encodeURIComponent(created.external_id)}`)).body.data;
      assert.equal(native.length, 1);
      assert.equal(native[0].display_name, 'Fred Smith');
      assert.equal(native[0].phone_numbers[0].e164, phone);
      assert.equal(native[0].emails[0].address, 'fred@example.com');
      const [book] = await booksNamed(name);
      assert.equal(native[0].address_book_id, book.id);
    });

    test('spec: address_book "If the address book doesn\'t exist then a new one will be provisioned"; named again, the same book', async () => {
      const name = bookName();
      const res = await call('POST', '/contacts', { contacts: [{ address_book: name, name: 'First In' }, { address_book: name, name: 'Second In' }] });
      assert.equal(res.body.contacts[0].address_book_id, res.body.contacts[1].address_book_id);
      assert.equal((await booksNamed(name)).length, 1);
      const again = await call('POST', '/contacts', { contacts: [{ address_book: name, name: 'Third In' }] });
      assert.equal(again.body.contacts[0].address_book_id, res.body.contacts[0].address_book_id);
    });

    test('racing creates naming one new address book get one book', async () => {
      const name = bookName();
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => call('POST', '/contacts', { contacts: [{ address_book: name, name: `Racer ${i}` }] })));
      const ids = new Set(answers.map((a) => a.body.contacts[0].address_book_id));
      assert.equal(ids.size, 1);
      assert.equal((await booksNamed(name)).length, 1);
    });

    test('spec: address_book_id "The id of the address book" (an integer); unknown or another account\'s id fails that item', async () => {
      const books = (await call('GET', '/address_books')).body.address_books;
      const theDefault = books.find((b: { is_default: boolean }) => b.is_default);
      const res = await call('POST', '/contacts', { contacts: [{ address_book_id: theDefault.id, name: 'By Id' }, { address_book_id: 987654, name: 'Nowhere' }] });
      assert.equal(res.body.contacts[0].address_book_id, theDefault.id);
      // As GET /contacts?address_book_id= answers an unknown book: 404 address_book_not_found.
      assertItemFailure(res.body.contacts[1], 404, 'address_book_not_found', 'address_book_id');
      const other = await api.otherAccount();
      const theirBook = (await api.call('GET', `${BASE}/address_books`, undefined, { key: other.key })).body.address_books[0];
      const foreign = await call('POST', '/contacts', { contacts: [{ address_book_id: theirBook.id + 1000, name: 'Foreign' }] });
      assertItemFailure(foreign.body.contacts[0], 404, 'address_book_not_found', 'address_book_id');
    });

    test('spec: address_book "Required unless address_book_id specified"; both naming different books fails the item', async () => {
      const res = await call('POST', '/contacts', { contacts: [{ name: 'No book' }] });
      assertItemFailure(res.body.contacts[0], 400, 'validation_failed', 'address_book');
      const books = (await call('GET', '/address_books')).body.address_books;
      const theDefault = books.find((b: { is_default: boolean }) => b.is_default);
      const both = await call('POST', '/contacts', { contacts: [{ address_book_id: theDefault.id, address_book: theDefault.name, name: 'Both agree' }, { address_book_id: theDefault.id, address_book: bookName(), name: 'Both disagree' }] });
      assert.equal(both.body.contacts[0].name, 'Both agree');
      assertItemFailure(both.body.contacts[1], 400, 'validation_failed', 'address_book');
    });

    test('spec: "you can provide either "name" or you can provide "first_name" and "last_name". "name" will take precedence."', async () => {
      const name = bookName();
      const res = await call('POST', '/contacts', {
        contacts: [
          { address_book: name, first_name: 'Jane', last_name: 'Doe' },
          { address_book: name, name: 'Ludwig van Beethoven', first_name: 'Ignored', last_name: 'Ignored' },
          { address_book: name, name: 'Cher' },
          { address_book: name, phone: uniquePhone() },
          { address_book: name, first_name: 'Solo', phone: uniquePhone() },
        ],
      });
      const [split, precedence, single, nameless, firstOnly] = res.body.contacts;
      assert.deepEqual([split.name, split.first_name, split.last_name], ['Jane Doe', 'Jane', 'Doe']);
      assert.deepEqual([precedence.name, precedence.first_name, precedence.last_name], ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven']);
      assert.deepEqual([single.name, single.first_name, single.last_name], ['Cher', 'Cher', null]);
      assertItemFailure(nameless, 400, 'validation_failed', 'name', 'name is (Required)');
      // Without name, first_name and last_name are both "(Required)".
      assertItemFailure(firstOnly, 400, 'validation_failed', 'last_name', 'last_name is (Required) without name');
    });

    test('README Decision: when no item is written the request fails with the items\' status and the first failure, every item\'s failure beside it', async () => {
      const one = await call('POST', '/contacts', { contacts: [{ address_book: bookName() }] });
      assert.equal(one.status, 400, JSON.stringify(one.body));
      assert.equal(one.body.code, 'validation_failed');
      assert.ok(one.body.fields.some((f: { field: string }) => f.field === 'name'));
      assertItemFailure(one.body.contacts[0], 400, 'validation_failed', 'name');
      const external = `ext-${randomUUID()}`;
      await call('POST', '/contacts', { contacts: [{ address_book: bookName(), name: 'Held', external_id: external }] });
      const taken = await call('POST', '/contacts', { contacts: [{ address_book: bookName(), name: 'Again', external_id: external }] });
      assert.equal(taken.status, 409, JSON.stringify(taken.body));
      assert.equal(taken.body.code, 'duplicate_external_id');
      const mixed = await call('POST', '/contacts', { contacts: [{ address_book: bookName() }, { address_book: bookName(), name: 'Again', external_id: external }] });
      assert.equal(mixed.status, 400, 'failures of different statuses: 400');
      assert.equal(mixed.body.contacts.length, 2);
      const partly = await call('POST', '/contacts', { contacts: [{ address_book: bookName() }, { address_book: bookName(), name: 'Written' }] });
      assert.equal(partly.status, 200, 'one item written: 200 with each entry');
      assert.equal(partly.body.contacts[1].name, 'Written');
    });

    test('spec: phone_numbers (number, is_mobile, type, is_primary) and email_addresses (address, type, is_primary)', async () => {
      const [p1, p2] = [uniquePhone(), uniquePhone()];
      const res = await call('POST', '/contacts', {
        contacts: [{
          address_book: bookName(), name: 'Many Ways',
          phone_numbers: [{ number: p1, type: 'home' }, { number: p2, is_mobile: true, is_primary: true }],
          email_addresses: [{ address: 'home@example.com', type: 'home' }, { address: 'work@example.com', type: 'work', is_primary: true }],
        }],
      });
      const c = res.body.contacts[0];
      assert.deepEqual(c.phone_numbers, [
        { number: p1, normalized_number: p1, type: 'home', is_mobile: false, is_primary: false },
        { number: p2, normalized_number: p2, type: 'mobile', is_mobile: true, is_primary: true },
      ]);
      assert.equal(c.phone, p2, 'the primary number');
      assert.deepEqual(c.email_addresses, [
        { address: 'home@example.com', type: 'home', is_primary: false },
        { address: 'work@example.com', type: 'work', is_primary: true },
      ]);
      assert.equal(c.email, 'work@example.com');
      const native = (await api.call('GET', `/v1/contacts?phone=${encodeURIComponent(p2)}`)).body.data[0];
      assert.deepEqual(native.phone_numbers.map((p: { type: string }) => p.type), ['home', 'mobile']);
    });

    test('spec: phone "A phone number for the contact. E.g. 650-555-1212" is stored as given and matched in E.164', async () => {
      const res = await call('POST', '/contacts', { contacts: [{ address_book: bookName(), name: 'Dash Format', phone: '650-555-1212', email: 'dash@example.com' }] });
      const c = res.body.contacts[0];
      assert.equal(c.phone, '650-555-1212');
      assert.equal(c.normalized_phone, '+16505551212');
      const found = (await call('GET', `/contacts?phone_number=${encodeURIComponent('(650) 555-1212')}`)).body.contacts;
      assert.ok(found.some((f: { id: number }) => f.id === c.id));
    });

    test('custom_data (README Decision): values of the account\'s custom fields, typed; an undefined key fails the item', async () => {
      const key = `f_${randomUUID().slice(0, 8)}`;
      assert.equal((await api.call('POST', '/v1/custom-fields', { key, data_type: 'number' })).status, 201);
      const res = await call('POST', '/contacts', {
        contacts: [
          { address_book: bookName(), name: 'Custom Ok', custom_data: { [key]: 7 }, external_id: `custom-${key}` },
          { address_book: bookName(), name: 'Custom Wrong Type', custom_data: { [key]: 'seven' } },
          { address_book: bookName(), name: 'Custom Unknown', custom_data: { never_defined: 'x' } },
        ],
      });
      assert.deepEqual(res.body.contacts[0].custom_data, { [key]: 7 });
      assertItemFailure(res.body.contacts[1], 400, 'validation_failed', `custom_data.${key}`);
      assertItemFailure(res.body.contacts[2], 400, 'validation_failed', 'custom_data.never_defined');
      const native = await api.call('GET', `/v1/contacts?external_id=custom-${key}`);
      assert.deepEqual(native.body.data[0].custom_fields, { [key]: 7 });
    });

    test('spec: external_id "unique across all calendars in user\'s account": a held one fails that item (409), two racing creates leave one contact', async () => {
      const externalId = `race-${randomUUID()}`;
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => call('POST', '/contacts', { contacts: [{ address_book: bookName(), name: `Racer ${i}`, external_id: externalId }] })));
      const entries = answers.map((a) => a.body.contacts[0]);
      const winners = entries.filter((e) => typeof e.id === 'number');
      assert.equal(winners.length, 1, JSON.stringify(entries));
      for (const e of entries.filter((x) => x.id === undefined)) assertItemFailure(e, 409, 'duplicate_external_id', 'external_id');
      const native = await api.call('GET', `/v1/contacts?external_id=${encodeURIComponent(externalId)}`);
      assert.equal(native.body.data.length, 1);
      // Within one request too.
      const twice = `twice-${randomUUID()}`;
      const res = await call('POST', '/contacts', { contacts: [{ address_book: bookName(), name: 'One', external_id: twice }, { address_book: bookName(), name: 'Two', external_id: twice }] });
      assert.equal(res.body.contacts[0].external_id, twice);
      assertItemFailure(res.body.contacts[1], 409, 'duplicate_external_id');
    });

    test('per-item results (README Decision): one bad item does not sink the others; it writes nothing, not even the book it named', async () => {
      const doomedBook = bookName();
      const keptBook = bookName();
      const before = (await api.call('GET', '/v1/contacts?limit=500')).body.data.length;
      const res = await call('POST', '/contacts', {
        contacts: [
          { address_book: keptBook, name: 'Good One' },
          { address_book: doomedBook, name: 'Bad Phone', phone: 'not a phone' },
          { address_book: keptBook, name: 'Bad Type', phone_numbers: [{ number: uniquePhone(), type: 'satellite' }] },
          { address_book: keptBook, name: 42 },
          { address_book: keptBook, name: 'Unknown Field', nickname: 'x' },
          'not an object',
          { address_book: keptBook, name: 'Good Two', email: 'not-an-email' },
          { address_book: keptBook, name: 'Good Three' },
        ],
      });
      assert.equal(res.status, 200);
      const entries = res.body.contacts;
      assert.equal(entries.length, 8);
      assert.equal(entries[0].name, 'Good One');
      assertItemFailure(entries[1], 400, 'validation_failed', 'phone');
      assertItemFailure(entries[2], 400, 'validation_failed', 'phone_numbers[0].type');
      assertItemFailure(entries[3], 400, 'validation_failed', 'name');
      assertItemFailure(entries[4], 400, 'validation_failed', 'nickname');
      assertItemFailure(entries[5], 400, 'validation_failed');
      assertItemFailure(entries[6], 400, 'validation_failed', 'email');
      assert.equal(entries[7].name, 'Good Three');
      assert.deepEqual(await booksNamed(doomedBook), []);
      assert.equal((await api.call('GET', '/v1/contacts?limit=500')).body.data.length, before + 2);
    });

    test('a duplicate the address book refuses fails that item (409, duplicate_contact)', async () => {
      const bookId = await api.newBook('reject');
      const books = (await call('GET', '/address_books')).body.address_books;
      const native = (await api.call('GET', `/v1/address-books/${bookId}`)).body;
      const book = books.find((b: { name: string }) => b.name === native.name);
      const phone = uniquePhone();
      const res = await call('POST', '/contacts', { contacts: [{ address_book_id: book.id, name: 'Holder', phone }, { address_book_id: book.id, name: 'Copy', phone }] });
      assert.equal(res.body.contacts[0].name, 'Holder');
      assertItemFailure(res.body.contacts[1], 409, 'duplicate_contact');
    });

    test('in a merge book, an item sharing a phone folds into the contact holding it, which is answered', async () => {
      const bookId = await api.newBook('merge');
      const native = (await api.call('GET', `/v1/address-books/${bookId}`)).body;
      const book = (await call('GET', '/address_books')).body.address_books.find((b: { name: string }) => b.name === native.name);
      const phone = uniquePhone();
      const res = await call('POST', '/contacts', { contacts: [{ address_book_id: book.id, address_book: ` ${native.name} `, name: 'Holder', phone }, { address_book_id: book.id, name: 'Second', phone, email: 'second@example.com' }] });
      const [first, second] = res.body.contacts;
      assert.equal(second.id, first.id, JSON.stringify(res.body));
      assert.deepEqual(second.email_addresses.map((e: { address: string }) => e.address), ['second@example.com']);
      assert.equal((await api.call('GET', `/v1/contacts?address_book_id=${bookId}`)).body.data.length, 1);
    });
  });
}
