// The running contactd is one esbuild bundle of its TypeScript sources, made again whenever a
// source is newer than it: there is still no build step to forget, a start costs no TypeScript
// loader (tsx's loader thread and its transpiled copies held about 45 MB of every server), and
// commands start faster. Packages stay outside the bundle, loaded from node_modules as usual.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = join(root, 'src/cli/main.ts');
const bundle = join(root, 'dist/contactd.mjs');

/** The bundle's path, made or remade first if a file under src/ or bin/ changed after it. */
export async function serverBundle() {
  const newest = Math.max(newestChange(join(root, 'src')), newestChange(join(root, 'bin')));
  if (changedAt(bundle) >= newest) return bundle;
  mkdirSync(join(root, 'dist'), { recursive: true });
  // Written aside and renamed: processes starting together never load a half-written bundle.
  const written = `${bundle}.${process.pid}.tmp`;
  try {
    // esbuild is loaded only to build: a start with a fresh bundle does not pay for it.
    const { build } = await import('esbuild');
    await build({
      entryPoints: [entry],
      outfile: written,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      // Names stay as written (error classes and logs show them).
      keepNames: true,
      logLevel: 'silent',
    });
    // Dated as the newest source it was made from: a file edited during the build is seen as newer.
    utimesSync(written, new Date(), new Date(newest));
    renameSync(written, bundle);
  } finally {
    rmSync(written, { force: true });
  }
  return bundle;
}

function changedAt(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, changedAt(join(entry.parentPath ?? entry.path, entry.name)));
  }
  return newest;
}
