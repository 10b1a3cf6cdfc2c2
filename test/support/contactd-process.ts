import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

/** The repository's root, where `bin/contactd.js` runs from. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The environment for a `contactd` child: this process's, less the settings contactd reads and
 * the test runner's own (a child must not think it is a test), plus `settings`.
 */
export function contactdEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'PORT', 'HOST', 'LOG_LEVEL', 'DEFAULT_REGION', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS', 'TEST_DATABASE_URL']) delete env[name];
  return { ...env, ...settings };
}

/** A `contactd serve` child: its process, base URL, port and everything it printed. */
export interface ServedProcess {
  child: ChildProcess;
  base: string;
  port: number;
  output: () => string;
}

/** Starts `contactd serve` on a free port with these settings and waits until /healthz answers (90 s at most: a loaded CI machine starts tsx slowly). */
export async function startContactd(settings: Record<string, string>): Promise<ServedProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/contactd.js', 'serve'], {
    cwd: ROOT,
    env: contactdEnv({ PORT: String(port), HOST: '127.0.0.1', ...settings }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`contactd serve exited (${child.exitCode ?? child.signalCode}): ${output}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return { child, base, port, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`contactd serve did not answer /healthz within 90 s: ${output}`);
}
