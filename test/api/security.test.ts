/**
 * Security checks written once and run against every /v1 operation the app declares: the route
 * list comes from the app's own OpenAPI document, where each operation names the scope it needs
 * (`x-required-scope`). For every operation: 401 without, with a malformed or unknown, and with a
 * revoked key; 403 (and no change in the database) for a key lacking the scope; 404 for another
 * account's key on this account's ids, exactly like an id that does not exist; and, as a control
 * that the requests are meaningful, 2xx with the least key that holds the scope.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type Response, type TestApi } from '../support/api.ts';
import { openApiDocument } from '../support/openapi.ts';
import { snapshot } from '../support/snapshot.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type KeyKind = 'read' | 'write' | 'admin';

interface Operation {
  method: Method;
  path: string;
  scope: string;
  params: string[];
  hasBody: boolean;
  name: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { 'x-required-scope'?: string; requestBody?: unknown }>>;
}

/** The /v1 operations as the app describes them. */
function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase() as Method,
        path,
        scope: operation['x-required-scope'] ?? '',
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        hasBody: operation.requestBody !== undefined,
        name: `${method.toUpperCase()} ${path}`,
      })),
    );
}

const operations = operationsOf((await openApiDocument()) as OpenApiDocument);

/** What each kind of test key holds once implied scopes are counted. */
const GRANTS: Record<KeyKind, string[]> = {
  read: ['contacts:read'],
  write: ['contacts:read', 'contacts:write'],
  admin: ['contacts:read', 'contacts:write', 'admin'],
};
const KEY_KINDS: KeyKind[] = ['read', 'write', 'admin'];
const leastKeyFor = (scope: string): KeyKind => KEY_KINDS.find((k) => GRANTS[k].includes(scope)) ?? 'admin';

/** Real resources of one account, to put in paths and bodies. */
interface Fixtures {
  contactId: string;
  sourceId: string;
  /** A deleted contact (a tombstone), for restore. */
  deletedId: string;
  /** A contact merged into `contactId`, for unmerge. */
  mergedId: string;
  bookId: string;
  groupId: string;
  fieldKey: string;
  externalId: string;
  phone: string;
  webhookId: string;
  apiKeyId: string;
  /** A completed import job. */
  importId: string;
}

const suffix = () => randomBytes(6).toString('hex');

type Caller = (method: Method, url: string, body?: unknown, options?: { headers?: Record<string, string> }) => Promise<Response>;

/** A file to import (imports take files, not JSON bodies). */
const SAMPLE_UPLOAD = { body: '{"display_name":"Imported sample"}\n', headers: { 'content-type': 'application/x-ndjson' } };
const UPLOADS = new Set(['POST /v1/imports', 'POST /v1/imports/preview']);

