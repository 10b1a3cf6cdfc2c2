// The CardDAV scenario (issue 12 §4): the same N cards in contactd and in Radicale, started by
// the bench on free ports; GET of one card, addressbook-query by TEL, sync-collection with one
// change and PROPFIND Depth: 1, sent to both one at a time. Each is measured as the server
// process's CPU time per request (all its threads, from /proc), and the ratio is Radicale's over
// contactd's (10x: contactd spends a tenth of the work). On a shared machine wall time mostly
// measures the run queue; it is printed beside the CPU time, not judged.
import { Agent, request as httpRequest } from 'node:http';
import { openStore } from '../src/runtime.ts';
import { createServices } from '../src/core/services.ts';
import type { BulkResult } from './lib/bulk-worker.ts';
import { nationalNumber, seededRandom } from './lib/data.ts';
import { createBenchDatabase } from './lib/databases.ts';
import { cpuTimeMs, runWorker, startServer } from './lib/processes.ts';
import { radicaleInstalled, startRadicale, benchVCard } from './lib/radicale.ts';
import { median, type Row } from './lib/report.ts';

/** One side of the comparison: where its book is, how to name card i, how to change card i. */
interface Side {
  url: string;
  pid: number;
  authorization: string;
  bookPath: string;
  hrefOf(i: number): string;
  change(i: number): Promise<void>;
}

/** Per request: the server's CPU ms, and the median wall ms seen by the client. */
type Cost = { cpu: number; wall: number };
type Timings = { get: Cost; tel: Cost; sync: Cost; propfind: Cost; propfindRssMb?: number };

/**
 * Radicale's first listing of a book grows faster than the book (28 s at 1,000 cards, 276 s at
 * 10,000, more than an hour at 100,000 on a shared 2-core machine): BENCH_CARDDAV_RADICALE_UP_TO
 * leaves it out above that size, and contactd is measured alone there.
 */
const radicaleUpTo = Number(process.env.BENCH_CARDDAV_RADICALE_UP_TO ?? Infinity);

export async function benchCardDav(options: { engines: ('sqlite' | 'postgres')[]; sizes: number[] }): Promise<Row[]> {
  if (!radicaleInstalled) {
    console.log('carddav: skipped (radicale is not installed: apt-get install radicale)');
    return [];
  }
  const rows: Row[] = [];
  const syncBySize = new Map<string, number>();
  for (const size of options.sizes) {
    console.log(`\n== carddav, ${size} cards`);
    const samples = sampleIndexes(size);
    // contactd first: its figures stand even when Radicale is left out or cannot finish.
    const ours = new Map<string, Timings>();
    for (const engine of options.engines) {
      const timings = await withContactd(engine, size, (side) => measure(side, samples, size));
      ours.set(engine, timings);
      syncBySize.set(`${engine} ${size}`, timings.sync.cpu);
      console.log(`${engine}: CPU ms per request: GET ${fmt(timings.get.cpu)}; TEL ${fmt(timings.tel.cpu)}; sync ${fmt(timings.sync.cpu)}; PROPFIND ${fmt(timings.propfind.cpu)}`);
    }
    let theirs: Timings | undefined;
    if (size <= radicaleUpTo) {
      const radicale = await startRadicale(size);
      try {
        const indexing = await timeOnce(() => propfindDepth1(radicale, size));
        console.log(`radicale: first listing (indexing) ${(indexing / 1000).toFixed(1)} s`);
        theirs = await measure({ ...radicale, change: (i) => putChangedCard(radicale, i) }, samples, size);
        console.log(`radicale: CPU ms per request: GET ${fmt(theirs.get.cpu)}; TEL ${fmt(theirs.tel.cpu)}; sync ${fmt(theirs.sync.cpu)}; PROPFIND ${fmt(theirs.propfind.cpu)}`);
        rows.push({ engine: 'radicale', scenario: `first listing, indexing s (${size})`, ours: '', ceiling: (indexing / 1000).toFixed(1), target: '' });
      } finally {
        await radicale.stop();
      }
    } else {
      console.log(`radicale: left out at ${size} cards (BENCH_CARDDAV_RADICALE_UP_TO=${radicaleUpTo})`);
    }
    const none: Cost = { cpu: NaN, wall: NaN };
    for (const [engine, t] of ours) {
      rows.push(
        ratioRow(engine, `GET one card (${size})`, t.get, theirs?.get ?? none, '>= 10x'),
        ratioRow(engine, `addressbook-query TEL (${size})`, t.tel, theirs?.tel ?? none, '>= 100x'),
        ratioRow(engine, `sync-collection, one change (${size})`, t.sync, theirs?.sync ?? none, 'flat with size'),
        ratioRow(engine, `PROPFIND Depth 1 (${size})`, t.propfind, theirs?.propfind ?? none, ''),
        { engine, scenario: `contactd peak RSS MB, load and requests (${size})`, ours: Math.round(t.propfindRssMb ?? NaN), ceiling: '', target: 'flat with size' },
      );
    }
  }
  // Flat with book size: the largest book's sync time over the smallest's.
  const [small, large] = [Math.min(...options.sizes), Math.max(...options.sizes)];
  if (small !== large) {
    for (const engine of options.engines) {
      const [a, b] = [syncBySize.get(`${engine} ${small}`)!, syncBySize.get(`${engine} ${large}`)!];
      rows.push({ engine, scenario: `sync CPU ms at ${large} / at ${small}`, ours: `${fmt(b)} / ${fmt(a)}`, ceiling: '', ratio: b / a, target: 'about 100 %' });
    }
  }
  return rows;
}

