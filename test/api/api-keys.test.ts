import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';

for (const engine of engines) {
  describe(`GET /v1/me and /v1/api-keys on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    test('/v1/me tells each key its account and scopes, implied ones included', async () => {
      const read = await api.call('GET', '/v1/me', undefined, { key: api.keys.read });
      assert.equal(read.status, 200);
      assert.equal(read.body.account_id, api.accountId);
      assert.deepEqual(read.body.scopes, ['contacts:read']);
      const write = await api.call('GET', '/v1/me', undefined, { key: api.keys.write });
      assert.deepEqual([...write.body.scopes].sort(), ['contacts:read', 'contacts:write']);
      const admin = await api.call('GET', '/v1/me');
      assert.deepEqual([...admin.body.scopes].sort(), ['admin', 'contacts:read', 'contacts:write']);
      assert.equal(admin.body.key_id, api.admin.keyId);
    });

    test('a key created over HTTP works at once, is listed without its secret, is journalled, and once revoked is refused', async () => {
      const created = await api.call('POST', '/v1/api-keys', { scopes: ['contacts:write'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const secret: string = created.body.api_key;
      assert.match(secret, /^cdk_/);
      const me = await api.call('GET', '/v1/me', undefined, { key: secret });
      assert.equal(me.status, 200);
      assert.equal(me.body.key_id, created.body.key.id);
      const list = await api.call('GET', '/v1/api-keys');
      const listed = list.body.data.find((k: { id: string }) => k.id === created.body.key.id);
      assert.deepEqual(listed.scopes, ['contacts:write']);
      assert.ok(!JSON.stringify(list.body).includes(secret), 'no secret in the list');
      const feed = await api.call('GET', '/v1/changes?types=api_key.*&limit=1000');
      const changes = feed.body.data.filter((c: { object_id: string }) => c.object_id === created.body.key.id);
      assert.deepEqual(changes.map((c: { action: string }) => c.action), ['created']);
      assert.equal(changes[0].actor.key_id, api.admin.keyId);

      const revoked = await api.call('DELETE', `/v1/api-keys/${created.body.key.id}`);
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.revoked_at);
      assertProblem(await api.call('GET', '/v1/me', undefined, { key: secret }), 401, 'unauthorized');
    });

    test('bad scopes: 400; another account\'s key: 404 and still working', async () => {
      assertProblem(await api.call('POST', '/v1/api-keys', { scopes: ['root'] }), 400);
      assertProblem(await api.call('POST', '/v1/api-keys', { scopes: [] }), 400);
      const other = await api.otherAccount();
      const theirs = await api.call('POST', '/v1/api-keys', { scopes: ['contacts:read'] }, { key: other.key });
      assertProblem(await api.call('DELETE', `/v1/api-keys/${theirs.body.key.id}`), 404, 'api_key_not_found');
      assert.equal((await api.call('GET', '/v1/me', undefined, { key: theirs.body.api_key })).status, 200);
      assert.ok(!(await api.call('GET', '/v1/api-keys')).body.data.some((k: { id: string }) => k.id === theirs.body.key.id));
    });
  });
}
