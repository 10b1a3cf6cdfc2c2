// npm run bench [-- --quick]: every scenario on SQLite, and on PostgreSQL when BENCH_DATABASE_URL
// is set; each contactd figure beside a ceiling measured in the same run, as a ratio.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createServices } from '../src/core/services.ts';
import { openStore } from '../src/runtime.ts';
import { mixedFormat, seededRandom } from './lib/data.ts';
import { startServer, runWorker, type RunningServer } from './lib/processes.ts';
import type { BulkResult } from './lib/bulk-worker.ts';
import type { CreateDialect, LoadResult } from './lib/load-worker.ts';
import { createBenchDatabase, type BenchDatabase } from './lib/databases.ts';
import { compareRateLimits } from './lib/rate-limits.ts';
import { compareWebhookCost } from './lib/webhooks.ts';
import { benchImport } from './lib/imports.ts';
import { printTable, median, spread, type Row } from './lib/report.ts';
import { benchCardDav } from './carddav.ts';

const quick = process.argv.includes('--quick');
// BENCH_ONLY=carddav runs the CardDAV scenario alone (it needs no million-contact load);
// BENCH_ONLY=import the bulk load and the CSV import of the same contacts, for their ratio.
const only = process.env.BENCH_ONLY;
// BENCH_SKIP=import,carddav leaves those scenarios out of a full run (the import of a million rows
// takes 10 minutes or more per engine; BENCH_ONLY=import measures it alone).
const skipped = (process.env.BENCH_SKIP ?? '').split(',');
// BENCH_CONTACTS scales the data set (e.g. 100000 for a shorter full run); ratios stay comparable within a run.
const contacts = Number(process.env.BENCH_CONTACTS ?? (quick ? 10_000 : 1_000_000));
if (!Number.isInteger(contacts) || contacts < 1000) throw new Error(`BENCH_CONTACTS must be an integer of at least 1000, got "${process.env.BENCH_CONTACTS}"`);
const plan = quick
  ? { contacts, rounds: 1, seconds: 2, pages: 100, connections: 16 }
  : { contacts, rounds: 3, seconds: 10, pages: 1000, connections: 16 };

const rows: Row[] = [];
// BENCH_ENGINES=postgres (or sqlite) runs one engine only.
const engines = (['sqlite', ...(process.env.BENCH_DATABASE_URL ? (['postgres'] as const) : [])] as ('sqlite' | 'postgres')[]).filter(
  (engine) => !process.env.BENCH_ENGINES || process.env.BENCH_ENGINES.split(',').includes(engine),
);
if (!process.env.BENCH_DATABASE_URL) console.log('postgres: skipped (set BENCH_DATABASE_URL=postgres://... to run it)');
console.log(`plan: ${JSON.stringify(plan)}${quick ? ' (quick smoke run)' : ''}`);

if (only === 'import') {
  for (const engine of engines) await benchBulkAndImport(engine);
} else if (only !== 'carddav') {
  for (const engine of engines) {
    await benchEngine(engine);
  }
}
// The CardDAV scenario against Radicale: its own book sizes (BENCH_CARDDAV_SIZES=1000,100000).
const cardSizes = (process.env.BENCH_CARDDAV_SIZES ?? (quick ? '1000' : '1000,100000')).split(',').map(Number);
if (only !== 'import' && !skipped.includes('carddav')) rows.push(...(await benchCardDav({ engines, sizes: cardSizes })));

const results = { date: new Date().toISOString(), quick, plan: { ...plan, carddavSizes: cardSizes }, machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version }, rows };
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(`./results/${results.date.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`, import.meta.url);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
printTable(rows);
console.log(`\nresults: ${file.pathname}`);

