// The import scenario: the same N contacts as the bulk load, as one CSV file through POST
// /v1/imports, on a fresh database and a server of its own (so its peak RSS is the import's).
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createServices } from '../../src/core/services.ts';
import { openStore } from '../../src/runtime.ts';
import { benchContact } from './data.ts';
import { createBenchDatabase } from './databases.ts';
import { startServer } from './processes.ts';

export interface ImportResult {
  rows: number;
  failed: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  fileMb: number;
}

/** Writes the bulk load's contacts 0..count-1 as CSV (streamed to disk), in Outlook's headers. */
async function writeCsv(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('First Name,Last Name,Company,Mobile Phone,Business Phone,E-mail Address\n');
  for (let i = 0; i < count; i++) {
    const c = benchContact(i);
    await write(`${c.first_name},${c.last_name},${c.company},${c.phone_numbers[0]!.number},${c.phone_numbers[1]?.number ?? ''},${c.emails[0]!.address}\n`);
  }
  out.end();
  await once(out, 'finish');
}

export async function benchImport(engine: 'sqlite' | 'postgres', count: number): Promise<ImportResult> {
  const dir = mkdtempSync(join(tmpdir(), 'contactd-bench-import-'));
  const db = await createBenchDatabase(engine);
  const file = join(dir, 'contacts.csv');
  try {
    await writeCsv(file, count);
    const { store, handle } = await openStore({ databaseUrl: db.url });
    const { apiKey: key } = await createServices(store, { defaultRegion: 'US' }).accounts.createAccount('bench import');
    await handle.close();
    const server = await startServer(['bin/contactd.js', 'serve'], { DATABASE_URL: db.url, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', RATE_LIMIT_PER_SECOND: '0', REDIS_URL: '' });
    try {
      const headers = { authorization: `Bearer ${key}` };
      const began = performance.now();
      const res = await fetch(`${server.url}/v1/imports`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: Readable.toWeb(createReadStream(file)) as ReadableStream, duplex: 'half' } as RequestInit);
      if (res.status !== 202) throw new Error(`import answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const { id } = (await res.json()) as { id: string };
      let job: { status: string; processed: number; failed: number; created: number };
      for (;;) {
        await new Promise((r) => setTimeout(r, 200));
        job = (await (await fetch(`${server.url}/v1/imports/${id}`, { headers })).json()) as typeof job;
        if (job.status !== 'queued' && job.status !== 'running') break;
      }
      if (job.status !== 'completed') throw new Error(`import ended ${job.status}`);
      const seconds = (performance.now() - began) / 1000;
      const { size } = await import('node:fs').then((fs) => fs.statSync(file));
      return { rows: job.created, failed: job.failed, seconds, rowsPerSecond: job.processed / seconds, peakRssMb: server.peakRssMb(), fileMb: size / 2 ** 20 };
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
