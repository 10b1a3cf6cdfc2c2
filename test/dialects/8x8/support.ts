import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { InjectOptions } from 'fastify';
import type { Response, TestApi } from '../../support/api.ts';
import { specResponses, type SpecResponses } from '../../support/spec-responses.ts';
import { specPath, vendorSpec } from '../../support/vendor-specs.ts';

const ajv = new Ajv.default({ strict: false, allErrors: true });
addFormats.default(ajv);

export const EIGHT_BY_EIGHT_SPEC = vendorSpec('8x8-connect-contacts-openapi.json');

/** The file's answers, and its own error schema, read once on first use (only suites that have the file use them). */
let checks: { spec: SpecResponses; validError: ValidateFunction } | undefined;
function specChecks(): NonNullable<typeof checks> {
  if (checks) return checks;
  const path = specPath(EIGHT_BY_EIGHT_SPEC);
  /*
   * The file's own error schema (`ErrorResponse`, declared under POST groups 409 and referenced by
   * every error answer), for statuses an operation does not declare but the README requires
   * (401, 403 on every route; 400 for a bad body where only 404 is declared).
   */
  const document = JSON.parse(readFileSync(path, 'utf8'));
  const errorSchema = document.paths['/api/v1/accounts/{accountId}/groups'].post.responses['409'].content['application/json'].schema;
  assert.equal(errorSchema.title, 'ErrorResponse');
  checks = { spec: specResponses(path, '/8x8'), validError: ajv.compile(errorSchema) };
  return checks;
}

/** The 8x8 file's declared answers. */
export const spec: SpecResponses = { assertResponse: (...args) => specChecks().spec.assertResponse(...args) };

/** Holds a response to the 8x8 file: its declared status and schema, or else (an error status) the file's ErrorResponse. */
export function assertSpec(method: string, url: string, res: Response): void {
  if (res.status === 204) {
    // HTTP forbids a body on 204. The file gives DELETE groups/{groupId} 204 a content schema (its
    // 404 example, misplaced); the status must still be declared, and the body is empty.
    assert.equal(res.raw.body, '', `${method} ${url}: a 204 has no body`);
    return assertDeclares(method, url, 204);
  }
  try {
    spec.assertResponse(method, url, res.status, res.body);
  } catch (error) {
    if (!(res.status >= 400 && /does not declare status/.test((error as Error).message))) throw error;
    const { validError } = specChecks();
    assert.ok(validError(res.body), `${method} ${url} ${res.status}: ${ajv.errorsText(validError.errors)} ${JSON.stringify(res.body)}`);
  }
}

export type Call = (method: InjectOptions['method'], path: string, body?: unknown, options?: { key?: string | null; headers?: Record<string, string> }) => Promise<Response>;

/** Calls `/8x8/api/v1/accounts/{the account}{path}` with a Bearer key (admin unless told) and holds every answer to the file. */
export function eightByEight(api: TestApi, accountId: string = api.accountId): Call {
  return async (method, path, body, options = {}) => {
    const url = `/8x8/api/v1/accounts/${accountId}${path}`;
    const res = await api.call(method, url, body, options);
    assertSpec(String(method), url, res);
    return res;
  };
}

/** An 8x8 error body: code, message, errorId (a UUID), timestamp; nothing else. */
export function assertError(res: Response, status: number, code: number): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.deepEqual(Object.keys(res.body).sort(), ['code', 'errorId', 'message', 'timestamp']);
  assert.equal(res.body.code, code, JSON.stringify(res.body));
  assert.match(res.body.errorId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.ok(!Number.isNaN(Date.parse(res.body.timestamp)));
}

/** Unique E.164 digits (no plus) per call, so tests never share an address. */
let counter = Math.floor(Math.random() * 1_000_000);
export function msisdn(): string {
  counter = (counter + 1) % 10_000_000;
  return `1651${String(counter).padStart(7, '0')}`;
}

/** Polls GET batches/{id} until the job is no longer queued or in progress. */
export async function waitForJob(call: Call, id: string): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const res = await call('GET', `/batches/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (!['queued', 'inProgress'].includes(res.body.status)) return res.body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`job ${id} did not finish`);
}

/** A multipart/form-data body with a file (text or bytes) and fields, as app.inject takes it. */
export function multipart(fields: Record<string, string>, file?: { name: string; content: string | Buffer; type?: string }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----contactd${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`));
    parts.push(Buffer.from(file.content), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The operation declares this status (checked through the validator, with a body its schema may refuse). */
function assertDeclares(method: string, url: string, status: number): void {
  try {
    spec.assertResponse(method, url, status, {});
  } catch (error) {
    assert.doesNotMatch((error as Error).message, /does not declare status|is not an operation/, `${method} ${url}`);
  }
}
