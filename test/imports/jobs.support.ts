import assert from 'node:assert/strict';
import type { TestApi } from '../support/api.ts';

/** Shared by the import job suites: polling a job to its end, and writing an NDJSON file. */

/** Polls the job until it is final (10 s at most). */
export async function finished(api: TestApi, id: string, key?: string): Promise<any> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await api.call('GET', `/v1/imports/${id}`, undefined, key ? { key } : {});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    if (Date.now() > deadline) assert.fail(`import ${id} still ${res.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One JSON value per line; a string is written as it is (a line that is not JSON). */
export const ndjson = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
