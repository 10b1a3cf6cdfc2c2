import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { BASE, assertGwsError, basic, gws } from './support.ts';

for (const engine of engines) {
  describe(`Genesys GWS contacts on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof gws>;
    before(async () => {
      api = await startApi(engine);
      call = gws(api);
    });
    after(() => api.close());

    test('spec example: POST /contacts {"name","type":"Custom","phoneNumber"} answers {statusCode 0, id, path} (README Decision)', async () => {
      const phone = '651-555-0101';
      const res = await call('POST', '/contacts', { name: 'Some Contact', type: 'Custom', phoneNumber: phone });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ['id', 'path', 'statusCode']);
      assert.equal(res.body.statusCode, 0);
      assert.equal(res.body.path, `/contacts/${res.body.id}`);

      // "Creates a new contact of custom type" into the default address book (README: platforms without books).
      const native = await api.call('GET', `/v1/contacts/${res.body.id}`);
      assert.equal(native.status, 200);
      assert.equal(native.body.type, 'custom');
      assert.equal(native.body.display_name, 'Some Contact');
      assert.equal(native.body.phone_numbers[0].e164, '+16515550101');
      const books = await api.call('GET', '/v1/address-books');
      const defaultBook = books.body.data.find((b: { is_default: boolean }) => b.is_default);
      assert.equal(native.body.address_book_id, defaultBook.id);
    });

    test('spec: the contact object carries id, name, type and phoneNumber (GET /contacts?type=custom example)', async () => {
      const created = await call('POST', '/contacts', { name: 'Shape Check', phoneNumber: '651-555-0102' });
      const res = await call('GET', `/contacts?id=${created.body.id}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.statusCode, 0);
      assert.equal(res.body.totalCount, 1);
      assert.deepEqual(res.body.contacts, [
        {
          id: created.body.id,
          name: 'Shape Check',
          type: 'Custom',
          phoneNumber: '651-555-0102',
          phoneNumbers: [{ phoneNumber: '651-555-0102', description: 'other' }],
          path: `/contacts/${created.body.id}`,
        },
      ]);
    });

    test('spec: GET retrieves all contacts of the account, including queues, users and custom contacts', async () => {
      const custom = await call('POST', '/contacts', { name: 'All Custom', phoneNumber: uniquePhone() });
      const user = await api.createContact({ type: 'user', display_name: 'Joe Johnson', user_name: 'joej', first_name: 'Joe', last_name: 'Johnson', employee_id: 'E-77', phone_numbers: [{ number: uniquePhone() }], emails: [{ address: 'joej@example.com' }] });
      const queue = await api.createContact({ type: 'queue', display_name: 'Support Queue', phone_numbers: [{ number: uniquePhone() }] });
      const book = await api.newBook();
      const inOtherBook = await api.createContact({ display_name: 'Other Book Contact', address_book_id: book });

      const res = await call('GET', '/contacts');
      assert.equal(res.status, 200);
      const byId = new Map(res.body.contacts.map((c: { id: string }) => [c.id, c]));
      for (const id of [custom.body.id, user.id, queue.id, inOtherBook.id]) assert.ok(byId.has(id), `lists ${id}`);
      assert.equal(res.body.totalCount, res.body.contacts.length);

      // "name ... could be ... the first name/last name of a user"; userName, firstName, lastName, employeeId: "GET User".
      const wireUser = byId.get(user.id) as Record<string, unknown>;
      assert.equal(wireUser.type, 'User');
      assert.equal(wireUser.name, 'Joe Johnson');
      assert.equal(wireUser.userName, 'joej');
      assert.equal(wireUser.firstName, 'Joe');
      assert.equal(wireUser.lastName, 'Johnson');
      assert.equal(wireUser.employeeId, 'E-77');
      assert.equal(wireUser.emailAddress, 'joej@example.com');
      assert.equal((byId.get(queue.id) as Record<string, unknown>).type, 'Queue');
      assert.equal((byId.get(queue.id) as Record<string, unknown>).name, 'Support Queue');
      // "The presence or absence of each attribute is determined by resource type": User attributes only on Users.
      for (const id of [custom.body.id, queue.id, inOtherBook.id]) {
        for (const attribute of ['userName', 'firstName', 'lastName', 'employeeId']) assert.equal((byId.get(id) as Record<string, unknown>)[attribute], undefined, `${attribute} on ${id}`);
      }
    });

    test('another account\'s contacts are not listed', async () => {
      const other = await api.otherAccount();
      const theirs = await api.call('POST', '/v1/contacts', { display_name: 'Theirs' }, { key: other.key });
      const res = await call('GET', '/contacts');
      assert.ok(!res.body.contacts.some((c: { id: string }) => c.id === theirs.body.id));
    });

    test('GET /contacts/{id} answers {statusCode 0, contact}', async () => {
      const created = await call('POST', '/contacts', { name: 'Single', phoneNumber: '651-555-0103' });
      const res = await call('GET', `/contacts/${created.body.id}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.statusCode, 0);
      assert.equal(res.body.contact.id, created.body.id);
      assert.equal(res.body.contact.name, 'Single');
    });

    test('spec: PUT modifies a custom contact; answers {statusCode 0}', async () => {
      const created = await call('POST', '/contacts', { name: 'Before', phoneNumber: '651-555-0104' });
      const res = await call('PUT', `/contacts/${created.body.id}`, { name: 'After' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { statusCode: 0 });
      let read = await call('GET', `/contacts/${created.body.id}`);
      assert.equal(read.body.contact.name, 'After');
      assert.equal(read.body.contact.phoneNumber, '651-555-0104', 'attributes not given are kept');

      const phone = await call('PUT', `/contacts/${created.body.id}`, { phoneNumber: '+1 651 555 0105' });
      assert.equal(phone.status, 200);
      read = await call('GET', `/contacts/${created.body.id}`);
      assert.equal(read.body.contact.phoneNumber, '+1 651 555 0105');
      assert.equal(read.body.contact.phoneNumbers.length, 1, 'phoneNumber becomes the one number');
      assert.equal(read.body.contact.name, 'After');
    });

    test('a rename by name also renames the first and last names the contact has, so that every API shows one name (docs/dialects/genesys.md)', async () => {
      // genesys-gws-contacts-api.txt: "name String The name of this contact (for example, this could be the name of a queue or
      // the first name/last name of a user)": a GWS name is the whole name, first name then last name.
      const native = await api.call('POST', '/v1/contacts', { first_name: 'Jane', last_name: 'Doe', phone_numbers: [{ number: uniquePhone() }] });
      assert.equal(native.status, 201, JSON.stringify(native.body));
      assert.equal((await call('GET', `/contacts/${native.body.id}`)).body.contact.name, 'Jane Doe');
      assert.equal((await call('PUT', `/contacts/${native.body.id}`, { name: 'Jane van Dyke' })).status, 200);
      let read = (await api.call('GET', `/v1/contacts/${native.body.id}`)).body;
      assert.deepEqual([read.display_name, read.first_name, read.last_name], ['Jane van Dyke', 'Jane', 'van Dyke']);
      assert.equal((await call('PUT', `/contacts/${native.body.id}`, { name: 'Cher' })).status, 200);
      read = (await api.call('GET', `/v1/contacts/${native.body.id}`)).body;
      assert.deepEqual([read.display_name, read.first_name, read.last_name], ['Cher', 'Cher', null]);

      // A name that was never split (GWS's own Custom contacts: a company, a desk) is not split by a rename.
      const custom = await call('POST', '/contacts', { name: 'Acme Front Desk', phoneNumber: uniquePhone() });
      assert.equal((await call('PUT', `/contacts/${custom.body.id}`, { name: 'Acme Help Desk' })).status, 200);
      read = (await api.call('GET', `/v1/contacts/${custom.body.id}`)).body;
      assert.deepEqual([read.display_name, read.first_name, read.last_name], ['Acme Help Desk', null, null]);
    });

    test('spec: DELETE removes a custom contact; answers {statusCode 0}; it is gone after', async () => {
      const created = await call('POST', '/contacts', { name: 'Doomed' });
      const res = await call('DELETE', `/contacts/${created.body.id}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { statusCode: 0 });
      assertGwsError(await call('GET', `/contacts/${created.body.id}`), 404, 6);
      assertGwsError(await call('DELETE', `/contacts/${created.body.id}`), 404, 6);
      assert.equal((await api.call('GET', `/v1/contacts/${created.body.id}`)).status, 404);
    });

    test('spec permissions: an Agent (contacts:read key) may GET', async () => {
      const res = await call('GET', '/contacts', undefined, api.keys.read);
      assert.equal(res.status, 200);
      assert.equal(res.body.statusCode, 0);
    });

    test('README: every dialect also takes Authorization: Bearer <key>', async () => {
      const res = await api.call('GET', `${BASE}/contacts`, undefined, { key: api.keys.read });
      assert.equal(res.status, 200);
      const created = await api.call('POST', `${BASE}/contacts`, { name: 'Via Bearer' }, { key: api.keys.write });
      assert.equal(created.status, 200);
      assert.equal(created.body.statusCode, 0);
    });

    test('README Decision: Basic with the account id as user name; another account id is 401 (statusCode 20)', async () => {
      const other = await api.otherAccount();
      const res = await api.call('GET', `${BASE}/contacts`, undefined, { key: null, headers: basic(other.accountId, api.keys.admin) });
      assertGwsError(res, 401, 20);
      assert.match(String(res.headers['www-authenticate']), /^Basic/);
    });

    test('a duplicate the default address book refuses (reject policy) is 409, statusCode 18 ("Resource already exists"), nothing written', async () => {
      const books = await api.call('GET', '/v1/address-books');
      const defaultBook = books.body.data.find((b: { is_default: boolean }) => b.is_default);
      const phone = uniquePhone();
      const first = await call('POST', '/contacts', { name: 'Original', phoneNumber: phone });
      assert.equal(first.status, 200);
      assert.equal((await api.call('PATCH', `/v1/address-books/${defaultBook.id}`, { duplicate_policy: 'reject' })).status, 200);
      try {
        assertGwsError(await call('POST', '/contacts', { name: 'Copy', phoneNumber: phone }), 409, 18);
        const second = await call('POST', '/contacts', { name: 'Other', phoneNumber: uniquePhone() });
        assertGwsError(await call('PUT', `/contacts/${second.body.id}`, { phoneNumber: phone }), 409, 18);
        const list = await call('GET', `/contacts?phoneNumber=${encodeURIComponent(phone)}`);
        assert.deepEqual(list.body.contacts.map((c: { id: string }) => c.id), [first.body.id]);
      } finally {
        await api.call('PATCH', `/v1/address-books/${defaultBook.id}`, { duplicate_policy: 'allow' });
      }
    });

    test('a contact created through GWS is visible natively, and a native one through GWS, with the same phones and emails', async () => {
      const native = await api.createContact({ display_name: 'Native Person', phone_numbers: [{ number: '+16515550106', type: 'mobile' }, { number: '+16515550107', label: 'desk' }], emails: [{ address: 'np@example.com' }] });
      const res = await call('GET', `/contacts/${native.id}`);
      assert.equal(res.body.contact.phoneNumber, '+16515550106');
      assert.deepEqual(res.body.contact.phoneNumbers, [
        { phoneNumber: '+16515550106', description: 'mobile' },
        { phoneNumber: '+16515550107', description: 'desk' },
      ]);
      assert.equal(res.body.contact.emailAddress, 'np@example.com');
    });
  });
}
