/**
 * Rate limits with the in-memory store (issue 9, section 3): a token bucket per API key, the
 * RateLimit-* headers on every answer under a key, 429 with Retry-After in each surface's own
 * error format, the service routes never limited, and RATE_LIMIT_PER_SECOND=0 turning it all off.
 * The Redis store, shared nodes and failing open: rate-limit-redis.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, readConfig } from '../../src/config.ts';
import { startApi, type Response, type TestApi } from '../support/api.ts';
import { assertProblem } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { basic } from '../dialects/shared/basic-auth.ts';
import { base, koreHeaders, newStream } from '../dialects/koreai/support.ts';

/** The RateLimit-* headers as numbers (NaN when absent). */
function limitHeaders(res: Response) {
  return {
    limit: Number(res.headers['ratelimit-limit']),
    remaining: Number(res.headers['ratelimit-remaining']),
    reset: Number(res.headers['ratelimit-reset']),
  };
}

function assertRefused(res: Response, limit: number, context: string): void {
  assert.equal(res.status, 429, `${context}: ${res.raw.body}`);
  assert.match(String(res.headers['content-type']), /json/, context);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `${context}: Retry-After in whole seconds, got ${res.headers['retry-after']}`);
  const headers = limitHeaders(res);
  assert.equal(headers.limit, limit, context);
  assert.equal(headers.remaining, 0, context);
  assert.ok(headers.reset >= retryAfter, `${context}: the bucket is full no sooner than one token is back`);
}

