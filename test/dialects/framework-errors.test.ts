/**
 * specs/README.md: each platform's clients meet its own error format. Fastify refuses some
 * requests before any route is chosen (a malformed percent-encoding in the path); under a
 * dialect's mount that refusal is in the platform's format too, elsewhere a native problem.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';
import { assertProblem } from '../support/assertions.ts';
import { basic } from './shared/basic-auth.ts';

/** A path under each mount with a broken percent-encoding, and a check of the platform's error body. */
const CASES: [string, (accountId: string) => string, (body: any) => boolean][] = [
  ['Zoom', () => '/zoom/v2/contact_center/address_books/%E0%A4%A', (b) => typeof b.code === 'number' && typeof b.message === 'string'],
  ['Genesys GWS', () => '/genesys/api/v2/contacts/%E0%A4%A', (b) => typeof b.statusCode === 'number' && b.statusCode !== 0 && typeof b.statusMessage === 'string'],
  ['8x8', (account) => `/8x8/api/v1/accounts/${account}/contacts/%E0%A4%A`, (b) => typeof b.code === 'number' && typeof b.errorId === 'string' && typeof b.timestamp === 'string'],
  ['Apptoto', () => '/apptoto/v1/contacts/%E0%A4%A', (b) => typeof b.code === 'string' && typeof b.message === 'string'],
  ['Kore.ai', () => '/agentassist/api/v1/public/st-1/contacts/%E0%A4%A', (b) => Array.isArray(b.errors) && typeof b.errors[0].msg === 'string'],
];

/**
 * Issue 9: a JSON body nested tens of thousands of levels deep (a 500 before) is the platform's
 * malformed-body 400; a query of thousands of parameters is a 400 in the platform's format too.
 */
const BODY_ROUTES: [string, 'POST' | 'PUT', (accountId: string) => string, (body: any) => boolean][] = [
  ['Zoom', 'POST', () => '/zoom/v2/contact_center/address_books', (b) => b.code === 300],
  ['Genesys GWS', 'POST', () => '/genesys/api/v2/contacts', (b) => b.statusCode === 2],
  ['8x8', 'POST', (account) => `/8x8/api/v1/accounts/${account}/contacts`, (b) => b.code === 1000 && typeof b.errorId === 'string'],
  ['Apptoto', 'POST', () => '/apptoto/v1/contacts', (b) => b.code === 'invalid_json'],
  ['Kore.ai', 'POST', () => '/agentassist/api/v1/public/st-1/contacts', (b) => b.errors?.[0]?.code === 'BadRequest'],
];

/** The admin key as each platform takes it: HTTP Basic for Genesys and Apptoto, Bearer elsewhere (Kore.ai takes it beside its JWT). */
function credentialsOf(name: string, api: TestApi): string {
  return ['Genesys GWS', 'Apptoto'].includes(name) ? basic(api.accountId, api.keys.admin).authorization! : `Bearer ${api.keys.admin}`;
}

for (const engine of engines) {
  describe(`router errors under dialect mounts on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    for (const [name, pathOf, isPlatformError] of CASES) {
      test(`${name}: a malformed percent-encoding is a 400 in the platform's error format`, async () => {
        const res = await api.call('GET', pathOf(api.accountId));
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.ok(isPlatformError(res.body), `${name}: ${JSON.stringify(res.body)}`);
        assert.ok(res.headers['x-request-id']);
      });
    }

    for (const [name, method, pathOf, isMalformedBody] of BODY_ROUTES) {
      test(`${name}: JSON nested 50,000 levels deep, and 5,000 query parameters, are 400s in the platform's error format`, async () => {
        const deep = `{"description":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
        const headers = { 'content-type': 'application/json' };
        const res = await api.call(method, pathOf(api.accountId), deep, { headers: { ...headers, authorization: credentialsOf(name, api) } });
        assert.equal(res.status, 400, `${name}: ${res.raw.body.slice(0, 300)}`);
        assert.ok(isMalformedBody(res.body), `${name}: ${JSON.stringify(res.body)}`);
        const query = Array.from({ length: 5000 }, (_, i) => `p${i}=${i}`).join('&');
        const many = await api.call('GET', `${pathOf(api.accountId)}?${query}`, undefined, { headers: { ...headers, authorization: credentialsOf(name, api) } });
        assert.equal(many.status, 400, `${name}: ${many.raw.body.slice(0, 300)}`);
        assert.match(String(many.headers['content-type']), /^application\/json/);
      });
    }

    test('native routes keep the problem format', async () => {
      assertProblem(await api.call('GET', '/v1/contacts/%E0%A4%A'), 400);
    });
  });
}
