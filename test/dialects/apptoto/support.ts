import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import type { Response, TestApi } from '../../support/api.ts';
import { basic } from '../shared/basic-auth.ts';

export const BASE = '/apptoto/v1';

export { basic } from '../shared/basic-auth.ts';

/** Calls the Apptoto mount with HTTP Basic and the given key (admin unless told). */
export function apptoto(api: TestApi) {
  return (method: InjectOptions['method'], path: string, body?: unknown, key: string = api.keys.admin): Promise<Response> =>
    api.call(method, `${BASE}${path}`, body, { key: null, headers: basic(api.accountId, key) });
}

/** The dialect's error body (README Decision): `{"code", "message", "fields"?}` and nothing else. */
export function assertApptotoError(res: Response, status: number, code: string, context = ''): any {
  assert.equal(res.status, status, `${context} ${JSON.stringify(res.body)}`);
  assert.match(String(res.headers['content-type']), /^application\/json/, context);
  assertFailureShape(res.body, code, context);
  return res.body;
}

/** A failed item of a POST or PUT answer: `{"status", "code", "message", "fields"?}`. */
export function assertItemFailure(entry: any, status: number, code: string, field?: string, context = ''): void {
  assert.equal(entry?.status, status, `${context} ${JSON.stringify(entry)}`);
  const { status: _, ...rest } = entry;
  assertFailureShape(rest, code, context);
  if (field !== undefined) assert.ok(entry.fields?.some((f: { field: string }) => f.field === field), `${context}: names ${field}: ${JSON.stringify(entry)}`);
}

function assertFailureShape(body: any, code: string, context: string): void {
  const keys = Object.keys(body).sort();
  assert.ok(JSON.stringify(keys) === '["code","message"]' || JSON.stringify(keys) === '["code","fields","message"]', `${context}: error keys ${keys}`);
  assert.equal(body.code, code, `${context} ${JSON.stringify(body)}`);
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length > 0);
  if (body.fields) for (const f of body.fields) assert.deepEqual(Object.keys(f).sort(), ['field', 'message']);
}
