/**
 * An export reads one snapshot: writes made while it pages through the contacts are not in the
 * file, in part or whole, and they are not held back by it. Driven page by page through the
 * service, so that the write falls between two pages for certain (large.test.ts does the same
 * over HTTP, with a file larger than any socket buffer).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ndjsonWriter } from '../../src/formats/export/ndjson.writer.ts';
import { token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { createMany, exportFile, parseNdjson } from './support.ts';

/** Three pages of the export's 500 contacts. */
const COUNT = 1_100;

for (const engine of engines) {
  describe(`export snapshot on ${engine.name}`, () => {
    let api: TestApi;
    let word: string;
    let ids: string[];
    before(async () => {
      api = await startApi(engine);
      word = token();
      ids = await createMany(api, COUNT, (i) => ({ first_name: word, last_name: `n${i}`, phone_numbers: [{ number: uniquePhone() }] }));
    });
    after(() => api.close());

    test('writes made between two pages of an export are not in it; the next export has them', async () => {
      const chunks = api.app.services.exports.exportContacts(api.admin, { q: word }, ndjsonWriter);
      let text = '';
      for (let i = 0; i < 2; i++) text += (await chunks.next()).value ?? ''; // the start, then page one
      assert.equal(parseNdjson(text).length, 500);

      // Mid-export, through the API: a later page's contact changed, another deleted, a new one made;
      // and a first-page contact given a second phone (which would widen the CSV past its header).
      const changed = await api.call('PATCH', `/v1/contacts/${ids[1_000]}`, { last_name: 'changed' });
      assert.equal(changed.status, 200);
      assert.equal((await api.call('DELETE', `/v1/contacts/${ids[1_050]}`)).status, 204);
      const added = await api.createContact({ first_name: word, last_name: 'added' });
      assert.equal((await api.call('PATCH', `/v1/contacts/${ids[0]}`, { last_name: 'first changed' })).status, 200);

      for await (const chunk of chunks) text += chunk;
      const lines = parseNdjson(text);
      assert.deepEqual(lines.map((l) => l.id), ids, 'exactly the contacts of the moment the export began');
      assert.deepEqual(lines.map((l) => l.last_name), ids.map((_, i) => `n${i}`), 'each as it was then');
      assert.equal(api.db.store.openSnapshots, 0);

      const fresh = parseNdjson((await exportFile(api, `format=ndjson&q=${word}`)).raw.body);
      assert.equal(fresh.length, COUNT);
      assert.equal(fresh.find((l) => l.id === ids[1_000])!.last_name, 'changed');
      assert.equal(fresh.some((l) => l.id === ids[1_050]), false);
      assert.equal(fresh.at(-1)!.id, added.id);
    });
  });
}

