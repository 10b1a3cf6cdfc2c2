/**
 * Every error shape of the native API: unknown routes, bad JSON, wrong types, unsupported media
 * types, oversize bodies and garbage ids all answer an RFC 9457 problem, never a 500.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertNamesField, assertProblem } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

for (const engine of engines) {
  describe(`error answers on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    const json = { 'content-type': 'application/json' };

    test('an unknown route is a 404 problem, with or without a key', async () => {
      for (const [method, url] of [
        ['GET', '/v1/nothing-here'],
        ['GET', '/nothing'],
        ['POST', '/v1/contacts/a/b/c'],
        ['GET', '/v2/contacts'],
        ['DELETE', '/v1/lookup'],
      ] as const) {
        assertProblem(await api.call(method, url), 404, undefined, `${method} ${url} with a key`);
        assertProblem(await api.call(method, url, undefined, { key: null }), 404, undefined, `${method} ${url} without a key`);
      }
    });

    test('a method a path does not have is a 404 or 405 problem, not a 500', async () => {
      for (const [method, url] of [['PUT', '/v1/contacts'], ['DELETE', '/v1/contacts'], ['POST', '/v1/lookup'], ['PATCH', '/v1/custom-fields']] as const) {
        const res = await api.call(method, url, method === 'PUT' || method === 'PATCH' || method === 'POST' ? {} : undefined);
        assert.ok(res.status === 404 || res.status === 405, `${method} ${url}: ${res.status}`);
        assertProblem(res, res.status, undefined, `${method} ${url}`);
      }
    });

    test('malformed JSON is a 400 invalid_json problem', async () => {
      const contact = await api.call('POST', '/v1/contacts', { display_name: 'Target' });
      const cases: Array<[string, string, string, Record<string, string>]> = [
        ['POST', '/v1/contacts', '{"first_name": ', json],
        ['POST', '/v1/contacts', "{'single': 'quotes'}", json],
        ['POST', '/v1/contacts', '{"a":1}}', json],
        ['POST', '/v1/address-books', 'not json at all', json],
        ['POST', '/v1/groups', '{"name": "x",}', { 'content-type': 'application/json; charset=utf-8' }],
        ['PATCH', `/v1/contacts/${contact.body.id}`, '{"company": ', { 'content-type': 'application/merge-patch+json' }],
        ['POST', '/v1/contacts/batch', '[{]', json],
      ];
      for (const [method, url, payload, headers] of cases) {
        assertProblem(await api.call(method as 'POST', url, payload, { headers }), 400, 'invalid_json', `${method} ${url} ${JSON.stringify(payload)}`);
      }
      // An empty body is not JSON either; naming it a missing body is as good.
      const empty = assertProblem(await api.call('POST', '/v1/contacts', '', { headers: json }), 400, undefined, 'empty body');
      assert.ok(['invalid_json', 'validation_failed'].includes(empty.code), empty.code);
      const unchanged = await api.call('GET', `/v1/contacts/${contact.body.id}`);
      assert.equal(unchanged.body.version, 1);
    });

    test('a wrong type in a body is a 400 whose errors[] name each bad field with a message', async () => {
      assertNamesField(await api.call('POST', '/v1/contacts', { first_name: 5 }), 'first_name', 'first_name: 5');
      assertNamesField(await api.call('POST', '/v1/contacts', { phone_numbers: 'x' }), 'phone_numbers', 'phone_numbers: "x"');
      assertNamesField(await api.call('POST', '/v1/contacts', { phone_numbers: [{ number: 5 }] }), 'phone_numbers[0].number', 'number: 5');
      assertNamesField(await api.call('POST', '/v1/contacts', { emails: [{ address: 'a@b.c', is_primary: 'yes' }] }), 'emails[0].is_primary', 'is_primary: "yes"');
      assertNamesField(await api.call('POST', '/v1/contacts', { type: 'robot' }), 'type', 'type enum');
      assertNamesField(await api.call('POST', '/v1/contacts', { group_ids: 'abc' }), 'group_ids', 'group_ids string');
      assertNamesField(await api.call('POST', '/v1/contacts', { unknown_field: 1 }), 'unknown_field', 'unknown field');
      assertNamesField(await api.call('POST', '/v1/contacts', { first_name: 'x'.repeat(101) }), 'first_name', 'too long');
      assertNamesField(await api.call('POST', '/v1/address-books', { name: 42 }), 'name', 'book name 42');
      assertNamesField(await api.call('POST', '/v1/address-books', {}), 'name', 'book name missing');
      assertNamesField(await api.call('POST', '/v1/groups', { name: 'G', is_blocklist: 'yes' }), 'is_blocklist', 'is_blocklist "yes" is not coerced');
      assertNamesField(await api.call('POST', '/v1/custom-fields', { key: 'k', data_type: 7 }), 'data_type', 'data_type 7');

      const both = assertProblem(await api.call('POST', '/v1/contacts', { first_name: 5, last_name: true }), 400, 'validation_failed');
      const paths = both.errors.map((e: { path: string }) => e.path);
      assert.ok(paths.includes('first_name') && paths.includes('last_name'), `every bad field is named: ${JSON.stringify(both.errors)}`);
    });

    test('a body that is not an object, and invalid values, are 400s naming the field', async () => {
      assertProblem(await api.call('POST', '/v1/contacts', [{ first_name: 'x' }]), 400, 'validation_failed', 'array body');
      assertProblem(await api.call('POST', '/v1/contacts', '"text"', { headers: json }), 400, 'validation_failed', 'string body');
      assertNamesField(await api.call('POST', '/v1/contacts', { phone_numbers: [{ number: 'not a phone' }] }), 'phone_numbers[0].number', 'unparseable phone');
      assertNamesField(await api.call('POST', '/v1/contacts', { timezone: 'Mars/Olympus_Mons' }), 'timezone', 'IANA timezone');
      const contact = await api.call('POST', '/v1/contacts', { display_name: 'Patched' });
      assertNamesField(await api.call('PATCH', `/v1/contacts/${contact.body.id}`, { last_name: 12 }), 'last_name', 'patch wrong type');
    });

    test('a wrong type in a query string is a 400 naming the parameter', async () => {
      assertNamesField(await api.call('GET', '/v1/contacts?limit=abc'), 'limit', 'limit=abc');
      assertNamesField(await api.call('GET', '/v1/contacts?limit=0'), 'limit', 'limit=0');
      assertNamesField(await api.call('GET', '/v1/contacts?limit=501'), 'limit', 'limit=501');
      assertNamesField(await api.call('GET', '/v1/contacts?updated_since=yesterday'), 'updated_since', 'updated_since');
      assertNamesField(await api.call('GET', '/v1/contacts?type=robot'), 'type', 'type=robot');
      assertNamesField(await api.call('GET', '/v1/address-books?limit=-1'), 'limit', 'books limit');
      assertNamesField(await api.call('GET', '/v1/groups?limit=1.5'), 'limit', 'groups limit');
    });

    test('a garbage cursor is a 400, never a 500', async () => {
      for (const cursor of ['garbage', '!!!', 'eyJmb28iOiJiYXIifQ', '-1', '9'.repeat(60)]) {
        for (const url of [`/v1/contacts?cursor=${encodeURIComponent(cursor)}`, `/v1/address-books?cursor=${encodeURIComponent(cursor)}`, `/v1/groups?cursor=${encodeURIComponent(cursor)}`]) {
          const res = await api.call('GET', url);
          assert.ok(res.status < 500, `${url}: ${res.status} ${res.raw.body}`);
          if (res.status !== 200) assertProblem(res, 400, undefined, url);
        }
      }
    });

    test('a body in an unsupported media type is a 415 problem', async () => {
      const contact = await api.call('POST', '/v1/contacts', { display_name: 'Media' });
      const cases: Array<[string, string, string, string]> = [
        ['POST', '/v1/contacts', '{"display_name": "Plain"}', 'text/plain'],
        ['POST', '/v1/contacts', '<contact/>', 'application/xml'],
        ['POST', '/v1/contacts', 'display_name=Form', 'application/x-www-form-urlencoded'],
        ['POST', '/v1/address-books', 'name: x', 'text/yaml'],
        ['PATCH', `/v1/contacts/${contact.body.id}`, '{"company": "Plain"}', 'text/plain'],
        ['POST', '/v1/contacts/batch', '{"contacts": []}', 'application/octet-stream'],
      ];
      for (const [method, url, payload, type] of cases) {
        assertProblem(await api.call(method as 'POST', url, payload, { headers: { 'content-type': type } }), 415, undefined, `${method} ${url} as ${type}`);
      }
      const list = await api.call('GET', '/v1/contacts?q=Plain');
      assert.deepEqual(list.body.data, [], 'nothing was created from a text/plain body');
      assert.equal((await api.call('GET', `/v1/contacts/${contact.body.id}`)).body.company, null);
    });

    test('a body over 1 MiB is a 413 problem; one just under it is not refused for its size', async () => {
      const big = JSON.stringify({ display_name: 'Big', company: 'x'.repeat(1.5 * 1024 * 1024) });
      assertProblem(await api.call('POST', '/v1/contacts', big, { headers: json }), 413, undefined, '1.5 MiB contact');
      const batch = JSON.stringify({ contacts: Array.from({ length: 1000 }, (_, i) => ({ display_name: `Padding ${i} ${'y'.repeat(1600)}` })) });
      assert.ok(batch.length > 1024 * 1024);
      assertProblem(await api.call('POST', '/v1/contacts/batch', batch, { headers: json }), 413, undefined, 'oversize batch');
      const items = [];
      const item = (i: number) => ({
        display_name: `Near ${i} ${'n'.repeat(180)}`,
        first_name: 'f'.repeat(100),
        last_name: 'l'.repeat(100),
        company: 'c'.repeat(200),
        location: 'l'.repeat(200),
        role: 'r'.repeat(100),
        account_number: 'a'.repeat(100),
      });
      while (JSON.stringify({ contacts: [...items, item(items.length)] }).length < 0.95 * 1024 * 1024 && items.length < 1000) items.push(item(items.length));
      const nearLimit = JSON.stringify({ contacts: items });
      assert.ok(nearLimit.length > 0.9 * 1024 * 1024 && nearLimit.length < 1024 * 1024, `near-limit body is ${nearLimit.length} bytes`);
      const res = await api.call('POST', '/v1/contacts/batch', nearLimit, { headers: json });
      assert.equal(res.status, 200, res.raw.body.slice(0, 300));
    });

    test('non-uuid or garbage ids in paths are 404s, never 500s', async () => {
      const contact = (await api.call('POST', '/v1/contacts', { display_name: 'Real', phone_numbers: [{ number: uniquePhone() }] })).body;
      const group = (await api.call('POST', '/v1/groups', { name: `Real ${randomUUID()}` })).body;
      const garbage = [
        'not-a-uuid',
        '12345',
        '0',
        '-1',
        '00000000-0000-0000-0000-000000000000',
        `${randomUUID()}x`,
        randomUUID().toUpperCase(),
        encodeURIComponent("' or 1=1 --"),
        encodeURIComponent('"; drop table contacts; --'),
        '%00',
        '%E2%82%AC',
        '%F0%9F%98%80',
        encodeURIComponent('../../etc/passwd'),
        encodeURIComponent('a/b'),
        'a'.repeat(90),
      ];
      const failures: string[] = [];
      for (const id of garbage) {
        const urls: Array<[string, string, unknown?]> = [
          ['GET', `/v1/contacts/${id}`],
          ['PATCH', `/v1/contacts/${id}`, { company: 'x' }],
          ['DELETE', `/v1/contacts/${id}`],
          ['POST', `/v1/contacts/${id}/merge`, { source_ids: [contact.id] }],
          ['GET', `/v1/address-books/${id}`],
          ['PATCH', `/v1/address-books/${id}`, { description: 'x' }],
          ['DELETE', `/v1/address-books/${id}?force=true`],
          ['GET', `/v1/groups/${id}`],
          ['PATCH', `/v1/groups/${id}`, { name: `x ${randomUUID()}` }],
          ['DELETE', `/v1/groups/${id}`],
          ['PUT', `/v1/groups/${id}/members/${contact.id}`],
          ['PUT', `/v1/groups/${group.id}/members/${id}`],
          ['DELETE', `/v1/groups/${group.id}/members/${id}`],
          ['GET', `/v1/custom-fields/${id}`],
          ['DELETE', `/v1/custom-fields/${id}`],
        ];
        for (const [method, url, body] of urls) {
          const res = await api.call(method as 'GET', url, body);
          try {
            assertProblem(res, 404, undefined, `${method} ${url.slice(0, 120)}`);
          } catch {
            failures.push(`${method} ${url.slice(0, 90)} -> ${res.status} ${String(res.headers['content-type'])} ${res.raw.body.slice(0, 100)}`);
          }
        }
      }
      assert.ok(failures.length === 0, `garbage ids answered other than a 404 problem:\n${failures.join('\n')}`);
      assert.equal((await api.call('GET', `/v1/contacts/${contact.id}`)).body.version, 1, 'the real contact is untouched');
    });

    test('over-long ids in paths are a 404 (or 414) problem, never a 500 or a bare framework error', async () => {
      const failures: string[] = [];
      for (const id of ['a'.repeat(101), 'a'.repeat(1000), randomUUID().repeat(5)]) {
        for (const [method, url] of [['GET', `/v1/contacts/${id}`], ['DELETE', `/v1/groups/${id}`], ['GET', `/v1/custom-fields/${id}`], ['GET', `/v1/address-books/${id}`]] as const) {
          const res = await api.call(method, url);
          const isProblem = /^application\/problem\+json/.test(String(res.headers['content-type'])) && res.body?.request_id === res.headers['x-request-id'];
          if (!((res.status === 404 || res.status === 414) && isProblem)) failures.push(`${method} ${url.slice(0, 60)}... (${id.length} chars) -> ${res.status} ${String(res.headers['content-type'])} ${res.raw.body.slice(0, 80)}`);
        }
      }
      assert.ok(failures.length === 0, failures.join('\n'));
    });

    test('a malformed URL (bad percent-encoding) is a 400 or 404 problem, never a 500', async () => {
      for (const url of ['/v1/contacts/%ZZ', '/v1/groups/%E0%A4%A']) {
        const res = await api.call('GET', url);
        assert.ok(res.status === 400 || res.status === 404, `${url}: ${res.status}`);
        assertProblem(res, res.status, undefined, url);
      }
      // A query string is read leniently (an undecodable escape stays as text), so this is a search for "%zz".
      const lenient = await api.call('GET', '/v1/contacts?q=%ZZ');
      assert.equal(lenient.status, 200);
      assert.deepEqual(lenient.body.data, []);
    });

    test('an external id in the path may be as long as the field allows (200 characters)', async () => {
      for (const length of [100, 150, 200]) {
        const id = `e${'x'.repeat(length - 1)}`;
        const res = await api.call('PUT', `/v1/contacts/by-external-id/${id}`, { display_name: `Long ${length}` });
        assert.equal(res.status, 201, `${length} chars: ${res.status} ${res.raw.body.slice(0, 150)}`);
        assert.equal(res.body.external_id, id);
      }
      const tooLong = await api.call('PUT', `/v1/contacts/by-external-id/${'x'.repeat(201)}`, { display_name: 'Too long' });
      assert.ok(tooLong.status === 400 || tooLong.status === 414, `201 chars: ${tooLong.status}`);
      assertProblem(tooLong, tooLong.status, undefined, '201-char external id');
    });

    test('garbage external ids in the path are answered without a 500', async () => {
      for (const id of ['%E2%82%AC', encodeURIComponent("' or 1=1 --"), encodeURIComponent('a b/c?d')]) {
        const res = await api.call('PUT', `/v1/contacts/by-external-id/${id}`, { display_name: 'Ext' });
        assert.ok(res.status < 500, `PUT by-external-id/${id.slice(0, 20)}: ${res.status} ${res.raw.body.slice(0, 200)}`);
        if (res.status >= 400) assertProblem(res, res.status, undefined, id.slice(0, 20));
        else assert.equal(res.body.external_id, decodeURIComponent(id));
      }
    });

    test('a NUL character anywhere (path, query, body) never yields a 500', async () => {
      const failures: string[] = [];
      const cases: Array<[string, string, unknown?]> = [
        ['GET', '/v1/contacts/%00'],
        ['GET', `/v1/contacts/${randomUUID()}%00`],
        ['GET', '/v1/custom-fields/%00'],
        ['PUT', '/v1/contacts/by-external-id/%00', { display_name: 'Nul' }],
        ['GET', '/v1/contacts?external_id=%00'],
        ['GET', '/v1/contacts?q=%00'],
        ['GET', '/v1/lookup?email=%00'],
        ['POST', '/v1/contacts', { display_name: 'a\u0000b' }],
        ['POST', '/v1/contacts', { display_name: 'X', address_book_id: '\u0000' }],
        ['POST', '/v1/address-books', { name: 'Nul\u0000' }],
        ['POST', '/v1/groups', { name: 'Nul\u0000' }],
      ];
      for (const [method, url, body] of cases) {
        const res = await api.call(method as 'GET', url, body);
        if (res.status >= 500) failures.push(`${method} ${url} ${JSON.stringify(body) ?? ''} -> ${res.status}`);
        else if (res.status >= 400) assertProblem(res, res.status, undefined, url);
      }
      assert.ok(failures.length === 0, failures.join('\n'));
    });

    test('garbage ids in bodies and filters are 400s naming the field (bodies) or empty answers, never 500s', async () => {
      const contact = (await api.call('POST', '/v1/contacts', { display_name: 'Body ids' })).body;
      for (const id of ['not-a-uuid', "' or 1=1 --", '€', '']) {
        assertNamesField(await api.call('POST', '/v1/contacts', { display_name: 'X', address_book_id: id }), 'address_book_id', `address_book_id ${JSON.stringify(id)}`);
        const groups = await api.call('POST', '/v1/contacts', { display_name: 'X', group_ids: [id] });
        assertProblem(groups, 400, 'validation_failed', `group_ids ${JSON.stringify(id)}`);
        assert.ok(groups.body.errors.some((e: { path: string }) => e.path.startsWith('group_ids')), JSON.stringify(groups.body.errors));
        const merge = await api.call('POST', `/v1/contacts/${contact.id}/merge`, { source_ids: [id] });
        assertProblem(merge, 400, 'validation_failed', `source_ids ${JSON.stringify(id)}`);
        assert.ok(merge.body.errors.some((e: { path: string }) => e.path.startsWith('source_ids')), JSON.stringify(merge.body.errors));
        for (const filter of ['address_book_id', 'group_id']) {
          const res = await api.call('GET', `/v1/contacts?${filter}=${encodeURIComponent(id)}`);
          assert.ok(res.status === 200 || res.status === 400, `${filter}=${JSON.stringify(id)}: ${res.status} ${res.raw.body.slice(0, 200)}`);
          if (res.status === 200) assert.deepEqual(res.body.data, []);
          else assertNamesField(res, filter, `${filter} filter`);
        }
      }
    });

    test('request ids: every answer carries x-request-id; a caller\'s id is echoed in the header and the problem', async () => {
      const ok = await api.call('GET', '/v1/address-books');
      assert.ok(ok.headers['x-request-id']);
      const other = await api.call('GET', '/v1/address-books');
      assert.notEqual(ok.headers['x-request-id'], other.headers['x-request-id'], 'fresh ids differ');

      const given = `trace-${randomUUID()}`;
      const success = await api.call('GET', '/v1/address-books', undefined, { headers: { 'x-request-id': given } });
      assert.equal(success.status, 200);
      assert.equal(success.headers['x-request-id'], given);

      for (const [method, url, key] of [
        ['GET', `/v1/contacts/${randomUUID()}`, undefined],
        ['GET', '/v1/contacts', null],
        ['GET', '/no/such/route', undefined],
      ] as const) {
        const res = await api.call(method, url, undefined, { key, headers: { 'x-request-id': given } });
        assert.equal(res.headers['x-request-id'], given, `${url}: header echoed`);
        assert.equal(res.body.request_id, given, `${url}: request_id echoed`);
      }
      const badJson = await api.call('POST', '/v1/contacts', '{', { headers: { ...json, 'x-request-id': given } });
      assertProblem(badJson, 400, 'invalid_json');
      assert.equal(badJson.body.request_id, given);
    });

    test('every problem answer above has the full shape (spot check over statuses 400 to 415)', async () => {
      const contact = (await api.call('POST', '/v1/contacts', { display_name: 'Shapes', external_id: `shape-${randomUUID()}` })).body;
      assertProblem(await api.call('GET', '/v1/contacts', undefined, { key: null }), 401, 'unauthorized');
      assertProblem(await api.call('POST', '/v1/contacts', { display_name: 'x' }, { key: api.keys.read }), 403, 'forbidden');
      assertProblem(await api.call('GET', `/v1/contacts/${randomUUID()}`), 404, 'contact_not_found');
      assertProblem(await api.call('POST', '/v1/contacts', { display_name: 'Dup', external_id: contact.external_id }), 409, 'duplicate_external_id');
      assertProblem(await api.call('PATCH', `/v1/contacts/${contact.id}`, { company: 'x' }, { headers: { 'if-match': '"99"' } }), 412, 'version_mismatch');
    });
  });
}
