import type { HttpContext } from '../http/context.ts';
import type { MountedDialect } from './shared/mount.ts';
import { registerApptotoDialect } from './apptoto/index.ts';
import { registerEightByEightDialect } from './eightbyeight/index.ts';
import { registerGenesysDialect } from './genesys/index.ts';
import { registerKoreaiDialect } from './koreai/index.ts';
import { registerZoomDialect } from './zoom/index.ts';

/**
 * The platforms' contact APIs, each a thin translator in a folder of its own: its routes and
 * wire schemas, its auth, its error renderer, and the two mappings wire -> core -> wire.
 * Each registers as an encapsulated Fastify plugin under its mount, so its error and
 * not-found handlers answer in the platform's own format.
 */
export async function registerDialects(context: HttpContext): Promise<MountedDialect[]> {
  const dialects: ((context: HttpContext) => Promise<MountedDialect>)[] = [
    registerZoomDialect,
    registerGenesysDialect,
    registerEightByEightDialect,
    registerApptotoDialect,
    registerKoreaiDialect,
  ];
  const mounted: MountedDialect[] = [];
  for (const register of dialects) mounted.push(await register(context));
  return mounted;
}
