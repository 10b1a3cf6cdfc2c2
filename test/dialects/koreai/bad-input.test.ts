import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, type Response, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { assertKoreError, base, createBody, kore, koreHeaders, newStream } from './support.ts';

/**
 * The bad-input matrix: every case answers in Kore's error format ({"errors": [{"msg", "code"}]})
 * with its HTTP status, never a 500, and writes nothing.
 */
for (const engine of engines) {
  describe(`Kore.ai AgentAssist bad input on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof kore>;
    let existing: any;
    const stream = newStream();
    const raw = async (method: 'POST' | 'PUT' | 'DELETE', path: string, payload: string, contentType = 'application/json'): Promise<Response> => {
      const r = await api.app.inject({ method, url: `${base(stream)}${path}`, payload, headers: { ...(await koreHeaders(api)), 'content-type': contentType } });
      return { status: r.statusCode, headers: r.headers, body: r.json(), raw: r };
    };

    before(async () => {
      api = await startApi(engine);
      call = kore(api, stream);
      existing = (await call('POST', '', createBody('9876512345', { firstName: 'Existing' }))).body;
    });
    after(() => api.close());

    test('spec: firstName, lastName, salutation, cellPhone.phoneNumber, cellPhone.countryCode, cellPhone.extension are all required: each missing is 400, naming it', async () => {
      const before = await snapshot(api.db);
      const full = createBody();
      const without = (field: string) => {
        const body = structuredClone(full) as any;
        if (field.startsWith('cellPhone.')) delete body.cellPhone[field.slice(10)];
        else delete body[field];
        return body;
      };
      for (const field of ['firstName', 'lastName', 'salutation', 'cellPhone', 'cellPhone.phoneNumber', 'cellPhone.countryCode', 'cellPhone.extension']) {
        const res = await call('POST', '', without(field));
        assertKoreError(res, 400, 'BadRequest');
        assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), `${field}: ${JSON.stringify(res.body)}`);
      }
      const empty = await call('POST', '', {});
      assertKoreError(empty, 400, 'BadRequest');
      assert.deepEqual(empty.body.errors.map((e: { field: string }) => e.field).sort(), ['cellPhone', 'firstName', 'lastName', 'salutation']);
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('wrong types, blank, over-long and invalid values, unknown fields: 400 naming the Kore field, on POST and PUT', async () => {
      const before = await snapshot(api.db);
      const cell = (over: Record<string, unknown>) => ({ ...createBody(), cellPhone: { ...createBody().cellPhone, ...over } });
      const cases: [unknown, string][] = [
        [{ ...createBody(), firstName: 42 }, 'firstName'],
        [{ ...createBody(), lastName: '   ' }, 'lastName'],
        [{ ...createBody(), salutation: '' }, 'salutation'],
        [{ ...createBody(), firstName: 'x'.repeat(101) }, 'firstName'],
        [{ ...createBody(), firstName: 'Nul\u0000byte' }, 'firstName'],
        [{ ...createBody(), cellPhone: '9876543210' }, 'cellPhone'],
        [cell({ phoneNumber: 9876543210 }), 'cellPhone.phoneNumber'],
        [cell({ phoneNumber: '98765xxxxx' }), 'cellPhone.phoneNumber'],
        [cell({ phoneNumber: '+919876543210' }), 'cellPhone.phoneNumber'],
        [cell({ phoneNumber: '98-765-43210' }), 'cellPhone.phoneNumber'],
        [cell({ phoneNumber: '1'.repeat(16) }), 'cellPhone.phoneNumber'],
        [cell({ phoneNumber: '123' }), 'cellPhone.phoneNumber'],
        [cell({ countryCode: 'IN' }), 'cellPhone.countryCode'],
        [cell({ countryCode: '+0' }), 'cellPhone.countryCode'],
        [cell({ countryCode: '+12345' }), 'cellPhone.countryCode'],
        [cell({ extension: '' }), 'cellPhone.extension'],
        [cell({ extension: 'x'.repeat(21) }), 'cellPhone.extension'],
        [cell({ extra: 1 }), 'cellPhone.extra'],
        [{ ...createBody(), status: 'INACTIVE' }, 'status'],
        [{ ...createBody(), id: 'chosen' }, 'id'],
      ];
      for (const [body, field] of cases) {
        const res = await call('POST', '', body);
        assertKoreError(res, 400, 'BadRequest');
        assert.ok(res.body.errors.some((e: { field?: string }) => e.field === field), `POST ${JSON.stringify(body).slice(0, 120)}: ${JSON.stringify(res.body)}`);
        const { firstName: _f, lastName: _l, salutation: _s, ...partial } = body as Record<string, unknown>;
        const put = await call('PUT', `/${existing.id}`, field.startsWith('cellPhone') || field === 'status' || field === 'id' ? partial : body);
        assertKoreError(put, 400, 'BadRequest');
      }
      // A phone that passes the pattern but is no possible number: the core refuses it.
      const impossible = await call('POST', '', cell({ countryCode: '+1', phoneNumber: '0000' }));
      assertKoreError(impossible, 400, 'BadRequest');
      assert.equal(impossible.body.errors[0].field, 'cellPhone.phoneNumber');
      for (const body of [{}, [], 42, { cellPhone: { phoneNumber: '9876543210' } }]) assertKoreError(await call('PUT', `/${existing.id}`, body), 400, 'BadRequest');
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('malformed JSON, non-object JSON, wrong media type, an over-large body: 400 / 415 / 413 in Kore\'s format, nothing written', async () => {
      const before = await snapshot(api.db);
      for (const [method, path] of [['POST', ''], ['PUT', `/${existing.id}`], ['PUT', '/bulk-update'], ['DELETE', '/bulk-delete']] as const) {
        assertKoreError(await raw(method, path, '{"firstName": "x"'), 400, 'BadRequest');
        for (const json of ['null', '"text"', 'true', '[1]']) assertKoreError(await raw(method, path, json), 400, 'BadRequest');
        assertKoreError(await raw(method, path, 'firstName=x', 'text/plain'), 415, 'UnsupportedMediaType');
        assertKoreError(await raw(method, path, JSON.stringify({ firstName: 'x'.repeat(1024 * 1024 + 10) })), 413, 'PayloadTooLarge');
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('bulk bodies: missing, empty, too many or mistyped ids and contacts are 400 as a whole, nothing written', async () => {
      const before = await snapshot(api.db);
      const many = Array.from({ length: 1001 }, () => existing.id);
      for (const body of [{}, { ids: [] }, { ids: many }, { ids: 'x' }, { ids: [1] }, { ids: [existing.id], extra: 1 }]) {
        assertKoreError(await call('DELETE', '/bulk-delete', body), 400, 'BadRequest');
      }
      assertKoreError(await call('DELETE', '/bulk-delete'), 400, 'BadRequest');
      for (const body of [{}, { contacts: [] }, { contacts: [{ firstName: 'no id' }] }, { contacts: [{ id: existing.id }] }, { contacts: [{ id: existing.id, cellPhone: { phoneNumber: 'x' } }] }, { contacts: many.map((id) => ({ id, firstName: 'x' })) }]) {
        assertKoreError(await call('PUT', '/bulk-update', body), 400, 'BadRequest');
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('bad list parameters: 400', async () => {
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'skip=-1', 'skip=x', 'skip=100000000000000000000']) assertKoreError(await call('GET', `?${query}`), 400, 'BadRequest');
    });

    test('README Decision: a streamId outside 1-100 letters, digits, ".", "_", "-" is 400; nothing is created', async () => {
      const before = await snapshot(api.db);
      const headers = await koreHeaders(api);
      for (const bad of ['-starts-with-dash', 'a'.repeat(101), 'has%20space', 'semi%3Bcolon', 'uni%C3%A9']) {
        assertKoreError(await api.call('POST', base(bad), createBody(), { key: null, headers }), 400, 'BadRequest');
        assertKoreError(await api.call('GET', base(bad), undefined, { key: null, headers }), 400, 'BadRequest');
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('unknown ids and another account\'s ids: 404 on PUT and DELETE; theirs untouched', async () => {
      const other = await api.otherAccount();
      const theirs = (await api.call('POST', base(stream), createBody(), { key: other.key })).body.id;
      for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', theirs, encodeURIComponent('a\u0000b')]) {
        assertKoreError(await call('PUT', `/${id}`, { firstName: 'Taken over' }), 404, 'NotFound');
        assertKoreError(await call('DELETE', `/${id}`), 404, 'NotFound');
      }
      assertKoreError(await call('PUT', `/${'x'.repeat(101)}`, { firstName: 'x' }), 400, 'BadRequest');
      assert.equal((await api.call('GET', `/v1/contacts/${theirs}`, undefined, { key: other.key })).body.first_name, 'John');
    });

    test('unknown routes and methods under the mount: 404 in Kore\'s format', async () => {
      assertKoreError(await call('GET', '/nothing/here'), 404, 'NotFound');
      assertKoreError(await call('GET', `/${existing.id}`), 404, 'NotFound');
      assertKoreError(await call('PATCH', `/${existing.id}`, { firstName: 'x' }), 404, 'NotFound');
      assertKoreError(await call('POST', `/${existing.id}`, { firstName: 'x' }), 404, 'NotFound');
    });

    test('the existing contact survived the whole matrix unchanged', async () => {
      const res = await call('GET', '');
      const found = res.body.results.find((c: { id: string }) => c.id === existing.id);
      assert.deepEqual(found, existing);
    });
  });
}
