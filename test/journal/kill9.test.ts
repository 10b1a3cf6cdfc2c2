/**
 * Issue 10 §1: "No write without its change and no change without its write; that must hold under
 * `kill -9`." A `contactd serve` child takes a stream of creates, patches and batches from several
 * writers and is killed with SIGKILL mid-stream; restarted on the same database, the journal and
 * the contacts must agree, and every write answered before the kill must be in both.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { startContactd, type ServedProcess } from '../support/contactd-process.ts';

const WRITERS = 6;
/** Answered writes before the kill: enough that several are in flight when it comes. */
const KILL_AFTER = 60;

async function http(base: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** What the writers were told succeeded: contacts created, and the company each answered patch set. */
interface Acknowledged {
  created: Set<string>;
  patches: { id: string; company: string }[];
  answered: number;
}

/** Writes until the server stops answering; only 2xx answers are counted as acknowledged. */
async function writeUntilKilled(base: string, key: string, name: string, acked: Acknowledged): Promise<void> {
  const mine: string[] = [];
  for (let i = 0; ; i++) {
    try {
      const pick = mine.length === 0 ? 0 : i % 5;
      if (pick <= 1) {
        const res = await http(base, key, 'POST', '/v1/contacts', { display_name: `${name} ${i}`, phone_numbers: [{ number: uniquePhone() }] });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        mine.push(res.body.id);
        acked.created.add(res.body.id);
      } else if (pick <= 3) {
        const id = mine[i % mine.length]!;
        const company = `${name} co ${i}`;
        const res = await http(base, key, 'PATCH', `/v1/contacts/${id}`, { company });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        acked.patches.push({ id, company });
      } else {
        const res = await http(base, key, 'POST', '/v1/contacts/batch', { contacts: [1, 2, 3].map((n) => ({ display_name: `${name} ${i}.${n}` })) });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        for (const r of res.body.results) {
          mine.push(r.contact.id);
          acked.created.add(r.contact.id);
        }
      }
      acked.answered++;
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      return; // the connection went with the server
    }
  }
}

for (const engine of engines) {
  describe(`change journal under kill -9 on ${engine.name}`, () => {
    let api: TestApi;
    let server: ServedProcess | undefined;
    let settings: Record<string, string>;

    before(async () => {
      api = await startApi(engine);
      settings = { DATABASE_URL: api.db.databaseUrl, LOG_LEVEL: 'error', ...(api.db.searchPath ? { PGOPTIONS: `-c search_path=${api.db.searchPath}` } : {}) };
    });
    after(async () => {
      if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await api?.close();
    });

    test('killed mid-stream and restarted: every contact has its created change, every live one matches its latest change, no gap, nothing answered is lost', async () => {
      server = await startContactd(settings);
      const acked: Acknowledged = { created: new Set(), patches: [], answered: 0 };
      const writers = Array.from({ length: WRITERS }, (_, w) => writeUntilKilled(server!.base, api.keys.write, `w${w}`, acked));
      while (acked.answered < KILL_AFTER) await new Promise((resolve) => setTimeout(resolve, 5));
      const exited = once(server.child, 'exit');
      server.child.kill('SIGKILL');
      await exited;
      await Promise.all(writers);

      server = await startContactd(settings);
      const base = server.base;
      const call = (path: string) => http(base, api.keys.admin, 'GET', path);

      // The whole feed, through the restarted server.
      const changes: any[] = [];
      for (let cursor = '0'; ;) {
        const page = await call(`/v1/changes?after=${cursor}&limit=500`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        changes.push(...page.body.data);
        cursor = page.body.next_cursor;
        if (!page.body.has_more) break;
      }
      const positions = changes.map((c) => c.position);
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'positions in increasing order');
      const storedChanges = await api.db.handle.db.selectFrom('changes').select('position').where('account_id', '=', api.accountId).orderBy('position').execute();
      assert.deepEqual(positions, storedChanges.map((r) => Number(r.position)), 'the feed shows every stored change, none skipped');
      // SQLite numbers an account's changes 1..N; PostgreSQL's sequence leaves gaps.
      if (engine.name === 'sqlite') assert.deepEqual(positions, Array.from({ length: positions.length }, (_, i) => i + 1), 'positions 1..N on SQLite');
      const contactChanges = changes.filter((c) => c.object_type === 'contact');
      const createdIds = new Set(contactChanges.filter((c) => c.type === 'contact.created').map((c) => c.object_id));

      // Every contact of the account (any status) has its created change, and every created change its contact.
      const stored = await api.db.handle.db.selectFrom('contacts').select(['id', 'status']).where('account_id', '=', api.accountId).execute();
      assert.ok(acked.created.size > 0 && stored.length >= acked.created.size, `${stored.length} contacts stored, ${acked.created.size} creates answered`);
      for (const { id } of stored) assert.ok(createdIds.has(id), `contact ${id} has no contact.created change`);
      assert.equal(createdIds.size, stored.length, 'no created change without its contact');

      // Every live contact is what its latest change says it is.
      const latest = new Map<string, any>();
      for (const c of contactChanges) latest.set(c.object_id, c);
      for (const { id, status } of stored.filter((s) => s.status === 'active')) {
        const read = await call(`/v1/contacts/${id}`);
        assert.equal(read.status, 200);
        assert.deepEqual(latest.get(id).snapshot, read.body, `contact ${id} and its latest change's snapshot (${status})`);
      }

      // Nothing that was answered is missing.
      for (const id of acked.created) assert.ok(createdIds.has(id), `answered create ${id} is not in the journal`);
      for (const { id, company } of acked.patches) {
        assert.ok(contactChanges.some((c) => c.type === 'contact.updated' && c.object_id === id && c.fields.company?.after === company), `answered patch of ${id} to ${company} is not in the journal`);
      }
      server.child.kill('SIGKILL');
    });
  });
}
