import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { RateLimitConfig } from '../../config.ts';
import { DomainError } from '../../core/errors.ts';
import type { Principal } from '../../core/types.ts';
import { MemoryBucketStore, type BucketStore } from './memory-store.ts';

/** Takes a token for the caller's API key: sets the RateLimit-* headers, or refuses with `rate_limited`. */
export interface RateLimiter {
  enforce(principal: Principal, reply: FastifyReply): Promise<void>;
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimiterDependencies {
  log: FastifyBaseLogger;
  metrics: Registry;
}

/** The app's limiter, or null when `RATE_LIMIT_PER_SECOND=0` turns limits off. */
export async function createRateLimiter(config: RateLimitConfig, deps: RateLimiterDependencies): Promise<RateLimiter | null> {
  if (config.perSecond === 0) return null;
  const limits = { perSecond: config.perSecond, burst: config.burst };
  // The Redis client is loaded only when configured: every CLI command loads this module graph.
  const store: BucketStore = config.redisUrl ? new (await import('./redis-store.ts')).RedisBucketStore(config.redisUrl, limits) : new MemoryBucketStore(limits);
  const failures = new Counter({
    name: 'rate_limit_store_failures_total',
    help: 'Requests let through unlimited because the rate-limit store (Redis) did not answer',
    registers: [deps.metrics],
  });
  // Fail open, and say so once per outage rather than once per request.
  let storeDown = false;

  return {
    async enforce(principal, reply) {
      let verdict;
      try {
        verdict = await store.take(principal.keyId);
      } catch (err) {
        failures.inc();
        if (!storeDown) deps.log.warn({ err }, 'rate-limit store unreachable: requests pass unlimited until it answers again');
        storeDown = true;
        return;
      }
      if (storeDown) deps.log.info('rate-limit store answers again: limits apply');
      storeDown = false;
      reply.header('RateLimit-Limit', verdict.limit);
      reply.header('RateLimit-Remaining', verdict.remaining);
      reply.header('RateLimit-Reset', verdict.resetSeconds);
      if (verdict.allowed) return;
      reply.header('Retry-After', verdict.retryAfterSeconds);
      throw new DomainError(
        'rate_limited',
        `this API key may send ${config.perSecond} requests a second in bursts of up to ${config.burst}; retry after ${verdict.retryAfterSeconds} s`,
      );
    },
    ready: async () => store.ready?.(),
    close: () => store.close(),
  };
}
