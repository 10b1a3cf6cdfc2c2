import type { HttpContext } from '../http/context.ts';
import { registerEightByEightDialect } from './eightbyeight/index.ts';
import { registerGenesysDialect } from './genesys/index.ts';

/**
 * The platforms' contact APIs, each a thin translator in a folder of its own: its routes and
 * wire schemas, its auth, its error renderer, and the two mappings wire -> core -> wire.
 * Each registers as an encapsulated Fastify plugin under its mount, so its error and
 * not-found handlers answer in the platform's own format.
 */
export async function registerDialects(context: HttpContext): Promise<void> {
  const dialects: ((context: HttpContext) => Promise<void>)[] = [
    // one line per dialect, e.g. registerZoomDialect
    registerGenesysDialect,
    registerEightByEightDialect,
  ];
  for (const register of dialects) await register(context);
}
