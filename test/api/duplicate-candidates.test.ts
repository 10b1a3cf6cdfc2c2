import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertProblem } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

/** A pair as a comparable line: reason, value and the two ids in order. */
const lineOf = (p: { reason: string; value: string; contacts: { id: string }[] }) => `${p.reason} ${p.value} ${p.contacts.map((c) => c.id).join(' ')}`;

for (const engine of engines) {
  describe(`GET /v1/duplicates on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    async function allPairs(query: string, key = api.keys.read, limit = 1): Promise<string[]> {
      const lines: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await api.call('GET', `/v1/duplicates?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`, undefined, { key });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(res.body.data.length <= limit);
        lines.push(...res.body.data.map(lineOf));
        cursor = res.body.next_cursor;
      } while (cursor);
      return lines;
    }

    test('pairs by phone, email and name with company, each once, live contacts only, book filter, read key', async () => {
      const book = await api.newBook();
      const phone = uniquePhone();
      const tag = randomUUID().slice(0, 8);
      const make = (body: Record<string, unknown>) => api.createContact({ address_book_id: book, ...body });
      const a = await make({ display_name: 'Ann', phone_numbers: [{ number: phone }] });
      const b = await make({ display_name: 'Bob', phone_numbers: [{ number: `+1 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}` }] });
      const c = await make({ display_name: 'Cy', emails: [{ address: `Cy.${tag}@Example.com` }] });
      const d = await make({ display_name: 'Di', emails: [{ address: `cy.${tag}@example.com` }] });
      const e = await make({ display_name: `Eve ${tag}`, company: 'Acme' });
      const f = await make({ display_name: `EVE ${tag}`, company: 'ACME' });
      const g = await make({ display_name: `eve ${tag}`, company: 'acme' }); // three alike: three pairs, paged one by one
      await make({ display_name: `Eve ${tag}`, company: '' }); // no company: not a name pair
      await make({ display_name: `Eve ${tag}`, company: 'Other' });
      // Merged and deleted contacts are not candidates; a merge's survivor holds the source's phone.
      const phone2 = uniquePhone();
      const z = await make({ display_name: 'Zed', phone_numbers: [{ number: phone2 }] });
      const merged = await make({ display_name: 'Merged', phone_numbers: [{ number: phone2 }] });
      const survivor = await make({ display_name: 'Survivor' });
      assert.equal((await api.call('POST', `/v1/contacts/${survivor.id}/merge`, { source_ids: [merged.id] })).status, 200);
      const deleted = await make({ display_name: 'Deleted', emails: [{ address: `cy.${tag}@example.com` }] });
      assert.equal((await api.call('DELETE', `/v1/contacts/${deleted.id}`)).status, 204);
      // Another book's contact sharing the phone pairs only without the book filter.
      const elsewhere = await api.createContact({ display_name: 'Elsewhere', phone_numbers: [{ number: phone }] });
      // Another account's contacts sharing everything never appear.
      const other = await api.otherAccount();
      for (const body of [{ display_name: 'X', phone_numbers: [{ number: phone }] }, { display_name: `Eve ${tag}`, company: 'Acme' }]) {
        assert.equal((await api.call('POST', '/v1/contacts', body, { key: other.key })).status, 201);
      }

      const expected = [`phone ${phone} ${a.id} ${b.id}`, `phone ${phone2} ${z.id} ${survivor.id}`, `email cy.${tag}@example.com ${c.id} ${d.id}`, `name_company eve ${tag} / acme ${e.id} ${f.id}`, `name_company eve ${tag} / acme ${e.id} ${g.id}`, `name_company eve ${tag} / acme ${f.id} ${g.id}`];
      assert.deepEqual(await allPairs(`&address_book_id=${book}`), expected);
      assert.deepEqual(await allPairs(`&address_book_id=${book}`, api.keys.read, 500), expected, 'one page holds the same pairs');
      const whole = await allPairs('', api.keys.read, 2);
      for (const line of [...expected, `phone ${phone} ${a.id} ${elsewhere.id}`, `phone ${phone} ${b.id} ${elsewhere.id}`]) assert.ok(whole.includes(line), line);
      assert.equal(new Set(whole).size, whole.length, 'no pair twice');
      const theirs = await allPairs('', other.key, 50);
      assert.ok(theirs.every((l) => !l.includes(a.id) && !l.includes(e.id)), 'the other account sees none of this account\'s contacts');
      assert.equal(theirs.length, 0);

      const page = await api.call('GET', `/v1/duplicates?address_book_id=${book}&limit=1`);
      assert.equal(page.body.data[0].contacts[0].display_name, 'Ann', 'the pair carries the contacts whole');
    });

    test('a cursor it did not make: 400 naming cursor', async () => {
      const res = await api.call('GET', '/v1/duplicates?cursor=bm9wZQ');
      assertProblem(res, 400);
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === 'cursor'));
    });
  });
}
