/**
 * How batch jobs (8x8 batches) end besides completed and failed, tested through the core on
 * every engine. 8x8's file lists them in its `batch-status` enum: "queued", "inProgress",
 * "failed", "completed", "stopped", "timeout". It has no operation that stops a job, so contactd
 * stops one from the operator's side (`BatchJobService.stopJob`, `contactd batch stop`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BatchJobService } from '../../src/core/batch-jobs/batch-job.service.ts';
import type { BatchJob } from '../../src/core/batch-jobs/batch-job.types.ts';
import { DomainError } from '../../src/core/errors.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

for (const engine of engines) {
  describe(`batch jobs that are stopped or time out, on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    /** An unfinished create job of `items` numbers, owned by `owner`, its first item done. */
    async function jobWithOneItemDone(owner: string, heartbeat: string, progressed: string): Promise<BatchJob> {
      const admin = api.admin;
      const items = [0, 1, 2].map(() => ({ input: { phone_numbers: [{ number: uniquePhone() }] } }));
      return api.db.store.transaction(async (tx) => {
        const job = await tx.batchJobs.insert({
          id: crypto.randomUUID(), account_id: admin.accountId, key_id: admin.keyId, scopes: admin.scopes, surface: '8x8', kind: 'create_contacts', status: 'in_progress',
          payload: { items }, total: 3, processed: 0, succeeded: 0, merged: 0, failed: 0, owner, heartbeat_at: heartbeat, progressed_at: progressed,
          error: null, created_at: progressed, updated_at: progressed, finished_at: null,
        });
        const result = { index: 0, status: 'succeeded' as const, ref: null, ref_seq: null, code: null, message: null };
        assert.ok(await tx.batchJobs.recordProgress(job.id, owner, { processed: 1, succeeded: 1, merged: 0, failed: 0, results: [result], status: 'in_progress', finished_at: null }, progressed));
        // recordProgress stamps its own time; put the clocks back where the case wants them.
        await tx.batchJobs.claim(job.id, owner, progressed, heartbeat);
        return job;
      });
    }

    const progressOf = (store: TestApi['db']['store'], job: BatchJob, owner: string) =>
      store.transaction((tx) => tx.batchJobs.recordProgress(job.id, owner, { processed: 1, succeeded: 1, merged: 0, failed: 0, results: [{ index: 1, status: 'succeeded', ref: null, ref_seq: null, code: null, message: null }], status: 'in_progress', finished_at: null }, new Date().toISOString()));

    test('stopJob: an unfinished job ends as stopped with what it did; its owner records no further chunk; no node resumes it; a final job stays as it is', async () => {
      const store = api.db.store;
      const job = await jobWithOneItemDone('dead', minutesAgo(5), minutesAgo(5));
      const node = new BatchJobService(store, { defaultRegion: 'US', staleAfterMs: 60_000 });
      const stopped = await node.stopJob(api.admin, job.id);
      assert.deepEqual([stopped.status, stopped.processed, stopped.succeeded, stopped.finished_at !== null], ['stopped', 1, 1, true]);
      assert.equal(await progressOf(store, job, 'dead'), false, 'the owner cannot record a chunk');
      await node.resumeUnfinished();
      await node.stop();
      const after = (await store.batchJobs.find(api.admin.accountId, job.id))!;
      assert.deepEqual([after.status, after.owner, after.processed], ['stopped', 'dead', 1], 'not taken over');
      assert.deepEqual((await store.batchJobs.results(job.id)).map((r) => r.index), [0], 'keeps what it wrote');
      assert.equal((await node.stopJob(api.admin, job.id)).status, 'stopped', 'stopping again changes nothing');

      const done = await api.app.services.batchJobs.submit(api.admin, { kind: 'delete_contacts', seqs: [999999999] });
      let current = done;
      for (let i = 0; i < 200 && current.status !== 'completed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        current = await api.app.services.batchJobs.get(api.admin, done.id);
      }
      assert.equal((await node.stopJob(api.admin, done.id)).status, 'completed', 'a final job is left as it is');
      const other = await api.otherAccount();
      await assert.rejects(node.stopJob({ accountId: other.accountId }, job.id), (e) => e instanceof DomainError && e.code === 'not_found');
    });

    test('stopJob on a running job: the runner stops at its next chunk; every item with a result was done, no item after it was', async () => {
      const store = api.db.store;
      const node = new BatchJobService(store, { defaultRegion: 'US', chunkSize: 1 });
      const phones = Array.from({ length: 300 }, () => uniquePhone());
      const job = await node.submit(api.admin, { kind: 'create_contacts', items: phones.map((number) => ({ input: { phone_numbers: [{ number }] } })) });
      await node.stopJob(api.admin, job.id);
      await node.stop(); // waits for the runner to return
      const ended = (await store.batchJobs.find(api.admin.accountId, job.id))!;
      const results = await store.batchJobs.results(job.id);
      assert.equal(ended.status, 'stopped');
      assert.ok(ended.processed < phones.length, 'stopped before the end');
      assert.deepEqual([results.length, ended.succeeded], [ended.processed, ended.processed]);
      for (const [index, phone] of phones.entries()) {
        const found = await store.contacts.lookup(api.admin.accountId, 'phone', phone, 2);
        assert.equal(found.length, index < ended.processed ? 1 : 0, `item ${index} of ${ended.processed} done`);
      }
    });

    test('timeout: a job with no item done within the timeout ends as timeout at the next sweep, though a node died with it or took it over meanwhile; a stale job that progressed lately is taken over instead', async () => {
      const store = api.db.store;
      const abandoned = await jobWithOneItemDone('dead', minutesAgo(20), minutesAgo(20));
      // Taken over a moment ago by a node that then did nothing: the takeover does not reset the clock.
      const retaken = await jobWithOneItemDone('stuck', new Date().toISOString(), minutesAgo(20));
      const recent = await jobWithOneItemDone('dead', minutesAgo(2), minutesAgo(2));
      const node = new BatchJobService(store, { defaultRegion: 'US', staleAfterMs: 60_000, timeoutMs: 10 * 60_000 });
      await node.resumeUnfinished();
      let resumed = (await store.batchJobs.find(api.admin.accountId, recent.id))!;
      for (let i = 0; i < 200 && resumed.status !== 'completed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        resumed = (await store.batchJobs.find(api.admin.accountId, recent.id))!;
      }
      await node.stop();
      assert.deepEqual([resumed.status, resumed.owner, resumed.processed], ['completed', node.nodeId, 3]);
      for (const [job, owner] of [[abandoned, 'dead'], [retaken, 'stuck']] as const) {
        const ended = (await store.batchJobs.find(api.admin.accountId, job.id))!;
        assert.deepEqual([ended.status, ended.owner, ended.processed, ended.finished_at !== null], ['timeout', owner, 1, true]);
        assert.match(ended.error ?? '', /no item was done for 600 seconds/);
        assert.deepEqual((await store.batchJobs.results(job.id)).map((r) => r.index), [0], 'keeps what it wrote');
        assert.equal(await progressOf(store, job, owner), false, 'its owner records no further chunk');
      }
    });
  });
}
