/**
 * Security checks written once for every platform dialect route the app declares (read from its
 * own OpenAPI document, as test/api/security.test.ts does for /v1): 401 without credentials and
 * with an unknown or revoked key, 403 for a read-only key on every write, each in the platform's
 * own format (JSON, never the native problem type) and without any change to the database.
 * (specs/README.md: "a key without the scope gets 403 in the platform's own error format, a
 * missing or bad credential 401".)
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, type Response, type TestApi } from '../support/api.ts';
import { openApiDocument } from '../support/openapi.ts';
import { snapshot } from '../support/snapshot.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Operation {
  method: Method;
  path: string;
  scope: string;
  name: string;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { 'x-required-scope'?: string; tags?: string[] }>>;
}

/** Where each platform is mounted (specs/README.md). */
const MOUNTS = ['/zoom/v2/', '/genesys/api/v2/', '/8x8/api/v1/', '/apptoto/v1/', '/agentassist/api/v1/public/'];

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths)
    .filter(([path]) => MOUNTS.some((mount) => path.startsWith(mount)))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase() as Method,
        path,
        scope: operation['x-required-scope'] ?? '',
        name: `${method.toUpperCase()} ${path}`,
      })),
    );
}

const document = (await openApiDocument()) as OpenApiDocument;
const operations = operationsOf(document);

function assertPlatformRefusal(res: Response, status: number, context: string): void {
  assert.equal(res.status, status, `${context}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.match(String(res.headers['content-type']), /json/, `${context}: a JSON body`);
  assert.doesNotMatch(String(res.headers['content-type']), /problem\+json/, `${context}: the platform's format, not the native one`);
  assert.equal(typeof res.body, 'object', `${context}: a JSON body`);
}

for (const engine of engines) {
  describe(`dialect security on ${engine.name}`, () => {
    let api: TestApi;
    let revokedKey: string;
    const unknownKey = `cdk_${randomBytes(48).toString('base64url')}`;

    before(async () => {
      api = await startApi(engine);
      const created = await api.app.services.accounts.createKey(api.accountId, ['admin']);
      await api.app.services.accounts.revokeKey(created.key.id);
      revokedKey = created.apiKey;
    });
    after(() => api.close());

    test('every dialect is mounted, and each of its operations names its scope and platform tag', () => {
      for (const mount of MOUNTS) assert.ok(operations.some((op) => op.path.startsWith(mount)), `no operation under ${mount}`);
      for (const op of operations) {
        assert.ok(['contacts:read', 'contacts:write'].includes(op.scope), `${op.name} declares x-required-scope (got "${op.scope}")`);
        const tags = document.paths[op.path]![op.method.toLowerCase()]!.tags ?? [];
        assert.ok(tags.length > 0, `${op.name} has a tag`);
      }
    });

    /** Real-looking values for path parameters: auth is checked before anything is looked up. */
    const urlOf = (op: Operation) =>
      op.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'accountId' ? api.accountId : name === 'streamId' ? 'security-stream' : name === 'msisdn' ? '16511112222' : '1'));

    async function refused(op: Operation, key: string | null): Promise<Response> {
      const before = await snapshot(api.db);
      const res = await api.call(op.method, urlOf(op), ['POST', 'PUT', 'PATCH'].includes(op.method) ? {} : undefined, { key });
      assert.deepEqual(await snapshot(api.db), before, `${op.name}: a refused request changed the database`);
      return res;
    }

    for (const op of operations) {
      test(`${op.name}: 401 without credentials, with an unknown and with a revoked key`, async () => {
        assertPlatformRefusal(await refused(op, null), 401, `${op.name} without credentials`);
        assertPlatformRefusal(await refused(op, unknownKey), 401, `${op.name} unknown key`);
        assertPlatformRefusal(await refused(op, revokedKey), 401, `${op.name} revoked key`);
      });
      if (op.scope === 'contacts:write') {
        test(`${op.name}: 403 for a read-only key, nothing written`, async () => {
          assertPlatformRefusal(await refused(op, api.keys.read), 403, `${op.name} read-only key`);
        });
      }
    }
  });
}
