/**
 * Issue 12 §1 "Auth: HTTP Basic, with the account id as user name and an API key as password ...
 * Bearer works too. Scopes apply: contacts:read can read and sync, and writes need
 * contacts:write." Tenants never see each other's books or cards: another account's is a 404,
 * exactly like one that does not exist.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { basic, refusedBasicCredentials } from '../dialects/shared/basic-auth.ts';
import { bookPath, cardPath, dav, propfindBody, queryBody, syncBody, vcard } from './support.ts';

for (const engine of engines) {
  describe(`CardDAV auth, scopes and tenancy on ${engine.name}`, () => {
    let api: TestApi;
    let book: string;
    let contactId: string;
    before(async () => {
      api = await startApi(engine);
      book = await api.newBook();
      contactId = (await api.createContact({ address_book_id: book, first_name: 'Tess', phone_numbers: [{ number: uniquePhone() }] })).id;
    });
    after(() => api.close());

    test('every refused credential is a 401 with the Basic challenge, on every method', async () => {
      for (const [what, headers] of await refusedBasicCredentials(api)) {
        for (const [method, url, body] of [['PROPFIND', '/dav/', propfindBody('<d:current-user-principal/>')], ['GET', cardPath(book, contactId), undefined], ['PUT', cardPath(book, 'x'), vcard(['FN:X'])], ['REPORT', bookPath(book), syncBody('')]] as const) {
          const res = await api.app.inject({ method: method as 'GET', url, headers: { ...headers, 'content-type': 'application/xml' }, ...(body ? { payload: body } : {}) });
          assert.equal(res.statusCode, 401, `${what}: ${method} ${url}`);
          assert.equal(res.headers['www-authenticate'], 'Basic realm="contactd", charset="UTF-8"', what);
        }
      }
    });

    test('Basic and Bearer both work; a read key reads and syncs', async () => {
      const bearer = await api.app.inject({ method: 'GET', url: cardPath(book, contactId), headers: { authorization: `Bearer ${api.keys.read}` } });
      assert.equal(bearer.statusCode, 200);
      const basicRead = await api.app.inject({ method: 'GET', url: cardPath(book, contactId), headers: basic(api.accountId, api.keys.read) });
      assert.equal(basicRead.statusCode, 200);
      assert.equal((await dav(api, 'REPORT', bookPath(book), syncBody(''), { key: api.keys.read })).status, 207);
      assert.equal((await dav(api, 'REPORT', bookPath(book), queryBody('<c:prop-filter name="FN"/>'), { key: api.keys.read })).status, 207);
    });

    test('a read key writing is a 403, and nothing changes', async () => {
      const before = (await api.call('GET', `/v1/contacts/${contactId}`)).body;
      const put = await dav(api, 'PUT', cardPath(book, contactId), vcard(['FN:Changed']), { key: api.keys.read, contentType: 'text/vcard' });
      assert.equal(put.status, 403, put.body);
      const created = await dav(api, 'PUT', cardPath(book, 'new-card'), vcard(['FN:New']), { key: api.keys.read, contentType: 'text/vcard' });
      assert.equal(created.status, 403);
      assert.equal((await dav(api, 'DELETE', cardPath(book, contactId), undefined, { key: api.keys.read })).status, 403);
      assert.deepEqual((await api.call('GET', `/v1/contacts/${contactId}`)).body, before);
      assert.equal((await dav(api, 'GET', cardPath(book, 'new-card'))).status, 404);
    });

    test("another account's book and card are 404, as if they did not exist", async () => {
      const other = await api.otherAccount();
      const as = (method: string, url: string, body?: string) =>
        api.app.inject({ method: method as 'GET', url, headers: { ...basic(other.accountId, other.key), 'content-type': 'application/xml' }, ...(body ? { payload: body } : {}) });
      assert.equal((await as('PROPFIND', bookPath(book), propfindBody('<d:displayname/>'))).statusCode, 404);
      assert.equal((await as('GET', cardPath(book, contactId))).statusCode, 404);
      assert.equal((await as('DELETE', cardPath(book, contactId))).statusCode, 404);
      assert.equal((await as('REPORT', bookPath(book), syncBody(''))).statusCode, 404);
      const put = await as('PUT', cardPath(book, contactId), vcard(['FN:Hijack']));
      assert.equal(put.statusCode, 404);
      const home = await as('PROPFIND', '/dav/books/', propfindBody('<d:displayname/>'));
      assert.ok(!home.body.includes(book), 'the other account lists none of these books');
      assert.equal((await api.call('GET', `/v1/contacts/${contactId}`)).body.first_name, 'Tess');
    });
  });
}
