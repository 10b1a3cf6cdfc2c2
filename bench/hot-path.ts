// npm run bench:hot -- SCENARIO...: one hot path at a time on a fresh database, for profiling and
// before/after comparisons (issue 14). Each scenario is warmed up for 3 s, then loaded for
// HOT_SECONDS; it prints req/s, p50/p99 and the server's CPU per request (all threads, /proc).
//   scenarios: lookup | raw (the raw-handler ceiling on the same database) | create | davget |
//              sync (CardDAV sync-collection with one change, one request at a time) | healthz |
//              fresh-lookup (lookups on a second node started now, beside the measured one)
//   HOT_ENGINE=sqlite|postgres (postgres: BENCH_DATABASE_URL), HOT_CONTACTS (10000), HOT_SECONDS (8),
//   HOT_CONN (16; creates use 50), HOT_LOG (info), HOT_NODE_FLAGS (node flags for the server),
//   HOT_KEEP=1 (measure the node that did the bulk load, not a fresh one),
//   HOT_PROF=dir (the measured server writes a V8 CPU profile there when it stops).
import { createServices } from '../src/core/services.ts';
import { openStore } from '../src/runtime.ts';
import { mixedFormat, seededRandom } from './lib/data.ts';
import { cpuTimeMs, runWorker, startServer, type RunningServer } from './lib/processes.ts';
import type { BulkResult } from './lib/bulk-worker.ts';
import type { LoadInput, LoadResult } from './lib/load-worker.ts';
import { createBenchDatabase } from './lib/databases.ts';
import { syncCollection } from './carddav.ts';

const engine = (process.env.HOT_ENGINE ?? 'sqlite') as 'sqlite' | 'postgres';
const count = Number(process.env.HOT_CONTACTS ?? 10_000);
const seconds = Number(process.env.HOT_SECONDS ?? 8);
const keep = process.env.HOT_KEEP === '1';
const nodeFlags = process.env.HOT_NODE_FLAGS ? process.env.HOT_NODE_FLAGS.split(' ') : [];
const scenarios = process.argv.slice(2);
if (scenarios.length === 0) throw new Error('name one or more scenarios: lookup raw create davget sync healthz fresh-lookup');

const db = await createBenchDatabase(engine);
const { store, handle } = await openStore({ databaseUrl: db.url });
const { account, apiKey: key } = await createServices(store, { defaultRegion: 'US' }).accounts.createAccount('bench');
const bookId = (await store.addressBooks.findDefault(account.id))!.id;
await handle.close();
const env = { DATABASE_URL: db.url, LOG_LEVEL: process.env.HOT_LOG ?? 'info', RATE_LIMIT_PER_SECOND: '0', REDIS_URL: '' };
const serve = () => startServer([...nodeFlags, 'bin/contactd.js', 'serve'], env);

const withProfile = async <T>(start: () => Promise<T>) => {
  if (process.env.HOT_PROF) process.env.BENCH_CPU_PROF_DIR = process.env.HOT_PROF;
  try {
    return await start();
  } finally {
    delete process.env.BENCH_CPU_PROF_DIR;
  }
};
const seeder = keep ? await withProfile(serve) : await serve();
const bulk = await runWorker<BulkResult>('bench/lib/bulk-worker.ts', { url: seeder.url, key, addressBookId: bookId, count, batchSize: 1000, concurrency: 2 });
console.log(`seeded ${count}: ${Math.round(bulk.contactsPerSecond)} contacts/s`);
const auth = { authorization: `Bearer ${key}` };
const sample = ((await (await fetch(`${seeder.url}/v1/contacts?limit=20`, { headers: auth })).json()) as { data: { id: string }[] }).data;
if (!keep) await seeder.stop();
const server = keep ? seeder : await withProfile(serve);

const random = seededRandom(42);
const lookupPaths = Array.from({ length: 5000 }, (_, n) => `/v1/lookup?phone=${encodeURIComponent(mixedFormat(Math.floor(random() * count), n))}`);
const connections = Number(process.env.HOT_CONN ?? 16);

/** Warms up, loads, and prints the figures of one scenario against one server. */
async function load(name: string, target: RunningServer, input: Omit<LoadInput, 'url' | 'key' | 'seconds'>): Promise<void> {
  const base = { url: target.url, key, ...input };
  await runWorker<LoadResult>('bench/lib/load-worker.ts', { ...base, seconds: 3 });
  const cpuBefore = cpuTimeMs(target.pid);
  const r = await runWorker<LoadResult>('bench/lib/load-worker.ts', { ...base, seconds });
  const cpu = Math.round(((cpuTimeMs(target.pid) - cpuBefore) * 1000) / r.requests);
  console.log(`${name}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}; server CPU ${cpu} µs a request`);
}

/** sync-collection from a token taken before one change, one request at a time. */
async function syncOneChange(times: number): Promise<void> {
  const bookPath = `${server.url}/dav/books/${bookId}/`;
  const xml = { ...auth, depth: '0', 'content-type': 'application/xml' };
  const tokenText = await (await fetch(bookPath, { method: 'PROPFIND', headers: xml, body: '<propfind xmlns="DAV:"><prop><sync-token/></prop></propfind>' })).text();
  const token = /sync-token>([^<]+)</.exec(tokenText)![1]!;
  const changed = await fetch(`${server.url}/v1/contacts/${sample[0]!.id}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ display_name: 'Changed' }) });
  if (changed.status !== 200) throw new Error(`PATCH answered ${changed.status}`);
  const body = syncCollection(token);
  const once = async () => {
    const res = await fetch(bookPath, { method: 'REPORT', headers: { ...xml, depth: '1' }, body });
    const text = await res.text();
    if (res.status !== 207 || text.split('response>').length !== 3) throw new Error(`sync answered ${res.status}: ${text.slice(0, 200)}`);
  };
  for (let n = 0; n < 1000; n++) await once();
  const cpuBefore = cpuTimeMs(server.pid);
  const began = performance.now();
  for (let n = 0; n < times; n++) await once();
  console.log(`sync: server CPU ${Math.round(((cpuTimeMs(server.pid) - cpuBefore) * 1000) / times)} µs a request, wall ${Math.round(((performance.now() - began) * 1000) / times)} µs`);
}

for (const scenario of scenarios) {
  if (scenario === 'lookup') await load(scenario, server, { connections, paths: lookupPaths });
  else if (scenario === 'healthz') await load(scenario, server, { connections, paths: ['/healthz'] });
  else if (scenario === 'davget') await load(scenario, server, { connections, paths: sample.map((c) => `/dav/books/${bookId}/${c.id}.vcf`) });
  else if (scenario === 'create') await load(scenario, server, { connections: 50, createPath: '/v1/contacts', createOffset: 7 });
  else if (scenario === 'sync') await syncOneChange(2000);
  else if (scenario === 'raw' || scenario === 'fresh-lookup') {
    const other = scenario === 'raw' ? await startServer(['--import', 'tsx', 'bench/raw-lookup-server.ts'], { DATABASE_URL: db.url }) : await serve();
    await load(scenario, other, { connections, paths: lookupPaths });
    await other.stop();
  } else throw new Error(`no scenario ${scenario}`);
}
await server.stop();
await db.drop();
