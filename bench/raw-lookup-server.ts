// The raw-handler ceiling: a bare Fastify handler doing, with raw prepared statements on the same
// database, only what a lookup must do: SHA-256 of the key and its indexed read, reading the
// number, the two indexed reads (the number's holders, their rows), and JSON.stringify of the
// same answer. contactd's lookup against it shows what framework and layering cost, apart from
// what the database costs.
import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { toE164 } from '../src/core/phones.ts';
import { applySqlitePragmas } from '../src/store/engine.ts';
import { fromRow } from '../src/store/contact.rows.ts';
import type { ContactRow } from '../src/store/tables.ts';

const url = process.env.DATABASE_URL!;
const MAX_MATCHES = 50; // as contactd answers (contact-queries.ts)

interface RawReads {
  key(secretHash: string): Promise<{ account_id: string; revoked_at: string | null } | undefined>;
  holders(accountId: string, e164: string): Promise<ContactRow[]>;
}

function sqliteReads(path: string): RawReads {
  const database = new SqliteDatabase(path);
  applySqlitePragmas(database);
  const key = database.prepare('select account_id, revoked_at from api_keys where secret_hash = ?');
  const holders = database.prepare("select contact_seq from contact_addresses where account_id = ? and kind = 'phone' and value = ?").pluck();
  const rowsBySeq = new Map<number, SqliteDatabase.Statement>();
  const rows = (n: number) => rowsBySeq.get(n) ?? rowsBySeq.set(n, database.prepare(`select * from contacts where seq in (${Array(n).fill('?').join(',')})`)).get(n)!;
  return {
    key: async (hash) => key.get(hash) as { account_id: string; revoked_at: string | null } | undefined,
    async holders(accountId, e164) {
      const seqs = holders.all(accountId, e164) as number[];
      return seqs.length === 0 ? [] : (rows(seqs.length).all(...seqs) as ContactRow[]);
    },
  };
}

function postgresReads(connectionString: string): RawReads {
  const pool = new pg.Pool({ connectionString, max: 10 });
  return {
    key: async (hash) => (await pool.query({ name: 'key', text: 'select account_id, revoked_at from api_keys where secret_hash = $1', values: [hash] })).rows[0],
    holders: async (accountId, e164) =>
      (await pool.query({
        name: 'lookup',
        text: "select c.* from contact_addresses a join contacts c on c.seq = a.contact_seq where a.account_id = $1 and a.kind = 'phone' and a.value = $2 order by c.updated_at desc, c.seq desc limit $3",
        values: [accountId, e164, MAX_MATCHES],
      })).rows,
  };
}

const reads = url.startsWith('sqlite:') ? sqliteReads(url.slice('sqlite:'.length)) : postgresReads(url);
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/v1/lookup', async (request, reply) => {
  const secret = /^Bearer\s+(\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const key = await reads.key(createHash('sha256').update(secret).digest('hex'));
  if (!key || key.revoked_at !== null) return reply.status(401).send('{"code":"unauthorized"}');
  const e164 = toE164(String((request.query as { phone?: string }).phone ?? ''), 'US');
  if (!e164) return reply.status(400).send('{"code":"validation_failed"}');
  const contacts = (await reads.holders(key.account_id, e164)).map(fromRow);
  contacts.sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : b.seq - a.seq));
  return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ matches: contacts.slice(0, MAX_MATCHES) }));
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
