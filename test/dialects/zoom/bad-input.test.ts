import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, uniquePhone, type Response, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { ZOOM_SPEC, BASE, assertZoomError, assertZoomResponse, newZoomBook, zoom } from './support.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * The bad-input matrix: every refusal is `{"code", "message"}` with Zoom's status and code, never
 * a 500, and writes nothing. Auth: Zoom's scheme is an OAuth Bearer token; here the token is an
 * API key. 401 is Zoom's 124 "Invalid access token"; 403 (README: a key without the scope) is
 * Zoom's 4711 "Invalid access token, does not contain scopes".
 */
for (const engine of engines) {
  describeWithSpec(ZOOM_SPEC, `Zoom bad input and credentials on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof zoom>;
    let ids: { unit: string; book: string; field: string; contact: string };
    const routes = (): { method: Method; path: string; body?: unknown; write: boolean }[] => [
      { method: 'GET', path: '/units', write: false },
      { method: 'POST', path: '/units', body: { unit_name: 'Never' }, write: true },
      { method: 'GET', path: `/units/${ids.unit}`, write: false },
      { method: 'PATCH', path: `/units/${ids.unit}`, body: { unit_name: 'Never' }, write: true },
      { method: 'DELETE', path: `/units/${ids.unit}`, write: true },
      { method: 'GET', path: '', write: false },
      { method: 'POST', path: '', body: { address_book_name: 'Never' }, write: true },
      { method: 'GET', path: `/${ids.book}`, write: false },
      { method: 'PATCH', path: `/${ids.book}`, body: { address_book_name: 'Never' }, write: true },
      { method: 'DELETE', path: `/${ids.book}`, write: true },
      { method: 'GET', path: '/custom_fields', write: false },
      { method: 'POST', path: '/custom_fields', body: { custom_field_name: 'Never', data_type: 'string' }, write: true },
      { method: 'GET', path: `/custom_fields/${ids.field}`, write: false },
      { method: 'PATCH', path: `/custom_fields/${ids.field}`, body: { custom_field_name: 'Never', data_type: 'string' }, write: true },
      { method: 'DELETE', path: `/custom_fields/${ids.field}`, write: true },
      { method: 'GET', path: `/contacts/${ids.contact}/custom_fields`, write: false },
      { method: 'GET', path: `/${ids.book}/contacts`, write: false },
      { method: 'POST', path: `/${ids.book}/contacts`, body: { display_name: 'Never', emails: ['never@example.com'] }, write: true },
      { method: 'GET', path: `/${ids.book}/contacts/${ids.contact}`, write: false },
      { method: 'PATCH', path: `/${ids.book}/contacts/${ids.contact}`, body: { display_name: 'Never' }, write: true },
      { method: 'DELETE', path: `/${ids.book}/contacts/${ids.contact}`, write: true },
      { method: 'POST', path: `/${ids.book}/contacts/batch`, body: { contacts: [{ display_name: 'Never', emails: ['never@example.com'] }] }, write: true },
      { method: 'PATCH', path: `/${ids.book}/contacts/batch`, body: { contacts: [{ contact_id: ids.contact, display_name: 'Never' }] }, write: true },
      { method: 'DELETE', path: `/${ids.book}/contacts/batch`, body: { contact_ids: [ids.contact] }, write: true },
    ];
    const raw = async (method: Method, path: string, payload: string, contentType = 'application/json'): Promise<Response> => {
      const r = await api.app.inject({ method, url: `${BASE}${path}`, payload, headers: { authorization: `Bearer ${api.keys.admin}`, 'content-type': contentType } });
      const res = { status: r.statusCode, headers: r.headers, body: r.json(), raw: r };
      assertZoomResponse(method, `${BASE}${path}`, res);
      return res;
    };

    before(async () => {
      api = await startApi(engine);
      call = zoom(api);
      const book = await newZoomBook(call);
      ids = {
        unit: (await call('POST', '/units', { unit_name: `U ${randomUUID().slice(0, 6)}` })).body.unit_id,
        book,
        field: (await call('POST', '/custom_fields', { custom_field_name: `F ${randomUUID().slice(0, 6)}`, data_type: 'string' })).body.custom_field_id,
        contact: (await call('POST', `/${book}/contacts`, { display_name: 'Existing', phone_numbers: [uniquePhone()] })).body.contact_id,
      };
    });
    after(() => api.close());

    test('no, unknown, revoked or non-Bearer credentials: 401, code 124 "Invalid access token", on every route, nothing written', async () => {
      const revoked = await api.app.services.accounts.createKey(api.accountId, ['contacts:write']);
      await api.app.services.accounts.revokeKey(revoked.key.id);
      const before = await snapshot(api.db);
      const credentials: [string, Record<string, string>][] = [
        ['none', {}],
        ['an unknown key', { authorization: 'Bearer cdk_unknown' }],
        ['a revoked key', { authorization: `Bearer ${revoked.apiKey}` }],
        ['Basic', { authorization: `Basic ${Buffer.from(`${api.accountId}:${api.keys.admin}`).toString('base64')}` }],
        ['an empty Bearer', { authorization: 'Bearer ' }],
      ];
      for (const route of routes()) {
        for (const [label, headers] of credentials) {
          const res = await call(route.method, route.path, route.body, null, headers);
          assertZoomError(res, 401, 124);
          assert.equal(res.body.message, 'Invalid access token.', `${route.method} ${route.path} with ${label}`);
        }
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('the file\'s openapi_authorization scheme (an apiKey in the Authorization header): a bare key is read like a Bearer one', async () => {
      const res = await call('GET', '/units', undefined, null, { authorization: api.keys.read });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assertZoomError(await call('POST', '/units', { unit_name: 'Bare' }, null, { authorization: api.keys.read }), 403, 4711);
      assertZoomError(await call('GET', '/units', undefined, null, { authorization: 'cdk_unknown' }), 401, 124);
    });

    test('a contacts:read key: every read answers, every write is 403, code 4711, naming Zoom\'s scope; nothing written', async () => {
      const before = await snapshot(api.db);
      for (const route of routes()) {
        const res = await call(route.method, route.path, route.body, api.keys.read);
        if (route.write) {
          assertZoomError(res, 403, 4711);
          assert.match(res.body.message, /contact_center_contact:write:admin/);
        } else {
          assert.equal(res.status, 200, `${route.method} ${route.path}: ${JSON.stringify(res.body)}`);
        }
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('malformed JSON, a wrong media type, an over-large body, a body that is not an object: 400 / 415 / 413 with code 300, nothing written', async () => {
      const before = await snapshot(api.db);
      for (const route of routes().filter((r) => r.body !== undefined)) {
        assertZoomError(await raw(route.method, route.path, '{"display_name": "x"'), 400, 300);
        assertZoomError(await raw(route.method, route.path, 'display_name=x', 'text/plain'), 415, 300);
        assertZoomError(await raw(route.method, route.path, JSON.stringify({ display_name: 'x'.repeat(1024 * 1024 + 10) })), 413, 300);
        assertZoomError(await raw(route.method, route.path, '[]'), 400, 300);
        assertZoomError(await raw(route.method, route.path, '"text"'), 400, 300);
        assertZoomError(await call(route.method, route.path, { ...(route.body as object), unknown_field: 1 }), 400, 300);
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('wrong types and over-long values: 400, code 300 (data_type outside Zoom\'s list: 2108), nothing written', async () => {
      const before = await snapshot(api.db);
      const cases: [Method, string, unknown][] = [
        ['POST', '/units', { unit_name: 5 }],
        ['POST', '/units', { unit_name: 'x'.repeat(256) }],
        ['POST', '/units', { unit_name: 'ok', unit_description: 'x'.repeat(257) }],
        ['POST', '', { address_book_name: 'x'.repeat(101) }],
        ['POST', '', { address_book_name: ['x'] }],
        ['PATCH', `/${ids.book}`, { address_book_description: 'x'.repeat(257) }],
        ['POST', '/custom_fields', { custom_field_name: 'ok', data_type: 'string', pick_list_values: 'a' }],
        ['POST', '/custom_fields', { custom_field_name: 'ok', data_type: 'string', default_value: 'x'.repeat(513) }],
        ['POST', '/custom_fields', { custom_field_name: 'ok', data_type: 'string', show_in_profile_tab: 'yes' }],
        ['POST', `/${ids.book}/contacts`, { display_name: 7, emails: ['a@example.com'] }],
        ['POST', `/${ids.book}/contacts`, { display_name: 'x', emails: 'a@example.com' }],
        ['POST', `/${ids.book}/contacts`, { display_name: 'x', emails: ['a@example.com'], first_name: 'x'.repeat(37) }],
        ['POST', `/${ids.book}/contacts`, { display_name: 'x', emails: ['a@example.com'], custom_fields: [{ custom_field_value: 'no id' }] }],
        ['POST', `/${ids.book}/contacts`, { display_name: 'x', emails: ['a@example.com'], consumer_ids: Array.from({ length: 11 }, (_, i) => `c${i}`) }],
        ['PATCH', `/${ids.book}/contacts/${ids.contact}`, { phone_numbers: [5] }],
        ['PATCH', `/${ids.book}/contacts/${ids.contact}`, { emails: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com'] }],
      ];
      for (const [method, path, body] of cases) assertZoomError(await call(method, path, body), 400, 300);
      assertZoomError(await call('POST', '/custom_fields', { custom_field_name: 'ok', data_type: 'text' }), 400, 2108);
      assertZoomError(await call('GET', '?page_size=0'), 400, 300);
      assertZoomError(await call('GET', `/${ids.book}/contacts?page_size=abc`), 400, 300);
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('unknown routes and methods under /zoom/v2 answer 404 in Zoom\'s format', async () => {
      for (const url of ['/zoom/v2/nothing', '/zoom/v2/contact_center/address_books/a/b/c/d', '/zoom/v2/contact_center']) {
        const res = await api.call('GET', url);
        assertZoomError(res, 404, 404);
      }
      assertZoomError(await api.call('PUT', `${BASE}/units`, {}), 404, 404);
    });
  });
}
