import type { Kysely } from 'kysely';
import type { EngineName } from '../engine.ts';

/**
 * When a batch job last got an item's result. The heartbeat cannot tell: a node that takes a
 * job over renews it without doing any item. Jobs that make no progress for the configured time
 * end as `timeout` (core/batch-jobs/batch-job.service.ts). Older jobs start from their last change.
 */
export async function up(db: Kysely<any>, _engine: EngineName): Promise<void> {
  await db.schema.alterTable('batch_jobs').addColumn('progressed_at', 'text').execute();
  await db.updateTable('batch_jobs').set((eb) => ({ progressed_at: eb.ref('updated_at') })).execute();
}
