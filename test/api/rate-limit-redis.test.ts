/**
 * Rate limits with the buckets in Redis (issue 9, section 3): the Redis store, several nodes
 * sharing one limit per key, and failing open while Redis is away, then limiting again once it is
 * back. Needs Redis on 127.0.0.1:6379 (and redis-server for the outage test); without them these
 * tests are skipped with the reason printed, except under CI=true, where they must run.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { buildApp, type App } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { REDIS_KEY_PREFIX } from '../../src/http/rate-limit/redis-store.ts';
import { engines, type OpenedDatabase } from '../support/engines.ts';
import { freePort } from '../support/free-port.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, connectTimeout: 1000, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Why a test cannot run here, or false; under CI nothing may be skipped. */
function skipReason(missing: string | false): string | false {
  if (!missing) return false;
  if (process.env.CI) throw new Error(`CI is set but ${missing}: the Redis rate-limit tests must run`);
  console.log(`# skipping Redis rate-limit tests: ${missing}`);
  return missing;
}

const redisSkip = skipReason((await redisAnswers(REDIS_URL)) ? false : `no Redis answers at ${REDIS_URL}`);
const serverSkip = redisSkip || skipReason(spawnSync('redis-server', ['--version']).status === 0 ? false : 'redis-server is not installed');

/** A node: an app of its own over a shared database, like a second process behind the same load balancer. */
async function startNode(db: OpenedDatabase, env: Record<string, string>, logger: false | pino.Logger = false): Promise<App> {
  const app = await buildApp(readConfig({ DATABASE_URL: db.databaseUrl, LOG_LEVEL: 'silent', ...env }), { store: db.store, logger });
  await app.ready();
  return app;
}

async function newKey(app: App): Promise<{ key: string; keyId: string; accountId: string }> {
  const { account, apiKey } = await app.services.accounts.createAccount('Rate-limited account');
  const principal = (await app.services.accounts.authenticate(apiKey))!;
  return { key: apiKey, keyId: principal.keyId, accountId: account.id };
}

async function get(app: App, key: string, url = '/v1/address-books') {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  return { status: res.statusCode, remaining: res.headers['ratelimit-remaining'] === undefined ? undefined : Number(res.headers['ratelimit-remaining']), headers: res.headers };
}

for (const engine of engines) {
  describe(`rate limits, Redis store (${engine.name})`, { skip: redisSkip }, () => {
    let db: OpenedDatabase;
    let redis: Redis;
    before(async () => {
      db = await engine.open();
      redis = new Redis(REDIS_URL);
    });
    after(async () => {
      redis.disconnect();
      await db.close();
    });

    test('the bucket lives in Redis, under a key that expires once it would be full again', async () => {
      const app = await startNode(db, { REDIS_URL, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '2' });
      try {
        const { key, keyId } = await newKey(app);
        assert.deepEqual([await get(app, key), await get(app, key)].map((r) => [r.status, r.remaining]), [[200, 1], [200, 0]]);
        const refused = await get(app, key);
        assert.equal(refused.status, 429);
        assert.ok(Number(refused.headers['retry-after']) >= 1);
        assert.equal(refused.headers['ratelimit-limit'], '2');
        const stored = await redis.hgetall(REDIS_KEY_PREFIX + keyId);
        assert.ok(Number(stored.tokens) < 1, JSON.stringify(stored));
        const ttl = await redis.pttl(REDIS_KEY_PREFIX + keyId);
        assert.ok(ttl > 0 && ttl <= 3000, `TTL ${ttl} ms: two tokens at one a second, plus a second`);
      } finally {
        await app.close();
      }
    });

    test('several nodes on one Redis share one limit per key', async () => {
      const env = { REDIS_URL, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '4' };
      const nodes = [await startNode(db, env), await startNode(db, env), await startNode(db, env)];
      try {
        const { key } = await newKey(nodes[0]!);
        const answers = [];
        for (let n = 0; n < 4; n++) answers.push(await get(nodes[n % 3]!, key));
        assert.deepEqual(answers.map((a) => [a.status, a.remaining]), [[200, 3], [200, 2], [200, 1], [200, 0]]);
        for (const node of nodes) assert.equal((await get(node, key)).status, 429, 'the bucket spent across nodes is spent on each');
        const { key: other } = await newKey(nodes[0]!);
        assert.equal((await get(nodes[1]!, other)).status, 200, 'another key is not touched');
      } finally {
        for (const node of nodes) await node.close();
      }
    });
  });
}

describe('rate limits when Redis goes away', { skip: serverSkip }, () => {
  let db: OpenedDatabase;
  let server: ChildProcess | undefined;
  before(async () => {
    db = await engines[0]!.open();
  });
  after(async () => {
    await stopRedis();
    await db.close();
  });

  async function startRedis(port: number): Promise<void> {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    for (let n = 0; n < 100 && !(await redisAnswers(`redis://127.0.0.1:${port}`)); n++) await new Promise((r) => setTimeout(r, 50));
  }

  async function stopRedis(): Promise<void> {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }

  test('answers go on unlimited (one warning, a metric counts them), and limits apply again once Redis is back', async () => {
    const port = await freePort();
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const warnings = () => lines.filter((l) => l.level === 40 && /rate-limit store unreachable/.test(l.msg)).length;
    const recoveries = () => lines.filter((l) => /rate-limit store answers again/.test(l.msg)).length;
    // Nothing listens on the port yet: Redis is "away" from the start.
    const app = await startNode(db, { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '1' }, logger);
    try {
      const { key } = await newKey(app);
      for (let n = 0; n < 3; n++) {
        const res = await get(app, key);
        assert.equal(res.status, 200, 'fail open: the service keeps answering');
        assert.equal(res.remaining, undefined, 'no bucket was read, so no RateLimit headers');
      }
      assert.equal(warnings(), 1, 'one warning for the outage, not one per request');
      assert.match(String((await get(app, key, '/metrics')).headers['content-type']), /text\/plain/);
      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(metrics, /^rate_limit_store_failures_total 3$/m);

      // Redis comes (back): the client reconnects by itself and the limit applies again.
      await startRedis(port);
      let first = await get(app, key);
      for (let n = 0; n < 100 && first.remaining === undefined; n++) {
        await new Promise((r) => setTimeout(r, 50));
        first = await get(app, key);
      }
      assert.equal(first.status, 200);
      assert.equal(first.remaining, 0);
      assert.equal((await get(app, key)).status, 429, 'limits apply again');
      assert.equal(recoveries(), 1);

      // It goes away again: open again, and a new outage is worth a new warning.
      await stopRedis();
      const during = await get(app, key);
      assert.equal(during.status, 200);
      assert.equal(warnings(), 2);
    } finally {
      await app.close();
    }
  });
});

