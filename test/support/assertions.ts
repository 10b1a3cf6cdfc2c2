import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Response } from './api.ts';

/** A random lower-case word, for names that must not collide between tests. */
export function token(length = 8): string {
  return Array.from(randomBytes(length), (b) => String.fromCharCode(97 + (b % 26))).join('');
}

/** Checks the RFC 9457 shape every error of the API has, and its status and code; returns the body. */
export function assertProblem(res: Response, status: number, code?: string, context = ''): any {
  const where = `${context} ${res.raw.body.slice(0, 300)}`;
  assert.equal(res.status, status, `status ${where}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/, `content-type ${where}`);
  const body = res.body;
  for (const field of ['type', 'title', 'detail', 'code', 'request_id'] as const) {
    assert.equal(typeof body[field], 'string', `${field} is a string ${where}`);
    assert.ok(body[field].length > 0, `${field} is not empty ${where}`);
  }
  assert.equal(body.status, status, `body.status ${where}`);
  assert.match(body.code, /^[a-z][a-z0-9_]*$/, `code is snake_case ${where}`);
  assert.ok(res.headers['x-request-id'], `x-request-id header ${where}`);
  assert.equal(body.request_id, res.headers['x-request-id'], `request_id equals the x-request-id header ${where}`);
  if (code) assert.equal(body.code, code, `code ${where}`);
  return body;
}

/** A validation problem whose `errors` name the given field (among possibly others). */
export function assertNamesField(res: Response, path: string, context = ''): void {
  const body = assertProblem(res, 400, 'validation_failed', context);
  assert.ok(Array.isArray(body.errors) && body.errors.length > 0, `errors[] ${context}`);
  for (const e of body.errors) {
    assert.equal(typeof e.path, 'string', `errors[].path ${context}`);
    assert.equal(typeof e.message, 'string', `errors[].message ${context}`);
  }
  assert.ok(body.errors.some((e: { path: string }) => e.path === path), `${context}: errors name ${path}: ${JSON.stringify(body.errors)}`);
}
