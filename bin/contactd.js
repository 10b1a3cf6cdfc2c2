#!/usr/bin/env node
// contactd runs its TypeScript sources as one bundle that bin/server-bundle.js keeps up to date.
// Where it cannot be written (a read-only install), the sources run through tsx instead.
import { serverBundle } from './server-bundle.js';

let bundle;
try {
  bundle = await serverBundle();
} catch {
  bundle = undefined;
}
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