/** A contactd on a fresh database of `size` bench contacts, loaded through the batch API. */
async function withContactd<T>(engine: 'sqlite' | 'postgres', size: number, work: (side: Side) => Promise<T>): Promise<T> {
  const db = await createBenchDatabase(engine);
  const { store, handle } = await openStore({ databaseUrl: db.url });
  const { account, apiKey } = await createServices(store, { defaultRegion: 'US' }).accounts.createAccount('bench carddav');
  const bookId = (await store.addressBooks.findDefault(account.id))!.id;
  await handle.close();
  const server = await startServer(['bin/contactd.js', 'serve'], { DATABASE_URL: db.url, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', RATE_LIMIT_PER_SECOND: '0', REDIS_URL: '' });
  try {
    const bulk = await runWorker<BulkResult>('bench/lib/bulk-worker.ts', { url: server.url, key: apiKey, addressBookId: bookId, count: size, batchSize: 1000, concurrency: 2 });
    if (bulk.failed > 0) throw new Error(`${bulk.failed} batch items failed`);
    const bearer = { authorization: `Bearer ${apiKey}` };
    const ids = new Map<number, string>();
    const idOf = async (i: number) => {
      if (!ids.has(i)) {
        const found = (await (await fetch(`${server.url}/v1/lookup?phone=${encodeURIComponent(`+1${nationalNumber(i)}`)}`, { headers: bearer })).json()) as { matches: { id: string }[] };
        ids.set(i, found.matches[0]!.id);
      }
      return ids.get(i)!;
    };
    for (const i of sampleIndexes(size)) await idOf(i);
    const side: Side = {
      url: server.url,
      pid: server.pid,
      authorization: `Basic ${Buffer.from(`${account.id}:${apiKey}`).toString('base64')}`,
      bookPath: `/dav/books/${bookId}/`,
      hrefOf: (i) => `/dav/books/${bookId}/${ids.get(i)}.vcf`,
      async change(i) {
        const res = await fetch(`${server.url}/v1/contacts/${await idOf(i)}`, { method: 'PATCH', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ display_name: `Changed ${Date.now()}` }) });
        if (res.status !== 200) throw new Error(`PATCH answered ${res.status}`);
      },
    };
    const result = await work(side);
    return { ...result, propfindRssMb: server.peakRssMb() } as T;
  } finally {
    await server.stop();
    await db.drop();
  }
}

/** The four requests, each repeated until it has a few samples or has used its time. */
async function measure(side: Side, samples: number[], size: number): Promise<Timings> {
  const get = await repeat(side, 200, 10_000, (n) => request(side, 'GET', side.hrefOf(samples[n % samples.length]!), undefined, {}, 200));
  const tel = await repeat(side, 50, 20_000, async (n) => {
    const text = await request(side, 'REPORT', side.bookPath, telQuery(`+1${nationalNumber(samples[n % samples.length]!)}`), { depth: '1' }, 207);
    if (count(text, 'response>') !== 2) throw new Error(`TEL query on ${side.url} found ${count(text, 'response>') / 2} cards, expected 1`);
  });
  const token = /sync-token>([^<]+)</.exec(await request(side, 'PROPFIND', side.bookPath, '<propfind xmlns="DAV:"><prop><sync-token/></prop></propfind>', { depth: '0' }, 207))![1]!;
  await side.change(samples[0]!);
  const sync = await repeat(side, 50, 20_000, async () => {
    const text = await request(side, 'REPORT', side.bookPath, syncCollection(token), { depth: '1' }, 207);
    if (count(text, 'response>') !== 2) throw new Error(`sync on ${side.url} listed ${count(text, 'response>') / 2} changes, expected 1`);
  });
  const propfind = await repeat(side, 10, 30_000, () => propfindDepth1(side, size));
  return { get, tel, sync, propfind };
}

