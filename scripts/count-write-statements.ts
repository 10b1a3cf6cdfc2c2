// Counts the SQL statements a few contact writes send, on SQLite and (with TEST_DATABASE_URL) on
// PostgreSQL: a check of issue 14's hot paths by what the database is asked, not by timing.
//   node --import tsx scripts/count-write-statements.ts
// Each write is sent through the HTTP API (app.inject) against a real, private database whose
// Kysely instance logs every statement (transaction steps included).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { applySqlitePragmas, type DatabaseHandle, type EngineName } from '../src/store/engine.ts';
import { KyselyStore } from '../src/store/kysely-store.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { postgresSnapshots, sqliteSnapshots } from '../src/store/snapshot.ts';
import { FastSqliteDialect } from '../src/store/sqlite-driver.ts';
import type { Database } from '../src/store/tables.ts';
import { createPrivateSchema, type TestEngine } from '../test/support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../test/support/api.ts';

let statements: string[] = [];
const log = (event: LogEvent) => {
  statements.push(event.query.sql);
};

function countingEngine(name: EngineName): TestEngine {
  return {
    name,
    async open() {
      if (name === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'contactd-count-'));
        const path = join(dir, 'contactd.db');
        const database = new SqliteDatabase(path);
        applySqlitePragmas(database);
        const db = new Kysely<Database>({ dialect: new FastSqliteDialect(database), log });
        return opened({ db, engine: name, openSnapshot: sqliteSnapshots(path), close: () => db.destroy() }, `sqlite:${path}`, async () => rmSync(dir, { recursive: true, force: true }));
      }
      const url = process.env.TEST_DATABASE_URL!;
      const { schema, drop } = await createPrivateSchema(url, 'count');
      pg.types.setTypeParser(20, Number);
      const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}` });
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
      return opened({ db, engine: name, openSnapshot: postgresSnapshots(db), close: () => db.destroy() }, url, drop, schema);
    },
  };
}

async function opened(handle: DatabaseHandle, databaseUrl: string, cleanUp: () => Promise<void>, searchPath?: string) {
  await migrateToLatest(handle);
  const store = new KyselyStore(handle.db, handle.engine, { snapshots: handle.openSnapshot });
  return {
    store,
    handle,
    databaseUrl,
    ...(searchPath ? { searchPath } : {}),
    async close() {
      await handle.close();
      await cleanUp();
    },
  };
}

/** The statements one request sends, by kind ("update contacts", "delete contact_terms", ...). */
async function measure(api: TestApi, label: string, send: () => Promise<{ status: number }>) {
  statements = [];
  const { status } = await send();
  if (status >= 300) throw new Error(`${label}: HTTP ${status}`);
  // The key's look-up is left out: a server keeps authenticated keys in process (cacheKeys).
  statements = statements.filter((text) => !/from "api_keys"/.test(text));
  const kinds = new Map<string, number>();
  for (const text of statements) {
    const verb = text.trim().split(/\s+/)[0]!.toLowerCase();
    const table = /(?:from|into|update)\s+"?([a-z_]+)"?/i.exec(text)?.[1] ?? '';
    const kind = `${verb} ${table}`.trim();
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const detail = [...kinds].map(([kind, n]) => `${kind}${n > 1 ? ` x${n}` : ''}`).join(', ');
  console.log(`  ${label.padEnd(46)} ${String(statements.length).padStart(3)}  ${detail}`);
  return statements.length;
}

const engineNames: EngineName[] = ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres' as const] : [])];
for (const name of engineNames) {
  console.log(`${name}:`);
  const api = await startApi(countingEngine(name));
  try {
    const group = (await api.call('POST', '/v1/groups', { name: 'Counted' })).body.id as string;
    const other = (await api.call('POST', '/v1/groups', { name: 'Other' })).body.id as string;
    const create = () =>
      api.createContact({ first_name: 'Ada', last_name: 'Lovelace', company: 'Analytical Engines', phone_numbers: [{ number: uniquePhone() }, { number: uniquePhone() }], emails: [{ address: `${Math.random()}@count.test` }], group_ids: [other] });
    const contact = await create();
    // The bench's create: a name, one mobile number and one email, in the default book.
    await measure(api, 'POST /v1/contacts (as the bench sends it)', () =>
      api.call('POST', '/v1/contacts', { first_name: 'Load', last_name: 'Test', phone_numbers: [{ number: uniquePhone(), type: 'mobile' }], emails: [{ address: `${Math.random()}@count.test` }] }),
    );
    await measure(api, 'PUT /v1/groups/:id/members/:contactId', () => api.call('PUT', `/v1/groups/${group}/members/${contact.id}`));
    await measure(api, 'DELETE /v1/groups/:id/members/:contactId', () => api.call('DELETE', `/v1/groups/${group}/members/${contact.id}`));
    await measure(api, 'PATCH display_name', () => api.call('PATCH', `/v1/contacts/${contact.id}`, { display_name: 'Countess of Lovelace' }));
    await measure(api, 'PATCH one phone (of two)', () =>
      api.call('PATCH', `/v1/contacts/${contact.id}`, { phone_numbers: [{ number: contact.phone_numbers[0].number }, { number: uniquePhone() }] }),
    );
    await measure(api, 'PATCH role (no indexed field)', () => api.call('PATCH', `/v1/contacts/${contact.id}`, { role: 'counted' }));
    const many: string[] = [];
    for (let i = 0; i < 10; i++) many.push((await create()).id);
    const bulk = await measure(api, 'POST /v1/contacts/bulk add_to_group (10 ids)', () => api.call('POST', '/v1/contacts/bulk', { action: 'add_to_group', group_id: group, ids: many }));
    console.log(`  ${'  per contact'.padEnd(46)} ${(bulk / 10).toFixed(1).padStart(5)}`);
  } finally {
    await api.close();
  }
}
