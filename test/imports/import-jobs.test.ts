/**
 * Import jobs (issue 11 §1) through HTTP on every engine: accept, poll, complete; counts; dry run
 * writing nothing; the refused rows as JSON pages and as CSV; cancel; 413; tenancy and scopes;
 * an upsert re-import making no duplicates; the `import.completed` change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { finished, ndjson } from './jobs.support.ts';

const NDJSON = { 'content-type': 'application/x-ndjson' };

for (const engine of engines) {
  describe(`import jobs on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine, { IMPORT_CHUNK_ROWS: '2', IMPORT_MAX_BYTES: '200000' });
    });
    after(() => api.close());

    async function importFile(body: string, query = '', key?: string) {
      return api.call('POST', `/v1/imports${query}`, body, { headers: NDJSON, ...(key ? { key } : {}) });
    }

    test('a raw NDJSON body: 202 with Location, then completed with its counts; the contacts are journalled under the import surface', async () => {
      const book = await api.newBook();
      const phones = [uniquePhone(), uniquePhone(), uniquePhone()];
      const res = await importFile(ndjson([
        { display_name: 'Ada One', phone_numbers: [{ number: phones[0] }], groups: ['Imported VIP'] },
        { display_name: 'Bob Two', phone_numbers: [{ number: 'not a number' }] },
        'not json at all',
        { display_name: 'Cy Three', phone_numbers: [{ number: phones[1] }], groups: ['Imported VIP'] },
        { display_name: 'Di Four', emails: [{ address: 'di@example.com' }] },
      ]), `?address_book_id=${book}`);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.headers.location, `/v1/imports/${res.body.id}`);
      assert.ok(['queued', 'running'].includes(res.body.status));
      const job = await finished(api, res.body.id);
      assert.equal(job.status, 'completed');
      assert.deepEqual([job.total, job.processed, job.created, job.updated, job.merged, job.skipped, job.failed], [5, 5, 3, 0, 0, 0, 2]);
      assert.equal(job.progress, 1);
      assert.ok(job.started_at && job.finished_at);
      const listed = await api.call('GET', `/v1/contacts?address_book_id=${book}`);
      assert.deepEqual(listed.body.data.map((c: any) => c.display_name).sort(), ['Ada One', 'Cy Three', 'Di Four']);
      const groups = new Set(listed.body.data.filter((c: any) => c.group_ids.length > 0).map((c: any) => c.group_ids[0]));
      assert.equal(groups.size, 1, 'one group made for the name, shared by its rows');
      const history = await api.call('GET', `/v1/contacts/${listed.body.data[0].id}/history`);
      assert.equal(history.body.data[0].actor.surface, 'import');
    });

    test('the job ends with one import.completed change carrying its summary (admin feed only)', async () => {
      const res = await importFile(ndjson([{ display_name: 'Feed One' }]));
      const job = await finished(api, res.body.id);
      const feed = await api.call('GET', '/v1/changes?types=import.completed&limit=500');
      assert.equal(feed.status, 200, JSON.stringify(feed.body));
      const mine = feed.body.data.filter((c: any) => c.object_id === job.id);
      assert.equal(mine.length, 1);
      assert.deepEqual([mine[0].snapshot.status, mine[0].snapshot.created, mine[0].actor.surface], ['completed', 1, 'import']);
      assert.equal((await api.call('GET', '/v1/changes?types=import.completed', undefined, { key: api.keys.read })).status, 403);
    });

    test('multipart: the file part and an options part; a dry run writes nothing but the job and its problems', async () => {
      const book = await api.newBook();
      const before = await api.call('GET', `/v1/contacts?address_book_id=${book}`);
      const feedBefore = await api.call('GET', '/v1/changes?limit=500');
      const boundary = 'XbOuNdArY';
      const body = [
        `--${boundary}`, 'Content-Disposition: form-data; name="options"', '', JSON.stringify({ address_book_id: book, dry_run: true }),
        `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="people.ndjson"', 'Content-Type: application/x-ndjson', '',
        ndjson([{ display_name: 'Dry One', phone_numbers: [{ number: uniquePhone() }], groups: ['Dry group'] }, { display_name: 'Dry Two', phone_numbers: [{ number: 'nope' }] }]),
        `--${boundary}--`, '',
      ].join('\r\n');
      const res = await api.call('POST', '/v1/imports', body, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.body.file_name, 'people.ndjson');
      assert.equal(res.body.options.dry_run, true);
      const job = await finished(api, res.body.id);
      assert.deepEqual([job.status, job.created, job.failed], ['completed', 1, 1]);
      assert.deepEqual((await api.call('GET', `/v1/contacts?address_book_id=${book}`)).body, before.body);
      const feedAfter = await api.call('GET', '/v1/changes?limit=500');
      const added = feedAfter.body.data.slice(feedBefore.body.data.length).map((c: any) => c.type);
      assert.deepEqual(added, ['import.completed'], 'a dry run journals nothing but its completion');
      assert.equal((await api.call('GET', '/v1/groups?limit=500')).body.data.filter((g: any) => g.name === 'Dry group').length, 0);
      const errors = await api.call('GET', `/v1/imports/${job.id}/errors`);
      assert.deepEqual(errors.body.data.map((e: any) => [e.row, e.code]), [[2, 'invalid_phone']]);
    });

    test('errors: JSON pages in file order with row, column, code and message; CSV of the refused rows with an error column', async () => {
      const rows = Array.from({ length: 7 }, (_, i) => (i % 2 === 0 ? { display_name: `Bad ${i}`, phone_numbers: [{ number: `bad ${i}` }] } : { display_name: `Good ${i}` }));
      const res = await importFile(ndjson(rows));
      const job = await finished(api, res.body.id);
      assert.deepEqual([job.created, job.failed], [3, 4]);
      const seen: any[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await api.call('GET', `/v1/imports/${job.id}/errors?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        seen.push(...page.body.data);
        cursor = page.body.next_cursor;
      } while (cursor);
      assert.deepEqual(seen.map((e) => e.row), [1, 3, 5, 7]);
      assert.ok(seen.every((e) => e.column === 'phone_numbers' && e.code === 'invalid_phone' && e.message.length > 0));
      assert.equal(seen[0].raw, JSON.stringify(rows[0]));
      const csv = await api.call('GET', `/v1/imports/${job.id}/errors`, undefined, { headers: { accept: 'text/csv' } });
      assert.equal(csv.status, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      const lines = String(csv.body).trim().split('\n');
      assert.equal(lines[0], 'row,record,error');
      assert.equal(lines.length, 5);
      assert.match(lines[1]!, /^1,"\{""display_name"":""Bad 0""/);
      assert.match(lines[1]!, /phone_numbers/);
    });

    test('upsert by external id: importing the same file again changes nothing and makes no duplicate', async () => {
      const book = await api.newBook();
      const ext = `imp-${Date.now()}`;
      const file = ndjson([1, 2, 3].map((n) => ({ external_id: `${ext}-${n}`, display_name: `Up ${n}`, phone_numbers: [{ number: uniquePhone() }] })));
      const first = await finished(api, (await importFile(file, `?address_book_id=${book}&mode=upsert`)).body.id);
      assert.deepEqual([first.created, first.updated, first.skipped], [3, 0, 0]);
      const again = await finished(api, (await importFile(file, `?address_book_id=${book}&mode=upsert`)).body.id);
      assert.deepEqual([again.created, again.updated, again.skipped, again.failed], [0, 0, 3, 0]);
      const changed = await finished(api, (await importFile(ndjson([{ external_id: `${ext}-1`, display_name: 'Up One Renamed' }]), `?options=${encodeURIComponent(JSON.stringify({ address_book_id: book, mode: 'upsert' }))}`)).body.id);
      assert.deepEqual([changed.created, changed.updated], [0, 1]);
      const listed = await api.call('GET', `/v1/contacts?address_book_id=${book}`);
      assert.equal(listed.body.data.length, 3);
      assert.ok(listed.body.data.some((c: any) => c.display_name === 'Up One Renamed'));
    });

    test('cancel stops the job between chunks: what was written stays and the counts say so', async () => {
      const book = await api.newBook();
      const res = await importFile(ndjson(Array.from({ length: 400 }, (_, i) => ({ display_name: `Cancel ${i}` }))), `?address_book_id=${book}`);
      const cancelled = await api.call('POST', `/v1/imports/${res.body.id}/cancel`, undefined, { key: api.keys.write });
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      assert.equal(cancelled.body.status, 'cancelled');
      const job = await finished(api, res.body.id);
      assert.equal(job.status, 'cancelled');
      assert.ok(job.processed < 400, `processed ${job.processed}`);
      const count = (await api.call('GET', `/v1/contacts?address_book_id=${book}&limit=500`)).body.data.length;
      assert.equal(count, job.created);
      // Later chunks do not move it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual((await api.call('GET', `/v1/imports/${job.id}`)).body.processed, job.processed);
      assert.equal((await api.call('POST', `/v1/imports/${job.id}/cancel`)).body.status, 'cancelled');
    });

    test('a book deleted while its import runs ends the job as failed, saying why; it does not refuse every row left', async () => {
      const book = await api.newBook();
      const res = await importFile(ndjson(Array.from({ length: 600 }, (_, i) => ({ display_name: `Orphan ${i}` }))), `?address_book_id=${book}`);
      assert.equal((await api.call('DELETE', `/v1/address-books/${book}?force=true`)).status, 204);
      const job = await finished(api, res.body.id);
      assert.equal(job.status, 'failed', JSON.stringify(job));
      assert.match(job.error, /address book .* (was deleted while the import ran|no longer exists)/);
      assert.ok(job.processed < 600 && job.failed === 0, JSON.stringify(job));
    });

    test('413 past IMPORT_MAX_BYTES: by Content-Length, and by count for a body without one; nothing is stored', async () => {
      const big = 'x'.repeat(200_001);
      const res = await importFile(big);
      assert.equal(res.status, 413, JSON.stringify(res.body));
      assert.equal(res.body.code, 'payload_too_large');
      // A chunked body has no Content-Length: the stored pieces are counted, and removed when it passes the limit.
      const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
      const pieces = [Buffer.from('{"a":1}\n'), Buffer.from(big)];
      const streamed = await fetch(`${address}/v1/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.keys.admin}`, ...NDJSON },
        body: new ReadableStream({ pull(controller) { const next = pieces.shift(); if (next) controller.enqueue(next); else controller.close(); } }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(streamed.status, 413, await streamed.clone().text());
      assert.equal(((await streamed.json()) as any).code, 'payload_too_large');
      const jobs = await api.db.handle.db.selectFrom('import_jobs').select('id').execute();
      const orphans = await api.db.handle.db.selectFrom('import_file_chunks').select('job_id').distinct().where('job_id', 'not in', jobs.length > 0 ? jobs.map((j) => j.id) : ['-']).execute();
      assert.deepEqual(orphans, [], 'no piece of a refused upload is left');
    });

    test('refusals before a job exists: bad options 400, unknown book 404, wrong media type 415, no body 400', async () => {
      const bad = await importFile(ndjson([{ display_name: 'X' }]), '?mode=sideways');
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.equal(bad.body.errors[0].path, 'options.mode');
      assert.equal(bad.body.errors[0].message, 'must be one of: create, upsert');
      const notJson = await importFile(ndjson([{ display_name: 'X' }]), '?options=%7Bnope');
      assert.equal(notJson.body.errors[0].path, 'options');
      const book = await importFile(ndjson([{ display_name: 'X' }]), '?address_book_id=00000000-0000-0000-0000-000000000000');
      assert.equal(book.status, 404);
      assert.equal(book.body.code, 'address_book_not_found');
      const json = await api.call('POST', '/v1/imports', { display_name: 'X' });
      assert.equal(json.status, 415, JSON.stringify(json.body));
      const empty = await api.call('POST', '/v1/imports', undefined, { headers: NDJSON });
      assert.equal(empty.status, 400, JSON.stringify(empty.body));
      // A form whose content type names no boundary cannot be read: a 400, not the reader's 500.
      const form = '--b0\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nName\r\nX\r\n--b0--\r\n';
      const noBoundary = await api.call('POST', '/v1/imports', form, { headers: { 'content-type': 'multipart/form-data' } });
      assert.equal(noBoundary.status, 400, JSON.stringify(noBoundary.body));
      assert.equal(noBoundary.body.errors[0].path, 'file');
    });

    test('scopes and tenancy: a read key cannot import but can read; another account sees 404', async () => {
      const denied = await importFile(ndjson([{ display_name: 'X' }]), '', api.keys.read);
      assert.equal(denied.status, 403);
      const res = await importFile(ndjson([{ display_name: 'Tenant' }]), '', api.keys.write);
      assert.equal(res.status, 202);
      await finished(api, res.body.id, api.keys.read);
      assert.equal((await api.call('GET', `/v1/imports/${res.body.id}/errors`, undefined, { key: api.keys.read })).status, 200);
      assert.equal((await api.call('POST', `/v1/imports/${res.body.id}/cancel`, undefined, { key: api.keys.read })).status, 403);
      const other = await api.otherAccount();
      for (const [method, url] of [['GET', `/v1/imports/${res.body.id}`], ['GET', `/v1/imports/${res.body.id}/errors`], ['POST', `/v1/imports/${res.body.id}/cancel`]] as const) {
        const foreign = await api.call(method, url, undefined, { key: other.key });
        assert.equal(foreign.status, 404, `${method} ${url}`);
        assert.equal(foreign.body.code, 'import_not_found');
      }
      const list = await api.call('GET', '/v1/imports', undefined, { key: other.key });
      assert.deepEqual(list.body.data, []);
      const mine = await api.call('GET', '/v1/imports?limit=2');
      assert.equal(mine.body.data.length, 2);
      assert.ok(mine.body.next_cursor);
      const next = await api.call('GET', `/v1/imports?limit=2&cursor=${mine.body.next_cursor}`);
      assert.ok(next.body.data.every((j: any) => !mine.body.data.some((m: any) => m.id === j.id)));
    });

    test('preview answers at once and stores nothing', async () => {
      const res = await api.call('POST', '/v1/imports/preview', ndjson([{ display_name: 'Peek' }]), { headers: NDJSON });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.format, 'ndjson');
      assert.equal(res.body.rows[0].contact.display_name, 'Peek');
    });
  });
}
