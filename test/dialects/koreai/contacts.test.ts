import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { assertKoreError, base, createBody, kore, koreHeaders, newStream, uniqueDigits } from './support.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

for (const engine of engines) {
  describe(`Kore.ai AgentAssist contacts on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    test('spec sample: POST {firstName, lastName, salutation, cellPhone} answers status ACTIVE, fullName, phone as +<country code><number>, accountId, address [], twitterDetails [], createdAt, updatedAt, id', async () => {
      const stream = newStream();
      const digits = uniqueDigits();
      const res = await kore(api, stream)('POST', '', { firstName: 'John', lastName: 'Doe', salutation: 'Mr', cellPhone: { phoneNumber: digits, countryCode: '+91', extension: '+' } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const { id, createdAt, updatedAt, ...rest } = res.body;
      assert.deepEqual(rest, {
        status: 'ACTIVE', firstName: 'John', lastName: 'Doe', salutation: 'Mr',
        cellPhone: { phoneNumber: `+91${digits}`, countryCode: '+91', extension: '+' },
        accountId: api.accountId, fullName: 'John Doe', address: [], twitterDetails: [],
        // Kore's update and list samples also carry instanceBotId, the bot (stream) the contact belongs to.
        instanceBotId: stream,
      });
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.match(createdAt, ISO);
      assert.equal(updatedAt, createdAt);

      // The data is in the core: the native API reads it back, in the stream's own address book.
      const native = await api.call('GET', `/v1/contacts/${id}`);
      assert.equal(native.status, 200);
      assert.equal(native.body.first_name, 'John');
      assert.equal(native.body.salutation, 'Mr');
      assert.equal(native.body.phone_numbers[0].e164, `+91${digits}`);
      assert.equal(native.body.phone_numbers[0].extension, '+');
      const book = await api.call('GET', `/v1/address-books/${native.body.address_book_id}`);
      assert.equal(book.body.name, `agentassist:${stream}`);
      assert.equal(book.body.duplicate_policy, 'reject');
    });

    test('spec: countryCode comes back as +<digits> whether sent with or without the plus', async () => {
      const digits = uniqueDigits();
      const res = await kore(api, newStream())('POST', '', { ...createBody(), cellPhone: { phoneNumber: digits, countryCode: '91', extension: '91' } });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.cellPhone, { phoneNumber: `+91${digits}`, countryCode: '+91', extension: '91' });
    });

    test('spec: "will allow duplicate names with different numbers but will prevent the same number from being associated with different or identical names"', async () => {
      const call = kore(api, newStream());
      const digits = uniqueDigits();
      assert.equal((await call('POST', '', createBody(digits))).status, 201);
      assert.equal((await call('POST', '', createBody())).status, 201, 'same name, other number');
      const list = await call('GET', '');
      assertKoreError(await call('POST', '', createBody(digits)), 409, 'DuplicateNumber');
      assertKoreError(await call('POST', '', createBody(digits, { firstName: 'Jane', lastName: 'Roe' })), 409, 'DuplicateNumber');
      assert.equal((await call('GET', '')).body.totalResults, list.body.totalResults, 'nothing written');
    });

    test('spec duplicate rule under a race: eight concurrent creates of one number leave one contact', async () => {
      const stream = newStream();
      const headers = await koreHeaders(api);
      const digits = uniqueDigits();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        api.call('POST', base(stream), createBody(digits, { firstName: `Racer${i}` }), { key: null, headers })));
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
      const lookup = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(`+91${digits}`)}`);
      assert.equal(lookup.body.matches.length, 1);
    });

    test('README Decision: each streamId is its own set of contacts; another stream\'s number is free and its ids are 404 here', async () => {
      const a = kore(api, newStream());
      const bStream = newStream();
      const b = kore(api, bStream);
      const digits = uniqueDigits();
      const inA = (await a('POST', '', createBody(digits))).body;
      const inB = await b('POST', '', createBody(digits));
      assert.equal(inB.status, 201, 'the same number in another stream');
      assert.deepEqual((await b('GET', '')).body.results.map((c: { id: string }) => c.id), [inB.body.id]);
      assertKoreError(await b('PUT', `/${inA.id}`, { firstName: 'Stolen' }), 404, 'NotFound');
      assertKoreError(await b('DELETE', `/${inA.id}`), 404, 'NotFound');
      const bulk = await b('DELETE', '/bulk-delete', { ids: [inA.id] });
      assert.equal(bulk.body.failed, 1);
      assert.equal((await api.call('GET', `/v1/contacts/${inA.id}`)).body.first_name, 'John', 'untouched');
      assert.equal((await api.call('GET', `/v1/contacts/${inA.id}`)).body.status, 'active');
    });

    test('README Decision: racing first calls of a new stream make one address book', async () => {
      const stream = newStream();
      const headers = await koreHeaders(api);
      const results = await Promise.all(Array.from({ length: 6 }, () => api.call('POST', base(stream), createBody(), { key: null, headers })));
      assert.ok(results.every((r) => r.status === 201));
      const books = (await api.call('GET', '/v1/address-books?limit=200')).body.data.filter((b: { name: string }) => b.name === `agentassist:${stream}`);
      assert.equal(books.length, 1);
      assert.equal((await kore(api, stream)('GET', '')).body.totalResults, 6);
    });

    test('README Decision "created on first use": reads and changes of a stream never used create nothing; its list is empty, its ids unknown', async () => {
      const before = await snapshot(api.db);
      const call = kore(api, newStream());
      assert.deepEqual((await call('GET', '')).body, { results: [], skip: 0, limit: 10, hasMore: false, totalPages: 0, totalResults: 0 });
      const someone = (await kore(api, newStream())('POST', '', createBody())).body.id;
      const afterCreate = await snapshot(api.db);
      assertKoreError(await call('PUT', `/${someone}`, { firstName: 'x' }), 404, 'NotFound');
      assertKoreError(await call('DELETE', `/${someone}`), 404, 'NotFound');
      assert.equal((await call('DELETE', '/bulk-delete', { ids: [someone] })).body.failedRecords[0].code, 'NotFound');
      assert.equal((await call('PUT', '/bulk-update', { contacts: [{ id: someone, firstName: 'x' }] })).body.failedRecords[0].code, 'NotFound');
      assert.deepEqual(await snapshot(api.db), afterCreate);
      assert.notDeepEqual(afterCreate, before);
    });

    test('Get All Contacts: {results, skip, limit, hasMore, totalPages, totalResults}, paged by skip and limit, oldest first', async () => {
      const call = kore(api, newStream());
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await call('POST', '', createBody(uniqueDigits(), { firstName: `P${i}` }))).body.id);
      const first = await call('GET', '?limit=2');
      assert.equal(first.status, 200);
      assert.deepEqual(Object.keys(first.body).sort(), ['hasMore', 'limit', 'results', 'skip', 'totalPages', 'totalResults']);
      assert.deepEqual({ ...first.body, results: first.body.results.map((c: { id: string }) => c.id) }, { results: ids.slice(0, 2), skip: 0, limit: 2, hasMore: true, totalPages: 3, totalResults: 5 });
      const last = await call('GET', '?skip=4&limit=2');
      assert.deepEqual(last.body.results.map((c: { id: string }) => c.id), [ids[4]]);
      assert.equal(last.body.hasMore, false);
      const all = await call('GET', '');
      assert.equal(all.body.limit, 10, 'Kore\'s sample default');
      assert.equal(all.body.skip, 0);
      assert.equal(all.body.results[0].fullName, 'P0 Doe');
    });

    test('Update a Contact: PUT /{id} changes the fields given and answers the contact; cellPhone replaces the number', async () => {
      const call = kore(api, newStream());
      const created = (await call('POST', '', createBody())).body;
      const digits = uniqueDigits();
      const res = await call('PUT', `/${created.id}`, { firstName: 'john', lastName: 'doe', salutation: 'mr', cellPhone: { phoneNumber: digits, countryCode: '+91', extension: '+' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.fullName, 'john doe');
      assert.equal(res.body.salutation, 'mr');
      assert.deepEqual(res.body.cellPhone, { phoneNumber: `+91${digits}`, countryCode: '+91', extension: '+' });
      assert.equal(res.body.createdAt, created.createdAt);
      assert.ok(res.body.updatedAt > created.updatedAt);
      const partial = await call('PUT', `/${created.id}`, { lastName: 'Smith' });
      assert.equal(partial.body.fullName, 'john Smith');
      // Kore's bulk-update sample sends fullName too: accepted, and it follows the names.
      const withFullName = await call('PUT', `/${created.id}`, { fullName: 'ignored name', salutation: 'Dr' });
      assert.equal(withFullName.status, 200, JSON.stringify(withFullName.body));
      assert.equal(withFullName.body.fullName, 'john Smith');
      assert.equal(partial.body.cellPhone.phoneNumber, `+91${digits}`);
      const native = await api.call('GET', `/v1/contacts/${created.id}`);
      assert.equal(native.body.last_name, 'Smith');
      assert.equal(native.body.phone_numbers.length, 1);
    });

    test('spec duplicate rule on PUT: moving onto a number another contact of the stream holds is 409, nothing changed', async () => {
      const call = kore(api, newStream());
      const held = uniqueDigits();
      await call('POST', '', createBody(held));
      const other = (await call('POST', '', createBody())).body;
      assertKoreError(await call('PUT', `/${other.id}`, { cellPhone: { phoneNumber: held, countryCode: '+91', extension: '+' } }), 409, 'DuplicateNumber');
      const res = await call('PUT', '/bulk-update', { contacts: [{ id: other.id, cellPhone: { phoneNumber: held, countryCode: '+91', extension: '+' } }] });
      assert.equal(res.body.failed, 1);
      assert.equal(res.body.failedRecords[0].code, 'DuplicateNumber');
      assert.equal((await api.call('GET', `/v1/contacts/${other.id}`)).body.phone_numbers[0].e164, other.cellPhone.phoneNumber);
    });

    test('Delete a Contact: soft delete answers the contact with status INACTIVE; it leaves the list and the native lookup, its number is free again, PUT and DELETE of it are 404', async () => {
      const call = kore(api, newStream());
      const digits = uniqueDigits();
      const created = (await call('POST', '', createBody(digits))).body;
      const res = await call('DELETE', `/${created.id}`);
      assert.equal(res.status, 200);
      const { updatedAt, ...rest } = res.body;
      const { updatedAt: _before, status: _status, ...expected } = created;
      assert.deepEqual(rest, { ...expected, status: 'INACTIVE' });
      assert.ok(updatedAt > created.updatedAt);

      const native = await api.call('GET', `/v1/contacts/${created.id}`);
      assert.equal(native.body.status, 'inactive', 'kept in the core as inactive');
      const lookup = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(`+91${digits}`)}`);
      assert.deepEqual(lookup.body.matches, []);
      assert.equal((await call('GET', '')).body.totalResults, 0, 'INACTIVE contacts are not listed');
      assertKoreError(await call('PUT', `/${created.id}`, { firstName: 'Back' }), 404, 'NotFound');
      assertKoreError(await call('DELETE', `/${created.id}`), 404, 'NotFound');
      assert.equal((await call('POST', '', createBody(digits))).status, 201, 'the number may be used again');
    });

    test('Bulk Delete Contacts: {"ids"} answers totalRequested, successful, failed, successfulRecords [{id}], failedRecords', async () => {
      const call = kore(api, newStream());
      const a = (await call('POST', '', createBody())).body.id;
      const b = (await call('POST', '', createBody())).body.id;
      const keep = (await call('POST', '', createBody())).body.id;
      const unknown = '00000000-0000-0000-0000-000000000000';
      const res = await call('DELETE', '/bulk-delete', { ids: [a, b, unknown, a] });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.successfulRecords, [{ id: a }, { id: b }]);
      assert.deepEqual({ ...res.body, successfulRecords: undefined, failedRecords: undefined }, { totalRequested: 4, successful: 2, failed: 2, successfulRecords: undefined, failedRecords: undefined });
      assert.deepEqual(res.body.failedRecords.map((f: { id: string; code: string }) => [f.id, f.code]), [[unknown, 'NotFound'], [a, 'NotFound']]);
      assert.deepEqual((await call('GET', '')).body.results.map((c: { id: string }) => c.id), [keep]);
      assert.equal((await api.call('GET', `/v1/contacts/${b}`)).body.status, 'inactive');
      const clean = await call('DELETE', '/bulk-delete', { ids: [keep] });
      assert.deepEqual(clean.body, { totalRequested: 1, successful: 1, failed: 0, successfulRecords: [{ id: keep }], failedRecords: [] });
    });

    test('README Decision: PUT /bulk-update takes {"contacts": [{"id", ...fields}]} and answers with the bulk-delete counters', async () => {
      const call = kore(api, newStream());
      const a = (await call('POST', '', createBody())).body.id;
      const b = (await call('POST', '', createBody())).body.id;
      const res = await call('PUT', '/bulk-update', { contacts: [{ id: a, firstName: 'Ann' }, { id: 'missing', lastName: 'X' }, { id: b, salutation: 'Dr' }] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { totalRequested: 3, successful: 2, failed: 1, successfulRecords: [{ id: a }, { id: b }], failedRecords: [{ id: 'missing', msg: res.body.failedRecords[0].msg, code: 'NotFound' }] });
      assert.equal((await api.call('GET', `/v1/contacts/${a}`)).body.first_name, 'Ann');
      assert.equal((await api.call('GET', `/v1/contacts/${b}`)).body.salutation, 'Dr');
    });

    test('another account\'s contacts are 404 and never listed; theirs untouched', async () => {
      const other = await api.otherAccount();
      const stream = newStream();
      const theirs = await api.call('POST', base(stream), createBody(), { key: other.key });
      assert.equal(theirs.status, 201);
      const call = kore(api, stream);
      assert.equal((await call('GET', '')).body.totalResults, 0);
      assertKoreError(await call('PUT', `/${theirs.body.id}`, { firstName: 'Taken' }), 404, 'NotFound');
      assertKoreError(await call('DELETE', `/${theirs.body.id}`), 404, 'NotFound');
      assert.equal((await api.call('GET', `/v1/contacts/${theirs.body.id}`, undefined, { key: other.key })).body.status, 'active');
    });

    test('a contact made through the native API in a stream\'s book shows in the Kore list, with the calling code of its number', async () => {
      const stream = newStream();
      const call = kore(api, stream);
      const first = (await call('POST', '', createBody())).body;
      const books = (await api.call('GET', '/v1/address-books?limit=200')).body.data;
      const book = books.find((b: { name: string }) => b.name === `agentassist:${stream}`);
      await api.createContact({ first_name: 'Native', last_name: 'One', address_book_id: book.id, phone_numbers: [{ number: '+16515550142' }] });
      await api.createContact({ display_name: 'No Phone', address_book_id: book.id });
      const list = (await call('GET', '')).body.results;
      assert.equal(list[0].id, first.id);
      assert.deepEqual(list[1].cellPhone, { phoneNumber: '+16515550142', countryCode: '+1', extension: '' });
      assert.equal(list[2].fullName, 'No Phone');
      assert.deepEqual(list[2].cellPhone, { phoneNumber: '', countryCode: '', extension: '' });
    });
  });
}
