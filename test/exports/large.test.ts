/**
 * A large export over a real socket: 20,000 contacts of about 1 KB each (a file far larger than
 * any socket buffer). The server's live heap stays flat while it streams; a write made while the
 * client has read only the start is not in the file; a client that goes away ends the snapshot.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import SqliteDatabase from 'better-sqlite3';
import { token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const COUNT = 20_000;
const MB = 1024 * 1024;

for (const engine of engines) {
  describe(`large export on ${engine.name}`, () => {
    let api: TestApi;
    let port: number;
    let ids: string[];
    let word: string;
    before(async () => {
      api = await startApi(engine);
      assert.equal((await api.call('POST', '/v1/custom-fields', { key: 'notes', data_type: 'string' })).status, 201);
      word = token();
      ids = await seed(api, word);
      await api.app.listen({ port: 0, host: '127.0.0.1' });
      port = (api.app.server.address() as AddressInfo).port;
    });
    after(() => api.close());

    const get = async (query: string): Promise<IncomingMessage> => {
      const req = request({ host: '127.0.0.1', port, path: `/v1/contacts/export?${query}`, headers: { authorization: `Bearer ${api.keys.read}` } });
      req.end();
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      assert.equal(res.statusCode, 200);
      return res;
    };

    test('memory stays flat while 20,000 contacts stream; a write made after the first megabyte is not in the file', async () => {
      gc();
      const baseline = process.memoryUsage().heapUsed;
      const res = await get(`format=csv&q=${word}`);
      let bytes = 0;
      let lines = 0;
      let partial = '';
      let lastRow: string | undefined;
      let added: { id: string } | undefined;
      let peak = 0;
      let nextSample = 0;
      for await (const chunk of res as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        const text = partial + chunk.toString('utf8');
        const parts = text.split('\r\n');
        partial = parts.pop()!;
        lines += parts.length;
        for (const line of parts) if (line.startsWith(ids.at(-1)!)) lastRow = line;
        if (added === undefined && bytes > MB) {
          // The client has read one megabyte of twenty: the server cannot have read the last page yet.
          assert.equal((await api.call('PATCH', `/v1/contacts/${ids.at(-1)}`, { last_name: 'changed mid-export' })).status, 200);
          added = await api.createContact({ first_name: word, last_name: 'added mid-export' });
        }
        if (bytes >= nextSample) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
          nextSample += 2 * MB;
        }
      }
      assert.equal(partial, '');
      assert.equal(lines, COUNT + 1, 'the header and every contact of the snapshot, no more');
      assert.ok(bytes > 15 * MB, `a file larger than the bound (${bytes} bytes)`);
      assert.ok(peak < 12 * MB, `live heap grew by ${(peak / MB).toFixed(1)} MB while streaming ${(bytes / MB).toFixed(1)} MB`);
      assert.ok(lastRow?.includes(',last-19999,'), `the last contact as it was: ${lastRow?.slice(0, 200)}`);
      assert.equal(api.db.store.openSnapshots, 0);
      // Clean up what the write added, for the next test's count.
      assert.equal((await api.call('DELETE', `/v1/contacts/${added!.id}`)).status, 204);
    });

    test('a client that disconnects mid-stream ends the export\'s snapshot', async () => {
      const res = await get(`format=ndjson&q=${word}`);
      await once(res, 'data');
      res.pause();
      assert.equal(api.db.store.openSnapshots, 1, 'the export holds its snapshot while the client reads');
      if (engine.name === 'sqlite') assert.equal(walCheckpointBusy(api.db.databaseUrl), 1, 'an open reader holds the log back');

      res.destroy();
      await until(() => api.db.store.openSnapshots === 0);
      if (engine.name === 'sqlite') assert.equal(walCheckpointBusy(api.db.databaseUrl), 0, 'no reader is left holding the log');
      await api.createContact({ first_name: word });
    });
  });
}

/** 20,000 contacts of about 1 KB each, through the core's batch create (the API's own path, less HTTP). */
async function seed(api: TestApi, word: string): Promise<string[]> {
  const ids: string[] = [];
  const filler = 'x'.repeat(180);
  for (let start = 0; start < COUNT; start += 1000) {
    const items = Array.from({ length: 1000 }, (_, j) => {
      const i = start + j;
      return {
        first_name: word, last_name: `last-${i}`, company: `Company ${i} ${filler}`, location: `Location ${filler}`,
        phone_numbers: [{ number: uniquePhone(), type: 'mobile' }, { number: uniquePhone(), type: 'work', extension: '12' }],
        emails: [{ address: `c${i}.${word}@example.com`, type: 'work' }],
        custom_fields: { notes: `${filler}${filler}` },
      };
    });
    for (const outcome of await api.app.services.contacts.createMany(api.admin, items)) {
      assert.ok('contact' in outcome, JSON.stringify(outcome));
      ids.push(outcome.contact.id);
    }
  }
  return ids;
}

/** `wal_checkpoint(TRUNCATE)` from a connection of its own: 1 while some reader still needs the log. */
function walCheckpointBusy(databaseUrl: string): number {
  const database = new SqliteDatabase(databaseUrl.slice('sqlite:'.length));
  try {
    return (database.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]!.busy;
  } finally {
    database.close();
  }
}

/** Waits on the event loop (20 s at most) until the condition holds. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('condition not met within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
