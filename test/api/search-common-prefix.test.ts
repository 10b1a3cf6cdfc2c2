import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';

// Over 10,000 index terms share a prefix here, so `q` takes the other search plan (walking
// contacts in page order instead of collecting the prefix's matches): both must agree.
for (const engine of engines) {
  describe(`search by a common prefix on ${engine.name}`, () => {
    let api: TestApi;
    const company = `Zq${randomUUID().slice(0, 8)}`.toLowerCase();
    before(async () => {
      api = await startApi(engine);
      const book = (await api.call('POST', '/v1/address-books', { name: `search ${randomUUID()}` })).body.id;
      for (let start = 0; start < 10_050; start += 1000) {
        const contacts = Array.from({ length: Math.min(1000, 10_050 - start) }, (_, i) => ({
          address_book_id: book,
          display_name: `Person ${start + i}`,
          company: `${company} ${start + i < 5 ? 'rare' : 'common'}`,
        }));
        const res = await api.call('POST', '/v1/contacts/batch', { contacts });
        assert.equal(res.status, 200);
      }
    });
    after(() => api.close());

    test('a prefix shared by over 10,000 contacts pages through them in order, each once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 3; page++) {
        const res = await api.call('GET', `/v1/contacts?q=${company}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200);
        assert.equal(res.body.data.length, 500);
        seen.push(...res.body.data.map((c: { display_name: string }) => c.display_name));
        cursor = res.body.next_cursor;
      }
      assert.deepEqual(seen, Array.from({ length: 1500 }, (_, i) => `Person ${i}`));
    });

    test('a rare word beside it is found through the term index', async () => {
      const res = await api.call('GET', `/v1/contacts?q=rare&limit=50`);
      assert.deepEqual(res.body.data.map((c: { display_name: string }) => c.display_name), ['Person 0', 'Person 1', 'Person 2', 'Person 3', 'Person 4']);
    });
  });
}
