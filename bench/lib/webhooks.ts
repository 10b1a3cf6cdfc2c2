// Create throughput with one webhook endpoint against none (issue 10 §6): one node over the
// benchmark's database, a local receiver answering 204, and create runs measured in turn as
// none, one, one, none (half the time each). The endpoint is created before each "one" run and
// deleted after it, so that a run never starts with a backlog; after each "one" run the bench
// waits until every created contact was delivered, and reports how long that took.
import { createServer } from 'node:http';
import { runWorker, startServer } from './processes.ts';
import type { LoadResult } from './load-worker.ts';
import type { OffAndOn } from './rate-limits.ts';

export interface WebhookPlan {
  databaseUrl: string;
  key: string;
  rounds: number;
  seconds: number;
  /** Where this scenario's unique phone numbers start. */
  createOffset: number;
}

export interface WebhookCost {
  creates: OffAndOn[];
  /** Contacts created while an endpoint existed, and how many of them it received. */
  created: number;
  delivered: number;
  /** The longest wait, after a run, for the receiver to have every event (ms). */
  drainMs: number;
  /** Failed attempts (a local receiver answering 204 should see none), with why. */
  failures: string[];
  /** Every contact the scenario created (for the lost-write count). */
  total: number;
}

export async function compareWebhookCost(plan: WebhookPlan): Promise<WebhookCost> {
  const seen = new Set<string>();
  const receiver = createServer((req, res) => {
    seen.add(String(req.headers['webhook-id']));
    req.resume().on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const node = await startServer(['bin/contactd.js', 'serve'], { DATABASE_URL: plan.databaseUrl, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', RATE_LIMIT_PER_SECOND: '0', REDIS_URL: '', WEBHOOK_ALLOW_PRIVATE: 'true' });
  const api = async (method: string, path: string, body?: unknown) => {
    const res: Response = await fetch(`${node.url}${path}`, { method, headers: { authorization: `Bearer ${plan.key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : ((await res.json()) as any);
  };
  let offset = plan.createOffset;
  let created = 0;
  let drainMs = 0;
  let total = 0;
  const failures: string[] = [];
  const half = Math.max(1, Math.round(plan.seconds / 2));
  const create = async (seconds = half) => {
    const result = await runWorker<LoadResult>('bench/lib/load-worker.ts', { url: node.url, key: plan.key, connections: 50, seconds, createPath: '/v1/contacts', createOffset: (offset += 5_000_000) });
    total += result.created;
    return result;
  };
  const withEndpoint = async (seconds = half): Promise<LoadResult> => {
    const hook = (await api('POST', '/v1/webhooks', { url: hookUrl, event_types: ['contact.created'] }))!;
    const before = seen.size;
    const result = await create(seconds);
    const began = Date.now();
    // Requests cut off at the run's end may still have created contacts: wait for at least every 201.
    while (seen.size - before < result.created && Date.now() - began < 120_000) await new Promise((r) => setTimeout(r, 50));
    drainMs = Math.max(drainMs, Date.now() - began);
    created += result.created;
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page = await api('GET', `/v1/webhooks/${hook.id}/deliveries?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      for (const d of page.data as { status_code: number | null; error: string | null }[]) if (d.status_code === null || d.status_code >= 300) failures.push(d.error ?? String(d.status_code));
      cursor = page.next_cursor;
    }
    await api('DELETE', `/v1/webhooks/${hook.id}`);
    return result;
  };
  try {
    await create(1);
    await withEndpoint(1);
    const creates: OffAndOn[] = [];
    for (let round = 0; round < plan.rounds; round++) {
      const noneFirst = await create();
      const oneFirst = await withEndpoint();
      const oneSecond = await withEndpoint();
      creates.push({ off: joined(noneFirst, await create()), on: joined(oneFirst, oneSecond) });
      console.log(`round ${round + 1}, create with no webhook / one webhook: ${Math.round(creates[round]!.off.rps)} / ${Math.round(creates[round]!.on.rps)} req/s`);
    }
    return { creates, created, delivered: seen.size, drainMs, total, failures };
  } finally {
    await node.stop();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

function joined(a: LoadResult, b: LoadResult): LoadResult {
  return { requests: a.requests + b.requests, rps: (a.rps + b.rps) / 2, p50: Math.max(a.p50, b.p50), p99: Math.max(a.p99, b.p99), non2xx: a.non2xx + b.non2xx, errors: a.errors + b.errors, created: a.created + b.created };
}
