/**
 * API keys are cached in process, and revocation stays immediate: on the node that revokes, on a
 * node beside it on the same PostgreSQL database (LISTEN/NOTIFY), after that node's listening
 * connection was cut, and on SQLite when another process (the CLI) revokes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { buildApp, type App } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { openStore } from '../../src/runtime.ts';
import { LISTENER_NAME } from '../../src/store/key-cache.ts';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';

/** Retries `check` until it stops throwing, for at most `ms`. */
async function within(ms: number, check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

for (const engine of engines) {
  describe(`API key cache on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    const newKey = async () => {
      const { key, apiKey } = await api.app.services.accounts.createKey(api.accountId, ['contacts:read']);
      return { id: key.id, secret: apiKey };
    };
    const statusOn = async (app: App, secret: string) =>
      (await app.inject({ method: 'GET', url: '/v1/contacts?limit=1', headers: { authorization: `Bearer ${secret}` } })).statusCode;

    test('a key revoked on this node is refused by its very next request', async () => {
      const key = await newKey();
      for (let i = 0; i < 3; i++) assert.equal(await statusOn(api.app, key.secret), 200);
      await api.app.services.accounts.revokeKey(key.id);
      assert.equal(await statusOn(api.app, key.secret), 401);
    });

    test('a key revoked by another connection (the CLI in its own process) is refused at once', async () => {
      const key = await newKey();
      assert.equal(await statusOn(api.app, key.secret), 200);
      const other = await openStore({ databaseUrl: api.db.databaseUrl }, api.db.searchPath ? { searchPath: api.db.searchPath } : {});
      try {
        const { createServices } = await import('../../src/core/services.ts');
        await createServices(other.store, { defaultRegion: 'US' }).accounts.revokeKey(key.id);
      } finally {
        await other.handle.close();
      }
      // SQLite: the other connection's commit changes data_version, read on every request.
      // PostgreSQL: the NOTIFY reaches this node's listener within moments.
      await within(1000, async () => assert.equal(await statusOn(api.app, key.secret), 401));
    });

    describe('two nodes on one PostgreSQL database', { skip: engine.name !== 'postgres' && 'PostgreSQL only' }, () => {
      let second: App;
      let closeSecond: () => Promise<void>;
      before(async () => {
        const store = await openStore({ databaseUrl: api.db.databaseUrl }, { searchPath: api.db.searchPath!, cacheKeys: true });
        second = await buildApp(readConfig({ DATABASE_URL: api.db.databaseUrl, LOG_LEVEL: 'silent', RATE_LIMIT_PER_SECOND: '0' }), { store: store.store, logger: false });
        await second.ready();
        closeSecond = async () => {
          await second.close();
          await store.handle.close();
        };
      });
      after(() => closeSecond());

      test('a key revoked on node A is refused on node B within a second', async () => {
        const key = await newKey();
        // Cached on B (the listener is up once a request can be cached; give it its first second).
        await within(2000, async () => assert.equal(await statusOn(second, key.secret), 200));
        assert.equal(await statusOn(second, key.secret), 200);
        await api.app.services.accounts.revokeKey(key.id);
        await within(1000, async () => assert.equal(await statusOn(second, key.secret), 401));
      });

      test('node B drops its whole cache when its listening connection is cut, and caches again once it listens', async () => {
        const keys = [await newKey(), await newKey()];
        for (const key of keys) assert.equal(await statusOn(second, key.secret), 200);
        const client = new pg.Client({ connectionString: api.db.databaseUrl });
        await client.connect();
        try {
          // Every listener of this database is cut (other test files' too: they only reconnect).
          const cut = await client.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()`, [LISTENER_NAME]);
          assert.ok(cut.rowCount! >= 2, 'both nodes were listening');
          // Revoked while B's listener is down: the notification never reaches B.
          await api.app.services.accounts.revokeKey(keys[0]!.id);
        } finally {
          await client.end();
        }
        await within(1000, async () => assert.equal(await statusOn(second, keys[0]!.secret), 401));
        assert.equal(await statusOn(second, keys[1]!.secret), 200);
        // Listening again: a later revocation reaches B as before.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.equal(await statusOn(second, keys[1]!.secret), 200);
        await api.app.services.accounts.revokeKey(keys[1]!.id);
        await within(1000, async () => assert.equal(await statusOn(second, keys[1]!.secret), 401));
      });
    });
  });
}
