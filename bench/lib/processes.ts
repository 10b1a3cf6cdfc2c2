import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';

/** Benchmark processes, pinned to their own cores where taskset exists (server: 0, load: 1). */
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;

export function pinned(core: number, command: string, args: string[]): [string, string[]] {
  return hasTaskset ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  pid: number;
  /** Peak resident memory of the server process so far, in MB (Linux VmHWM). */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** Starts a node script on core 0 with this environment and waits until `readyPath` answers. */
export async function startServer(script: string[], env: Record<string, string>, readyPath = '/healthz'): Promise<RunningServer> {
  const port = await freePort();
  // BENCH_CPU_PROF_DIR: each server writes a V8 CPU profile there when it stops (read it for the top frames).
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const [command, args] = pinned(0, process.execPath, [...profile, ...script]);
  const child = spawn(command, args, { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(url + readyPath)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = serverPid(child);
  return { url, pid, peakRssMb: () => peakRssMb(pid), stop: () => stop(child) };
}

/** The node process itself, not taskset (taskset execs, so the pid is the same). */
function serverPid(child: ChildProcess): number {
  return child.pid!;
}

/** CPU time a process (all its threads) has used so far, in ms (Linux /proc, clock ticks of 10 ms). */
export function cpuTimeMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // After "pid (comm) ", utime and stime are the 12th and 13th fields.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a worker script on a core (1: beside the server) and returns the JSON it prints last. */
export async function runWorker<T>(script: string, input: unknown, core = 1): Promise<T> {
  // Inputs can be large (thousands of paths): they travel in a file, not in argv.
  const inputFile = join(mkdtempSync(join(tmpdir(), 'contactd-bench-input-')), 'input.json');
  writeFileSync(inputFile, JSON.stringify(input));
  const [command, args] = pinned(core, process.execPath, ['--import', 'tsx', script, inputFile]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  rmSync(dirname(inputFile), { recursive: true, force: true });
  if (code !== 0) throw new Error(`${script} failed with exit code ${code}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}
