/**
 * `contactd export` as a child process over the database an app writes to: stdout holds the same
 * file as `GET /v1/contacts/export` (the same writers over the same data), `--book` filters, and
 * bad arguments end with a message and a non-zero exit.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { ROOT, contactdEnv } from '../support/contactd-process.ts';
import { defineAccountData, exportFile, parseNdjson, richContact } from './support.ts';

for (const engine of engines) {
  describe(`contactd export on ${engine.name}`, () => {
    let api: TestApi;
    let book: string;
    let inBook: any;
    before(async () => {
      api = await startApi(engine);
      const { groups } = await defineAccountData(api);
      await api.createContact(richContact(groups.map((g) => g.id)));
      book = await api.newBook();
      inBook = await api.createContact({ first_name: 'Booked', address_book_id: book, phone_numbers: [{ number: uniquePhone(), type: 'work' }] });
    });
    after(() => api.close());

    /** Runs `node bin/contactd.js export ...args` against the test's database. */
    async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
      const env = contactdEnv({ DATABASE_URL: api.db.databaseUrl, LOG_LEVEL: 'silent', ...(api.db.searchPath ? { PGOPTIONS: `-c search_path=${api.db.searchPath}` } : {}) });
      const child = spawn(process.execPath, ['bin/contactd.js', 'export', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const [code] = (await once(child, 'close')) as [number | null];
      return { code, stdout, stderr };
    }

    test('stdout is the file the API exports, in each format', async () => {
      for (const [format, ...more] of [['csv'], ['ndjson'], ['vcard'], ['vcard', '--version', '4.0']] as const) {
        const run = await cli(['--account', api.accountId, '--format', format, ...more]);
        assert.equal(run.code, 0, run.stderr);
        const http = await exportFile(api, `format=${format}${more.length > 0 ? '&version=4.0' : ''}`);
        assert.ok(http.raw.body.length > 0);
        assert.equal(run.stdout, http.raw.body, `${format} ${more.join(' ')}`);
      }
    });

    test('--book exports one address book', async () => {
      const run = await cli(['--account', api.accountId, '--format', 'ndjson', '--book', book]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(parseNdjson(run.stdout).map((l) => l.id), [inBook.id]);
    });

    test('an unknown account or format: a message on stderr, nothing on stdout, a non-zero exit', async () => {
      const unknown = await cli(['--account', '00000000-0000-4000-8000-000000000000', '--format', 'csv']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /no account/);
      assert.equal(unknown.stdout, '');
      const format = await cli(['--account', api.accountId, '--format', 'xlsx']);
      assert.equal(format.code, 1);
      assert.match(format.stderr, /--format must be one of: csv, vcard, ndjson/);
      assert.equal(format.stdout, '');
      const book = await cli(['--account', api.accountId, '--format', 'csv', '--book', '00000000-0000-4000-8000-000000000000']);
      assert.deepEqual([book.code, book.stdout], [2, '']);
      assert.match(book.stderr, /no address book/);
    });
  });
}
