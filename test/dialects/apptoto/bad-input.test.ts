import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, type Response, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { refusedBasicCredentials } from '../shared/basic-auth.ts';
import { BASE, apptoto, assertApptotoError, assertItemFailure, basic } from './support.ts';

/**
 * The bad-input matrix: every case answers `{"code", "message", "fields"?}` (README Decision) with
 * its HTTP status, never a 500, and writes nothing (the whole database is compared).
 */
for (const engine of engines) {
  describe(`Apptoto bad input on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof apptoto>;
    let existing: { id: number; external_id: string };
    const routes = () => [
      { method: 'GET' as const, path: '/contacts', body: undefined, write: false },
      { method: 'GET' as const, path: '/address_books', body: undefined, write: false },
      { method: 'POST' as const, path: '/contacts', body: { contacts: [{ address_book: 'Should not exist', name: 'Should Not Exist' }] }, write: true },
      { method: 'PUT' as const, path: '/contacts', body: { contacts: [{ id: existing.id, name: 'Should Not Change' }] }, write: true },
    ];
    const raw = (method: 'POST' | 'PUT', payload: string, contentType = 'application/json') =>
      api.app.inject({ method, url: `${BASE}/contacts`, payload, headers: { ...basic(api.accountId, api.keys.admin), 'content-type': contentType } });
    const asResponse = (r: Awaited<ReturnType<typeof raw>>): Response => ({ status: r.statusCode, headers: r.headers, body: r.json(), raw: r });
    const unchanged = async (work: () => Promise<void>) => {
      const before = await snapshot(api.db);
      await work();
      assert.deepEqual(await snapshot(api.db), before, 'nothing written');
    };

    before(async () => {
      api = await startApi(engine);
      call = apptoto(api);
      existing = (await call('POST', '/contacts', { contacts: [{ address_book: 'Existing', name: 'Existing Contact', phone: '651-555-0199', external_id: 'existing-1' }] })).body.contacts[0];
    });
    after(() => api.close());

    test('missing or bad credentials, in Basic (account id : API key) and as Bearer: 401 unauthorized on every route', async () => {
      const credentials = await refusedBasicCredentials(api);
      await unchanged(async () => {
        for (const route of routes()) {
          for (const [label, headers] of credentials) {
            const res = await api.call(route.method, `${BASE}${route.path}`, route.body, { key: null, headers });
            assertApptotoError(res, 401, 'unauthorized', `${route.method} ${route.path} ${label}`);
            assert.match(String(res.headers['www-authenticate']), /^Basic realm=/);
          }
        }
      });
    });

    test('a contacts:read key on every write, Basic and Bearer: 403 forbidden, nothing written', async () => {
      await unchanged(async () => {
        for (const route of routes().filter((r) => r.write)) {
          assertApptotoError(await call(route.method, route.path, route.body, api.keys.read), 403, 'forbidden');
          assertApptotoError(await api.call(route.method, `${BASE}${route.path}`, route.body, { key: api.keys.read }), 403, 'forbidden');
          // Refused before the body is read: a malformed body is still a 403.
          const res = await api.app.inject({ method: route.method, url: `${BASE}${route.path}`, payload: '{"contacts": [', headers: { ...basic(api.accountId, api.keys.read), 'content-type': 'application/json' } });
          assert.equal(res.statusCode, 403);
        }
      });
    });

    test('malformed JSON, a body that is not JSON, an over-large body: 400 invalid_json / 415 / 413', async () => {
      await unchanged(async () => {
        for (const method of ['POST', 'PUT'] as const) {
          assertApptotoError(asResponse(await raw(method, '{"contacts": [')), 400, 'invalid_json');
          assertApptotoError(asResponse(await raw(method, 'contacts=x', 'text/plain')), 415, 'unsupported_media_type');
          assertApptotoError(asResponse(await raw(method, 'contacts=x', 'application/x-www-form-urlencoded')), 415, 'unsupported_media_type');
          assertApptotoError(asResponse(await raw(method, JSON.stringify({ contacts: [{ name: 'x'.repeat(1024 * 1024 + 10) }] }))), 413, 'payload_too_large');
        }
      });
    });

    test('a body that is not {"contacts": [1 to 1000 items]}: 400 validation_failed, nothing written', async () => {
      const many = Array.from({ length: 1001 }, (_, i) => ({ address_book: 'Too Many', name: `N ${i}` }));
      await unchanged(async () => {
        for (const method of ['POST', 'PUT'] as const) {
          for (const body of [{}, [], { contacts: {} }, { contacts: [] }, { contacts: 'x' }, { contacts: many }, { contacts: [{ address_book: 'X', name: 'Y' }], extra: 1 }, { contact: [{}] }]) {
            const res = await call(method, '/contacts', body);
            const error = assertApptotoError(res, 400, 'validation_failed', `${method} ${JSON.stringify(body).slice(0, 80)}`);
            assert.ok(error.fields.length > 0);
          }
          for (const json of ['null', '"just a string"', '42', 'true', '']) {
            assertApptotoError(asResponse(await raw(method, json)), 400, json === '' ? 'validation_failed' : 'validation_failed', `${method} ${json}`);
          }
          const nul = await call(method, '/contacts', { contacts: [{ address_book: 'Nul', name: 'Nul\u0000Byte' }] });
          assertApptotoError(nul, 400, 'validation_failed');
        }
      });
    });

    test('bad items (wrong types, over-long values, unknown fields, invalid values) fail on their own, naming the Apptoto field, and write nothing', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ address_book: 'B', name: 'x'.repeat(201) }, 'name'],
        [{ address_book: 'x'.repeat(201), name: 'Ok' }, 'address_book'],
        [{ address_book: 'B', name: 'Ok', external_id: 'x'.repeat(201) }, 'external_id'],
        [{ address_book: 'B', name: 'Ok', external_id: '   ' }, 'external_id'],
        [{ address_book: 'B', name: 'Ok', phone: '6'.repeat(65) }, 'phone'],
        [{ address_book: 'B', name: 'Ok', phone: '' }, 'phone'],
        [{ address_book: 'B', name: 'Ok', email: 'x'.repeat(321) }, 'email'],
        [{ address_book: 'B', name: 'Ok', email: 'nope' }, 'email'],
        [{ address_book: 'B', name: '   ' }, 'name'],
        [{ address_book: '   ', name: 'Ok' }, 'address_book'],
        [{ address_book_id: 'one', name: 'Ok' }, 'address_book_id'],
        [{ address_book_id: 0, name: 'Ok' }, 'address_book_id'],
        [{ address_book_id: 1.5, name: 'Ok' }, 'address_book_id'],
        [{ address_book: 'B', first_name: 7 }, 'first_name'],
        [{ address_book: 'B', name: 'Ok', phone_numbers: 'not a list' }, 'phone_numbers'],
        [{ address_book: 'B', name: 'Ok', phone_numbers: [{ type: 'home' }] }, 'phone_numbers[0].number'],
        [{ address_book: 'B', name: 'Ok', phone_numbers: [{ number: '651-555-0100', is_mobile: 'yes' }] }, 'phone_numbers[0].is_mobile'],
        [{ address_book: 'B', name: 'Ok', phone_numbers: [{ number: '651-555-0100', is_mobile: false, type: 'mobile' }] }, 'phone_numbers[0].is_mobile'],
        [{ address_book: 'B', name: 'Ok', phone_numbers: [{ number: '651-555-0100', is_primary: true }, { number: '651-555-0101', is_primary: true }] }, 'phone_numbers'],
        [{ address_book: 'B', name: 'Ok', phone_numbers: [{ number: '651-555-0100', extension: '12' }] }, 'phone_numbers[0].extension'],
        [{ address_book: 'B', name: 'Ok', email_addresses: [{ address: 'a@example.com', type: 'pigeon' }] }, 'email_addresses[0].type'],
        [{ address_book: 'B', name: 'Ok', email_addresses: [{ address: 'bad' }] }, 'email_addresses[0].address'],
        [{ address_book: 'B', name: 'Ok', custom_data: 'x' }, 'custom_data'],
        [{ address_book: 'B', name: 'Ok', custom_data: { undefined_field: 1 } }, 'custom_data.undefined_field'],
        [{ address_book: 'B', name: 'Ok', custom_data: { nested: { a: 1 } } }, 'custom_data.nested'],
        [{ address_book: 'B', name: 'Ok', id: 5 }, 'id'],
        [{ address_book: 'B', name: 'Ok', add_phone: '651-555-0100' }, 'add_phone'],
      ];
      await unchanged(async () => {
        const res = await call('POST', '/contacts', { contacts: cases.map(([item]) => item) });
        // None was written, and each failed as invalid: the request is a 400 with every item's failure.
        assertApptotoError({ ...res, body: { code: res.body.code, message: res.body.message, ...(res.body.fields ? { fields: res.body.fields } : {}) } }, 400, 'validation_failed');
        cases.forEach(([item, field], i) => assertItemFailure(res.body.contacts[i], 400, 'validation_failed', field, JSON.stringify(item)));
        const put = await call('PUT', '/contacts', { contacts: cases.filter(([, f]) => f !== 'id' && f !== 'add_phone').map(([item]) => ({ ...item, id: existing.id })) });
        for (const entry of put.body.contacts) assert.equal(entry.status, entry.code === 'validation_failed' ? 400 : entry.status, JSON.stringify(entry));
        assert.ok(put.body.contacts.every((e: { code?: string }) => e.code === 'validation_failed'), JSON.stringify(put.body.contacts.filter((e: { code?: string }) => e.code !== 'validation_failed')));
        const wrongId = await call('PUT', '/contacts', { contacts: [{ id: 'seven', name: 'x' }, { id: -1, name: 'x' }, { id: existing.id, nickname: 'x' }] });
        assertItemFailure(wrongId.body.contacts[0], 400, 'validation_failed', 'id');
        assertItemFailure(wrongId.body.contacts[1], 400, 'validation_failed', 'id');
        assertItemFailure(wrongId.body.contacts[2], 400, 'validation_failed', 'nickname');
      });
    });

    test('bad list parameters: 400 validation_failed naming the parameter', async () => {
      const cases: [string, string][] = [
        ['page=0', 'page'], ['page=abc', 'page'], ['page=2000000', 'page'], ['page_size=0', 'page_size'], ['page_size=1001', 'page_size'],
        ['address_book_id=abc', 'address_book_id'], ['phone_number=abc', 'phone_number'], [`external_id=${'x'.repeat(201)}`, 'external_id'],
        ['email_address=', 'email_address'], ['external_id=a%00b', 'external_id'],
      ];
      for (const [query, field] of cases) {
        const error = assertApptotoError(await call('GET', `/contacts?${query}`), 400, 'validation_failed', query);
        assert.ok(error.fields.some((f: { field: string }) => f.field === field), `${query}: ${JSON.stringify(error)}`);
      }
      // Parameters contactd does not know (a client's paging or sorting options) are ignored, not refused.
      assert.equal((await call('GET', '/contacts?nickname=x&sort=name')).status, 200);
      assert.equal((await call('GET', '/address_books?page=2')).status, 200);
    });

    test('an address book id past 2^53 (in the query or an item) is an unknown book (404, and so is its item) on both engines (PostgreSQL answered 500)', async () => {
      for (const id of ['9'.repeat(300), '9007199254740993', '1e300']) {
        assertApptotoError(await call('GET', `/contacts?address_book_id=${id}`), 404, 'address_book_not_found', id);
      }
      const res = await raw('POST', `{"contacts": [{"name": "Huge book", "phone": "+16515550999", "address_book_id": ${'9'.repeat(300)}}]}`);
      assert.equal(res.statusCode, 404, res.body);
      assertItemFailure(res.json().contacts[0], 404, 'address_book_not_found', 'address_book_id');
    });

    test('unknown routes and methods under the mount: 404 not_found', async () => {
      for (const [method, path] of [['GET', '/nothing-here'], ['DELETE', '/contacts'], ['PATCH', '/contacts'], ['GET', `/contacts/${existing.id}`], ['POST', '/address_books']] as const) {
        assertApptotoError(await call(method, path, method === 'GET' || method === 'DELETE' ? undefined : { contacts: [] }), 404, 'not_found', `${method} ${path}`);
      }
    });

    test('the existing contact survived the whole matrix unchanged', async () => {
      const [found] = (await call('GET', '/contacts?external_id=existing-1')).body.contacts;
      assert.equal(found.name, 'Existing Contact');
      assert.equal(found.phone, '651-555-0199');
      const books = (await call('GET', '/address_books')).body.address_books.map((b: { name: string }) => b.name);
      assert.deepEqual(books.sort(), ['Default', 'Existing']);
    });
  });
}
