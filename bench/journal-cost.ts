// npm run bench:journal: what the change journal costs a create, as a ratio in one run. The same
// create load goes in turn to this checkout and to a baseline build from before the journal
// (BENCH_BASELINE_REF, default the last commit without it), each on a fresh database of its own,
// measured as baseline, current, current, baseline in each round so that neither gains from its
// place. SQLite always; PostgreSQL too with BENCH_DATABASE_URL.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBenchDatabase } from './lib/databases.ts';
import type { LoadResult } from './lib/load-worker.ts';
import { runWorker, startServer, type RunningServer } from './lib/processes.ts';
import { median, spread } from './lib/report.ts';

const baselineRef = process.env.BENCH_BASELINE_REF ?? 'd1c486d';
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const engines = ['sqlite', ...(process.env.BENCH_DATABASE_URL ? ['postgres'] : [])] as ('sqlite' | 'postgres')[];

const baselineDir = mkdtempSync(join(tmpdir(), 'contactd-baseline-'));
execFileSync('git', ['worktree', 'add', '--detach', baselineDir, baselineRef], { stdio: 'ignore' });
symlinkSync(resolve('node_modules'), join(baselineDir, 'node_modules'));
console.log(`baseline: ${baselineRef} (${execFileSync('git', ['log', '-1', '--format=%s', baselineRef]).toString().trim().slice(0, 80)})`);
try {
  for (const engine of engines) await compare(engine);
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', baselineDir]);
  rmSync(baselineDir, { recursive: true, force: true });
}

async function compare(engine: 'sqlite' | 'postgres'): Promise<void> {
  const builds = [
    { name: 'baseline', bin: join(baselineDir, 'bin/contactd.js') },
    { name: 'current', bin: 'bin/contactd.js' },
  ];
  const nodes: { server: RunningServer; key: string; drop: () => Promise<void> }[] = [];
  try {
    for (const build of builds) {
      const db = await createBenchDatabase(engine);
      const env = { DATABASE_URL: db.url, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', RATE_LIMIT_PER_SECOND: '0', REDIS_URL: '' };
      // Each build makes its own account with its own CLI, on its own schema.
      const created = JSON.parse(execFileSync(process.execPath, [build.bin, 'account', 'create', '--name', 'bench'], { env: { ...process.env, ...env } }).toString());
      nodes.push({ server: await startServer([build.bin, 'serve'], env), key: created.api_key, drop: db.drop });
    }
    const [baseline, current] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    let offset = 300_000_000;
    const create = (node: (typeof nodes)[0], span: number) =>
      runWorker<LoadResult>('bench/lib/load-worker.ts', { url: node.server.url, key: node.key, connections: 50, seconds: span, createPath: '/v1/contacts', createOffset: (offset += 5_000_000) });
    const half = Math.max(1, Math.round(seconds / 2));
    for (const node of nodes) await create(node, 1);
    const ratios: number[] = [];
    const rates: { baseline: number; current: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      const b1 = await create(baseline, half);
      const c1 = await create(current, half);
      const c2 = await create(current, half);
      const b2 = await create(baseline, half);
      const failures = [b1, c1, c2, b2].reduce((n, r) => n + r.non2xx + r.errors, 0);
      if (failures > 0) throw new Error(`${failures} creates failed`);
      const rate = { baseline: (b1.rps + b2.rps) / 2, current: (c1.rps + c2.rps) / 2 };
      rates.push(rate);
      ratios.push(rate.current / rate.baseline);
      console.log(`${engine} round ${round + 1}: create ${Math.round(rate.current)} req/s with the journal, ${Math.round(rate.baseline)} without (${Math.round((rate.current / rate.baseline) * 100)} %)`);
    }
    console.log(
      `${engine}: create with the journal at ${Math.round(median(ratios) * 100)} % of without (rounds ${spread(ratios)}; ` +
        `${Math.round(median(rates.map((r) => r.current)))} vs ${Math.round(median(rates.map((r) => r.baseline)))} req/s, 50 connections)`,
    );
  } finally {
    for (const node of nodes) {
      await node.server.stop();
      await node.drop();
    }
  }
}
