/**
 * The ways a file and its options reach POST /v1/imports (issue 11 §1) as clients really send
 * them: curl's JSON-typed options part, a browser FormData's Blob, no content type at all; the
 * refusals of a form or type the route cannot use; and what the job and its reports say of rows
 * (the CSV report keeps every cell of a refused row; duplicates name their column; the preview
 * shows rows as the store would hold them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { finished } from './jobs.support.ts';

const BOUNDARY = 'FoRmBoUnDaRy';

/** A multipart body of these parts, each with its own headers. */
function form(parts: { headers: string[]; body: string | Buffer }[]): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    pieces.push(Buffer.from(`--${BOUNDARY}\r\n${part.headers.join('\r\n')}\r\n\r\n`), Buffer.from(part.body), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(pieces);
}
const FORM = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
const csvPart = (body: string, name = 'file') => ({ headers: [`Content-Disposition: form-data; name="${name}"; filename="people.csv"`, 'Content-Type: text/csv'], body });

for (const engine of engines) {
  describe(`import uploads as clients send them, on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine, { IMPORT_CHUNK_ROWS: '3' });
    });
    after(() => api.close());

    test('an options part typed application/json (curl -F "options=…;type=application/json") is read as the options', async () => {
      const book = await api.newBook();
      const body = form([csvPart(`Name,Phone\nCurl Options,${uniquePhone()}\n`), { headers: ['Content-Disposition: form-data; name="options"', 'Content-Type: application/json'], body: JSON.stringify({ address_book_id: book, dry_run: true }) }]);
      const res = await api.call('POST', '/v1/imports', body, { headers: FORM });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.deepEqual([res.body.options.dry_run, res.body.options.address_book_id], [true, book]);
      const bad = await api.call('POST', '/v1/imports', form([csvPart('Name\nX\n'), { headers: ['Content-Disposition: form-data; name="options"', 'Content-Type: application/json'], body: '{nope' }]), { headers: FORM });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.equal(bad.body.errors[0].path, 'options');
    });

    test('an options part sent as a file (a browser FormData Blob), before the file part, is read as the options', async () => {
      const book = await api.newBook();
      const options = { headers: ['Content-Disposition: form-data; name="options"; filename="blob"', 'Content-Type: application/json'], body: JSON.stringify({ address_book_id: book, mode: 'upsert' }) };
      const res = await api.call('POST', '/v1/imports', form([options, csvPart(`Name,Phone\nBlob Options,${uniquePhone()}\n`)]), { headers: FORM });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.deepEqual([res.body.options.mode, res.body.options.address_book_id], ['upsert', book]);
      const job = await finished(api, res.body.id);
      assert.equal(job.created, 1);
      const preview = await api.call('POST', '/v1/imports/preview', form([options, csvPart('Name\nPeek\n')]), { headers: FORM });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
    });

    test('two files in one form: 400 naming file, not a size refusal; nothing is stored', async () => {
      const jobsBefore = (await api.call('GET', '/v1/imports?limit=100')).body.data.length;
      const res = await api.call('POST', '/v1/imports', form([csvPart('Name\nA\n'), csvPart('Name\nB\n')]), { headers: FORM });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.errors[0].path, 'file');
      assert.match(res.body.errors[0].message, /one file/);
      const three = await api.call('POST', '/v1/imports', form([csvPart('Name\nA\n'), csvPart('Name\nB\n', 'other'), csvPart('Name\nC\n', 'third')]), { headers: FORM });
      assert.equal(three.status, 400, JSON.stringify(three.body));
      assert.equal((await api.call('GET', '/v1/imports?limit=100')).body.data.length, jobsBefore);
      const jobs = await api.db.handle.db.selectFrom('import_jobs').select('id').execute();
      const orphans = await api.db.handle.db.selectFrom('import_file_chunks').select('job_id').distinct().where('job_id', 'not in', jobs.length > 0 ? jobs.map((j) => j.id) : ['-']).execute();
      assert.deepEqual(orphans, [], 'no piece of a refused upload is left');
    });

    test('a raw body without a content type is read by its first bytes; a type that is no import format is 415 saying what to send', async () => {
      const untyped = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: `Name,Phone\nNo Type,${uniquePhone()}\n`, headers: { authorization: `Bearer ${api.keys.admin}` } });
      assert.equal(untyped.statusCode, 202, untyped.body);
      assert.equal(untyped.json().format, 'csv');
      for (const type of ['image/png', 'application/json']) {
        const res = await api.call('POST', '/v1/imports', type === 'application/json' ? '{"display_name":"X"}' : 'Name\nX\n', { headers: { 'content-type': type } });
        assert.equal(res.status, 415, `${type}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.code, 'unsupported_media_type');
        assert.match(res.body.detail, /text\/csv/);
      }
    });

    test('binary bytes are refused as "not text" whatever type they are declared as', async () => {
      const bytes = Buffer.alloc(2048, 0);
      bytes.write('Name,Phone\n');
      for (const type of ['text/csv', 'application/x-ndjson', 'application/octet-stream']) {
        const res = await api.call('POST', '/v1/imports', bytes, { headers: { 'content-type': type } });
        assert.equal(res.status, 400, `${type}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.errors[0].message, /not text/);
      }
    });

    test('the CSV report keeps every cell of a row wider than the header, with error still the last column', async () => {
      const file = `Name,Phone\nGood,${uniquePhone()}\nWide,not a phone,extra one,extra two\n`;
      const res = await api.call('POST', '/v1/imports', file, { headers: { 'content-type': 'text/csv' } });
      const job = await finished(api, res.body.id);
      assert.deepEqual([job.created, job.failed], [1, 1]);
      const csv = await api.call('GET', `/v1/imports/${job.id}/errors`, undefined, { headers: { accept: 'text/csv' } });
      const lines = String(csv.body).trim().split('\n');
      assert.equal(lines[0], 'Name,Phone,,,error');
      assert.match(lines[1]!, /^Wide,not a phone,extra one,extra two,"?[^,]+/);
      assert.equal(lines.length, 2);
      // Accept is read by its q-values: JSON when it ranks higher, CSV when it does.
      const jsonFirst = await api.call('GET', `/v1/imports/${job.id}/errors`, undefined, { headers: { accept: 'text/csv;q=0.5, application/json' } });
      assert.match(String(jsonFirst.headers['content-type']), /^application\/json/);
      const csvFirst = await api.call('GET', `/v1/imports/${job.id}/errors`, undefined, { headers: { accept: 'application/json;q=0.2, text/csv' } });
      assert.match(String(csvFirst.headers['content-type']), /^text\/csv/);
    });

    test('a refused duplicate names the column it collides on; a finished job has eta_seconds 0', async () => {
      const book = await api.newBook('reject');
      const phone = uniquePhone();
      await api.createContact({ display_name: 'Held', address_book_id: book, external_id: 'ext-held', phone_numbers: [{ number: phone }] });
      const file = `Name,Phone,external_id\nSame Phone,${phone},\nSame Id,${uniquePhone()},ext-held\n`;
      const res = await api.call('POST', `/v1/imports?address_book_id=${book}`, file, { headers: { 'content-type': 'text/csv' } });
      const job = await finished(api, res.body.id);
      assert.deepEqual([job.status, job.failed, job.eta_seconds, job.progress], ['completed', 2, 0, 1]);
      const errors = (await api.call('GET', `/v1/imports/${job.id}/errors`)).body.data.map((e: any) => [e.row, e.code, e.column]);
      assert.deepEqual(errors, [[2, 'duplicate_contact', 'Phone'], [3, 'duplicate_external_id', 'external_id']]);
    });

    test('the preview shows each row as it would be stored (E.164, display name, typed custom values) and what the write would refuse', async () => {
      const key = `score_${Date.now()}`;
      await api.call('POST', '/v1/custom-fields', { key, data_type: 'number' });
      const mapping = { Name: 'display_name', Mobile: 'phone_numbers[type=mobile]', Score: `custom_fields.${key}` };
      const file = 'Name,Mobile,Score\nAnn Lee,(651) 555-0142,12\nBen Roe,(651) 555-0143,twelve\n';
      const res = await api.call('POST', `/v1/imports/preview?options=${encodeURIComponent(JSON.stringify({ mapping, default_region: 'US' }))}`, file, { headers: { 'content-type': 'text/csv' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const [ann, ben] = res.body.rows;
      assert.deepEqual(ann.errors, []);
      assert.equal(ann.contact.display_name, 'Ann Lee');
      assert.deepEqual([ann.contact.phone_numbers[0].e164, ann.contact.phone_numbers[0].type, ann.contact.phone_numbers[0].is_primary], ['+16515550142', 'mobile', true]);
      assert.equal(ann.contact.custom_fields[key], 12);
      assert.equal(ben.row, 3);
      assert.ok(ben.errors.length > 0 && ben.errors.every((e: any) => e.column === 'Score'), JSON.stringify(ben.errors));
    });
  });
}
