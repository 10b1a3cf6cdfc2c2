import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { ZOOM_SPEC, assertZoomError, newZoomBook, zoom } from './support.ts';

/** Units and address books (zoom-contact-center-address-books-openapi.json: listUnits ... deleteAddressBook). */
for (const engine of engines) {
  describeWithSpec(ZOOM_SPEC, `Zoom units and address books on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof zoom>;
    before(async () => {
      api = await startApi(engine);
      call = zoom(api);
    });
    after(() => api.close());

    test('Decision "every account has a default unit": listUnits shows it; createAddressBook without unit_id puts the book there', async () => {
      const units = await call('GET', '/units');
      assert.equal(units.status, 200);
      assert.equal(units.body.total_records, 1);
      assert.equal(units.body.page_size, 30, 'page_size default 30');
      const [unit] = units.body.units;
      const created = await call('POST', '', { address_book_name: 'Sales', address_book_description: 'This is an address book.' });
      assert.equal(created.status, 201);
      assert.deepEqual({ ...created.body, address_book_id: undefined }, {
        address_book_id: undefined, address_book_name: 'Sales', address_book_description: 'This is an address book.', total_contacts: 0, unit_id: unit.unit_id, unit_name: unit.unit_name,
      });
      const native = await api.call('GET', `/v1/address-books/${created.body.address_book_id}`);
      assert.equal(native.status, 200);
      assert.equal(native.body.name, 'Sales', 'the book is a core address book, visible through /v1');
    });

    test('createUnit 201 / getUnit / updateUnit 204 / deleteUnit 204; "Unit already exists" 400/1904; "Unit does not exist" 404/1901', async () => {
      const name = `Unit ${randomUUID().slice(0, 8)}`;
      const created = await call('POST', '/units', { unit_name: name, unit_description: 'This is a unit.' });
      assert.equal(created.status, 201);
      assert.equal(created.body.unit_name, name);
      assertZoomError(await call('POST', '/units', { unit_name: name }), 400, 1904);
      const id = created.body.unit_id;
      assert.deepEqual((await call('GET', `/units/${id}`)).body, { unit_id: id, unit_name: name, unit_description: 'This is a unit.' });
      const patched = await call('PATCH', `/units/${id}`, { unit_name: `${name} 2` });
      assert.equal(patched.status, 204);
      assert.equal(patched.raw.body, '');
      assert.equal((await call('GET', `/units/${id}`)).body.unit_name, `${name} 2`);
      const taken = (await call('POST', '/units', { unit_name: `${name} other` })).body;
      assertZoomError(await call('PATCH', `/units/${taken.unit_id}`, { unit_name: `${name} 2` }), 400, 1904);
      assert.equal((await call('DELETE', `/units/${id}`)).status, 204);
      assertZoomError(await call('GET', `/units/${id}`), 404, 1901);
      assertZoomError(await call('PATCH', `/units/${id}`, { unit_name: 'x' }), 404, 1901);
      assertZoomError(await call('DELETE', `/units/${id}`), 404, 1901);
    });

    test('a book in a named unit; listAddressBooks by unit_id (absent: every book); unknown unit 404/1901; empty unit_id 400/1902', async () => {
      const unit = (await call('POST', '/units', { unit_name: `U ${randomUUID().slice(0, 8)}` })).body;
      const bookId = await newZoomBook(call, { unit_id: unit.unit_id });
      const inUnit = await call('GET', `?unit_id=${unit.unit_id}`);
      assert.deepEqual(inUnit.body.address_books.map((b: any) => [b.address_book_id, b.unit_id, b.unit_name]), [[bookId, unit.unit_id, unit.unit_name]]);
      assert.equal(inUnit.body.total_records, 1);
      const all = await call('GET', '?page_size=300');
      assert.ok(all.body.address_books.some((b: any) => b.address_book_id === bookId));
      assert.ok(all.body.address_books.some((b: any) => b.unit_id !== unit.unit_id), 'every book of the account');
      assertZoomError(await call('GET', `?unit_id=${randomUUID()}`), 404, 1901);
      assertZoomError(await call('GET', '?unit_id='), 400, 1902);
      assertZoomError(await call('POST', '', { address_book_name: 'x', unit_id: randomUUID() }), 404, 1901);
      assertZoomError(await call('POST', '', { address_book_name: 'x', unit_id: '' }), 400, 1902);
    });

    test('deleting a unit moves its books to the default unit (Decision); the default unit cannot be deleted (400/1905)', async () => {
      const defaultUnit = (await call('GET', '/units')).body.units[0];
      assertZoomError(await call('DELETE', `/units/${defaultUnit.unit_id}`), 400, 1905);
      const unit = (await call('POST', '/units', { unit_name: `Gone ${randomUUID().slice(0, 8)}` })).body;
      const bookId = await newZoomBook(call, { unit_id: unit.unit_id });
      assert.equal((await call('DELETE', `/units/${unit.unit_id}`)).status, 204);
      assert.equal((await call('GET', `/${bookId}`)).body.unit_id, defaultUnit.unit_id);
    });

    test('createAddressBook: "address_book_name cannot be an empty value" 400/1903; "Address book already exists" 400/2002; getAddressBook counts contacts', async () => {
      assertZoomError(await call('POST', '', {}), 400, 1903);
      assertZoomError(await call('POST', '', { address_book_name: '  ' }), 400, 1903);
      const name = `Dup ${randomUUID().slice(0, 8)}`;
      const bookId = await newZoomBook(call, { address_book_name: name });
      assertZoomError(await call('POST', '', { address_book_name: name }), 400, 2002);
      await call('POST', `/${bookId}/contacts`, { display_name: 'One', phone_numbers: [uniquePhone()] });
      const got = await call('GET', `/${bookId}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.total_contacts, 1);
      assert.equal(got.body.address_book_name, name);
    });

    test('updateAddressBook 204 (name taken 400/2002); deleteAddressBook 204 with its contacts; unknown book: 404/2001 on GET and PATCH, 404/1201 on DELETE (as the file says)', async () => {
      const bookId = await newZoomBook(call);
      const other = await newZoomBook(call);
      const otherName = (await call('GET', `/${other}`)).body.address_book_name;
      assertZoomError(await call('PATCH', `/${bookId}`, { address_book_name: otherName }), 400, 2002);
      assert.equal((await call('PATCH', `/${bookId}`, { address_book_name: 'Renamed ' + bookId, address_book_description: 'd' })).status, 204);
      assert.deepEqual([(await call('GET', `/${bookId}`)).body.address_book_name, (await call('GET', `/${bookId}`)).body.address_book_description], ['Renamed ' + bookId, 'd']);
      const contact = (await call('POST', `/${bookId}/contacts`, { display_name: 'Goes', emails: ['goes@example.com'] })).body;
      assert.equal((await call('DELETE', `/${bookId}`)).status, 204);
      assertZoomError(await call('GET', `/${bookId}`), 404, 2001);
      assertZoomError(await call('PATCH', `/${bookId}`, { address_book_name: 'x' }), 404, 2001);
      assertZoomError(await call('DELETE', `/${bookId}`), 404, 1201);
      assert.equal((await api.call('GET', `/v1/contacts/${contact.contact_id}`)).status, 404, 'its contacts went with it');
    });

    test('the account\'s default book cannot be deleted (400/2004); another tenant\'s units and books are unknown (404)', async () => {
      const books = (await call('GET', '?page_size=300')).body.address_books;
      const native = await api.call('GET', '/v1/address-books?limit=100');
      const defaultId = native.body.data.find((b: any) => b.is_default).id;
      assert.ok(books.some((b: any) => b.address_book_id === defaultId));
      assertZoomError(await call('DELETE', `/${defaultId}`), 400, 2004);
      const other = await api.otherAccount();
      const theirs = zoom({ ...api, keys: { ...api.keys, admin: other.key } });
      const theirUnit = (await theirs('GET', '/units')).body.units[0].unit_id;
      const theirBook = await newZoomBook(theirs);
      assertZoomError(await call('GET', `/units/${theirUnit}`), 404, 1901);
      assertZoomError(await call('DELETE', `/units/${theirUnit}`), 404, 1901);
      assertZoomError(await call('GET', `/${theirBook}`), 404, 2001);
      assertZoomError(await call('PATCH', `/${theirBook}`, { address_book_name: 'mine' }), 404, 2001);
      assertZoomError(await call('DELETE', `/${theirBook}`), 404, 1201);
      assert.equal((await theirs('GET', `/${theirBook}`)).status, 200);
    });

    test('page_size (max 300) and next_page_token walk every unit once; total_records counts them all; page_size 301 is 400/300', async () => {
      for (let i = 0; i < 3; i++) await call('POST', '/units', { unit_name: `Page ${i} ${randomUUID().slice(0, 6)}` });
      const total = (await call('GET', '/units')).body.total_records;
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await call('GET', `/units?page_size=2${token ? `&next_page_token=${token}` : ''}`);
        assert.equal(page.body.page_size, 2);
        assert.equal(page.body.total_records, total);
        seen.push(...page.body.units.map((u: any) => u.unit_id));
        token = page.body.next_page_token;
      } while (token);
      assert.equal(seen.length, total);
      assert.equal(new Set(seen).size, total);
      assertZoomError(await call('GET', '/units?page_size=301'), 400, 300);
      assertZoomError(await call('GET', '/units?next_page_token=garbage'), 400, 300);
    });

    test('two racing createAddressBook / createUnit of one name leave one and answer the others "already exists" (2002 / 1904)', async () => {
      const bookName = `Race ${randomUUID().slice(0, 8)}`;
      const books = await Promise.all([0, 1, 2].map(() => call('POST', '', { address_book_name: bookName })));
      assert.deepEqual(books.map((r) => r.status).sort(), [201, 400, 400]);
      for (const r of books.filter((b) => b.status === 400)) assertZoomError(r, 400, 2002);
      const unitName = `Race ${randomUUID().slice(0, 8)}`;
      const units = await Promise.all([0, 1, 2].map(() => call('POST', '/units', { unit_name: unitName })));
      assert.deepEqual(units.map((r) => r.status).sort(), [201, 400, 400]);
      for (const r of units.filter((u) => u.status === 400)) assertZoomError(r, 400, 1904);
      const all = (await call('GET', '?page_size=300')).body.address_books;
      assert.equal(all.filter((b: any) => b.address_book_name === bookName).length, 1);
    });
  });
}
