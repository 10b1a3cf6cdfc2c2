/**
 * The real `contactd` command as a child process: accounts and keys, migrate, and `serve` as a
 * server that keeps every answered write across `kill -9` and exits 0 on SIGTERM after finishing
 * the request in flight. Runs on SQLite (a temp file) and, when TEST_DATABASE_URL is set, on a
 * throw-away PostgreSQL database created for this file and dropped after it (the CLI migrates the
 * database it is given, so it must not touch the shared test database's public schema).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import pg from 'pg';
import { buildApp, type App } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { openStore } from '../../src/runtime.ts';
import type { DatabaseHandle } from '../../src/store/engine.ts';
import { uniquePhone } from '../support/api.ts';
import { ROOT, contactdEnv, startContactd, type ServedProcess } from '../support/contactd-process.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CLI_TIMEOUT_MS = 60_000;

/** Every child this file starts; whatever is still running when a suite ends is killed. */
const children = new Set<ChildProcess>();
function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}


interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/contactd.js ...args` in the project folder and collects its output. */
async function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, ['bin/contactd.js', ...args], { cwd: ROOT, env: contactdEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  children.delete(child);
  return { code, signal, stdout, stderr };
}

/** Runs the CLI and expects success with exactly one JSON object on stdout. */
async function cliJson(args: string[], env: Record<string, string>): Promise<any> {
  const res = await runCli(args, env);
  assert.equal(res.code, 0, `contactd ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
  const lines = res.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one line of output: ${res.stdout}`);
  const value = JSON.parse(lines[0]!);
  assert.equal(typeof value, 'object');
  assert.ok(value !== null && !Array.isArray(value), 'a JSON object');
  return value;
}

/** Runs the CLI and expects failure: non-zero exit, a message on stderr, nothing on stdout. */
async function cliFails(args: string[], env: Record<string, string>, message?: RegExp): Promise<CliResult> {
  const res = await runCli(args, env);
  assert.notEqual(res.code, 0, `contactd ${args.join(' ')} should fail; stdout: ${res.stdout}`);
  assert.equal(res.signal, null);
  assert.equal(res.stdout, '', `nothing on stdout for contactd ${args.join(' ')}`);
  assert.ok(res.stderr.trim().length > 0, `a message on stderr for contactd ${args.join(' ')}`);
  if (message) assert.match(res.stderr, message);
  return res;
}


/** Starts `contactd serve` on this database; the child is killed with the others when the suite ends. */
async function startServer(databaseUrl: string): Promise<ServedProcess> {
  const server = await startContactd({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
  children.add(server.child);
  return server;
}

/** Waits for a child to exit, at most `ms`; returns its exit code and signal. */
async function exitOf(child: ChildProcess, ms = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  children.delete(child);
  return { code, signal };
}

async function http(base: string, method: string, path: string, key: string | null, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

/** A fresh database for one suite: a temp SQLite file, or a PostgreSQL database made for it. */
interface Backend {
  name: string;
  create(): Promise<{ databaseUrl: string; drop(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'contactd-cli-'));
      return { databaseUrl: `sqlite:${join(dir, 'c.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: 'postgres',
          async create() {
            const adminUrl = process.env.TEST_DATABASE_URL!;
            const name = `contactd_cli_${randomBytes(6).toString('hex')}`;
            const admin = new pg.Client({ connectionString: adminUrl });
            await admin.connect();
            await admin.query(`create database ${name}`);
            await admin.end();
            const url = new URL(adminUrl);
            url.pathname = `/${name}`;
            return {
              databaseUrl: url.toString(),
              async drop() {
                const cleanup = new pg.Client({ connectionString: adminUrl });
                await cleanup.connect();
                await cleanup.query(`drop database if exists ${name} with (force)`);
                await cleanup.end();
              },
            };
          },
        } satisfies Backend,
      ]
    : []),
];

