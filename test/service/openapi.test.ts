import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openApiDocument } from '../support/openapi.ts';

test('the committed openapi.json matches what the routes generate (run `npm run openapi`)', async () => {
  const committed = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(await openApiDocument())));
});

test('every operation is described, tagged and answers errors as problems', async () => {
  const document = (await openApiDocument()) as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      assert.ok(operation.summary, `${method} ${path} has a summary`);
      assert.ok(operation.tags?.length, `${method} ${path} has a tag`);
      if (path.startsWith('/v1/')) {
        assert.deepEqual(operation.security, [{ bearer: [] }], `${method} ${path} needs a key`);
        assert.ok(operation.responses['401'], `${method} ${path} documents 401`);
      }
    }
  }
  for (const name of ['Contact', 'Problem', 'AddressBook', 'CustomField', 'Group', 'ContactCreate']) {
    assert.ok(document.components.schemas[name], `component ${name}`);
  }
});
