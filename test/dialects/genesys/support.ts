import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import type { Response, TestApi } from '../../support/api.ts';
import { basic } from '../shared/basic-auth.ts';

export const BASE = '/genesys/api/v2';

export { basic } from '../shared/basic-auth.ts';

/** Calls the GWS mount with HTTP Basic and the given key (admin unless told). */
export function gws(api: TestApi) {
  return (method: InjectOptions['method'], path: string, body?: unknown, key: string = api.keys.admin): Promise<Response> =>
    api.call(method, `${BASE}${path}`, body, { key: null, headers: basic(api.accountId, key) });
}

/** A GWS error body: non-zero statusCode and a statusMessage, nothing else. */
export function assertGwsError(res: Response, status: number, statusCode: number): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(String(res.headers['content-type']), /application\/json/);
  assert.deepEqual(Object.keys(res.body).sort(), ['statusCode', 'statusMessage']);
  assert.equal(res.body.statusCode, statusCode, JSON.stringify(res.body));
  assert.equal(typeof res.body.statusMessage, 'string');
  assert.ok(res.body.statusMessage.length > 0);
}

/** Creates a user or queue through the native API (the directory is written there, by an admin key). */
export async function directoryEntry(api: TestApi, body: Record<string, unknown>): Promise<any> {
  return api.createContact(body);
}
