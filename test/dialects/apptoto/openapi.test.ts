import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { specResponses } from '../../support/spec-responses.ts';
import { apptoto } from './support.ts';

/** Every kind of answer the Apptoto routes give fits what /openapi.json declares for it (status and body). */
const declared = specResponses(new URL('../../../openapi.json', import.meta.url).pathname, '');

for (const engine of engines) {
  describe(`Apptoto answers match openapi.json on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof apptoto>;
    before(async () => {
      api = await startApi(engine);
      call = apptoto(api);
    });
    after(() => api.close());

    test('successes, per-item failures and errors of every route', async () => {
      const book = `Doc ${randomUUID()}`;
      const check = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, key?: string | null) => {
        const res = key === null ? await api.call(method, `/apptoto/v1${path}`, body, { key: null }) : await call(method, path, body, key);
        declared.assertResponse(method, `/apptoto/v1${path}`, res.status, res.body);
        return res;
      };
      const created = await check('POST', '/contacts', { contacts: [{ address_book: book, name: 'Doc One', phone: uniquePhone(), external_id: `doc-${randomUUID()}` }, { address_book: book, name: 'Doc Bad', phone: 'x' }] });
      assert.equal(created.status, 200);
      await check('PUT', '/contacts', { contacts: [{ id: created.body.contacts[0].id, add_email: 'doc@example.com' }, { id: 987654, name: 'x' }] });
      await check('GET', '/contacts?page_size=2');
      await check('GET', '/address_books');
      assert.equal((await check('GET', '/contacts?page=0')).status, 400);
      assert.equal((await check('GET', '/contacts?address_book_id=987654')).status, 404);
      assert.equal((await check('POST', '/contacts', { contacts: [] })).status, 400);
      assert.equal((await check('PUT', '/contacts', { contacts: [] }, null)).status, 401);
      assert.equal((await check('PUT', '/contacts', { contacts: [] }, api.keys.read)).status, 403);
    });
  });
}
