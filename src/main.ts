import { setFlagsFromString } from 'node:v8';
import { pino } from 'pino';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openStore } from './runtime.ts';

/** Starts the server; on SIGTERM or SIGINT it stops accepting, finishes in-flight requests and closes the database. */
export async function serve(config: Config): Promise<void> {
  keepHeapSnug();
  const { store, handle } = await openStore(config, { cacheKeys: true });
  // Log lines are buffered and written asynchronously, 4 KB at a time or every 250 ms, whichever
  // comes first. The access line is on every request's path, and with a write per line it cost a
  // CardDAV GET sent one at a time 62 µs of CPU (a lookup 28 µs), mostly in the write. A kill -9
  // loses at most the last 250 ms of lines; a clean stop flushes them.
  const logOutput = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
  const app = await buildApp(config, { store, logger: pino({ level: config.logLevel }, logOutput) });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await handle.close();
    logOutput.flushSync();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
}

/**
 * V8 lets the heap grow to several times what is live before collecting the old generation: an
 * import's short-lived rows took a server from 60 MB live to 190 MB of heap. Growing it by at most
 * half at a time keeps an import's resident size near what is used (a 200,000-row import: 270 MB
 * instead of about 390). A fifth, tried first, kept it as low, but the node that had bulk-loaded a
 * million contacts then collected so often that its lookups' p99 rose from 7 to 22 ms (10 ms at
 * half). A --heap-growing-percent given to node itself wins (NODE_OPTIONS does not take that flag).
 */
function keepHeapSnug(): void {
  const given = process.execArgv.some((arg) => arg.includes('heap-growing-percent'));
  if (!given) setFlagsFromString('--heap-growing-percent=50');
}
