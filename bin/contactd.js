#!/usr/bin/env node
// contactd runs its TypeScript sources directly through tsx: there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
