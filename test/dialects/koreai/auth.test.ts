import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { engines } from '../../support/engines.ts';
import { startApi, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { assertKoreError, base, createBody, jwtFor, newStream } from './support.ts';

/**
 * README: header `auth: <JWT>` and header `accountId`. Decision: HS256, `appId` is one of the
 * account's API key ids (`iat` the only other claim a client must send), signed with that API key
 * as the secret; `accountId` must be that key's account. Every dialect also takes a Bearer key.
 */
for (const engine of engines) {
  describe(`Kore.ai AgentAssist auth on ${engine.name}`, () => {
    let api: TestApi;
    const stream = newStream();
    const send = (method: 'GET' | 'POST', headers: Record<string, string>, body: unknown = method === 'POST' ? createBody() : undefined) =>
      api.call(method, base(stream), body, { key: null, headers });
    const keyIdOf = async (key: string) => (await api.app.services.accounts.authenticate(key))!.keyId;
    const secret = (key: string) => new TextEncoder().encode(key);

    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    test('README Decision: a JWT {appId, iat} signed HS256 with the API key, with the accountId header, is accepted (write and read keys)', async () => {
      const created = await send('POST', { auth: await jwtFor(api, api.keys.write), accountId: api.accountId });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const listed = await send('GET', { auth: await jwtFor(api, api.keys.read), accountId: api.accountId });
      assert.equal(listed.status, 200);
      assert.ok(listed.body.results.some((c: { id: string }) => c.id === created.body.id));
      const lowerCase = await send('GET', { auth: await jwtFor(api, api.keys.read), accountid: api.accountId });
      assert.equal(lowerCase.status, 200, 'header names ignore case');
    });

    test('README: all dialects accept Authorization: Bearer <key> (accountId header optional, but must match when sent)', async () => {
      assert.equal((await send('GET', { authorization: `Bearer ${api.keys.read}` })).status, 200);
      assert.equal((await send('GET', { authorization: `Bearer ${api.keys.read}`, accountId: api.accountId })).status, 200);
      const other = await api.otherAccount();
      assertKoreError(await send('GET', { authorization: `Bearer ${api.keys.read}`, accountId: other.accountId }), 401, 'Unauthorized');
    });

    test('README Decision: every bad JWT is 401 in Kore\'s error format, and writes nothing', async () => {
      const other = await api.otherAccount();
      const revoked = await api.app.services.accounts.createKey(api.accountId, ['contacts:write']);
      const revokedJwt = await jwtFor(api, revoked.apiKey);
      await api.app.services.accounts.revokeKey(revoked.key.id);
      const adminId = await keyIdOf(api.keys.admin);
      const now = Math.floor(Date.now() / 1000);
      const cases: [string, Record<string, string>][] = [
        ['no credentials', {}],
        ['a JWT without the accountId header', { auth: await jwtFor(api, api.keys.admin) }],
        ['another account\'s id', { auth: await jwtFor(api, api.keys.admin), accountId: other.accountId }],
        ['another account\'s key with this account\'s id', { auth: await jwtFor(api, other.key), accountId: api.accountId }],
        ['a revoked key', { auth: revokedJwt, accountId: api.accountId }],
        ['signed with another key', { auth: await new SignJWT({ appId: adminId }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(secret(api.keys.write)), accountId: api.accountId }],
        ['HS512', { auth: await jwtFor(api, api.keys.admin, {}, 'HS512'), accountId: api.accountId }],
        ['alg none', { auth: new UnsecuredJWT({ appId: adminId, iat: now }).encode(), accountId: api.accountId }],
        ['expired exp', { auth: await jwtFor(api, api.keys.admin, { exp: now - 60 }), accountId: api.accountId }],
        ['not yet valid nbf', { auth: await jwtFor(api, api.keys.admin, { nbf: now + 3600 }), accountId: api.accountId }],
        ['no appId', { auth: await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(secret(api.keys.admin)), accountId: api.accountId }],
        ['an appId that is no key', { auth: await new SignJWT({ appId: '00000000-0000-0000-0000-000000000000' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(secret(api.keys.admin)), accountId: api.accountId }],
        ['a numeric appId', { auth: await new SignJWT({ appId: 42 }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(secret(api.keys.admin)), accountId: api.accountId }],
        ['no iat', { auth: await new SignJWT({ appId: adminId }).setProtectedHeader({ alg: 'HS256' }).sign(secret(api.keys.admin)), accountId: api.accountId }],
        ['not a JWT', { auth: 'not.a.jwt', accountId: api.accountId }],
        ['garbage', { auth: '%%%', accountId: api.accountId }],
        ['the API key itself in auth', { auth: api.keys.admin, accountId: api.accountId }],
        ['a huge token', { auth: 'a'.repeat(5000), accountId: api.accountId }],
        ['an unknown Bearer key', { authorization: 'Bearer cdk_unknown' }],
        ['a revoked Bearer key', { authorization: `Bearer ${revoked.apiKey}` }],
      ];
      const before = await snapshot(api.db);
      for (const [label, headers] of cases) {
        for (const method of ['GET', 'POST'] as const) {
          const res = await send(method, headers);
          assert.equal(res.status, 401, `${method} with ${label}: ${JSON.stringify(res.body)}`);
          assertKoreError(res, 401, 'Unauthorized');
        }
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('README: a JWT with a future exp is accepted; the HMAC key is the API key string itself', async () => {
      const now = Math.floor(Date.now() / 1000);
      assert.equal((await send('GET', { auth: await jwtFor(api, api.keys.read, { exp: now + 600, jti: 'x1' }), accountId: api.accountId })).status, 200);
    });

    test('README: a key without contacts:write gets 403 (Forbidden) on every write, in JWT and Bearer, nothing written', async () => {
      const before = await snapshot(api.db);
      const jwt = { auth: await jwtFor(api, api.keys.read), accountId: api.accountId };
      const bearer = { authorization: `Bearer ${api.keys.read}` };
      const id = '00000000-0000-0000-0000-000000000000';
      for (const headers of [jwt, bearer]) {
        for (const [method, path, body] of [['POST', '', createBody()], ['PUT', `/${id}`, { firstName: 'x' }], ['DELETE', `/${id}`, undefined], ['PUT', '/bulk-update', { contacts: [{ id, firstName: 'x' }] }], ['DELETE', '/bulk-delete', { ids: [id] }], ['POST', '/import-contacts', {}]] as const) {
          assertKoreError(await api.call(method, `${base(stream)}${path}`, body, { key: null, headers }), 403, 'Forbidden');
        }
      }
      assert.deepEqual(await snapshot(api.db), before);
    });
  });
}
