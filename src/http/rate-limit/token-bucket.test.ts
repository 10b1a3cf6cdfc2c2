import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryBucketStore } from './memory-store.ts';
import { takeToken, type BucketState } from './token-bucket.ts';

const limits = { perSecond: 2, burst: 3 };

test('a new bucket is full: the burst passes, the next request waits for one token', () => {
  let state: BucketState | undefined;
  const remaining: number[] = [];
  for (let n = 0; n < 3; n++) {
    const taken = takeToken(state, 1000, limits);
    assert.equal(taken.verdict.allowed, true);
    remaining.push(taken.verdict.remaining);
    state = taken.state;
  }
  assert.deepEqual(remaining, [2, 1, 0]);
  const refused = takeToken(state, 1000, limits);
  assert.equal(refused.verdict.allowed, false);
  assert.equal(refused.verdict.remaining, 0);
  // Half a second brings one token back at 2 a second: Retry-After rounds up to whole seconds.
  assert.equal(refused.verdict.retryAfterSeconds, 1);
  // Three tokens at 2 a second: full again in 1.5 s, said as 2.
  assert.equal(refused.verdict.resetSeconds, 2);
});

test('tokens flow back at the configured rate and never past the burst', () => {
  const empty = { tokens: 0, atMs: 0 };
  assert.equal(takeToken(empty, 499, limits).verdict.allowed, false);
  const after = takeToken(empty, 500, limits);
  assert.equal(after.verdict.allowed, true);
  assert.equal(after.state.tokens, 0);
  const later = takeToken(empty, 60_000, limits);
  assert.equal(later.verdict.remaining, 2, 'a minute later the bucket holds the burst, less this request');
});

test('a clock that steps back refills nothing, and takes nothing it should not', () => {
  const taken = takeToken({ tokens: 1.5, atMs: 10_000 }, 9_000, limits);
  assert.equal(taken.verdict.allowed, true);
  assert.equal(taken.state.tokens, 0.5);
});

test('a refusal with a slow refill says how many seconds until one token', () => {
  const slow = { perSecond: 1, burst: 10 };
  const refused = takeToken({ tokens: 0.25, atMs: 0 }, 0, slow);
  assert.equal(refused.verdict.allowed, false);
  assert.equal(refused.verdict.retryAfterSeconds, 1);
  assert.equal(refused.verdict.resetSeconds, 10);
});

test('the memory store keeps a bucket per key', () => {
  let now = 0;
  const store = new MemoryBucketStore({ perSecond: 1, burst: 1 }, () => now);
  assert.equal(store.take('a').allowed, true);
  assert.equal(store.take('a').allowed, false);
  assert.equal(store.take('b').allowed, true, 'another key has its own bucket');
  now = 1000;
  assert.equal(store.take('a').allowed, true, 'a second later one token is back');
});

test('the memory store stays bounded, dropping full buckets first and then the least recently used', () => {
  let now = 0;
  const store = new MemoryBucketStore({ perSecond: 1, burst: 2 }, () => now, 3);
  store.take('full-soon');
  now = 5000;
  store.take('busy');
  store.take('busy');
  store.take('other');
  // 'full-soon' has refilled completely: it goes, and 'busy' keeps its empty bucket.
  store.take('new');
  assert.equal(store.size, 3);
  assert.equal(store.take('busy').allowed, false, 'the busy bucket was kept');
  // Nothing is full now: the least recently used ('other') makes room.
  store.take('newer');
  assert.equal(store.size, 3);
  assert.equal(store.take('busy').allowed, false);
  assert.equal(store.take('other').remaining, 1, 'other was forgotten: its bucket is full again');
});
