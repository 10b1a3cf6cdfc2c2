/**
 * Groups named by imported rows (issue 11 §1) through HTTP on every engine: a group a row makes
 * goes with the row, so a refused row leaves none behind, and a later row of the same job naming
 * it makes it afresh (the id of the undone group is never reused); a dry run makes none.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { finished, ndjson } from './jobs.support.ts';

for (const engine of engines) {
  describe(`groups made by imports on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine, { IMPORT_CHUNK_ROWS: '3' });
    });
    after(() => api.close());

    async function importRows(options: Record<string, unknown>, rows: unknown[]) {
      const res = await api.call('POST', `/v1/imports?options=${encodeURIComponent(JSON.stringify(options))}`, ndjson(rows), { headers: { 'content-type': 'application/x-ndjson' } });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      return finished(api, res.body.id);
    }
    const groupsNamed = async (name: string) => (await api.call('GET', '/v1/groups?limit=500')).body.data.filter((g: any) => g.name === name);
    const contactsOf = async (book: string) => (await api.call('GET', `/v1/contacts?address_book_id=${book}&limit=500`)).body.data as any[];

    for (const mode of ['create', 'upsert'] as const) {
      test(`${mode}: a refused row leaves no group; the rows before and after it that name the group share one`, async () => {
        const book = await api.newBook('reject');
        const taken = uniquePhone();
        await api.createContact({ address_book_id: book, display_name: 'Holder', phone_numbers: [{ number: taken }] });
        // Upsert mode changes the contact a row names by external id in its own book: a `reject` book
        // where another contact holds the row's number refuses the change when it is written.
        const other = await api.newBook('reject');
        await api.createContact({ address_book_id: other, display_name: 'Other holder', phone_numbers: [{ number: taken }] });
        const elsewhere = await api.createContact({ address_book_id: other, display_name: 'Elsewhere', external_id: `x-${randomUUID()}` });
        const [ghost, shared] = [`Ghost ${randomUUID()}`, `Shared ${randomUUID()}`];
        const refused = (groups: string[]) => ({ display_name: 'Refused', phone_numbers: [{ number: taken }], groups, ...(mode === 'upsert' ? { external_id: elsewhere.external_id } : {}) });
        const job = await importRows({ address_book_id: book, mode }, [
          refused([ghost]),
          refused([shared]),
          { display_name: 'Kept One', phone_numbers: [{ number: uniquePhone() }], groups: [shared] },
          { display_name: 'Kept Two', phone_numbers: [{ number: uniquePhone() }], groups: [shared] },
          refused([shared]),
          { display_name: 'Kept Three', phone_numbers: [{ number: uniquePhone() }], groups: [shared] },
        ]);
        assert.deepEqual([job.created, job.failed], [3, 3], JSON.stringify(job));
        assert.deepEqual(await groupsNamed(ghost), [], 'the group only a refused row named is not left behind');
        const [group] = await groupsNamed(shared);
        assert.ok(group, 'the shared group exists');
        assert.equal((await groupsNamed(shared)).length, 1);
        const kept = (await contactsOf(book)).filter((c) => c.display_name.startsWith('Kept'));
        assert.deepEqual(kept.map((c) => c.group_ids), [[group.id], [group.id], [group.id]]);
        const members = await api.call('GET', `/v1/contacts?group_id=${group.id}&limit=500`);
        assert.equal(members.body.data.length, 3);
      });
    }

    test('upsert: a row refused as ambiguous makes no group', async () => {
      const book = await api.newBook('allow');
      const phone = uniquePhone();
      await api.createContact({ address_book_id: book, display_name: 'One', phone_numbers: [{ number: phone }] });
      await api.createContact({ address_book_id: book, display_name: 'Two', phone_numbers: [{ number: phone }] });
      const ghost = `Ambiguous ${randomUUID()}`;
      const job = await importRows({ address_book_id: book, mode: 'upsert' }, [{ display_name: 'Either', phone_numbers: [{ number: phone }], groups: [ghost] }]);
      assert.deepEqual([job.failed, job.created, job.updated], [1, 0, 0]);
      assert.deepEqual(await groupsNamed(ghost), []);
    });

    test('a dry run in either mode makes no group', async () => {
      for (const mode of ['create', 'upsert']) {
        const book = await api.newBook();
        const name = `Dry ${mode} ${randomUUID()}`;
        const job = await importRows({ address_book_id: book, mode, dry_run: true }, [
          { display_name: 'Dry A', phone_numbers: [{ number: uniquePhone() }], groups: [name] },
          { display_name: 'Dry B', phone_numbers: [{ number: uniquePhone() }], groups: [name] },
        ]);
        assert.deepEqual([job.status, job.created, job.failed], ['completed', 2, 0]);
        assert.deepEqual(await groupsNamed(name), []);
        assert.deepEqual(await contactsOf(book), []);
      }
    });
  });
}
