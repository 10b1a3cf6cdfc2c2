/**
 * Issue 9, "No 5xx on any input, on every surface": requests built from the app's own OpenAPI
 * document for every operation of every surface (/v1 and the five dialects), with valid,
 * boundary and hostile values, wrong content types, huge and deeply nested bodies. No answer is
 * a 5xx, no connection is dropped, the process lives, and afterwards every contact in the
 * database was answered by a 2xx. Seeded: FUZZ_SEED=<n> replays a run. Heavy, so it runs on one
 * engine: SQLite, or PostgreSQL with FUZZ_ENGINE=postgres (and TEST_DATABASE_URL).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';
import { Ledger } from './ledger.ts';
import { operationsOf, type Operation, type Surface } from './operations.ts';
import { requestOf, type FuzzRequest } from './requests.ts';
import { sendOverSocket } from './socket.ts';
import { useKnownIds } from './values.ts';
import { makeWorld, type World } from './world.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const TOTAL_REQUESTS = 10_000;
/** Every operation gets its share in this many rounds, so that deletes interleave with the rest. */
const ROUNDS = 5;
/** One request in this many also goes through a real socket, for "no dropped connection". */
const SOCKET_EVERY = 40;
console.log(`openapi fuzz: FUZZ_SEED=${SEED} (set it to replay this run)`);

let api: TestApi;
let world: World;
let operations: Operation[];
let baseUrl: string;
const ledger = new Ledger();
/** Answers by operation and status, printed at the end: a fuzz that only ever hits 401 proves little. */
const tally = new Map<string, Map<number, number>>();

before(async () => {
  const engine = engines.find((e) => e.name === (process.env.FUZZ_ENGINE ?? 'sqlite'));
  assert.ok(engine, `FUZZ_ENGINE=${process.env.FUZZ_ENGINE} is not among the configured engines`);
  // Another helper adds rate limits; the fuzz's one key would be throttled.
  api = await startApi(engine, { RATE_LIMIT_PER_SECOND: '0' });
  baseUrl = await api.app.listen({ port: 0, host: '127.0.0.1' });
  operations = operationsOf(api.app.swagger() as Record<string, any>);
  world = await makeWorld(api, ledger);
});
after(() => api.close());

test(`every operation of every surface answers fuzzed requests without a 5xx (FUZZ_SEED=${SEED})`, async () => {
  const surfaces = new Set(operations.map((op) => op.surface));
  for (const surface of ['native', 'zoom', 'genesys', '8x8', 'apptoto', 'koreai'] as Surface[]) assert.ok(surfaces.has(surface), `the document has ${surface} operations`);
  const runs = Math.ceil(TOTAL_REQUESTS / operations.length / ROUNDS);
  let sent = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, op] of operations.entries()) {
      await world.refresh();
      const { ids } = world.context;
      useKnownIds([...ids.contact!, ...ids.group!, ...ids.book!]);
      const details = await fc.check(
        fc.asyncProperty(requestOf(op, world.context), async (request) => {
          sent++;
          await check(op, request, sent % SOCKET_EVERY === 0);
        }),
        { seed: SEED + round * 1000 + index, numRuns: runs, endOnFailure: true },
      );
      // Our own message (the request, cut short) rather than fast-check's, which prints megabyte bodies whole.
      if (details.failed) assert.fail(`${String((details.errorInstance as Error | null)?.message ?? details.errorInstance).slice(0, 4000)}\n(replay: FUZZ_SEED=${SEED})`);
    }
  }
  assert.ok(sent >= TOTAL_REQUESTS, `${sent} requests sent`);
  for (const [op, statuses] of tally) console.log(`${op}: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}x${n}`).join(' ')}`);
});

test(`every contact in the database was answered by a 2xx (FUZZ_SEED=${SEED})`, async () => {
  await api.app.services.batchJobs.stop(); // let running 8x8 / Kore batch chunks finish first
  const unaccounted = await ledger.unaccounted(api.db.handle.db);
  assert.deepEqual(unaccounted, [], `FUZZ_SEED=${SEED}: contacts written by requests that failed`);
  // Nothing half-written: every live contact still reads back whole through the API.
  const live = await api.db.handle.db.selectFrom('contacts').select('id').where('account_id', '=', api.accountId).where('status', '=', 'active').limit(500).execute();
  for (const { id } of live) {
    const res = await api.app.inject({ method: 'GET', url: `/v1/contacts/${id}`, headers: { authorization: `Bearer ${api.keys.admin}` } });
    assert.equal(res.statusCode, 200, `FUZZ_SEED=${SEED}: contact ${id} does not read back: ${res.body.slice(0, 300)}`);
  }
});

/** Writes a failing request whole (bodies run to megabytes) to a file, for replay by hand; returns its path. */
function saveRequest(request: FuzzRequest): string {
  const path = join(tmpdir(), `contactd-fuzz-${SEED}-${Date.now()}.json`);
  const { payload, ...rest } = request;
  writeFileSync(path, JSON.stringify({ ...rest, ...(Buffer.isBuffer(payload) ? { payloadBase64: payload.toString('base64') } : { payload }) }));
  return path;
}

/** Sends one request (by inject, and sometimes over a socket too) and holds the answer to the rules. */
async function check(op: Operation, request: FuzzRequest, viaSocket: boolean): Promise<void> {
  const label = `FUZZ_SEED=${SEED} ${request.method} ${request.url.slice(0, 300)} ${JSON.stringify(request.headers).slice(0, 300)} body: ${String(request.payload ?? '').slice(0, 300)}`;
  const res = await api.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, ...(request.payload !== undefined ? { payload: request.payload } : {}) });
  if (res.statusCode >= 500) assert.fail(`${label} -> ${res.statusCode} ${res.body.slice(0, 500)}\nthe whole request: ${saveRequest(request)}`);
  if (op.surface !== 'service' && res.statusCode >= 400) assert.match(String(res.headers['content-type']), /json/, `${label}: an error body in the surface's JSON format`);
  ledger.record(request.method, res.statusCode, request.payload, res.body);
  const statuses = tally.get(`${op.method} ${op.path}`) ?? new Map<number, number>();
  tally.set(`${op.method} ${op.path}`, statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1));
  if (viaSocket) {
    const answer = await sendOverSocket(baseUrl, request);
    assert.ok(answer.status < 500, `${label} -> over a socket: ${answer.status}`);
    ledger.record(request.method, answer.status, request.payload, answer.body);
  }
}
