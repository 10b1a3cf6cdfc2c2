/**
 * Issue 9 sections 2 and 5: the shapes that can blow a stack, a regular expression or PostgreSQL
 * (deep JSON, thousands of query parameters, lone surrogates, numbers past 2^53, prototype keys)
 * are 400 problems with stable codes; the headers and limits of README "Limits" hold.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BODY_LIMIT_BYTES, CONNECTION_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_JSON_DEPTH, MAX_QUERY_PARAMETERS, REQUEST_TIMEOUT_MS } from '../../src/http/limits.ts';
import { assertNamesField, assertProblem } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

const json = { 'content-type': 'application/json' };

/** `{"description":{"a":{"a":...}}}` nested `depth` objects deep. */
function deepJson(depth: number): string {
  return `{"description":${'{"a":'.repeat(depth - 1)}1${'}'.repeat(depth - 1)}}`;
}

for (const engine of engines) {
  describe(`input limits on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    test('JSON nested tens of thousands of levels deep is a 400 json_too_deep on every route that found it (each a 500 before)', async () => {
      const contact = await api.createContact({ display_name: 'Deep', phone_numbers: [{ number: uniquePhone() }] });
      const book = await api.newBook();
      const group = (await api.call('POST', '/v1/groups', { name: `deep ${randomUUID()}` })).body;
      const routes: [string, string, string][] = [
        ['POST', '/v1/contacts', 'application/json'],
        ['PUT', `/v1/contacts/by-external-id/deep-${randomUUID()}`, 'application/json'],
        ['PATCH', `/v1/address-books/${book}`, 'application/merge-patch+json'],
        ['PATCH', `/v1/groups/${group.id}`, 'application/json'],
        ['POST', `/v1/contacts/${contact.id}/merge`, 'application/json'],
        ['POST', '/v1/contacts/batch', 'application/json'],
      ];
      for (const [method, url, type] of routes) {
        for (const payload of [deepJson(20_000), deepJson(120_000), `${'['.repeat(50_000)}${']'.repeat(50_000)}`]) {
          assertProblem(await api.call(method as 'POST', url, payload, { headers: { 'content-type': type } }), 400, 'json_too_deep', `${method} ${url} ${payload.length} bytes`);
        }
      }
      assert.equal((await api.call('GET', `/v1/contacts/${contact.id}`)).body.version, 1, 'nothing changed');
    });

    test(`JSON at the depth limit (${MAX_JSON_DEPTH}) is parsed and validated; brackets inside strings do not count`, async () => {
      assertNamesField(await api.call('POST', '/v1/contacts', deepJson(MAX_JSON_DEPTH), { headers: json }), 'description', 'at the limit');
      assertProblem(await api.call('POST', '/v1/contacts', deepJson(MAX_JSON_DEPTH + 1), { headers: json }), 400, 'json_too_deep', 'one past it');
      const res = await api.call('POST', '/v1/contacts', { display_name: '{['.repeat(90), phone_numbers: [{ number: uniquePhone() }] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.display_name, '{['.repeat(90));
    });

    test(`a query string of more than ${MAX_QUERY_PARAMETERS} parameters is a 400 too_many_parameters; ${MAX_QUERY_PARAMETERS} are fine`, async () => {
      const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=${i}`).join('&');
      assertProblem(await api.call('GET', `/v1/contacts?${params(MAX_QUERY_PARAMETERS + 1)}`), 400, 'too_many_parameters');
      assertProblem(await api.call('GET', `/v1/contacts?limit=5&${params(20_000)}`), 400, 'too_many_parameters');
      assertProblem(await api.call('POST', `/v1/contacts?${params(5000)}`, { display_name: 'x' }), 400, 'too_many_parameters');
      // Fewer pass the count and meet validation (unknown parameters are ignored), repeated keys included.
      assert.equal((await api.call('GET', `/v1/contacts?${params(MAX_QUERY_PARAMETERS)}`)).status, 200);
      assertNamesField(await api.call('GET', '/v1/contacts?limit=1&limit=2'), 'limit', 'a repeated limit');
    });

    test('a lone UTF-16 surrogate in a body is a 400 naming the field (before, each engine stored its own U+FFFD mangling); pairs are kept', async () => {
      for (const text of ['\ud800', 'a\udc00b', 'x\udbff']) {
        assertNamesField(await api.call('POST', '/v1/contacts', { display_name: text }), 'display_name', JSON.stringify(text));
        assertNamesField(await api.call('POST', '/v1/contacts', { display_name: 'ok', custom_fields: { tier: text } }), 'custom_fields.tier', `custom field ${JSON.stringify(text)}`);
      }
      assertNamesField(await api.call('POST', '/v1/contacts', '{"display_name":"ok","emails":[{"address":"\\udc00@example.com"}]}', { headers: json }), 'emails[0].address', 'escaped in the JSON text');
      assertNamesField(await api.call('POST', '/v1/address-books', '{"name":"\\ud83d"}', { headers: json }), 'name', 'a book name');
      const res = await api.call('POST', '/v1/contacts', { display_name: 'Smile 😀', phone_numbers: [{ number: uniquePhone() }] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.display_name, 'Smile 😀');
    });

    test('numbers past 2^53, duplicate keys and prototype keys are 400s or plain data, never a 500 or a polluted object', async () => {
      for (const payload of ['{"display_name":"n","phone_numbers":[{"number":12345678901234567890}]}', '{"display_name":1e400}', '{"display_name":"a","display_name":"b","display_name":9007199254740993}']) {
        assertProblem(await api.call('POST', '/v1/contacts', payload, { headers: json }), 400, undefined, payload);
      }
      assertProblem(await api.call('GET', '/v1/contacts?limit=9007199254740993'), 400, 'validation_failed');
      assertProblem(await api.call('POST', '/v1/contacts', '{"__proto__":{"admin":true},"display_name":"p"}', { headers: json }), 400, 'invalid_json');
      const ctor = await api.call('POST', '/v1/contacts', '{"constructor":{"prototype":{"admin":true}},"display_name":"p"}', { headers: json });
      assertProblem(ctor, 400, undefined, 'constructor');
      assert.equal(({} as Record<string, unknown>).admin, undefined, 'Object.prototype is untouched');
    });

    test('answers carry X-Content-Type-Options: nosniff; those of the contact APIs also Cache-Control: no-store', async () => {
      const contact = await api.createContact({ display_name: 'Headers', phone_numbers: [{ number: uniquePhone() }] });
      // The router's own refusal (a broken percent-encoding) too, on /v1 and under a dialect's mount.
      const urls = [`/v1/contacts/${contact.id}`, '/v1/contacts', `/v1/contacts/${randomUUID()}`, '/v1/contacts/%E0%A4%A', '/zoom/v2/contact_center/address_books', '/zoom/v2/contact_center/address_books/%E0%A4%A', '/genesys/api/v2/contacts', '/apptoto/v1/contacts', `/8x8/api/v1/accounts/${api.accountId}/contacts`, '/agentassist/api/v1/public/st-1/contacts'];
      for (const url of urls) {
        const res = await api.call('GET', url);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
        assert.equal(res.headers['cache-control'], 'no-store', url);
      }
      const unauthorized = await api.call('GET', '/v1/contacts', undefined, { key: null });
      assert.equal(unauthorized.headers['cache-control'], 'no-store');
      assert.equal((await api.call('GET', '/healthz')).headers['x-content-type-options'], 'nosniff');
    });

    test('the listening server closes idle sockets and cuts slow requests at the limits of http/limits.ts', () => {
      assert.equal(api.app.server.timeout, CONNECTION_TIMEOUT_MS);
      assert.equal(api.app.server.requestTimeout, REQUEST_TIMEOUT_MS);
      assert.equal(api.app.server.keepAliveTimeout, KEEP_ALIVE_TIMEOUT_MS);
    });

    test('a Content-Length over the body limit (or an upload route\'s file limit) is refused with a 413 before the body is sent', async () => {
      const url = new URL(await api.app.listen({ port: 0, host: '127.0.0.1' }));
      const auth = { authorization: `Bearer ${api.keys.admin}` };
      const cases: [string, string, number][] = [
        ['/v1/contacts', 'application/json', BODY_LIMIT_BYTES + 1],
        [`/8x8/api/v1/accounts/${api.accountId}/contacts`, 'application/json', BODY_LIMIT_BYTES + 1],
        // Multipart bodies are streamed to the route: these were read to the end before (8x8 takes 30 MB files, Kore.ai 5 MB).
        [`/8x8/api/v1/accounts/${api.accountId}/contacts/batches/createContacts`, 'multipart/form-data; boundary=x', 100 * 1024 * 1024],
        ['/agentassist/api/v1/public/st-1/contacts/import-contacts', 'multipart/form-data; boundary=x', 10 * 1024 * 1024],
      ];
      for (const [path, type, length] of cases) {
        const answer = await headersOnly(url, 'POST', path, { ...auth, 'content-type': type, 'content-length': String(length) });
        assert.match(answer, /^HTTP\/1\.1 413 /, `${path}: ${answer.slice(0, 200)}`);
        assert.match(answer, /\r\ncontent-type: application\/(problem\+)?json/i, `${path}: in the surface's format`);
      }
    });
  });
}

/** Sends only a request's head on a raw socket and resolves with the first bytes of the answer. */
function headersOnly(url: URL, method: string, path: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${url.host}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    });
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('latin1'));
    });
    socket.once('error', reject);
  });
}
