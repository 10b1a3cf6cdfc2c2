/**
 * Issue 10 §2: "A consumer that follows `next_cursor` sees every change exactly once and in
 * commit order. That must hold while writers on several nodes commit concurrently ... Test it with
 * concurrent writers on two nodes." Two app nodes, each with its own connection pool, on one
 * PostgreSQL schema; writers on both create, patch, delete and batch-create while a reader follows
 * the feed with a small page the whole time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp, type App } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { openStore } from '../../src/runtime.ts';
import type { DatabaseHandle } from '../../src/store/engine.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

const WRITERS_PER_NODE = 8;
const WRITES_PER_WRITER = 50;

type Call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => Promise<{ status: number; body: any }>;

function caller(app: App, key: string): Call {
  return async (method, url, body) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
}

/**
 * One writer: a stream of writes, each awaited; every answered write adds the changes it must
 * have made (`type id`) to `expected`. Its own contacts are the only ones it patches or deletes.
 */
async function writer(call: Call, name: string, expected: string[]): Promise<void> {
  const live: string[] = [];
  for (let i = 0; i < WRITES_PER_WRITER; i++) {
    const pick = live.length === 0 ? 0 : i % 5;
    if (pick === 0 || pick === 1) {
      const res = await call('POST', '/v1/contacts', { display_name: `${name} ${i}`, phone_numbers: [{ number: uniquePhone() }] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      live.push(res.body.id);
      expected.push(`contact.created ${res.body.id}`);
    } else if (pick === 2) {
      const id = live[i % live.length]!;
      const res = await call('PATCH', `/v1/contacts/${id}`, { company: `${name} co ${i}` });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      expected.push(`contact.updated ${id}`);
    } else if (pick === 3) {
      const id = live.pop()!;
      assert.equal((await call('DELETE', `/v1/contacts/${id}`)).status, 204);
      expected.push(`contact.deleted ${id}`);
    } else {
      const res = await call('POST', '/v1/contacts/batch', { contacts: [1, 2, 3].map((n) => ({ display_name: `${name} ${i}.${n}` })) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      for (const result of res.body.results) {
        assert.equal(result.status, 201, JSON.stringify(result));
        live.push(result.contact.id);
        expected.push(`contact.created ${result.contact.id}`);
      }
    }
  }
}

for (const engine of engines) {
  const skip = engine.name !== 'postgres' && 'two nodes share one database only on PostgreSQL (SQLite is one process\'s file): this runs when TEST_DATABASE_URL is set';
  describe(`change feed under concurrent writers on two nodes (${engine.name})`, { skip }, () => {
    let api: TestApi;
    let second: { app: App; handle: DatabaseHandle };

    before(async () => {
      api = await startApi(engine);
      const config = readConfig({ DATABASE_URL: api.db.databaseUrl, LOG_LEVEL: 'silent', RATE_LIMIT_PER_SECOND: '0' });
      const { store, handle } = await openStore(config, { searchPath: api.db.searchPath! });
      const app = await buildApp(config, { store, logger: false });
      await app.ready();
      second = { app, handle };
    });
    after(async () => {
      await second?.app.close();
      await second?.handle.close();
      await api?.close();
    });

    test(`${2 * WRITERS_PER_NODE} writers × ${WRITES_PER_WRITER} writes on two nodes: a reader following next_cursor sees every change once, in order, and each is a write made`, async () => {
      const nodes = [caller(api.app, api.keys.write), caller(second.app, api.keys.write)];
      const reader = caller(second.app, api.keys.read);
      const expected: string[] = [];
      const seen: { position: number; change: string }[] = [];
      let cursor = (await reader('GET', '/v1/changes?after=0&limit=1000')).body.next_cursor;
      // The cursor is opaque; the changes before it (the fixtures') are the counter's value now.
      const start = await api.db.store.changes.lastPosition(api.accountId);

      const poll = async (): Promise<boolean> => {
        const res = await reader('GET', `/v1/changes?after=${cursor}&limit=7`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        for (const c of res.body.data) seen.push({ position: c.position, change: `${c.type} ${c.object_id}` });
        cursor = res.body.next_cursor;
        return res.body.has_more;
      };
      let writing = true;
      const reading = (async () => {
        while (writing) if (!(await poll())) await new Promise((resolve) => setImmediate(resolve));
      })();
      const writers = nodes.flatMap((call, node) => Array.from({ length: WRITERS_PER_NODE }, (_, w) => writer(call, `n${node}w${w}`, expected)));
      try {
        await Promise.all(writers);
      } finally {
        writing = false;
        await reading;
      }
      while (await poll());

      const positions = seen.map((s) => s.position);
      assert.equal(new Set(positions).size, positions.length, 'no change seen twice');
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'positions in increasing order');
      // PostgreSQL's positions have gaps (a sequence shared by accounts): the reader must have seen
      // exactly the positions the table holds, none skipped.
      const stored = await sql<{ position: string }>`select position from changes where account_id = ${api.accountId} and position > ${start} order by position`.execute(api.db.handle.db);
      assert.deepEqual(positions, stored.rows.map((r) => Number(r.position)), 'every stored change seen, none skipped');
      assert.deepEqual(seen.map((s) => s.change).sort(), [...expected].sort(), 'the changes seen are the writes made, one each');
      assert.ok(seen.length >= 2 * WRITERS_PER_NODE * WRITES_PER_WRITER);

      // One journal row per acknowledged write (no row from a write that was not answered), and the feed's end is past them all.
      assert.equal(stored.rows.length, expected.length);
      assert.ok((await api.db.store.changes.lastPosition(api.accountId)) >= positions[positions.length - 1]!);
    });
  });
}