for (const engine of engines) {
  describe(`rate limits, memory store (${engine.name})`, () => {
    let api: TestApi;
    before(async () => {
      // One token a second: nothing refills while a test runs its few requests.
      api = await startApi(engine, { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' });
    });
    after(() => api.close());

    const freshKey = async () => (await api.app.services.accounts.createKey(api.accountId, ['contacts:write'])).apiKey;

    test('every answer under a key carries the RateLimit-* headers (2xx and 4xx alike); past the burst: 429, a native problem with Retry-After', async () => {
      const key = await freshKey();
      const first = await api.call('GET', '/v1/lookup?phone=%2B16519990000', undefined, { key });
      assert.equal(first.status, 200);
      // One token taken at one a second: full again in a second.
      assert.deepEqual(limitHeaders(first), { limit: 3, remaining: 2, reset: 1 });
      const missing = await api.call('GET', '/v1/contacts/00000000-0000-4000-8000-000000000000', undefined, { key });
      assertProblem(missing, 404, 'contact_not_found');
      assert.equal(limitHeaders(missing).remaining, 1);
      const invalid = await api.call('POST', '/v1/contacts', { first_name: 42 }, { key });
      assertProblem(invalid, 400, 'validation_failed');
      assert.equal(limitHeaders(invalid).remaining, 0);
      const refused = await api.call('GET', '/v1/lookup?phone=%2B16519990000', undefined, { key });
      const problem = assertProblem(refused, 429, 'rate_limited');
      assert.equal(problem.title, 'Too many requests');
      assertRefused(refused, 3, 'native');
    });

    test('refusals of a valid key (403, a foreign 8x8 account) count too and carry the headers; past the burst they become 429', async () => {
      const readKey = async () => (await api.app.services.accounts.createKey(api.accountId, ['contacts:read'])).apiKey;
      const other = await api.otherAccount();
      const cases: [string, (key: string) => Promise<Response>, number][] = [
        ['native', (key) => api.call('POST', '/v1/address-books', { name: 'never' }, { key }), 403],
        ['Zoom', (key) => api.call('POST', '/zoom/v2/contact_center/address_books', { address_book_name: 'never' }, { key }), 403],
        ['Genesys', (key) => api.call('POST', '/genesys/api/v2/contacts', { name: 'Never', type: 'Custom' }, { key: null, headers: basic(api.accountId, key) }), 403],
        ['8x8', (key) => api.call('GET', `/8x8/api/v1/accounts/${other.accountId}/contacts`, undefined, { key }), 400],
      ];
      for (const [name, send, status] of cases) {
        const key = await readKey();
        for (let n = 0; n < 3; n++) {
          const res = await send(key);
          assert.equal(res.status, status, `${name}: ${res.raw.body}`);
          const headers = limitHeaders(res);
          assert.deepEqual([headers.limit, headers.remaining], [3, 2 - n], name);
          assert.ok(headers.reset >= 1 && headers.reset <= 3, name);
        }
        assertRefused(await send(key), 3, name);
      }
    });

    test('a refused write changes nothing', async () => {
      const key = await freshKey();
      for (let n = 0; n < 3; n++) assert.equal((await api.call('GET', '/v1/address-books', undefined, { key })).status, 200);
      const name = `refused ${Date.now()}`;
      assertProblem(await api.call('POST', '/v1/address-books', { name }, { key }), 429, 'rate_limited');
      const books = await api.call('GET', '/v1/address-books?limit=100');
      assert.ok(!books.body.data.some((b: { name: string }) => b.name === name));
    });

    test('each key has a bucket of its own', async () => {
      const [one, other] = [await freshKey(), await freshKey()];
      for (let n = 0; n < 3; n++) await api.call('GET', '/v1/address-books', undefined, { key: one });
      assert.equal((await api.call('GET', '/v1/address-books', undefined, { key: one })).status, 429);
      const second = await api.call('GET', '/v1/address-books', undefined, { key: other });
      assert.equal(second.status, 200);
      assert.equal(limitHeaders(second).remaining, 2);
    });

    test('/healthz, /readyz, /metrics, /openapi.json and /docs are never limited, even with a spent key', async () => {
      const key = await freshKey();
      for (let n = 0; n < 4; n++) await api.call('GET', '/v1/address-books', undefined, { key });
      for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']) {
        for (let n = 0; n < 5; n++) {
          const res = await api.call('GET', path, undefined, { key });
          assert.ok(res.status < 400, `${path}: ${res.status}`);
          assert.equal(res.headers['ratelimit-limit'], undefined, path);
        }
      }
    });

    test('requests without a valid key are not limited by this: they get 401, without RateLimit headers', async () => {
      for (let n = 0; n < 5; n++) {
        for (const key of [null, 'cdk_unknown']) {
          const res = await api.call('GET', '/v1/address-books', undefined, { key });
          assertProblem(res, 401, 'unauthorized');
          assert.equal(res.headers['ratelimit-limit'], undefined);
        }
      }
    });

    test('every platform API answers 429 in its own error format, with Retry-After and the RateLimit-* headers', async () => {
      const { accountId } = api;
      const stream = newStream();
      const surfaces: { name: string; send(key: string): Promise<Response>; check(res: Response): void }[] = [
        {
          name: 'Zoom',
          send: (key) => api.call('GET', '/zoom/v2/contact_center/address_books', undefined, { key }),
          // Zoom's answer over its per-second limits: {code: 429, message}.
          check: (res) => assert.deepEqual(res.body, { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' }),
        },
        {
          name: 'Genesys',
          send: (key) => api.call('GET', '/genesys/api/v2/contacts', undefined, { key: null, headers: basic(accountId, key) }),
          check: (res) => {
            assert.deepEqual(Object.keys(res.body).sort(), ['statusCode', 'statusMessage']);
            assert.equal(res.body.statusCode, 3);
            assert.match(res.body.statusMessage, /requests a second/);
          },
        },
        {
          name: '8x8',
          send: (key) => api.call('GET', `/8x8/api/v1/accounts/${accountId}/contacts`, undefined, { key }),
          check: (res) => {
            assert.deepEqual(Object.keys(res.body).sort(), ['code', 'errorId', 'message', 'timestamp']);
            assert.equal(res.body.code, 5005);
            assert.match(res.body.message, /^Too Many Requests/);
          },
        },
        {
          name: 'Apptoto',
          send: (key) => api.call('GET', '/apptoto/v1/address_books', undefined, { key: null, headers: basic(accountId, key) }),
          check: (res) => {
            assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message']);
            assert.equal(res.body.code, 'rate_limited');
          },
        },
        {
          name: 'Kore.ai',
          send: async (key) => api.call('GET', `${base(stream)}?skip=0&limit=10`, undefined, { key: null, headers: await koreHeaders(api, key) }),
          check: (res) => {
            assert.deepEqual(Object.keys(res.body), ['errors']);
            assert.equal(res.body.errors.length, 1);
            assert.equal(res.body.errors[0].code, 'TooManyRequests');
            assert.equal(typeof res.body.errors[0].msg, 'string');
          },
        },
      ];
      for (const surface of surfaces) {
        const key = await freshKey();
        for (let n = 0; n < 3; n++) {
          const res = await surface.send(key);
          assert.ok(res.status >= 200 && res.status < 300, `${surface.name} #${n + 1}: ${res.status} ${res.raw.body}`);
          assert.equal(limitHeaders(res).remaining, 2 - n, `${surface.name}: RateLimit-Remaining on its 2xx`);
        }
        const refused = await surface.send(key);
        assertRefused(refused, 3, surface.name);
        surface.check(refused);
      }
    });
  });
}

describe('rate limits off and configuration', () => {
  test('RATE_LIMIT_PER_SECOND=0 turns the limits off: no 429 and no RateLimit headers', async () => {
    const api = await startApi(engines[0]!, { RATE_LIMIT_PER_SECOND: '0', RATE_LIMIT_BURST: '1' });
    try {
      for (let n = 0; n < 20; n++) {
        const res = await api.call('GET', '/v1/address-books');
        assert.equal(res.status, 200);
        assert.equal(res.headers['ratelimit-limit'], undefined);
      }
    } finally {
      await api.close();
    }
  });

  test('tokens flow back at RATE_LIMIT_PER_SECOND', async () => {
    const api = await startApi(engines[0]!, { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '1' });
    try {
      assert.equal((await api.call('GET', '/v1/address-books')).status, 200);
      const refused = await api.call('GET', '/v1/address-books');
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['retry-after'], '1');
      // One token a second: wait past it.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal((await api.call('GET', '/v1/address-books')).status, 200);
    } finally {
      await api.close();
    }
  });

  test('defaults are 500 a second and bursts of 1000; bad values stop the start with one clear line', () => {
    const config = readConfig({});
    assert.deepEqual(config.rateLimit, { perSecond: 500, burst: 1000, redisUrl: null });
    assert.equal(readConfig({ REDIS_URL: 'rediss://cache.example:6380/2' }).rateLimit.redisUrl, 'rediss://cache.example:6380/2');
    for (const env of [
      { RATE_LIMIT_PER_SECOND: '-1' },
      { RATE_LIMIT_PER_SECOND: '1.5' },
      { RATE_LIMIT_PER_SECOND: 'lots' },
      { RATE_LIMIT_BURST: '0' },
      { RATE_LIMIT_BURST: '' },
      { REDIS_URL: 'http://127.0.0.1:6379' },
      { REDIS_URL: '127.0.0.1:6379' },
    ]) {
      assert.throws(() => readConfig(env), (e: unknown) => e instanceof ConfigError && /RATE_LIMIT|REDIS_URL/.test(e.message), JSON.stringify(env));
    }
  });
});
