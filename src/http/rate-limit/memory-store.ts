import { msUntilFull, takeToken, type BucketLimits, type BucketState, type BucketVerdict } from './token-bucket.ts';

/** Where buckets live: this process's memory, or Redis so that every node shares them. */
export interface BucketStore {
  take(key: string): BucketVerdict | Promise<BucketVerdict>;
  /** Resolves once the store can answer, or has had its chance to (the app starts either way). */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

/** Keys kept before the oldest are dropped: far more API keys than one deployment has. */
const MAX_BUCKETS = 100_000;
/** How many of the oldest buckets one eviction looks at for full ones. */
const EVICTION_SCAN = 1000;

/**
 * Buckets in a Map, for a single node. Bounded: when full, buckets that have refilled completely
 * are dropped first (forgetting them changes nothing: a missing bucket is full), then the least
 * recently used.
 */
export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    private readonly limits: BucketLimits,
    private readonly now: () => number = Date.now,
    private readonly maxBuckets = MAX_BUCKETS,
  ) {}

  take(key: string): BucketVerdict {
    const now = this.now();
    const previous = this.buckets.get(key);
    const { state, verdict } = takeToken(previous, now, this.limits);
    // Delete then set: Map order becomes least recently used first.
    if (previous) this.buckets.delete(key);
    else if (this.buckets.size >= this.maxBuckets) this.evict(now);
    this.buckets.set(key, state);
    return verdict;
  }

  get size(): number {
    return this.buckets.size;
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }

  private evict(now: number): void {
    let scanned = 0;
    for (const [key, state] of this.buckets) {
      if (++scanned > EVICTION_SCAN) break;
      if (now - state.atMs >= msUntilFull(state.tokens, this.limits)) this.buckets.delete(key);
    }
    while (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