for (const backend of backends) {
  describe(`contactd CLI on ${backend.name}`, () => {
    let databaseUrl: string;
    let drop: () => Promise<void>;
    let env: Record<string, string>;
    /** An in-process app on the same database as the CLI, opened on first use. */
    let shared: { app: App; handle: DatabaseHandle } | null = null;

    before(async () => {
      ({ databaseUrl, drop } = await backend.create());
      env = { DATABASE_URL: databaseUrl };
    });
    afterEach(() => killAll());
    after(async () => {
      killAll();
      if (shared) {
        await shared.app.close();
        await shared.handle.close();
      }
      await drop();
    });

    async function appOnSameDatabase(): Promise<App> {
      if (!shared) {
        const config = readConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
        const { store, handle } = await openStore(config);
        const app = await buildApp(config, { store, logger: false });
        await app.ready();
        shared = { app, handle };
      }
      return shared.app;
    }

    async function call(method: 'GET' | 'POST', url: string, key: string, body?: unknown) {
      const app = await appOnSameDatabase();
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: res.statusCode, body: res.body ? res.json() : undefined };
    }

    test('migrate prints one JSON object; a second run applies nothing', async () => {
      const first = await cliJson(['migrate'], env);
      assert.ok(Array.isArray(first.applied), JSON.stringify(first));
      const second = await cliJson(['migrate'], env);
      assert.deepEqual(second.applied, []);
    });

    test('account create prints {account_id, api_key}; the admin key works against an app on the same database', async () => {
      const created = await cliJson(['account', 'create', '--name', 'Acme Support'], env);
      assert.match(created.account_id, UUID);
      assert.equal(typeof created.api_key, 'string');
      assert.ok(created.api_key.length >= 20);

      const books = await call('GET', '/v1/address-books', created.api_key);
      assert.equal(books.status, 200);
      assert.equal(books.body.data.length, 1, 'a new account has its default book');
      const contact = await call('POST', '/v1/contacts', created.api_key, { display_name: 'From CLI key' });
      assert.equal(contact.status, 201);
      assert.equal(contact.body.account_id, created.account_id);
      const agent = await call('POST', '/v1/contacts', created.api_key, { type: 'user', display_name: 'Agent' });
      assert.equal(agent.status, 201, 'the account key is an admin key');

      const other = await cliJson(['account', 'create', '--name', 'Acme Support'], env);
      assert.notEqual(other.account_id, created.account_id);
      assert.notEqual(other.api_key, created.api_key);
    });

    test('the CLI key works against a real server started with `contactd serve`', async () => {
      const created = await cliJson(['account', 'create', '--name', 'Served'], env);
      const server = await startServer(databaseUrl);
      const res = await http(server.base, 'POST', '/v1/contacts', created.api_key, { display_name: 'Over HTTP' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal((await http(server.base, 'GET', `/v1/contacts/${res.body.id}`, created.api_key)).status, 200);
      assert.equal((await http(server.base, 'GET', '/v1/address-books', null)).status, 401);
      server.child.kill('SIGKILL');
      await exitOf(server.child);
    });

    test('key create --scopes prints {key_id, api_key}; the key holds exactly those scopes', async () => {
      const account = await cliJson(['account', 'create', '--name', 'Scoped'], env);
      const reader = await cliJson(['key', 'create', '--account', account.account_id, '--scopes', 'contacts:read'], env);
      assert.match(reader.key_id, UUID);
      assert.equal(typeof reader.api_key, 'string');
      assert.equal((await call('GET', '/v1/contacts', reader.api_key)).status, 200);
      const refused = await call('POST', '/v1/contacts', reader.api_key, { display_name: 'Nope' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, 'forbidden');

      const writer = await cliJson(['key', 'create', '--account', account.account_id, '--scopes', 'contacts:read,contacts:write'], env);
      assert.equal((await call('POST', '/v1/contacts', writer.api_key, { display_name: 'Written' })).status, 201);
      assert.equal((await call('POST', '/v1/contacts', writer.api_key, { type: 'queue', display_name: 'Queue' })).status, 403, 'write is not admin');

      const admin = await cliJson(['key', 'create', '--account', account.account_id, '--scopes', 'admin'], env);
      assert.equal((await call('POST', '/v1/contacts', admin.api_key, { type: 'queue', display_name: 'Queue' })).status, 201);
      assert.equal((await call('GET', '/v1/contacts', admin.api_key)).status, 200, 'admin implies read');
    });

    test('key list shows every key of the account and never a secret', async () => {
      const account = await cliJson(['account', 'create', '--name', 'Listed'], env);
      const reader = await cliJson(['key', 'create', '--account', account.account_id, '--scopes', 'contacts:read'], env);
      const listing = await runCli(['key', 'list', '--account', account.account_id], env);
      assert.equal(listing.code, 0, listing.stderr);
      const listed = JSON.parse(listing.stdout);
      const keys = listed.keys ?? listed.data;
      assert.ok(Array.isArray(keys), listing.stdout);
      assert.equal(keys.length, 2, 'the admin key and the read key');
      const ids = keys.map((k: { key_id?: string; id?: string }) => k.key_id ?? k.id);
      assert.ok(ids.includes(reader.key_id));
      for (const secret of [account.api_key, reader.api_key]) {
        assert.ok(!listing.stdout.includes(secret), 'no api key in the listing');
        assert.ok(!listing.stdout.includes(secret.slice(-16)), 'no part of an api key in the listing');
        assert.ok(!listing.stdout.includes(createHash('sha256').update(secret).digest('hex')), 'no key hash in the listing');
      }
      assert.ok(!/api_key"|secret/i.test(listing.stdout), `no secret-like field: ${listing.stdout}`);
      const readerEntry = keys.find((k: { key_id?: string; id?: string }) => (k.key_id ?? k.id) === reader.key_id);
      assert.deepEqual(readerEntry.scopes, ['contacts:read']);
      assert.equal(readerEntry.revoked_at ?? null, null);
    });

    test('key revoke KEY_ID: the key answers 401 from then on, and the listing shows it revoked', async () => {
      const account = await cliJson(['account', 'create', '--name', 'Revoking'], env);
      const key = await cliJson(['key', 'create', '--account', account.account_id, '--scopes', 'contacts:read,contacts:write'], env);
      assert.equal((await call('GET', '/v1/contacts', key.api_key)).status, 200);

      const revoked = await cliJson(['key', 'revoke', key.key_id], env);
      assert.equal(revoked.key_id, key.key_id);
      const after = await call('GET', '/v1/contacts', key.api_key);
      assert.equal(after.status, 401);
      assert.equal(after.body.code, 'unauthorized');
      assert.equal((await call('GET', '/v1/contacts', account.api_key)).status, 200, 'other keys of the account still work');

      const listed = await cliJson(['key', 'list', '--account', account.account_id], env);
      const entry = (listed.keys ?? listed.data).find((k: { key_id?: string; id?: string }) => (k.key_id ?? k.id) === key.key_id);
      assert.ok(entry.revoked_at, 'revoked_at is set');
      const again = await runCli(['key', 'revoke', key.key_id], env);
      assert.equal(again.code, 0, `revoking twice is harmless: ${again.stderr}`);
      assert.equal((await call('GET', '/v1/contacts', key.api_key)).status, 401);
    });

    test('batch stop --account ID JOB_ID: an unfinished job is stopped (8x8 reads "stopped"); an unknown job or no --account fails', async () => {
      const account = await cliJson(['account', 'create', '--name', 'Batches'], env);
      await appOnSameDatabase();
      const { store, handle } = await openStore(readConfig({ DATABASE_URL: databaseUrl }));
      const now = new Date().toISOString();
      const job = await store.transaction((tx) => tx.batchJobs.insert({
        id: randomUUID(), account_id: account.account_id, key_id: account.key_id, scopes: ['admin'], surface: '8x8', kind: 'delete_contacts', status: 'in_progress',
        payload: { items: [{ seq: 1 }, { seq: 2 }] }, total: 2, processed: 0, succeeded: 0, merged: 0, failed: 0,
        owner: 'a-node-elsewhere', heartbeat_at: now, progressed_at: now, error: null, created_at: now, updated_at: now, finished_at: null,
      }));
      await handle.close();
      assert.deepEqual(await cliJson(['batch', 'stop', '--account', account.account_id, job.id], env), { job_id: job.id, status: 'stopped', processed: 0, total: 2 });
      const read = await call('GET', `/8x8/api/v1/accounts/${account.account_id}/batches/${job.id}`, account.api_key);
      assert.deepEqual([read.status, read.body.status], [200, 'stopped']);
      await Promise.all([
        cliFails(['batch', 'stop', '--account', account.account_id, randomUUID()], env, /batch job/),
        cliFails(['batch', 'stop', job.id], env, /account/),
      ]);
    });

    test('bad input fails with a non-zero exit, a message on stderr and nothing on stdout', async () => {
      const account = await cliJson(['account', 'create', '--name', 'Errors'], env);
      // Independent failures, run side by side to keep the suite quick.
      await Promise.all([
        cliFails(['key', 'create', '--account', account.account_id, '--scopes', 'contacts:delete'], env, /scope/i),
        cliFails(['key', 'create', '--account', account.account_id, '--scopes', 'contacts:read,everything'], env, /scope/i),
        cliFails(['key', 'create', '--account', account.account_id, '--scopes', ''], env),
        cliFails(['key', 'create', '--account', account.account_id], env),
        cliFails(['key', 'create', '--account', randomUUID(), '--scopes', 'contacts:read'], env, /account/i),
        cliFails(['key', 'create', '--account', 'not-a-uuid', '--scopes', 'contacts:read'], env, /account/i),
        cliFails(['key', 'list', '--account', randomUUID()], env, /account/i),
        cliFails(['key', 'revoke', randomUUID()], env, /key/i),
        cliFails(['account', 'create'], env, /name/i),
        cliFails(['no-such-command'], env),
        cliFails(['migrate'], { DATABASE_URL: 'mysql://nowhere' }, /DATABASE_URL/),
      ]);
      const listed = await cliJson(['key', 'list', '--account', account.account_id], env);
      assert.equal((listed.keys ?? listed.data).length, 1, 'no key was created by the failed commands');
    });

    test('every write answered 2xx survives kill -9 of the server and a restart', async () => {
      const account = await cliJson(['account', 'create', '--name', 'Durable'], env);
      const key = account.api_key;
      let server = await startServer(databaseUrl);
      const written: Array<{ id: string; body: unknown }> = [];
      const phones = Array.from({ length: 5 }, () => uniquePhone());
      const book = await http(server.base, 'POST', '/v1/address-books', key, { name: 'Durable book', duplicate_policy: 'reject' });
      assert.equal(book.status, 201);
      for (let i = 0; i < 5; i++) {
        const res = await http(server.base, 'POST', '/v1/contacts', key, { address_book_id: book.body.id, display_name: `Durable ${i}`, phone_numbers: [{ number: phones[i]! }] });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        written.push({ id: res.body.id, body: res.body });
      }
      const patched = await http(server.base, 'PATCH', `/v1/contacts/${written[0]!.id}`, key, { company: 'Patched before the kill' });
      assert.equal(patched.status, 200);
      written[0]!.body = patched.body;
      const batch = await http(server.base, 'POST', '/v1/contacts/batch', key, { contacts: Array.from({ length: 20 }, (_, i) => ({ display_name: `Batch ${i}` })) });
      assert.equal(batch.status, 200);
      for (const r of batch.body.results) {
        assert.equal(r.status, 201);
        written.push({ id: r.contact.id, body: r.contact });
      }

      server.child.kill('SIGKILL');
      const killed = await exitOf(server.child);
      assert.equal(killed.signal, 'SIGKILL');

      server = await startServer(databaseUrl);
      for (const { id, body } of written) {
        const res = await http(server.base, 'GET', `/v1/contacts/${id}`, key);
        assert.equal(res.status, 200, `contact ${id} survived`);
        assert.deepEqual(res.body, body);
      }
      const list = await http(server.base, 'GET', '/v1/contacts?limit=500', key);
      assert.equal(list.body.data.length, written.length);
      const lookup = await http(server.base, 'GET', `/v1/lookup?phone=${encodeURIComponent(phones[3]!)}`, key);
      assert.equal(lookup.body.matches.length, 1, 'the lookup index survived too');
      const dup = await http(server.base, 'POST', '/v1/contacts', key, { address_book_id: book.body.id, display_name: 'Dup', phone_numbers: [{ number: phones[1]! }] });
      assert.equal(dup.status, 409, 'the book and its policy survived');
      server.child.kill('SIGKILL');
      await exitOf(server.child);
    });

    test('on SIGTERM the server finishes the request in flight, then exits 0', async () => {
      const account = await cliJson(['account', 'create', '--name', 'Graceful'], env);
      const server = await startServer(databaseUrl);

      // Send the headers and half the body, so the request is in flight when SIGTERM comes.
      const body = JSON.stringify({ display_name: 'In flight', company: 'Finished after SIGTERM' });
      const socket = connect(server.port, '127.0.0.1');
      await once(socket, 'connect');
      let response = '';
      socket.setEncoding('utf8').on('data', (d: string) => (response += d));
      socket.write(
        `POST /v1/contacts HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${account.api_key}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n` +
          body.slice(0, 10),
      );
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(server.child.exitCode, null);
      server.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      socket.write(body.slice(10));
      await once(socket, 'close');

      const exit = await exitOf(server.child);
      assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM; output: ${server.output()}`);
      assert.match(response, /^HTTP\/1\.1 201 /, `the in-flight request was answered: ${response.slice(0, 200)}`);
      const id = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)).id as string;

      const check = await call('GET', `/v1/contacts/${id}`, account.api_key);
      assert.equal(check.status, 200, 'the in-flight write was kept');
      assert.equal(check.body.company, 'Finished after SIGTERM');
    });

    test('an idle server exits 0 on SIGTERM promptly', async () => {
      const server = await startServer(databaseUrl);
      const started = Date.now();
      server.child.kill('SIGTERM');
      const exit = await exitOf(server.child);
      assert.deepEqual(exit, { code: 0, signal: null }, server.output());
      assert.ok(Date.now() - started < 10_000, 'exits within 10 s');
    });
  });
}