async function benchEngine(engine: 'sqlite' | 'postgres'): Promise<void> {
  console.log(`\n== ${engine}`);
  const sqlite = engine === 'sqlite';
  const db = await createBenchDatabase(engine);
  const { key, bookId, accountId } = await prepareAccount(db.url);
  // Rate limits off: the limits' own cost is measured apart (compareRateLimits).
  // Private addresses allowed: this node is still up during the webhook scenario and, as a node of
  // the same database, delivers to its local receiver too (refused, it would hold the endpoint back).
  const server = await startServer(['bin/contactd.js', 'serve'], { DATABASE_URL: db.url, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', RATE_LIMIT_PER_SECOND: '0', REDIS_URL: '', WEBHOOK_ALLOW_PRIVATE: 'true' });
  let ceiling: RunningServer | undefined;
  let rawCeiling: RunningServer | undefined;
  try {
    // 3. Bulk load, which is also the data every later scenario reads.
    const bulk = await runWorker<BulkResult>('bench/lib/bulk-worker.ts', { url: server.url, key, addressBookId: bookId, count: plan.contacts, batchSize: 1000, concurrency: 2 });
    if (bulk.failed > 0) throw new Error(`${bulk.failed} batch items failed`);
    const rss = server.peakRssMb();
    console.log(`bulk: ${Math.round(bulk.contactsPerSecond)} contacts/s, peak RSS ${Math.round(rss)} MB`);

    const sample = await (await fetch(`${server.url}/v1/lookup?phone=${encodeURIComponent(mixedFormat(0, 3))}`, { headers: { authorization: `Bearer ${key}` } })).json();
    ceiling = await startServer(['--import', 'tsx', 'bench/ceiling-server.ts'], { CEILING_SAMPLE_CONTACT: JSON.stringify((sample as { matches: unknown[] }).matches[0]) });
    rawCeiling = await startServer(['--import', 'tsx', 'bench/raw-lookup-server.ts'], { DATABASE_URL: db.url });

    const random = seededRandom(42);
    const lookupPaths = Array.from({ length: 5000 }, (_, n) => `/v1/lookup?phone=${encodeURIComponent(mixedFormat(Math.floor(random() * plan.contacts), n))}`);
    const load = (url: string, extra: object) => runWorker<LoadResult>('bench/lib/load-worker.ts', { url, key, connections: plan.connections, seconds: plan.seconds, ...extra });
    const lookups: { ours: LoadResult; ceiling: LoadResult; raw: LoadResult }[] = [];
    const creates: { ours: LoadResult; ceiling: LoadResult }[] = [];
    const dialectCreates: { native: LoadResult; zoom: LoadResult; eightByEight: LoadResult }[] = [];
    const createIn = (dialect: CreateDialect, createPath: string, createOffset: number) => load(server.url, { createPath, createOffset, createDialect: dialect, connections: 50 });
    for (let round = 0; round < plan.rounds; round++) {
      // Interleaved, so that the machine's drift touches both sides of each ratio alike.
      lookups.push({ ceiling: await load(ceiling.url, { paths: lookupPaths }), raw: await load(rawCeiling.url, { paths: lookupPaths }), ours: await load(server.url, { paths: lookupPaths }) });
      const createOffset = 100_000_000 + round * 10_000_000;
      creates.push({
        ceiling: await load(ceiling.url, { createPath: '/v1/contacts', createOffset, connections: 50 }),
        ours: await load(server.url, { createPath: '/v1/contacts', createOffset, connections: 50 }),
      });
      // 5. The same create through two dialects against native, each with numbers of its own.
      const dialectOffset = 500_000_000 + round * 30_000_000;
      dialectCreates.push({
        native: await createIn('native', '/v1/contacts', dialectOffset),
        zoom: await createIn('zoom', `/zoom/v2/contact_center/address_books/${bookId}/contacts`, dialectOffset + 10_000_000),
        eightByEight: await createIn('8x8', `/8x8/api/v1/accounts/${accountId}/contacts`, dialectOffset + 20_000_000),
      });
      console.log(`round ${round + 1}: lookup ${Math.round(lookups[round]!.ours.rps)} vs ${Math.round(lookups[round]!.ceiling.rps)} (raw handler ${Math.round(lookups[round]!.raw.rps)}) req/s; create ${Math.round(creates[round]!.ours.rps)} vs ${Math.round(creates[round]!.ceiling.rps)} req/s`);
    }
    // 6. Lookup and create with rate limits on against off, on two nodes of their own.
    const limits = await compareRateLimits({ databaseUrl: db.url, key, lookupPaths, rounds: plan.rounds, seconds: plan.seconds, connections: plan.connections, createOffset: 900_000_000 });
    const limitRuns = [...limits.lookups, ...limits.creates].flatMap((r) => [r.off, r.on]);
    const limitCreated = limits.creates.reduce((n, c) => n + c.off.created + c.on.created, 0);
    // 7. Create with one webhook endpoint (a local receiver) against none, on a node of its own.
    const webhooks = await compareWebhookCost({ databaseUrl: db.url, key, rounds: plan.rounds, seconds: plan.seconds, createOffset: 1_100_000_000 });
    if (webhooks.failures.length > 0) console.log(`webhook attempts failed: ${[...new Set(webhooks.failures)].slice(0, 5).join('; ')}`);

    const dialectCreated = dialectCreates.reduce((n, d) => n + d.native.created + d.zoom.created + d.eightByEight.created, 0);
    const lost = await countLostWrites(db.url, plan.contacts + creates.reduce((n, c) => n + c.ours.created, 0) + dialectCreated + limitCreated + webhooks.total);
    const dialectFailures = dialectCreates.reduce((n, d) => n + [d.native, d.zoom, d.eightByEight].reduce((m, r) => m + r.non2xx + r.errors, 0), 0);

    const search = await load(server.url, { paths: ['smi', 'joh', 'garc', 'mar', 'lee', '2000001', 'acme'].map((q) => `/v1/contacts?q=${q}&limit=50`) });
    const paging = await walkPages(server.url, key, plan.pages);

    rows.push(
      ratioRow(engine, 'lookup req/s vs bare Fastify', lookups.map((l) => l.ours.rps), lookups.map((l) => l.ceiling.rps), sqlite ? '>= 35 %' : '>= 15 %'),
      ratioRow(engine, 'lookup req/s vs raw handler', lookups.map((l) => l.ours.rps), lookups.map((l) => l.raw.rps), sqlite ? '>= 80 %' : ''),
      valueRow(engine, 'lookup p50 / p99 ms', `${median(lookups.map((l) => l.ours.p50))} / ${median(lookups.map((l) => l.ours.p99))}`, `${median(lookups.map((l) => l.ceiling.p50))} / ${median(lookups.map((l) => l.ceiling.p99))}`, sqlite ? 'p99 < 5 ms' : 'p99 < 10 ms'),
      valueRow(engine, 'raw handler lookup p50 / p99 ms', `${median(lookups.map((l) => l.raw.p50))} / ${median(lookups.map((l) => l.raw.p99))}`, '', ''),
      ratioRow(engine, 'create req/s (50 conn)', creates.map((c) => c.ours.rps), creates.map((c) => c.ceiling.rps), sqlite ? '>= 20 %' : '>= 8 %'),
      valueRow(engine, 'create p99 ms; 5xx+errors; lost', `${median(creates.map((c) => c.ours.p99))}; ${creates.reduce((n, c) => n + c.ours.non2xx + c.ours.errors, 0)}; ${lost}`, `${median(creates.map((c) => c.ceiling.p99))}`, 'no 5xx, none lost'),
      valueRow(engine, `bulk load contacts/s (${plan.contacts})`, Math.round(bulk.contactsPerSecond), 'below', '>= 40 %'),
      valueRow(engine, 'bulk load peak RSS MB', Math.round(rss), '', '< 400 MB'),
      valueRow(engine, 'search q= req/s; p99 ms', `${Math.round(search.rps)}; ${search.p99}`, '', ''),
      valueRow(engine, `paging ms: page 1 / page ${paging.lastPage}`, `${paging.first.toFixed(2)} / ${paging.last.toFixed(2)}`, '', 'same cost'),
      ratioRow(engine, 'Zoom create req/s vs native', dialectCreates.map((d) => d.zoom.rps), dialectCreates.map((d) => d.native.rps), ''),
      ratioRow(engine, '8x8 create req/s vs native', dialectCreates.map((d) => d.eightByEight.rps), dialectCreates.map((d) => d.native.rps), '8x8 merges account-wide'),
      valueRow(engine, 'dialect creates: 5xx+errors', dialectFailures, '', 'none'),
      ratioRow(engine, 'lookup req/s, rate limits on vs off', limits.lookups.map((r) => r.on.rps), limits.lookups.map((r) => r.off.rps), '>= 95 %'),
      ratioRow(engine, 'create req/s, rate limits on vs off', limits.creates.map((r) => r.on.rps), limits.creates.map((r) => r.off.rps), '>= 95 %'),
      valueRow(engine, 'rate limits off/on: non-2xx+errors', limitRuns.reduce((n, r) => n + r.non2xx + r.errors, 0), '', 'none'),
      ratioRow(engine, 'create req/s, one webhook vs none', webhooks.creates.map((r) => r.on.rps), webhooks.creates.map((r) => r.off.rps), ''),
      valueRow(engine, 'webhook: delivered / created; drain s; failed attempts', `${webhooks.delivered} / ${webhooks.created}; ${(webhooks.drainMs / 1000).toFixed(1)}; ${webhooks.failures.length}`, '', 'all delivered, none failed'),
    );
  } finally {
    await ceiling?.stop();
    await rawCeiling?.stop();
    await server.stop();
    await db.drop();
  }

  // 8. The bulk load's contacts as one CSV import, on a server of its own: rate against the batch API's, and its memory.
  if (!skipped.includes('import')) await importRows(engine, Number(rows.find((r) => r.engine === engine && r.scenario.startsWith('bulk load contacts/s'))!.ours));

  const raw = await createBenchDatabase(engine);
  try {
    const rawResult = await runWorker<{ contactsPerSecond: number }>('bench/lib/raw-worker.ts', { databaseUrl: raw.url, count: plan.contacts, chunk: 10_000 }, 0);
    const bulkRow = rows.find((r) => r.engine === engine && r.scenario.startsWith('bulk load contacts/s'))!;
    bulkRow.ceiling = Math.round(rawResult.contactsPerSecond);
    bulkRow.ratio = Number(bulkRow.ours) / rawResult.contactsPerSecond;
    console.log(`raw ceiling: ${Math.round(rawResult.contactsPerSecond)} contacts/s`);
  } finally {
    await raw.drop();
  }
}

async function prepareAccount(databaseUrl: string): Promise<{ key: string; bookId: string; accountId: string }> {
  const { store, handle } = await openStore({ databaseUrl });
  const { account, apiKey } = await createServices(store, { defaultRegion: 'US' }).accounts.createAccount('bench');
  const bookId = (await store.addressBooks.findDefault(account.id))!.id;
  await handle.close();
  return { key: apiKey, bookId, accountId: account.id };
}

async function countLostWrites(databaseUrl: string, expected: number): Promise<number> {
  const { handle } = await openStore({ databaseUrl });
  const { count } = await handle.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  await handle.close();
  // Requests still in flight when a run's time is up are stored but never counted as answered:
  // more rows than 2xx answers is expected; fewer would be a lost write.
  return Math.max(0, expected - Number(count));
}

/** Follows next_cursor from page 1 to `pages`, timing each page; compares the first and last ten. */
async function walkPages(url: string, key: string, pages: number) {
  const times: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < pages; page++) {
    const began = performance.now();
    const res = await fetch(`${url}/v1/contacts?limit=50${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { next_cursor: string | null };
    times.push(performance.now() - began);
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return { first: median(times.slice(0, 10)), last: median(times.slice(-10)), lastPage: times.length };
}

function ratioRow(engine: string, scenario: string, ours: number[], ceiling: number[], target: string): Row {
  const ratios = ours.map((o, i) => o / ceiling[i]!);
  return { engine, scenario, ours: Math.round(median(ours)), ceiling: Math.round(median(ceiling)), ratio: median(ratios), spread: spread(ratios), target };
}

function valueRow(engine: string, scenario: string, ours: string | number, ceiling: string | number, target: string): Row {
  return { engine, scenario, ours, ceiling, target };
}

export type { BenchDatabase };

async function importRows(engine: 'sqlite' | 'postgres', batchRate: number): Promise<void> {
  const imported = await benchImport(engine, plan.contacts);
  console.log(`import: ${Math.round(imported.rowsPerSecond)} rows/s (${imported.fileMb.toFixed(1)} MB file), peak RSS ${Math.round(imported.peakRssMb)} MB`);
  rows.push(
    { engine, scenario: `CSV import rows/s vs batch API (${plan.contacts})`, ours: Math.round(imported.rowsPerSecond), ceiling: Math.round(batchRate), ratio: imported.rowsPerSecond / batchRate, target: '>= 70 %' },
    valueRow(engine, 'CSV import peak RSS MB; failed rows', `${Math.round(imported.peakRssMb)}; ${imported.failed}`, '', '< 300 MB; none'),
  );
}

/** BENCH_ONLY=import: the batch API's bulk load on a fresh database, then the same contacts as a CSV import. */
async function benchBulkAndImport(engine: 'sqlite' | 'postgres'): Promise<void> {
  console.log(`\n== ${engine}`);
  const db = await createBenchDatabase(engine);
  let batchRate: number;
  try {
    const { key, bookId } = await prepareAccount(db.url);
    const server = await startServer(['bin/contactd.js', 'serve'], { DATABASE_URL: db.url, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', RATE_LIMIT_PER_SECOND: '0', REDIS_URL: '' });
    try {
      const bulk = await runWorker<BulkResult>('bench/lib/bulk-worker.ts', { url: server.url, key, addressBookId: bookId, count: plan.contacts, batchSize: 1000, concurrency: 2 });
      if (bulk.failed > 0) throw new Error(`${bulk.failed} batch items failed`);
      batchRate = bulk.contactsPerSecond;
      console.log(`bulk: ${Math.round(batchRate)} contacts/s, peak RSS ${Math.round(server.peakRssMb())} MB`);
      rows.push(valueRow(engine, `bulk load contacts/s (${plan.contacts})`, Math.round(batchRate), '', ''), valueRow(engine, 'bulk load peak RSS MB', Math.round(server.peakRssMb()), '', '< 400 MB'));
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
  }
  await importRows(engine, batchRate);
}
