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

/** A path under each mount with a broken percent-encoding, and a check of the platform's error body. */
const CASES: [string, (accountId: string) => string, (body: any) => boolean][] = [
  ['Zoom', () => '/zoom/v2/contact_center/address_books/%E0%A4%A', (b) => typeof b.code === 'number' && typeof b.message === 'string'],
  ['Genesys GWS', () => '/genesys/api/v2/contacts/%E0%A4%A', (b) => typeof b.statusCode === 'number' && b.statusCode !== 0 && typeof b.statusMessage === 'string'],
  ['8x8', (account) => `/8x8/api/v1/accounts/${account}/contacts/%E0%A4%A`, (b) => typeof b.code === 'number' && typeof b.errorId === 'string' && typeof b.timestamp === 'string'],
  ['Apptoto', () => '/apptoto/v1/contacts/%E0%A4%A', (b) => typeof b.code === 'string' && typeof b.message === 'string'],
  ['Kore.ai', () => '/agentassist/api/v1/public/st-1/contacts/%E0%A4%A', (b) => Array.isArray(b.errors) && typeof b.errors[0].msg === 'string'],
];

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

    test('native routes keep the problem format', async () => {
      assertProblem(await api.call('GET', '/v1/contacts/%E0%A4%A'), 400);
    });
  });
}
