import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readConfig } from '../../../src/config.ts';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, type TestApi } from '../../support/api.ts';
import { EIGHT_BY_EIGHT_SPEC, eightByEight, msisdn, type Call } from './support.ts';

/**
 * The file's `batch-status` enum: "queued", "inProgress", "failed", "completed", "stopped",
 * "timeout" ("The status of the batch job"). The file has no operation that stops a job: an
 * operator stops one (`contactd batch stop`, core `stopJob`); a job with no item done within
 * BATCH_JOB_TIMEOUT_SECONDS ends as timeout. Every answer here is held to the file by `call`.
 */
for (const engine of engines) {
  describeWithSpec(EIGHT_BY_EIGHT_SPEC, `8x8 batch jobs stopped and timed out, on ${engine.name}`, () => {
    let api: TestApi;
    let call: Call;
    before(async () => {
      api = await startApi(engine, { BATCH_JOB_TIMEOUT_SECONDS: '1' });
      call = eightByEight(api);
    });
    after(() => api.close());

    /** A createContacts job accepted by a node that died after its first row, `ageMs` ago. */
    async function abandonedJob(ageMs: number): Promise<string> {
      const admin = api.admin;
      const old = new Date(Date.now() - ageMs).toISOString();
      const items = [msisdn(), msisdn()].map((n) => ({ input: { phone_numbers: [{ number: `+${n}` }] } }));
      return api.db.store.transaction(async (tx) => {
        const job = await tx.batchJobs.insert({
          id: crypto.randomUUID(), account_id: admin.accountId, key_id: admin.keyId, scopes: admin.scopes, surface: '8x8', kind: 'create_contacts', status: 'in_progress',
          payload: { items, fileName: 'left.csv' }, total: 2, processed: 0, succeeded: 0, merged: 0, failed: 0, owner: 'a-node-that-died', heartbeat_at: old, progressed_at: old,
          error: null, created_at: old, updated_at: old, finished_at: null,
        });
        const result = { index: 0, status: 'failed' as const, ref: null, ref_seq: null, code: '1002', message: 'Invalid MSISDN format (not E.164 international number)' };
        await tx.batchJobs.recordProgress(job.id, 'a-node-that-died', { processed: 1, succeeded: 0, merged: 0, failed: 1, results: [result], status: 'in_progress', finished_at: null }, old);
        return job.id;
      });
    }

    test('BATCH_JOB_TIMEOUT_SECONDS: default 3600 (0 turns the timeout off); anything but whole seconds stops the start', () => {
      assert.equal(readConfig({}).batchJobTimeoutSeconds, 3600);
      assert.equal(readConfig({ BATCH_JOB_TIMEOUT_SECONDS: '0' }).batchJobTimeoutSeconds, 0);
      for (const bad of ['-1', '1.5', 'soon', '']) assert.throws(() => readConfig({ BATCH_JOB_TIMEOUT_SECONDS: bad }), /BATCH_JOB_TIMEOUT_SECONDS must be a whole number of seconds/);
    });

    test('spec batch-status "timeout": a job with no row done within BATCH_JOB_TIMEOUT_SECONDS reads timeout at the next sweep, with the rows it did', async () => {
      const id = await abandonedJob(5_000);
      assert.equal((await call('GET', `/batches/${id}`)).body.status, 'inProgress');
      await api.app.services.batchJobs.resumeUnfinished(); // what every node does at start and every 30 s
      const job = (await call('GET', `/batches/${id}`)).body;
      assert.deepEqual([job.status, job.totalRows, job.processedRows, job.errorRows], ['timeout', 2, 1, 1]);
      assert.deepEqual(job.results, [{ item: 0, status: 'failed', error: { code: 1002, message: 'Invalid MSISDN format (not E.164 international number)' } }]);
      const listed = (await call('GET', '/batches?type=createContacts&limit=50')).body.items.find((j: any) => j.id === id);
      assert.equal(listed.status, 'timeout');
    });

    test('spec batch-status "stopped": a job stopped by the operator reads stopped and keeps its results; it is neither resumed nor timed out after', async () => {
      const id = await abandonedJob(0);
      await api.app.services.batchJobs.stopJob(api.admin, id);
      const job = (await call('GET', `/batches/${id}`)).body;
      assert.deepEqual([job.status, job.processedRows, job.results.length], ['stopped', 1, 1]);
      await api.app.services.batchJobs.resumeUnfinished();
      assert.equal((await call('GET', `/batches/${id}`)).body.status, 'stopped', 'neither resumed nor timed out');
    });
  });
}
