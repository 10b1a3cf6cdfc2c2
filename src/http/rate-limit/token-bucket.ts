/**
 * Token bucket arithmetic, free of I/O so that both stores (memory, Redis) answer alike: a bucket
 * holds up to `burst` tokens, `perSecond` flow back in, and each request takes one. A bucket that
 * was never seen, or has expired, is full.
 */
export interface BucketLimits {
  perSecond: number;
  burst: number;
}

/** What a store keeps per key: the tokens left (fractional) at a moment in milliseconds. */
export interface BucketState {
  tokens: number;
  atMs: number;
}

/** The answer for one request, in the units of the RateLimit-* and Retry-After headers. */
export interface BucketVerdict {
  allowed: boolean;
  /** The bucket's size. */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Whole seconds until the bucket is full again. */
  resetSeconds: number;
  /** Whole seconds until one token is back (at least 1); 0 when allowed. */
  retryAfterSeconds: number;
}

/** Refills the bucket to `nowMs`, takes a token if one is there, and says what happened. */
export function takeToken(state: BucketState | undefined, nowMs: number, limits: BucketLimits): { state: BucketState; verdict: BucketVerdict } {
  let tokens = refilled(state, nowMs, limits);
  const allowed = tokens >= 1;
  if (allowed) tokens -= 1;
  return { state: { tokens, atMs: nowMs }, verdict: verdictOf(allowed, tokens, limits) };
}

/** The tokens in a bucket at `nowMs`; a clock that stepped back refills nothing. */
export function refilled(state: BucketState | undefined, nowMs: number, limits: BucketLimits): number {
  if (!state) return limits.burst;
  const elapsedMs = Math.max(0, nowMs - state.atMs);
  return Math.min(limits.burst, state.tokens + (elapsedMs * limits.perSecond) / 1000);
}

/** The verdict once a store has taken (or not) a token and `tokens` are left. */
export function verdictOf(allowed: boolean, tokens: number, limits: BucketLimits): BucketVerdict {
  return {
    allowed,
    limit: limits.burst,
    remaining: Math.floor(tokens),
    resetSeconds: Math.ceil((limits.burst - tokens) / limits.perSecond),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / limits.perSecond)),
  };
}

/** Milliseconds after which an untouched bucket is full, so a store may forget it. */
export function msUntilFull(tokens: number, limits: BucketLimits): number {
  return Math.ceil(((limits.burst - tokens) * 1000) / limits.perSecond);
}
