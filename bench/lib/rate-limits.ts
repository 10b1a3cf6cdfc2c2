// Rate limits on against off: two fresh nodes over the benchmark's database, alike but for
// RATE_LIMIT_PER_SECOND (0, or 1,000,000: far above the benchmark's rate, so that only the cost of
// taking a token shows), warmed alike and measured in turn as off, on, on, off (half the time each),
// so that neither gains from going first or last in a growing database.
import { runWorker, startServer, type RunningServer } from './processes.ts';
import type { LoadResult } from './load-worker.ts';

export interface RateLimitPlan {
  databaseUrl: string;
  key: string;
  lookupPaths: string[];
  rounds: number;
  seconds: number;
  connections: number;
  /** Where this scenario's unique phone numbers start. */
  createOffset: number;
}

export interface OffAndOn {
  off: LoadResult;
  on: LoadResult;
}

export async function compareRateLimits(plan: RateLimitPlan): Promise<{ lookups: OffAndOn[]; creates: OffAndOn[] }> {
  const env = { DATABASE_URL: plan.databaseUrl, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' };
  const nodes: RunningServer[] = [];
  try {
    const off = await startServer(['bin/contactd.js', 'serve'], { ...env, RATE_LIMIT_PER_SECOND: '0', REDIS_URL: '' });
    nodes.push(off);
    // BENCH_REDIS_URL puts the buckets in Redis; else they are in the node's memory.
    const on = await startServer(['bin/contactd.js', 'serve'], { ...env, RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '1000000', REDIS_URL: process.env.BENCH_REDIS_URL ?? '' });
    nodes.push(on);
    const load = (url: string, extra: object) => runWorker<LoadResult>('bench/lib/load-worker.ts', { url, key: plan.key, connections: plan.connections, seconds: plan.seconds, ...extra });
    let offset = plan.createOffset;
    const half = Math.max(1, Math.round(plan.seconds / 2));
    const lookup = (node: RunningServer, seconds = half) => load(node.url, { paths: plan.lookupPaths, seconds });
    const create = (node: RunningServer, seconds = half) => load(node.url, { createPath: '/v1/contacts', createOffset: (offset += 5_000_000), connections: 50, seconds });

    for (const node of [off, on]) {
      await lookup(node, 1);
      await create(node, 1);
    }
    const lookups: OffAndOn[] = [];
    const creates: OffAndOn[] = [];
    for (let round = 0; round < plan.rounds; round++) {
      lookups.push(await inTurn(() => lookup(off), () => lookup(on)));
      creates.push(await inTurn(() => create(off), () => create(on)));
      console.log(`round ${round + 1}, rate limits off / on: lookup ${Math.round(lookups[round]!.off.rps)} / ${Math.round(lookups[round]!.on.rps)}, create ${Math.round(creates[round]!.off.rps)} / ${Math.round(creates[round]!.on.rps)} req/s`);
    }
    return { lookups, creates };
  } finally {
    for (const node of nodes) await node.stop();
  }
}

/** Measures off, on, on, off and puts the halves of each together. */
async function inTurn(off: () => Promise<LoadResult>, on: () => Promise<LoadResult>): Promise<OffAndOn> {
  const offFirst = await off();
  const onFirst = await on();
  const onSecond = await on();
  return { on: joined(onFirst, onSecond), off: joined(offFirst, await off()) };
}

/** Two runs of equal length as one: mean rate, counts added, the worse latency. */
function joined(a: LoadResult, b: LoadResult): LoadResult {
  return {
    requests: a.requests + b.requests,
    rps: (a.rps + b.rps) / 2,
    p50: Math.max(a.p50, b.p50),
    p99: Math.max(a.p99, b.p99),
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    created: a.created + b.created,
  };
}
