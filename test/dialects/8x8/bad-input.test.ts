import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, type Response, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { EIGHT_BY_EIGHT_SPEC, assertError, assertSpec, eightByEight, msisdn, type Call } from './support.ts';

/**
 * The bad-input matrix: every case answers an 8x8 error body ({code, message, errorId, timestamp})
 * with the status the file (or the README) gives, never a 500, and writes nothing.
 */
for (const engine of engines) {
  describeWithSpec(EIGHT_BY_EIGHT_SPEC, `8x8 bad input on ${engine.name}`, () => {
    let api: TestApi;
    let call: Call;
    let contactId: number;
    let groupId: number;
    let jobId: string;

    /** Every operation of the file, with a body that would succeed, and the statuses it declares. */
    const operations = () => [
      { method: 'GET' as const, path: '/contacts', declared: [200, 400] },
      { method: 'POST' as const, path: '/contacts', body: { addresses: { msisdn: msisdn() } }, declared: [200, 201, 400, 409] },
      { method: 'POST' as const, path: `/contacts/blacklist/${msisdn()}`, declared: [200, 400, 401] },
      { method: 'GET' as const, path: `/contacts/${contactId}`, declared: [200, 404] },
      { method: 'DELETE' as const, path: `/contacts/${contactId}`, declared: [204] },
      { method: 'PATCH' as const, path: `/contacts/${contactId}`, body: [{ op: 'replace', path: '/firstName', value: 'Changed' }], declared: [200, 400, 404] },
      { method: 'GET' as const, path: '/groups', declared: [200, 400] },
      { method: 'POST' as const, path: '/groups', body: { name: `new ${msisdn()}` }, declared: [201, 400, 409] },
      { method: 'GET' as const, path: `/groups/${groupId}`, declared: [200, 404] },
      { method: 'DELETE' as const, path: `/groups/${groupId}`, declared: [204, 404] },
      { method: 'PATCH' as const, path: `/groups/${groupId}`, body: [{ op: 'replace', path: '/name', value: `renamed ${msisdn()}` }], declared: [200, 400, 404, 409] },
      { method: 'POST' as const, path: `/groups/${groupId}/contacts`, body: { contacts: [contactId] }, declared: [201, 404] },
      { method: 'DELETE' as const, path: `/groups/${groupId}/contacts`, body: { contacts: [contactId] }, declared: [200, 404] },
      { method: 'POST' as const, path: '/contacts/batches/createContacts', body: {}, declared: [202, 400] },
      { method: 'POST' as const, path: '/contacts/batches/deleteContacts', body: { ids: [contactId] }, declared: [202, 400] },
      { method: 'POST' as const, path: `/groups/batches/copyContacts?from=${groupId}&to=${groupId}`, declared: [202, 400] },
      { method: 'POST' as const, path: `/groups/batches/moveContacts?from=${groupId}&to=${groupId}`, declared: [202, 400] },
      { method: 'POST' as const, path: '/groups/batches/deleteGroups', body: { ids: [groupId], deleteContacts: true }, declared: [202, 400] },
      { method: 'GET' as const, path: `/batches/${jobId}`, declared: [200, 404] },
      { method: 'GET' as const, path: '/batches', declared: [200, 400] },
    ];

    const raw = async (method: 'POST' | 'PATCH', path: string, payload: string, contentType = 'application/json'): Promise<Response> => {
      const url = `/8x8/api/v1/accounts/${api.accountId}${path}`;
      const r = await api.app.inject({ method, url, payload, headers: { authorization: `Bearer ${api.keys.admin}`, 'content-type': contentType } });
      const res = { status: r.statusCode, headers: r.headers, body: r.json(), raw: r };
      assertSpec(method, url, res);
      return res;
    };

    before(async () => {
      api = await startApi(engine);
      call = eightByEight(api);
      contactId = (await call('POST', '/contacts', { firstName: 'Existing', addresses: { msisdn: msisdn() } })).body.id;
      groupId = (await call('POST', '/groups', { name: 'Existing group' })).body.id;
      jobId = (await call('POST', '/contacts/batches/deleteContacts', { ids: [999999999] })).body.id;
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    after(() => api.close());

    test('README auth: no key, an unknown, revoked or malformed key, another scheme: 401 code 1200 on every operation, before anything is looked up', async () => {
      const revoked = await api.app.services.accounts.createKey(api.accountId, ['contacts:write']);
      await api.app.services.accounts.revokeKey(revoked.key.id);
      const before = await snapshot(api.db);
      const credentials: Record<string, string>[] = [
        {},
        { authorization: 'Bearer cdk_unknown' },
        { authorization: `Bearer ${revoked.apiKey}` },
        { authorization: 'Bearer' },
        { authorization: `Basic ${Buffer.from(`${api.accountId}:${api.keys.admin}`).toString('base64')}` },
        { authorization: `Token ${api.keys.admin}` },
      ];
      for (const op of operations()) {
        for (const headers of credentials) {
          const res = await call(op.method, op.path, op.body, { key: null, headers });
          assertError(res, 401, 1200);
          assert.match(String(res.headers['www-authenticate']), /^Bearer/);
        }
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('README scopes: a contacts:read key on every write: 403 code 1201, nothing written', async () => {
      const before = await snapshot(api.db);
      for (const op of operations().filter((o) => o.method !== 'GET')) assertError(await call(op.method, op.path, op.body, { key: api.keys.read }), 403, 1201);
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('README: another account\'s accountId is refused with code 1001 (400 where the operation declares 400, else 404); a malformed one with code 1000', async () => {
      const other = await api.otherAccount();
      const before = await snapshot(api.db);
      const foreign = eightByEight(api, other.accountId);
      const malformed = eightByEight(api, 'not-a-guid');
      const short = eightByEight(api, '0123456789abcdef0123456789abcde');
      for (const op of operations()) {
        const status = op.declared.includes(400) ? 400 : 404;
        assertError(await foreign(op.method, op.path, op.body), status, 1001);
        assertError(await malformed(op.method, op.path, op.body), status, 1000);
        assertError(await short(op.method, op.path, op.body), status, 1000);
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('spec accountId pattern: the key\'s own account without dashes and in upper case is the same account', async () => {
      const compact = api.accountId.replace(/-/g, '').toUpperCase();
      const res = await eightByEight(api, compact)('GET', `/contacts/${contactId}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.firstName, 'Existing');
    });

    test('malformed JSON, a wrong media type, an over-large body: 400 / 415 / 413 with code 1000, nothing written', async () => {
      const before = await snapshot(api.db);
      for (const [method, path] of [['POST', '/contacts'], ['PATCH', `/contacts/${contactId}`], ['POST', '/groups'], ['PATCH', `/groups/${groupId}`]] as const) {
        assertError(await raw(method, path, '{"addresses": '), 400, 1000);
        assertError(await raw(method, path, 'addresses=1', 'text/plain'), 415, 1000);
        assertError(await raw(method, path, JSON.stringify({ firstName: 'x'.repeat(1024 * 1024 + 10) })), 413, 1000);
        for (const json of ['null', '"text"', '42', 'true']) assertError(await raw(method, path, json), 400, 1000);
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('spec create-contact limits and patterns: 400 (1002 for an msisdn, with 8x8\'s message; 1000 otherwise), nothing written', async () => {
      const before = await snapshot(api.db);
      for (const bad of ['0123456', '+', '12345', '1234567890123456', '++16511112222', '165 1111 2222', 'abc', '', 16511112222]) {
        const res = await call('POST', '/contacts', { addresses: { msisdn: bad } });
        assertError(res, 400, 1002);
        assert.equal(res.body.message, 'Invalid MSISDN format (not E.164 international number)', String(bad));
      }
      const cases: unknown[] = [
        {},
        { firstName: 'No addresses' },
        { addresses: {} },
        { addresses: { email: '', lineId: '  ' } },
        { addresses: { msisdn: msisdn() }, firstName: '' },
        { addresses: { msisdn: msisdn() }, firstName: 'x'.repeat(201) },
        { addresses: { msisdn: msisdn() }, lastName: 'x'.repeat(201) },
        { addresses: { msisdn: msisdn() }, externalId: 'x'.repeat(51) },
        { addresses: { msisdn: msisdn() }, country: 'USA' },
        { addresses: { msisdn: msisdn() }, country: '12' },
        { addresses: { msisdn: msisdn() }, groups: [] },
        { addresses: { msisdn: msisdn() }, groups: Array.from({ length: 11 }, (_, i) => ({ id: i + 1 })) },
        { addresses: { msisdn: msisdn() }, groups: [{ id: groupId }, { id: groupId }] },
        { addresses: { msisdn: msisdn() }, groups: [{ id: 'one' }] },
        { addresses: { email: 'not-an-email' } },
        { addresses: { email: `${'x'.repeat(310)}@example.com` } },
        { addresses: { weChatUserId: 'x'.repeat(129) } },
        { addresses: { kakaoTalkId: 5 } },
        { addresses: { whatsApp: 'nope' } },
        { addresses: { msisdn: msisdn() }, customAttributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) },
        { addresses: { msisdn: msisdn() }, customAttributes: { nested: { a: 1 } } },
        { addresses: { msisdn: msisdn() }, customAttributes: { ['k'.repeat(65)]: 'long key' } },
        { addresses: { msisdn: msisdn() }, customAttributes: { '': 'empty key' } },
        { addresses: { msisdn: msisdn() }, nickname: 'unknown field' },
        { addresses: { msisdn: msisdn() }, firstName: 'Nul\u0000byte' },
        [{ addresses: { msisdn: msisdn() } }],
      ];
      for (const body of cases) assertError(await call('POST', '/contacts', body), 400, 1000);
      assertError(await call('POST', '/contacts', { addresses: { msisdn: msisdn() }, groups: [{ id: 999999999 }] }), 400, 1300);
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('an externalId another contact holds: 409 code 5002, nothing written', async () => {
      await call('POST', '/contacts', { externalId: 'taken-id', addresses: { msisdn: msisdn() } });
      const before = await snapshot(api.db);
      assertError(await call('POST', '/contacts', { externalId: 'taken-id', addresses: { msisdn: msisdn() } }), 409, 5002);
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('bad PATCH bodies (not an array, unknown op, empty, more than 100 operations) and group bodies: 400 code 1000', async () => {
      const before = await snapshot(api.db);
      for (const path of [`/contacts/${contactId}`, `/groups/${groupId}`]) {
        for (const body of [{ op: 'replace', path: '/firstName', value: 'x' }, [], [{ op: 'rename', path: '/a' }], [{ path: '/a' }], [{ op: 'add', path: '/a', value: 1, extra: true }], Array.from({ length: 101 }, () => ({ op: 'test', path: '/id', value: 1 }))]) {
          assertError(await call('PATCH', path, body), 400, 1000);
        }
      }
      for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'ok', description: '' }, { name: 'ok', description: 'x'.repeat(101) }, { name: 'ok', isBlacklist: 'yes' }, { name: 'ok', other: 1 }]) {
        assertError(await call('POST', '/groups', body), 400, 1000);
      }
      for (const body of [{}, { contacts: 'all' }, { contacts: ['x'] }]) assertError(await call('POST', `/groups/${groupId}/contacts`, body), 400, 1000);
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('a PATCH whose operations on the root leave no object (null, an array, a copy from nowhere): 400 code 1000, not a 500', async () => {
      const before = await snapshot(api.db);
      for (const path of [`/contacts/${contactId}`, `/groups/${groupId}`]) {
        for (const ops of [[{ op: 'copy', path: '', from: '~6?nOMK(A|' }], [{ op: 'remove', path: '' }], [{ op: 'replace', path: '', value: null }], [{ op: 'add', path: '', value: [1] }]]) {
          assertError(await call('PATCH', path, ops), 400, 1000);
        }
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('bad list parameters: 400 code 1000', async () => {
      for (const path of ['/contacts', '/groups', '/batches']) {
        for (const query of ['limit=0', 'limit=501', 'limit=abc', 'offset=-1', 'offset=x', 'offset=100000000000000000000']) assertError(await call('GET', `${path}?${query}`), 400, 1000);
      }
      for (const query of [`query=${'x'.repeat(321)}`, 'groupId=-1', 'groupId=x', 'country=USA', 'query=a%00b']) assertError(await call('GET', `/contacts?${query}`), 400, 1000);
    });

    test('unknown ids and another account\'s ids: 404 code 1300 (theirs untouched); unknown routes under the mount: 404', async () => {
      const other = await api.otherAccount();
      const theirs = eightByEight(api, other.accountId);
      const contact = (await theirs('POST', '/contacts', { firstName: 'Theirs', addresses: { msisdn: msisdn() } }, { key: other.key })).body.id;
      const group = (await theirs('POST', '/groups', { name: 'Theirs' }, { key: other.key })).body.id;
      for (const id of [contact, 0, 999999999, 'x'.repeat(300), '1.5', '-1']) {
        assertError(await call('GET', `/contacts/${id}`), 404, 1300);
        assertError(await call('PATCH', `/contacts/${id}`, [{ op: 'replace', path: '/firstName', value: 'Taken' }]), 404, 1300);
        assertError(await call('DELETE', `/contacts/${id}`), 404, 1300);
      }
      for (const id of [group, 999999999, 'abc']) {
        assertError(await call('GET', `/groups/${id}`), 404, 1300);
        assertError(await call('DELETE', `/groups/${id}`), 404, 1300);
        assertError(await call('POST', `/groups/${id}/contacts`, { contacts: [contactId] }), 404, 1300);
      }
      assertError(await call('POST', `/groups/${groupId}/contacts`, { contacts: [contact] }), 404, 1300);
      assert.equal((await theirs('GET', `/contacts/${contact}`, undefined, { key: other.key })).body.firstName, 'Theirs');
      for (const [method, path] of [['GET', '/nothing'], ['PUT', `/contacts/${contactId}`], ['POST', `/contacts/${contactId}`], ['GET', '/contacts/blacklist/16511112222']] as const) {
        const res = await api.call(method, `/8x8/api/v1/accounts/${api.accountId}${path}`, method === 'GET' ? undefined : {});
        assertError(res, 404, 1300);
      }
      assertError(await api.call('GET', '/8x8/anything'), 404, 1300);
    });

    test('the existing contact and group survived the whole matrix unchanged', async () => {
      assert.equal((await call('GET', `/contacts/${contactId}`)).body.firstName, 'Existing');
      assert.equal((await call('GET', `/groups/${groupId}`)).body.name, 'Existing group');
    });
  });
}
