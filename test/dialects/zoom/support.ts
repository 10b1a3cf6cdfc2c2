import assert from 'node:assert/strict';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { InjectOptions } from 'fastify';
import type { TSchema } from 'typebox';
import { BatchAnswer } from '../../../src/dialects/zoom/contact-schemas.ts';
import { ZoomErrorBody } from '../../../src/dialects/zoom/schemas.ts';
import type { Response, TestApi } from '../../support/api.ts';
import { specResponses, type SpecResponses } from '../../support/spec-responses.ts';
import { specPath, vendorSpec } from '../../support/vendor-specs.ts';

export const BASE = '/zoom/v2/contact_center/address_books';

/** Every answer is held to Zoom's own OpenAPI file; the batch paths (not in it) to the dialect's schemas. */
export const ZOOM_SPEC = vendorSpec('zoom-contact-center-address-books-openapi.json');
let spec: SpecResponses | undefined;
const zoomSpec = (): SpecResponses => (spec ??= specResponses(specPath(ZOOM_SPEC), '/zoom/v2'));
const ajv = new Ajv.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const batchAnswer = ajv.compile(BatchAnswer as TSchema);
const errorBody = ajv.compile({ ...(ZoomErrorBody as object), additionalProperties: false });

/** Statuses the file declares only on some operations (401/403 on one, 413/415 on none): checked as Zoom error bodies. */
export function assertZoomResponse(method: string, url: string, res: Response): void {
  if (res.status >= 400) {
    assert.match(String(res.headers['content-type']), /^application\/json/, `${method} ${url}`);
    assert.ok(errorBody(res.body), `${method} ${url} ${res.status}: not a Zoom error body: ${JSON.stringify(res.body)}`);
  }
  const path = url.split('?')[0]!;
  if (path.endsWith('/contacts/batch')) {
    if (res.status === 200) assert.ok(batchAnswer(res.body), `${method} ${path}: ${ajv.errorsText(batchAnswer.errors)}`);
    else if (res.status < 400) assert.equal(res.status, 204);
    return;
  }
  const declaredElsewhere = [401, 403, 413, 415].includes(res.status) && !/\/contacts\/[^/]+\/custom_fields$/.test(path);
  if (!declaredElsewhere) zoomSpec().assertResponse(method, path, res.status, res.status === 204 ? undefined : res.body);
}

/** Calls the Zoom mount with a Bearer key (admin unless told; null: none) and checks the answer against the spec. */
export function zoom(api: TestApi) {
  return async (method: InjectOptions['method'], path: string, body?: unknown, key: string | null = api.keys.admin, headers?: Record<string, string>): Promise<Response> => {
    const res = await api.call(method, `${BASE}${path}`, body, { key, ...(headers ? { headers } : {}) });
    assertZoomResponse(String(method), `${BASE}${path}`, res);
    return res;
  };
}

/** A Zoom error: this status and code, `{"code", "message"}` and nothing else. */
export function assertZoomError(res: Response, status: number, code: number): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message']);
  assert.equal(res.body.code, code, JSON.stringify(res.body));
  assert.ok(typeof res.body.message === 'string' && res.body.message.length > 0);
}

/** A fresh book through Zoom; returns its id. */
export async function newZoomBook(call: ReturnType<typeof zoom>, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '', { address_book_name: `Book ${Math.random().toString(36).slice(2)}`, ...extra });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.address_book_id;
}
