import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, type Response, type TestApi } from '../../support/api.ts';
import { refusedBasicCredentials } from '../shared/basic-auth.ts';
import { BASE, assertGwsError, basic, gws } from './support.ts';

/**
 * The bad-input matrix: every case answers in GWS's format ({"statusCode": <non-zero>,
 * "statusMessage"}) and status, never a 500, and writes nothing (GWS Return Values: "if an error
 * occurs during a request, you can assume that the request failed to modify the data").
 */
for (const engine of engines) {
  describe(`Genesys GWS bad input on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof gws>;
    let existing: string;
    const routes = () => [
      { method: 'GET' as const, path: '/contacts', body: undefined, write: false },
      { method: 'GET' as const, path: `/contacts/${existing}`, body: undefined, write: false },
      { method: 'POST' as const, path: '/contacts', body: { name: 'Should not exist' }, write: true },
      { method: 'PUT' as const, path: `/contacts/${existing}`, body: { name: 'Should not change' }, write: true },
      { method: 'DELETE' as const, path: `/contacts/${existing}`, body: undefined, write: true },
    ];
    const raw = (method: 'POST' | 'PUT', path: string, payload: string, contentType = 'application/json') =>
      api.app.inject({ method, url: `${BASE}${path}`, payload, headers: { ...basic(api.accountId, api.keys.admin), 'content-type': contentType } });
    const asResponse = (r: Awaited<ReturnType<typeof raw>>): Response => ({ status: r.statusCode, headers: r.headers, body: r.json(), raw: r });
    /** The account's data, to show that a refused request changed nothing. */
    const snapshot = async () => (await api.call('GET', '/v1/contacts?limit=500')).body.data;

    before(async () => {
      api = await startApi(engine);
      call = gws(api);
      existing = (await call('POST', '/contacts', { name: 'Existing', phoneNumber: '651-555-0199' })).body.id;
    });
    after(() => api.close());

    test('missing or bad credentials, in GWS\'s Basic scheme and as Bearer: 401, statusCode 20, on every route', async () => {
      const before = await snapshot();
      const credentials = await refusedBasicCredentials(api);
      for (const route of routes()) {
        for (const [label, headers] of credentials) {
          const res = await api.call(route.method, `${BASE}${route.path}`, route.body, { key: null, headers });
          assertGwsError(res, 401, 20);
          assert.match(String(res.headers['www-authenticate']), /^Basic realm=/, `${route.method} ${route.path} ${label}`);
        }
      }
      assert.deepEqual(await snapshot(), before);
    });

    test('spec permissions: an Agent (contacts:read key) on every write route, Basic and Bearer: 403, statusCode 5, nothing written', async () => {
      const before = await snapshot();
      for (const route of routes().filter((r) => r.write)) {
        assertGwsError(await call(route.method, route.path, route.body, api.keys.read), 403, 5);
        assertGwsError(await api.call(route.method, `${BASE}${route.path}`, route.body, { key: api.keys.read }), 403, 5);
      }
      assert.deepEqual(await snapshot(), before);
    });

    test('malformed JSON, wrong media type, an over-large body: GWS errors (400 / 415 / 413, statusCode 2), nothing written', async () => {
      const before = await snapshot();
      for (const [method, path] of [['POST', '/contacts'], ['PUT', `/contacts/${existing}`]] as const) {
        assertGwsError(asResponse(await raw(method, path, '{"name": "x"')), 400, 2);
        assertGwsError(asResponse(await raw(method, path, 'name=x', 'text/plain')), 415, 2);
        assertGwsError(asResponse(await raw(method, path, JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }))), 413, 2);
      }
      assert.deepEqual(await snapshot(), before);
    });

    test('missing required field: POST without name is 400, statusCode 1 ("A required parameter is missing")', async () => {
      const before = await snapshot();
      for (const body of [{}, { phoneNumber: '651-555-0100' }, { type: 'Custom' }]) {
        const res = await call('POST', '/contacts', body);
        assertGwsError(res, 400, 1);
        assert.match(res.body.statusMessage, /name/);
      }
      assert.deepEqual(await snapshot(), before);
    });

    test('wrong types, over-long and invalid values, unknown fields: 400, statusCode 2, naming the GWS field', async () => {
      const before = await snapshot();
      const cases: [Record<string, unknown> | unknown, RegExp][] = [
        [{ name: 123 }, /name/],
        [{ name: 'Ok', phoneNumber: 6515550100 }, /phoneNumber/],
        [{ name: 'Ok', type: true }, /type/],
        [{ name: 'x'.repeat(201) }, /name/],
        [{ name: 'Ok', phoneNumber: '6'.repeat(65) }, /phoneNumber/],
        [{ name: 'Ok', phoneNumber: 'not a number' }, /phoneNumber/],
        [{ name: 'Ok', phoneNumber: '' }, /phoneNumber/],
        [{ name: '   ' }, /name/],
        [{ name: '' }, /name/],
        [{ name: 'Ok', type: 'Agent' }, /type/],
        [{ name: 'Ok', userName: 'nope' }, /userName/],
        [{ name: 'Ok', id: 'chosen-id' }, /id/],
        [{ name: 'Nul\u0000byte' }, /name|body/],
        [[{ name: 'array' }], /body|object/],
      ];
      for (const [body, field] of cases) {
        const res = await call('POST', '/contacts', body);
        assertGwsError(res, 400, 2);
        assert.match(res.body.statusMessage, field, JSON.stringify(body));
        // The same bodies, where they are not required-field cases, on PUT.
        if (body && typeof body === 'object' && !Array.isArray(body) && 'name' in body && (body as { name: unknown }).name !== 'Ok') {
          assertGwsError(await call('PUT', `/contacts/${existing}`, body), 400, 2);
        }
      }
      for (const body of [{ phoneNumber: 'abc' }, { type: 'Agent' }, { name: 'x'.repeat(201) }, { foo: 1 }, [], 42]) {
        assertGwsError(await call('PUT', `/contacts/${existing}`, body), 400, 2);
      }
      for (const json of ['null', '"just a string"', 'true']) {
        assertGwsError(asResponse(await raw('POST', '/contacts', json)), 400, 2);
        assertGwsError(asResponse(await raw('PUT', `/contacts/${existing}`, json)), 400, 2);
      }
      assert.deepEqual(await snapshot(), before);
    });

    test('bad list parameters: 400, statusCode 2', async () => {
      for (const query of ['type=Agent', 'limit=0', 'limit=1001', 'limit=abc', 'offset=-1', 'offset=10000000000000000000', 'filterName=SomethingElse', `name=${'x'.repeat(2001)}`, 'firstName=a%00b']) {
        const res = await call('GET', `/contacts?${query}`);
        assertGwsError(res, 400, 2);
      }
    });

    test('unknown ids and another account\'s ids: 404, statusCode 6, on GET, PUT and DELETE; theirs untouched', async () => {
      const other = await api.otherAccount();
      const theirs = (await api.call('POST', `${BASE}/contacts`, { name: 'Theirs' }, { key: other.key })).body.id;
      for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', theirs, 'x'.repeat(900), encodeURIComponent('a\u0000b')]) {
        assertGwsError(await call('GET', `/contacts/${id}`), 404, 6);
        assertGwsError(await call('PUT', `/contacts/${id}`, { name: 'Taken over' }), 404, 6);
        assertGwsError(await call('DELETE', `/contacts/${id}`), 404, 6);
      }
      const stillTheirs = await api.call('GET', `${BASE}/contacts/${theirs}`, undefined, { key: other.key });
      assert.equal(stillTheirs.body.contact.name, 'Theirs');
    });

    test('unknown routes and methods under the mount: 404, statusCode 6', async () => {
      assertGwsError(await call('GET', '/nothing-here'), 404, 6);
      assertGwsError(await call('PATCH', `/contacts/${existing}`, { name: 'x' }), 404, 6);
      assertGwsError(await call('POST', `/contacts/${existing}`, { name: 'x' }), 404, 6);
    });

    test('the existing contact survived the whole matrix unchanged', async () => {
      const res = await call('GET', `/contacts/${existing}`);
      assert.equal(res.body.contact.name, 'Existing');
      assert.equal(res.body.contact.phoneNumber, '651-555-0199');
    });
  });
}
