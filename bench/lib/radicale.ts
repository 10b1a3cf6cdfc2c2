import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchContact } from './data.ts';
import { freePort, pinned } from './processes.ts';

/** Radicale (Debian package), the CardDAV server the CardDAV scenario measures against. */
export const radicaleInstalled = spawnSync('radicale', ['--version']).status === 0;

export interface RunningRadicale {
  url: string;
  /** The address book's path, with its trailing slash. */
  bookPath: string;
  /** HTTP Basic for the book's owner (auth is off: any password goes). */
  authorization: string;
  hrefOf(i: number): string;
  stop(): Promise<void>;
}

/** Bench contact i as the vCard 3.0 file a phone or an export would give Radicale. */
export function benchVCard(i: number): string {
  const c = benchContact(i);
  const types: Record<string, string> = { mobile: 'CELL', work: 'WORK' };
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:c${i}`,
    `FN:${c.first_name} ${c.last_name}`,
    `N:${c.last_name};${c.first_name};;;`,
    `ORG:${c.company}`,
    ...c.phone_numbers.map((p) => `TEL;TYPE=${types[p.type] ?? 'VOICE'}:${p.number}`),
    ...c.emails.map((e) => `EMAIL;TYPE=INTERNET,WORK:${e.address}`),
    'END:VCARD',
    '',
  ].join('\r\n');
}

/**
 * Starts Radicale on a free port with filesystem storage in a temp folder, holding `count` cards
 * written straight into the collection's folder (far faster than `count` PUTs). Radicale indexes
 * them on the first listing; the caller times that apart.
 */
export async function startRadicale(count: number): Promise<RunningRadicale> {
  const dir = mkdtempSync(join(tmpdir(), 'contactd-radicale-'));
  const book = join(dir, 'collections', 'collection-root', 'bench', 'book');
  mkdirSync(book, { recursive: true });
  writeFileSync(join(book, '.Radicale.props'), JSON.stringify({ tag: 'VADDRESSBOOK', 'D:displayname': 'bench' }));
  for (let i = 0; i < count; i++) writeFileSync(join(book, `c${i}.vcf`), benchVCard(i));
  const port = await freePort();
  writeFileSync(
    join(dir, 'config'),
    [
      '[server]', `hosts = 127.0.0.1:${port}`, 'timeout = 600',
      '[auth]', 'type = none',
      '[rights]', 'type = owner_only',
      '[storage]', `filesystem_folder = ${join(dir, 'collections')}`,
      '[web]', 'type = none',
      '[logging]', 'level = warning',
    ].join('\n'),
  );
  const [command, args] = pinned(0, 'radicale', ['--config', join(dir, 'config')]);
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`radicale exited (${child.exitCode}): ${stderr}`);
    try {
      await fetch(url + '/');
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`radicale did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    bookPath: '/bench/book/',
    authorization: `Basic ${Buffer.from('bench:bench').toString('base64')}`,
    hrefOf: (i) => `/bench/book/c${i}.vcf`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
