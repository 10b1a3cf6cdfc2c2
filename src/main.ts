import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openStore } from './runtime.ts';

/** Starts the server; on SIGTERM or SIGINT it stops accepting, finishes in-flight requests and closes the database. */
export async function serve(config: Config): Promise<void> {
  const { store, handle } = await openStore(config, { cacheKeys: true });
  const app = await buildApp(config, { store });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
}
