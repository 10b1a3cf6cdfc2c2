/**
 * Import jobs in real `contactd` processes, on every engine: a `contactd serve` killed with
 * SIGKILL mid-import and started again finishes the job with every row imported exactly once;
 * and `contactd import FILE` runs the same job in-process, printing progress lines and the summary.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';
import { ROOT, contactdEnv, startContactd, type ServedProcess } from '../support/contactd-process.ts';

const ROWS = 4000;
const MAPPING = { 'Customer No': 'external_id' };

/** A CSV of `rows` people in Outlook's headers plus a customer number, each with its own number. */
function csvOf(rows: number, prefix: string, phoneBase: number): string {
  const lines = ['Customer No,First Name,Last Name,Mobile Phone'];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}-${i},First${i},Last${i},+1 651 ${String(phoneBase + i).padStart(7, '0').replace(/^(\d{3})/, '$1 ')}`);
  return `${lines.join('\n')}\n`;
}

async function http(base: string, key: string, method: string, path: string, body?: string, type?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(type ? { 'content-type': type } : {}) }, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

for (const engine of engines) {
  describe(`import jobs in contactd processes on ${engine.name}`, () => {
    let api: TestApi;
    let server: ServedProcess | undefined;
    let settings: Record<string, string>;
    const dir = mkdtempSync(join(tmpdir(), 'contactd-import-'));

    before(async () => {
      api = await startApi(engine);
      settings = { DATABASE_URL: api.db.databaseUrl, LOG_LEVEL: 'error', IMPORT_CHUNK_ROWS: '50', IMPORT_STALE_SECONDS: '1', ...(api.db.searchPath ? { PGOPTIONS: `-c search_path=${api.db.searchPath}` } : {}) };
    });
    after(async () => {
      if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await api?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('kill -9 mid-import, then a restart: the job resumes from its last chunk and every row is imported exactly once', async () => {
      const book = await api.newBook();
      server = await startContactd(settings);
      const options = encodeURIComponent(JSON.stringify({ address_book_id: book, mapping: MAPPING }));
      const accepted = await http(server.base, api.keys.write, 'POST', `/v1/imports?options=${options}`, csvOf(ROWS, 'k9', 1_000_000), 'text/csv');
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      const id = accepted.body.id;
      for (;;) {
        const job = await http(server.base, api.keys.read, 'GET', `/v1/imports/${id}`);
        assert.notEqual(job.body.status, 'completed', 'the import finished before the kill: make it longer');
        if (job.body.processed > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const exited = once(server.child, 'exit');
      server.child.kill('SIGKILL');
      await exited;
      const atKill = await api.db.handle.db.selectFrom('import_jobs').select(['status', 'rows_done', 'processed']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(atKill.status, 'running');
      assert.ok(Number(atKill.rows_done) < ROWS, `killed at ${atKill.rows_done} of ${ROWS}`);

      server = await startContactd(settings);
      let job: any;
      const deadline = Date.now() + 240_000;
      do {
        await new Promise((resolve) => setTimeout(resolve, 100));
        try {
          job = (await http(server.base, api.keys.read, 'GET', `/v1/imports/${id}`)).body;
        } catch (error) {
          // A loaded machine may drop a keep-alive socket under a poll; a server that died is a failure.
          assert.ok(server.child.exitCode === null && server.child.signalCode === null, `the restarted server exited: ${server.output()}`);
          job ??= { status: 'running', processed: 0 };
          continue;
        }
        assert.ok(Date.now() < deadline, `still ${job.status} at ${job.processed}`);
      } while (job.status === 'queued' || job.status === 'running');
      assert.deepEqual([job.status, job.total, job.processed, job.created, job.failed], ['completed', ROWS, ROWS, ROWS, 0]);

      const stored = await api.db.handle.db.selectFrom('contacts').select(['id', 'external_id']).where('account_id', '=', api.accountId).where('address_book_id', '=', book).execute();
      assert.equal(stored.length, ROWS, 'one contact per row');
      assert.equal(new Set(stored.map((c) => c.external_id)).size, ROWS, 'every external id once');
      const created = await api.db.handle.db.selectFrom('changes').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', api.accountId).where('type', '=', 'contact.created').where('object_id', 'in', stored.map((c) => c.id).slice(0, 30000)).executeTakeFirstOrThrow();
      assert.equal(Number(created.n), ROWS, 'one contact.created change per contact');
      const completed = await api.db.handle.db.selectFrom('changes').select('position').where('account_id', '=', api.accountId).where('type', '=', 'import.completed').where('object_id', '=', id).execute();
      assert.equal(completed.length, 1, 'one import.completed change');
      server.child.kill('SIGKILL');
    });

    test('contactd import beside a serving process: the server\'s writes wait for the import\'s chunks, none is refused', async () => {
      const file = join(dir, 'beside.csv');
      writeFileSync(file, csvOf(20_000, 'beside', 3_000_000));
      writeFileSync(join(dir, 'beside-mapping.json'), JSON.stringify(MAPPING));
      const beside = await startContactd(settings);
      const child = spawn(process.execPath, ['bin/contactd.js', 'import', file, '--account', api.accountId, '--mapping', join(dir, 'beside-mapping.json')], { cwd: ROOT, env: contactdEnv({ ...settings, IMPORT_CHUNK_ROWS: '500' }), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const exited = once(child, 'exit');
      const statuses: number[] = [];
      // Writes through a serving process on the same database, while the other process imports (until it ends).
      for (let i = 0; i < 400 && child.exitCode === null; i++) {
        const body = JSON.stringify({ display_name: `Beside ${i}`, phone_numbers: [{ number: `+1 651 4${String(i).padStart(6, '0')}` }] });
        statuses.push((await http(beside.base, api.keys.write, 'POST', '/v1/contacts', body, 'application/json')).status);
      }
      beside.child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0);
      assert.ok(statuses.length >= 5, `writes made while importing: ${statuses.length}`);
      assert.deepEqual([...new Set(statuses)], [201], 'every write beside the import succeeded');
      assert.equal(JSON.parse(stdout.trim().split('\n').pop()!).created, 20_000);
    });

    test('contactd import of a missing file or a folder: one plain line on stderr, exit 2, no job', async () => {
      for (const [file, said] of [[join(dir, 'absent.csv'), /cannot read .*absent\.csv: there is no such file/], [dir, /is not a file/]] as const) {
        const child = spawn(process.execPath, ['bin/contactd.js', 'import', file, '--account', api.accountId], { cwd: ROOT, env: contactdEnv(settings), stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const [code] = await once(child, 'exit');
        assert.equal(code, 2, stderr);
        assert.match(stderr, said);
        assert.equal(stderr.trim().split('\n').length, 1, stderr);
      }
    });

    test('contactd import FILE: the job in-process, one JSON line per 10 % off a terminal, then the summary and the refused rows as CSV', async () => {
      const file = join(dir, 'people.csv');
      writeFileSync(file, csvOf(200, 'cli', 2_000_000).replace('cli-5,First5,Last5,+1 651 200 0005', 'cli-5,First5,Last5,not a number'));
      const mapping = join(dir, 'mapping.json');
      writeFileSync(mapping, JSON.stringify(MAPPING));
      const errors = join(dir, 'refused.csv');
      const child = spawn(process.execPath, ['bin/contactd.js', 'import', file, '--account', api.accountId, '--mapping', mapping, '--errors', errors], { cwd: ROOT, env: contactdEnv(settings), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, stderr);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
      const summary = lines.pop();
      assert.deepEqual([summary.status, summary.processed, summary.created, summary.failed], ['completed', 200, 199, 1]);
      assert.equal(summary.errors_url, `/v1/imports/${summary.id}/errors`);
      assert.equal(summary.errors_file, errors);
      assert.deepEqual(lines.map((l) => l.progress), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], 'a line for each tenth, however late the total is known');
      const { readFileSync } = await import('node:fs');
      assert.deepEqual(readFileSync(errors, 'utf8').trim().split('\n'), ['Customer No,First Name,Last Name,Mobile Phone,error', 'cli-5,First5,Last5,not a number,"Mobile Phone: ""not a number"" is not a phone number"']);
      const job = await api.call('GET', `/v1/imports/${summary.id}`);
      assert.equal(job.body.status, 'completed');
      const history = await api.db.handle.db.selectFrom('changes').select(['key_id', 'surface']).where('account_id', '=', api.accountId).where('type', '=', 'import.completed').where('object_id', '=', summary.id).executeTakeFirstOrThrow();
      assert.deepEqual([history.key_id, history.surface], [null, 'import']);
    });
  });
}
