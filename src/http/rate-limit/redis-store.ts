import { Redis, type Result } from 'ioredis';
import type { BucketStore } from './memory-store.ts';
import { verdictOf, type BucketLimits, type BucketVerdict } from './token-bucket.ts';

/**
 * The same refill-and-take as token-bucket.ts, run atomically in Redis so that every node
 * shares one bucket per key. Redis's own clock (TIME) is used, so nodes whose clocks differ still
 * agree. The key expires once the bucket would be full again: a missing bucket is full.
 * Returns {1 if a token was taken else 0, tokens left as a string (Lua numbers reply as integers)}.
 */
const TAKE_TOKEN = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = burst
if saved[1] and saved[2] then
  local elapsed = math.max(0, now - tonumber(saved[2]))
  tokens = math.min(burst, tonumber(saved[1]) + elapsed * rate / 1000)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%d', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {allowed, string.format('%.17g', tokens)}
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    takeToken(key: string, perSecond: number, burst: number): Result<[number, string], Context>;
  }
}

const CONNECT_TIMEOUT_MS = 1000;

/** Where contactd's buckets are in Redis: this, then the API key's id. */
export const REDIS_KEY_PREFIX = 'contactd:ratelimit:';

/**
 * Buckets in Redis (ioredis, one Lua script). A dead Redis must not slow answers down: no
 * offline queue and no retries (a command fails at once while disconnected), a short command
 * timeout, and reconnection in the background at most a second apart.
 */
export class RedisBucketStore implements BucketStore {
  private readonly client: Redis;

  constructor(
    url: string,
    private readonly limits: BucketLimits,
    private readonly keyPrefix = REDIS_KEY_PREFIX,
  ) {
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 250,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    // Failures surface on the commands, where the limiter reports them once per outage.
    this.client.on('error', () => {});
    this.client.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
  }

  async take(key: string): Promise<BucketVerdict> {
    const [allowed, tokens] = await this.client.takeToken(this.keyPrefix + key, this.limits.perSecond, this.limits.burst);
    return verdictOf(allowed === 1, Number(tokens), this.limits);
  }

  /**
   * Waits up to the connect timeout for the first connection, so that a node's first requests
   * are limited rather than let through while it connects; a Redis that is down delays nothing more.
   */
  async ready(): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, CONNECT_TIMEOUT_MS);
      this.client.once('ready', done);
    });
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
