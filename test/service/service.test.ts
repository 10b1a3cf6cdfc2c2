/** Service endpoints: health, readiness, metrics, the OpenAPI document and the rendered docs. None needs a key. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { openStore } from '../../src/runtime.ts';
import { engines } from '../support/engines.ts';
import { startApi, type Response, type TestApi } from '../support/api.ts';

for (const engine of engines) {
  describe(`service endpoints on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    /** Without a key, and with a bad one: health probes and scrapers carry no credentials. */
    async function open(url: string): Promise<Response> {
      const res = await api.call('GET', url, undefined, { key: null });
      const withBadKey = await api.call('GET', url, undefined, { key: 'cdk_not-a-real-key' });
      assert.ok(res.status !== 401 && res.status !== 403, `${url} needs no key (got ${res.status})`);
      assert.equal(withBadKey.status, res.status, `${url}: a stray bad key changes nothing`);
      return res;
    }

    test('GET /healthz answers 200', async () => {
      const res = await open('/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ok' });
      assert.ok(res.headers['x-request-id']);
    });

    test('GET /readyz answers 200 while the database is reachable', async () => {
      const res = await open('/readyz');
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ready');
    });

    test('GET /metrics is Prometheus text with request counts and latency histograms by route and status', async () => {
      const contact = await api.call('POST', '/v1/contacts', { display_name: 'Metered' });
      assert.equal(contact.status, 201);
      assert.equal((await api.call('GET', `/v1/contacts/${contact.body.id}`)).status, 200);
      assert.equal((await api.call('GET', '/v1/contacts/00000000-0000-0000-0000-000000000000')).status, 404);
      await api.call('GET', '/no/such/route');

      const res = await open('/metrics');
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      const text = String(res.raw.body);
      assert.match(text, /^# HELP http_requests_total /m);
      assert.match(text, /^# TYPE http_requests_total counter$/m);
      assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);

      const sample = (name: string, labels: Record<string, string>) =>
        text.split('\n').filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
      const okReads = sample('http_requests_total', { method: 'GET', route: '/v1/contacts/:id', status_code: '200' });
      assert.equal(okReads.length, 1, 'one series per method, route and status');
      assert.ok(Number(okReads[0]!.split(' ').pop()) >= 1);
      assert.equal(sample('http_requests_total', { route: '/v1/contacts/:id', status_code: '404' }).length, 1, 'statuses are labelled apart');
      assert.equal(sample('http_requests_total', { method: 'POST', route: '/v1/contacts', status_code: '201' }).length, 1);
      assert.ok(sample('http_request_duration_seconds_bucket', { route: '/v1/contacts/:id', status_code: '200', le: '+Inf' }).length === 1, 'latency histogram by route');
      assert.ok(sample('http_request_duration_seconds_count', { route: '/v1/contacts/:id' }).length >= 1);
      assert.ok(sample('http_request_duration_seconds_sum', { route: '/v1/contacts/:id' }).length >= 1);
      assert.ok(!text.includes(contact.body.id), 'routes are labelled by pattern, never by raw URL');
      assert.ok(!text.includes('/no/such/route'), 'unknown URLs do not become labels');
    });

    test('GET /openapi.json answers the OpenAPI document', async () => {
      const res = await open('/openapi.json');
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /json/);
      assert.match(res.body.openapi, /^3\./);
      assert.ok(res.body.info?.title);
      for (const path of ['/v1/contacts', '/v1/contacts/{id}', '/v1/lookup', '/v1/address-books', '/v1/custom-fields', '/v1/groups', '/healthz']) {
        assert.ok(res.body.paths[path], `describes ${path}`);
      }
      assert.ok(res.body.components?.schemas?.Contact);
    });

    test('GET /docs answers the rendered API reference (following a redirect if any)', async () => {
      let res = await open('/docs');
      for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 5; hops++) {
        const location = String(res.headers.location);
        assert.ok(location, 'a redirect names where to go');
        res = await open(new URL(location, 'http://localhost/docs').pathname);
      }
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(String(res.raw.body), /<html/i);
    });
  });
}

test('GET /readyz answers 503 when the database is not reachable, while /healthz stays 200', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'contactd-readyz-'));
  const config = readConfig({ DATABASE_URL: `sqlite:${join(dir, 'c.db')}`, LOG_LEVEL: 'silent' });
  const { store, handle } = await openStore(config);
  const app = await buildApp(config, { store, logger: false });
  try {
    await app.ready();
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    await handle.close();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 503, res.body);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