async function propfindDepth1(side: Pick<Side, 'url' | 'authorization' | 'bookPath'>, size: number): Promise<void> {
  const text = await request(side, 'PROPFIND', side.bookPath, '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/><getetag/></prop></propfind>', { depth: '1' }, 207);
  // The collection itself and every card; a count is enough to see nothing was left out.
  const responses = count(text, 'response>') / 2;
  if (responses < size + 1) throw new Error(`PROPFIND on ${side.url} listed ${responses} members, expected ${size + 1}`);
}

async function putChangedCard(side: { url: string; authorization: string; hrefOf(i: number): string }, i: number): Promise<void> {
  const card = benchVCard(i).replace(/^FN:.*$/m, `FN:Changed ${Date.now()}\r`);
  const res = await fetch(side.url + side.hrefOf(i), { method: 'PUT', headers: { authorization: side.authorization, 'content-type': 'text/vcard' }, body: card });
  if (res.status >= 300) throw new Error(`PUT answered ${res.status}`);
}

/** Over node:http, which waits as long as it takes: Radicale lists 100,000 cards in more than fetch's 300 s. */
async function request(side: Pick<Side, 'url' | 'authorization'>, method: string, path: string, body: string | undefined, headers: Record<string, string>, expected: number): Promise<string> {
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const sent = httpRequest(side.url + path, { method, agent: keepAlive, headers: { authorization: side.authorization, ...(body ? { 'content-type': 'application/xml; charset=utf-8' } : {}), ...headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(body);
  });
  if (status !== expected) throw new Error(`${method} ${side.url}${path} answered ${status}: ${text.slice(0, 300)}`);
  return text;
}
const keepAlive = new Agent({ keepAlive: true });

/**
 * Runs `run` after one warm-up, at least 3 times, then until `times` or `budgetMs`: the server's
 * CPU time over the whole series per request, and the median wall time.
 */
async function repeat(side: Pick<Side, 'pid'>, times: number, budgetMs: number, run: (n: number) => Promise<unknown>): Promise<Cost> {
  // Warmed up first (up to 3,000 runs or 5 s), on both servers alike: what is measured is the
  // steady state, not V8 compiling contactd's first requests (GETs cost 1.1 ms of CPU each over the
  // first thousand, 0.4 ms from the fourth thousand on).
  const warming = performance.now();
  for (let n = 0; n < 3000 && (n === 0 || performance.now() - warming < 5000); n++) await run(times + n);
  const samples: number[] = [];
  const began = performance.now();
  const cpuBefore = cpuTimeMs(side.pid);
  for (let n = 0; n < times; n++) {
    samples.push(await timeOnce(() => run(n)));
    // Three samples at least, unless one alone outlasts the budget (Radicale's listing of 100,000 cards).
    if ((samples.length >= 3 || samples[0]! > budgetMs) && performance.now() - began > budgetMs) break;
  }
  return { cpu: (cpuTimeMs(side.pid) - cpuBefore) / samples.length, wall: median(samples) };
}

async function timeOnce(run: () => Promise<unknown>): Promise<number> {
  const began = performance.now();
  await run();
  return performance.now() - began;
}

function telQuery(number: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data/></D:prop>
  <C:filter><C:prop-filter name="TEL"><C:text-match collation="i;unicode-casemap" match-type="equals">${number}</C:text-match></C:prop-filter></C:filter>
</C:addressbook-query>`;
}

export function syncCollection(token: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level>
  <D:prop><D:getetag/></D:prop>
</D:sync-collection>`;
}

/** Twenty cards spread over the book, the same in every run and on both sides. */
function sampleIndexes(size: number): number[] {
  const random = seededRandom(12);
  return Array.from({ length: 20 }, () => Math.floor(random() * size));
}

/** Occurrences of an element's closing part (`response>` counts open and close tags, any prefix). */
function count(text: string, fragment: string): number {
  return text.split(fragment).length - 1;
}

/** CPU ms per request (wall ms in brackets); the ratio is on CPU time. */
function ratioRow(engine: string, scenario: string, ours: Cost, theirs: Cost, target: string): Row {
  const ratio = theirs.cpu / ours.cpu;
  const ceiling = Number.isNaN(theirs.cpu) ? '' : `${fmt(theirs.cpu)} (${fmt(theirs.wall)})`;
  return { engine, scenario: `${scenario}: CPU (wall) ms`, ours: `${fmt(ours.cpu)} (${fmt(ours.wall)})`, ceiling, ratio, ratioLabel: Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : 'n/a', target };
}

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : String(Math.round(ms));
}
