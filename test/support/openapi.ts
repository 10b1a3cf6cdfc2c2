import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { openStore } from '../../src/runtime.ts';

/** The OpenAPI document the app serves, built on an in-memory database. */
export async function openApiDocument(): Promise<unknown> {
  const config = readConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' });
  const { store, handle } = await openStore(config);
  const app = await buildApp(config, { store, logger: false });
  await app.ready();
  const document = app.swagger();
  await app.close();
  await handle.close();
  return document;
}
