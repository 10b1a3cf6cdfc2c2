import type { Kysely } from 'kysely';
import type { EngineName } from '../engine.ts';
import { rebuildSearchTerms } from '../search-terms.rebuild.ts';

/**
 * Messaging handles became search terms after contacts had been written without them (8x8's
 * search by a handle found only contacts written since). Rebuilds every contact's terms with the
 * function writes use, in chunks of 1000 by `seq`, on both engines.
 */
export async function up(db: Kysely<any>, engine: EngineName): Promise<void> {
  await rebuildSearchTerms(db, engine);
}