/** Waits for an import job to end, so that no background write changes the database under a later check. */
async function importFinished(call: Caller, id: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const res = await call('GET', `/v1/imports/${id}`);
    if (res.status !== 200 || !['queued', 'running'].includes(res.body.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function makeFixtures(call: Caller): Promise<Fixtures> {
  const ok = async (method: Method, url: string, body: unknown) => {
    const res = await call(method, url, body);
    assert.ok(res.status === 201, `fixture ${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const book = await ok('POST', '/v1/address-books', { name: `Book ${suffix()}` });
  const group = await ok('POST', '/v1/groups', { name: `Group ${suffix()}` });
  const field = await ok('POST', '/v1/custom-fields', { key: `f_${suffix()}`, data_type: 'string' });
  const phone = uniquePhone();
  const externalId = `ext-${suffix()}`;
  const contact = await ok('POST', '/v1/contacts', {
    address_book_id: book.id,
    display_name: 'Fixture contact',
    external_id: externalId,
    phone_numbers: [{ number: phone }],
    group_ids: [group.id],
    custom_fields: { [field.key]: 'value' },
  });
  const source = await ok('POST', '/v1/contacts', { address_book_id: book.id, display_name: 'Fixture source', phone_numbers: [{ number: uniquePhone() }] });
  const deleted = await ok('POST', '/v1/contacts', { address_book_id: book.id, display_name: 'Fixture tombstone' });
  assert.equal((await call('DELETE', `/v1/contacts/${deleted.id}`)).status, 204);
  const merged = await ok('POST', '/v1/contacts', { address_book_id: book.id, display_name: 'Fixture merged' });
  const merge = await call('POST', `/v1/contacts/${contact.id}/merge`, { source_ids: [merged.id] });
  assert.equal(merge.status, 200, `fixture merge: ${JSON.stringify(merge.body)}`);
  // Disabled: a delivery in the background would change the database under the "nothing changes" checks.
  const webhook = await ok('POST', '/v1/webhooks', { url: 'https://hooks.example.com/fixture', enabled: false });
  const apiKey = await ok('POST', '/v1/api-keys', { scopes: ['contacts:read'] });
  const imported = await call('POST', '/v1/imports', SAMPLE_UPLOAD.body, { headers: SAMPLE_UPLOAD.headers });
  assert.equal(imported.status, 202, `fixture import: ${JSON.stringify(imported.body)}`);
  await importFinished(call, imported.body.id);
  return {
    importId: imported.body.id, contactId: contact.id, sourceId: source.id, deletedId: deleted.id, mergedId: merged.id, bookId: book.id, groupId: group.id, fieldKey: field.key, externalId, phone, webhookId: webhook.id, apiKeyId: apiKey.key.id };
}

/** The fixture that a path parameter of an operation names. */
function fixtureFor(op: Operation, param: string, f: Fixtures): string {
  if (param === 'key') return f.fieldKey;
  if (param === 'external_id') return f.externalId;
  if (param === 'contactId') return f.contactId;
  if (param === 'id') {
    if (op.path === '/v1/contacts/{id}/restore') return f.deletedId;
    if (op.path.startsWith('/v1/contacts/')) return f.contactId;
    if (op.path.startsWith('/v1/address-books/')) return f.bookId;
    if (op.path.startsWith('/v1/groups/')) return f.groupId;
    if (op.path.startsWith('/v1/webhooks/')) return f.webhookId;
    if (op.path.startsWith('/v1/api-keys/')) return f.apiKeyId;
    if (op.path.startsWith('/v1/imports/')) return f.importId;
  }
  throw new Error(`no fixture for {${param}} of ${op.name}: teach security.test.ts about it`);
}

/** A value of the same kind that names nothing. */
function missingFor(param: string): string {
  if (param === 'key') return `k_${suffix()}`;
  if (param === 'external_id') return `ext-${suffix()}`;
  return randomUUID();
}

/** A valid body for each operation that takes one; `f` is the caller's own resources. */
const SAMPLE_BODIES: Record<string, (f: Fixtures) => unknown> = {
  'POST /v1/contacts': () => ({ display_name: 'Sample', phone_numbers: [{ number: uniquePhone() }] }),
  'POST /v1/contacts/bulk': (f) => ({ action: 'remove_from_group', group_id: f.groupId, ids: [f.contactId] }),
  'POST /v1/contacts/batch': () => ({ contacts: [{ display_name: 'Batch sample', phone_numbers: [{ number: uniquePhone() }] }] }),
  'PATCH /v1/contacts/{id}': () => ({ company: 'Changed Inc' }),
  'PUT /v1/contacts/by-external-id/{external_id}': () => ({ display_name: 'Replaced' }),
  'POST /v1/contacts/{id}/merge': (f) => ({ source_ids: [f.sourceId] }),
  'POST /v1/contacts/{id}/unmerge': (f) => ({ source_id: f.mergedId }),
  'POST /v1/address-books': () => ({ name: `Sample ${suffix()}` }),
  'PATCH /v1/address-books/{id}': () => ({ description: 'changed' }),
  'POST /v1/custom-fields': () => ({ key: `s_${suffix()}`, data_type: 'string' }),
  'PATCH /v1/custom-fields/{key}': () => ({ label: 'Changed label' }),
  'POST /v1/groups': () => ({ name: `Sample ${suffix()}` }),
  'PATCH /v1/groups/{id}': () => ({ is_blocklist: true }),
  'POST /v1/webhooks': () => ({ url: `https://hooks.example.com/${suffix()}`, enabled: false }),
  'PATCH /v1/webhooks/{id}': () => ({ description: 'changed' }),
  'POST /v1/api-keys': () => ({ scopes: ['contacts:read'] }),
  'POST /v1/webhooks/{id}/replay': () => ({ since: '2026-01-01T00:00:00Z' }),
};

/** Query strings some operations need to do real work. */
const SAMPLE_QUERIES: Record<string, (f: Fixtures) => string> = {
  'GET /v1/lookup': (f) => `?phone=${encodeURIComponent(f.phone)}`,
  'GET /v1/contacts': (f) => `?address_book_id=${f.bookId}`,
  'GET /v1/contacts/export': (f) => `?format=csv&address_book_id=${f.bookId}`,
  'DELETE /v1/address-books/{id}': () => '?force=true',
};

function requestFor(op: Operation, f: Fixtures, pathValue: (param: string) => string = (p) => fixtureFor(op, p, f)): { url: string; body: unknown; headers: Record<string, string> } {
  const path = op.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(pathValue(p)));
  if (UPLOADS.has(op.name)) return { url: path, body: SAMPLE_UPLOAD.body, headers: SAMPLE_UPLOAD.headers };
  return { url: path + (SAMPLE_QUERIES[op.name]?.(f) ?? ''), body: op.hasBody ? SAMPLE_BODIES[op.name]!(f) : undefined, headers: {} };
}

/** Every row of every table of the test database, as sorted JSON lines. */
function assertProblem(res: Response, status: number, code?: string, context = ''): void {
  assert.equal(res.status, status, `${context}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/, `${context}: content-type`);
  assert.equal(res.body.status, status, `${context}: body.status`);
  if (code) assert.equal(res.body.code, code, `${context}: code`);
  assert.equal(res.body.request_id, res.headers['x-request-id'], `${context}: request_id`);
}

function assertNamesField(res: Response, field: string, context: string): void {
  assertProblem(res, 400, undefined, context);
  const paths = (res.body.errors ?? []).map((e: { path: string }) => e.path);
  assert.ok(
    paths.some((p: string) => p === field || p.startsWith(`${field}[`) || p.startsWith(`${field}.`)),
    `${context}: errors[].path names ${field}; got ${JSON.stringify(res.body.errors)}`,
  );
}

for (const engine of engines) {
  describe(`security of every /v1 route on ${engine.name}`, () => {
    let api: TestApi;
    let mine: Fixtures;
    let revokedKey: string;
    let unknownKey: string;
    let other: { accountId: string; key: string };
    let theirs: Fixtures;

    const as = (key: string): Caller => (method, url, body, options = {}) => api.call(method, url, body, { key, ...options });

    before(async () => {
      api = await startApi(engine);
      mine = await makeFixtures(as(api.keys.admin));
      const created = await api.app.services.accounts.createKey(api.accountId, ['admin']);
      await api.app.services.accounts.revokeKey(created.key.id);
      revokedKey = created.apiKey;
      unknownKey = `cdk_${randomBytes(32).toString('base64url')}`;
      other = await api.otherAccount();
      theirs = await makeFixtures(as(other.key));
    });
    after(() => api.close());

    test('the route list is the app\'s own, and every /v1 operation declares the scope it needs', () => {
      const live = operationsOf(api.app.swagger() as unknown as OpenApiDocument).map((o) => o.name).sort();
      assert.deepEqual(live, operations.map((o) => o.name).sort());
      assert.ok(operations.length >= 20, `found only ${operations.length} /v1 operations`);
      for (const op of operations) {
        assert.ok(['contacts:read', 'contacts:write', 'admin'].includes(op.scope), `${op.name} declares x-required-scope (got "${op.scope}")`);
        if (op.hasBody) assert.ok(SAMPLE_BODIES[op.name], `${op.name} has a sample body in security.test.ts`);
        for (const p of op.params) assert.doesNotThrow(() => fixtureFor(op, p, mine), `${op.name} {${p}}`);
      }
    });

    for (const op of operations) {
      describe(op.name, () => {
        /** Sends the operation's request for this account's resources and checks the database did not change. */
        async function refused(key: string | null, headers: Record<string, string> = {}): Promise<Response> {
          const { url, body, headers: given } = requestFor(op, mine);
          const before = await snapshot(api.db);
          const res = await api.call(op.method, url, body, { key, headers: { ...given, ...headers } });
          assert.deepEqual(await snapshot(api.db), before, `${op.name}: a refused request changed the database`);
          return res;
        }

        test('without Authorization: 401 problem with WWW-Authenticate', async () => {
          const res = await refused(null);
          assertProblem(res, 401, 'unauthorized', op.name);
          assert.match(String(res.headers['www-authenticate']), /^Bearer/i);
        });

        test('with a malformed or unknown key: 401', async () => {
          const bad: Array<[string, Record<string, string>]> = [
            ['unknown well-formed key', { authorization: `Bearer ${unknownKey}` }],
            ['garbage token', { authorization: 'Bearer not-a-key' }],
            ['empty bearer', { authorization: 'Bearer ' }],
            ['valid key without the Bearer scheme', { authorization: api.keys.admin }],
            ['basic credentials', { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` }],
            ['valid key with extra characters', { authorization: `Bearer ${api.keys.admin}x` }],
            ['valid key truncated', { authorization: `Bearer ${api.keys.admin.slice(0, -1)}` }],
          ];
          for (const [label, headers] of bad) {
            const res = await refused(null, headers);
            assertProblem(res, 401, 'unauthorized', `${op.name} ${label}`);
            assert.ok(res.headers['www-authenticate'], `${op.name} ${label}: www-authenticate`);
          }
        });

        test('with a revoked (admin) key: 401', async () => {
          const res = await refused(revokedKey);
          assertProblem(res, 401, 'unauthorized', op.name);
        });

        const lacking = KEY_KINDS.filter((k) => !GRANTS[k].includes(op.scope));
        if (lacking.length > 0) {
          test(`with a key lacking ${op.scope} (${lacking.join(', ')}): 403 and nothing changes`, async () => {
            for (const kind of lacking) {
              const res = await refused(api.keys[kind]);
              assertProblem(res, 403, 'forbidden', `${op.name} with the ${kind} key`);
            }
          });
        }

        if (op.params.length > 0) {
          test('another account\'s key on this account\'s ids: exactly the answer of an id that does not exist', async () => {
            const ownView = async () => ({
              contact: (await api.call('GET', `/v1/contacts/${mine.contactId}`)).body,
              source: (await api.call('GET', `/v1/contacts/${mine.sourceId}`)).body,
              book: (await api.call('GET', `/v1/address-books/${mine.bookId}`)).body,
              group: (await api.call('GET', `/v1/groups/${mine.groupId}`)).body,
              field: (await api.call('GET', `/v1/custom-fields/${mine.fieldKey}`)).body,
            });
            const beforeView = await ownView();
            // Every parameter ours at once, then each parameter alone ours (the others the caller's own).
            const variants: Array<{ label: string; ours: (p: string) => string; missing: (p: string) => string }> = [
              { label: 'all ids ours', ours: (p) => fixtureFor(op, p, mine), missing: (p) => missingFor(p) },
            ];
            if (op.params.length > 1) {
              for (const target of op.params) {
                variants.push({
                  label: `{${target}} ours`,
                  ours: (p) => (p === target ? fixtureFor(op, p, mine) : fixtureFor(op, p, theirs)),
                  missing: (p) => (p === target ? missingFor(p) : fixtureFor(op, p, theirs)),
                });
              }
            }
            for (const variant of variants) {
              const foreign = requestFor(op, theirs, variant.ours);
              const absent = requestFor(op, theirs, variant.missing);
              const res = await api.call(op.method, foreign.url, foreign.body, { key: other.key, headers: foreign.headers });
              const expected = await api.call(op.method, absent.url, absent.body, { key: other.key, headers: absent.headers });
              const context = `${op.name} (${variant.label})`;
              assert.equal(res.status, expected.status, `${context}: ${res.status} ${JSON.stringify(res.body)} vs missing id ${expected.status} ${JSON.stringify(expected.body)}`);
              assert.equal(res.body?.code, expected.body?.code, `${context}: code`);
              // External ids are per account: another account may use the same one for its own contact.
              if (!op.params.includes('external_id')) {
                assertProblem(res, 404, undefined, context);
                assert.equal(res.body.detail.replace(/[0-9a-f-]{36}|k_[0-9a-f]+|f_[0-9a-f]+/g, 'ID'), expected.body.detail.replace(/[0-9a-f-]{36}|k_[0-9a-f]+|f_[0-9a-f]+/g, 'ID'), `${context}: detail`);
              }
            }
            assert.deepEqual(await ownView(), beforeView, `${op.name}: another account's request changed this account's resources`);
          });
        }

        const least = leastKeyFor(op.scope);
        test(`control: the same request with a ${least} key succeeds`, async () => {
          const fresh = await makeFixtures(as(api.keys.admin));
          const { url, body, headers } = requestFor(op, fresh);
          const res = await api.call(op.method, url, body, { key: api.keys[least], headers });
          assert.ok(res.status >= 200 && res.status < 300, `${op.name} with the ${least} key: ${res.status} ${JSON.stringify(res.body)}`);
          if (op.name === 'POST /v1/imports') await importFinished(as(api.keys.admin), res.body.id);
        });
      });
    }

    describe('another account\'s ids in bodies and filters', () => {
      const compare = async (label: string, method: Method, url: (id: string) => string, body: (id: string) => unknown, foreignId: string, field: string) => {
        const res = await api.call(method, url(foreignId), body(foreignId));
        const missing = randomUUID();
        const expected = await api.call(method, url(missing), body(missing));
        assertNamesField(res, field, `${label} with another account's id`);
        assertNamesField(expected, field, `${label} with a missing id`);
        assert.equal(res.body.code, expected.body.code, label);
        assert.deepEqual(
          res.body.errors.map((e: { path: string }) => e.path),
          expected.body.errors.map((e: { path: string }) => e.path),
          label,
        );
      };

      test('address_book_id in POST /v1/contacts: 400 naming address_book_id', async () => {
        await compare('POST /v1/contacts', 'POST', () => '/v1/contacts', (id) => ({ display_name: 'X', address_book_id: id }), theirs.bookId, 'address_book_id');
        const list = await api.call('GET', `/v1/contacts?address_book_id=${theirs.bookId}`);
        assert.equal(list.status, 200);
        assert.deepEqual(list.body.data, [], 'nothing was created in, or is listed from, the other account\'s book');
      });

      test('address_book_id in PATCH and PUT by external id: 400 naming address_book_id', async () => {
        await compare(`PATCH /v1/contacts/{id}`, 'PATCH', () => `/v1/contacts/${mine.contactId}`, (id) => ({ address_book_id: id }), theirs.bookId, 'address_book_id');
        await compare('PUT /v1/contacts/by-external-id', 'PUT', () => `/v1/contacts/by-external-id/${mine.externalId}`, (id) => ({ display_name: 'X', address_book_id: id }), theirs.bookId, 'address_book_id');
        const contact = await api.call('GET', `/v1/contacts/${mine.contactId}`);
        assert.equal(contact.body.address_book_id, mine.bookId);
      });

      test('group_ids in POST and PATCH /v1/contacts: 400 naming group_ids', async () => {
        await compare('POST /v1/contacts', 'POST', () => '/v1/contacts', (id) => ({ display_name: 'X', group_ids: [id] }), theirs.groupId, 'group_ids');
        await compare('PATCH /v1/contacts/{id}', 'PATCH', () => `/v1/contacts/${mine.contactId}`, (id) => ({ group_ids: [mine.groupId, id] }), theirs.groupId, 'group_ids');
        const contact = await api.call('GET', `/v1/contacts/${mine.contactId}`);
        assert.deepEqual(contact.body.group_ids, [mine.groupId]);
      });

      test('source_ids in POST /v1/contacts/{id}/merge: 400 naming source_ids, and the other contact is untouched', async () => {
        const target = await api.call('POST', '/v1/contacts', { display_name: 'Merge target' });
        await compare('merge', 'POST', () => `/v1/contacts/${target.body.id}/merge`, (id) => ({ source_ids: [id] }), theirs.sourceId, 'source_ids');
        const source = await api.call('GET', `/v1/contacts/${theirs.sourceId}`, undefined, { key: other.key });
        assert.equal(source.body.status, 'active');
        assert.equal(source.body.merged_into, null);
        assert.equal(source.body.version, 1);
      });

      test('address_book_id and group_ids in a batch item: that item fails with 400 naming the field', async () => {
        const res = await api.call('POST', '/v1/contacts/batch', {
          contacts: [
            { display_name: 'A', address_book_id: theirs.bookId },
            { display_name: 'B', group_ids: [theirs.groupId] },
            { display_name: 'C' },
          ],
        });
        assert.equal(res.status, 200);
        const [a, b, c] = res.body.results;
        assert.equal(a.status, 400);
        assert.ok(a.error.errors.some((e: { path: string }) => e.path === 'address_book_id'), JSON.stringify(a.error));
        assert.equal(b.status, 400);
        assert.ok(b.error.errors.some((e: { path: string }) => e.path.startsWith('group_ids')), JSON.stringify(b.error));
        assert.equal(c.status, 201);
      });

      test('filters and lookups naming the other account\'s data find nothing', async () => {
        for (const url of [
          `/v1/contacts?address_book_id=${theirs.bookId}`,
          `/v1/contacts?group_id=${theirs.groupId}`,
          `/v1/contacts?external_id=${encodeURIComponent(theirs.externalId)}`,
          `/v1/contacts?phone=${encodeURIComponent(theirs.phone)}`,
          `/v1/contacts?q=Fixture`,
        ]) {
          const res = await api.call('GET', url, undefined, { key: api.keys.read });
          assert.equal(res.status, 200, url);
          assert.ok(res.body.data.every((c: { account_id: string }) => c.account_id === api.accountId), `${url} lists only own contacts`);
          assert.ok(!res.body.data.some((c: { id: string }) => c.id === theirs.contactId || c.id === theirs.sourceId), url);
        }
        const lookup = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(theirs.phone)}`);
        assert.deepEqual(lookup.body.matches, []);
        for (const [url, id] of [['/v1/address-books?limit=500', theirs.bookId], ['/v1/groups?limit=500', theirs.groupId], ['/v1/custom-fields', theirs.fieldKey]] as const) {
          const res = await api.call('GET', url);
          assert.equal(res.status, 200, url);
          assert.ok(!JSON.stringify(res.body.data).includes(id), `${url} does not show the other account's ${id}`);
        }
      });
    });

    describe('user and queue entries are written by admin keys only', () => {
      const adminContact = async (type: 'user' | 'queue') => {
        const res = await api.call('POST', '/v1/contacts', { type, display_name: `${type} ${suffix()}`, phone_numbers: [{ number: uniquePhone() }] });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body;
      };
      const forbiddenUnchanged = async (label: string, method: Method, url: string, body?: unknown) => {
        const before = await snapshot(api.db);
        const res = await api.call(method, url, body, { key: api.keys.write });
        assertProblem(res, 403, 'forbidden', label);
        assert.deepEqual(await snapshot(api.db), before, `${label} changed the database`);
      };

      for (const type of ['user', 'queue'] as const) {
        test(`${type}: a write key may not create one (POST, PUT by external id, batch); an admin key may`, async () => {
          await forbiddenUnchanged(`POST ${type}`, 'POST', '/v1/contacts', { type, display_name: 'Agent' });
          await forbiddenUnchanged(`PUT ${type}`, 'PUT', `/v1/contacts/by-external-id/ext-${suffix()}`, { type, display_name: 'Agent' });
          const batch = await api.call('POST', '/v1/contacts/batch', { contacts: [{ type, display_name: 'Agent' }, { display_name: 'Customer' }] }, { key: api.keys.write });
          assert.equal(batch.status, 200);
          assert.equal(batch.body.results[0].status, 403);
          assert.equal(batch.body.results[0].error.code, 'forbidden');
          assert.equal(batch.body.results[1].status, 201);
          const created = await api.call('POST', '/v1/contacts', { type, display_name: 'Agent' }, { key: api.keys.admin });
          assert.equal(created.status, 201);
          assert.equal(created.body.type, type);
        });

        test(`${type}: a write key may not change, retype, delete or merge one; it may read it; an admin key may change it`, async () => {
          const entry = await adminContact(type);
          const custom = (await api.call('POST', '/v1/contacts', { display_name: 'Customer' })).body;
          await forbiddenUnchanged(`PATCH ${type}`, 'PATCH', `/v1/contacts/${entry.id}`, { company: 'Hijacked' });
          await forbiddenUnchanged(`PATCH ${type} to custom`, 'PATCH', `/v1/contacts/${entry.id}`, { type: 'custom' });
          await forbiddenUnchanged(`PATCH custom to ${type}`, 'PATCH', `/v1/contacts/${custom.id}`, { type });
          await forbiddenUnchanged(`PUT by external id of a ${type}`, 'PUT', `/v1/contacts/by-external-id/${encodeURIComponent((await withExternalId(entry.id)).external_id)}`, { display_name: 'Hijacked' });
          await forbiddenUnchanged(`DELETE ${type}`, 'DELETE', `/v1/contacts/${entry.id}`);
          await forbiddenUnchanged(`merge ${type} into custom`, 'POST', `/v1/contacts/${custom.id}/merge`, { source_ids: [entry.id] });
          await forbiddenUnchanged(`merge custom into ${type}`, 'POST', `/v1/contacts/${entry.id}/merge`, { source_ids: [custom.id] });

          const read = await api.call('GET', `/v1/contacts/${entry.id}`, undefined, { key: api.keys.read });
          assert.equal(read.status, 200);
          const listed = await api.call('GET', `/v1/contacts?type=${type}&limit=500`, undefined, { key: api.keys.write });
          assert.ok(listed.body.data.some((c: { id: string }) => c.id === entry.id));

          const changed = await api.call('PATCH', `/v1/contacts/${entry.id}`, { company: 'Call center' }, { key: api.keys.admin });
          assert.equal(changed.status, 200);
          assert.equal(changed.body.company, 'Call center');
        });

        test(`${type}: a write key may not change one's group membership through the members route`, async () => {
          const entry = await adminContact(type);
          const group = (await api.call('POST', '/v1/groups', { name: `G ${suffix()}` })).body;
          await forbiddenUnchanged(`PUT member ${type}`, 'PUT', `/v1/groups/${group.id}/members/${entry.id}`);
          const added = await api.call('PUT', `/v1/groups/${group.id}/members/${entry.id}`, undefined, { key: api.keys.admin });
          assert.equal(added.status, 204);
          await forbiddenUnchanged(`DELETE member ${type}`, 'DELETE', `/v1/groups/${group.id}/members/${entry.id}`);
        });
      }

      /** Gives an entry an external id (with the admin key) and returns it. */
      async function withExternalId(id: string) {
        const res = await api.call('PATCH', `/v1/contacts/${id}`, { external_id: `ext-${suffix()}` });
        assert.equal(res.status, 200);
        return res.body as { external_id: string };
      }
    });
  });
}
