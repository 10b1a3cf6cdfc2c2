// The bulk-load ceiling: the same contact rows and index rows that contactd writes, inserted with
import { readFileSync } from 'node:fs';
// raw better-sqlite3 prepared statements (or PostgreSQL COPY) into the same schema and indexes.
// Rows are prepared outside the timed region, in chunks, so memory stays flat.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { indexEntriesOf } from '../../src/core/contacts/contact-index.ts';
import { buildContactState } from '../../src/core/contacts/contact-state.ts';
import { createServices } from '../../src/core/services.ts';
import { openStore } from '../../src/runtime.ts';
import { applySqlitePragmas } from '../../src/store/engine.ts';
import { benchContact } from './data.ts';

export interface RawInput {
  databaseUrl: string;
  count: number;
  chunk: number;
}

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as RawInput;
const { store, handle } = await openStore({ databaseUrl: input.databaseUrl });
const { account } = await createServices(store, { defaultRegion: 'US' }).accounts.createAccount('raw ceiling');
const book = (await store.addressBooks.findDefault(account.id))!;
await handle.close();

const COLUMNS = ['seq', 'id', 'account_id', 'address_book_id', 'type', 'status', 'merged_into', 'display_name', 'first_name', 'last_name', 'salutation', 'company', 'role', 'location', 'timezone', 'account_number', 'external_id', 'country', 'user_name', 'employee_id', 'phone_numbers', 'emails', 'messaging', 'custom_fields', 'group_ids', 'version', 'created_at', 'updated_at'] as const;
type Row = Record<(typeof COLUMNS)[number], string | number | null>;

function prepareChunk(start: number, end: number) {
  const rows: { contact: Row; addresses: { kind: string; value: string }[]; terms: string[] }[] = [];
  const now = new Date().toISOString();
  for (let i = start; i < end; i++) {
    const state = buildContactState({ ...benchContact(i), address_book_id: book.id }, { region: 'US', customFields: new Map() });
    const contact = { ...state, status: 'active' as const };
    const index = indexEntriesOf(contact);
    rows.push({
      contact: {
        ...state,
        seq: i + 1,
        id: crypto.randomUUID(),
        account_id: account.id,
        status: 'active',
        merged_into: null,
        phone_numbers: JSON.stringify(state.phone_numbers),
        emails: JSON.stringify(state.emails),
        messaging: JSON.stringify(state.messaging),
        custom_fields: JSON.stringify(state.custom_fields),
        group_ids: JSON.stringify(state.group_ids),
        version: 1,
        created_at: now,
        updated_at: now,
      } as Row,
      addresses: index.addresses,
      terms: index.terms,
    });
  }
  return rows;
}

let timedMs = 0;
if (input.databaseUrl.startsWith('sqlite:')) {
  const db = new SqliteDatabase(input.databaseUrl.slice('sqlite:'.length));
  // The same settings contactd runs with (src/store/engine.ts), so that only our code differs.
  applySqlitePragmas(db);
  const insertContact = db.prepare(`insert into contacts (${COLUMNS.join(', ')}) values (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
  const insertAddress = db.prepare('insert into contact_addresses (account_id, address_book_id, contact_seq, kind, value) values (?, ?, ?, ?, ?)');
  const insertTerm = db.prepare('insert into contact_terms (account_id, contact_seq, term) values (?, ?, ?)');
  const insertBatch = db.transaction((rows: ReturnType<typeof prepareChunk>) => {
    for (const row of rows) {
      insertContact.run(row.contact);
      const seq = row.contact.seq;
      for (const a of row.addresses) insertAddress.run(account.id, book.id, seq, a.kind, a.value);
      for (const t of row.terms) insertTerm.run(account.id, seq, t);
    }
  });
  for (let start = 0; start < input.count; start += input.chunk) {
    const rows = prepareChunk(start, Math.min(start + input.chunk, input.count));
    const began = performance.now();
    for (let b = 0; b < rows.length; b += 1000) insertBatch(rows.slice(b, b + 1000));
    timedMs += performance.now() - began;
  }
  db.close();
} else {
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  const text = (v: string | number | null) => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));
  const copy = async (sql: string, lines: string[]) => {
    const stream = client.query(copyFrom(sql));
    await pipeline(
      (async function* () {
        for (let i = 0; i < lines.length; i += 1000) yield lines.slice(i, i + 1000).join('');
      })(),
      stream as unknown as Writable,
    );
  };
  for (let start = 0; start < input.count; start += input.chunk) {
    const rows = prepareChunk(start, Math.min(start + input.chunk, input.count));
    const contactLines = rows.map((r) => `${COLUMNS.map((c) => text(r.contact[c])).join('\t')}\n`);
    const addressLines = rows.flatMap((r) => r.addresses.map((a) => `${account.id}\t${book.id}\t${r.contact.seq}\t${a.kind}\t${text(a.value)}\n`));
    const termLines = rows.flatMap((r) => r.terms.map((t) => `${account.id}\t${r.contact.seq}\t${text(t)}\n`));
    const began = performance.now();
    await client.query('begin');
    await copy(`copy contacts (${COLUMNS.join(', ')}) from stdin`, contactLines);
    await copy('copy contact_addresses (account_id, address_book_id, contact_seq, kind, value) from stdin', addressLines);
    await copy('copy contact_terms (account_id, contact_seq, term) from stdin', termLines);
    await client.query('commit');
    timedMs += performance.now() - began;
  }
  await client.end();
}
console.log(JSON.stringify({ contacts: input.count, seconds: timedMs / 1000, contactsPerSecond: input.count / (timedMs / 1000) }));
