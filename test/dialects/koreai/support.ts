import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { SignJWT, type JWTPayload } from 'jose';
import type { Response, TestApi } from '../../support/api.ts';

/** The mount of one stream (README: `/agentassist/api/v1/public/{streamId}/contacts`). */
export const base = (streamId: string) => `/agentassist/api/v1/public/${streamId}/contacts`;

/** A fresh stream id, Kore style, so that tests never share a stream's data. */
export const newStream = () => `st-${randomUUID()}`;

/**
 * README Decision: HS256, `appId` is the id of one of the account's API keys, `iat` set, signed
 * with that API key (the secret string) as the HMAC secret.
 */
export async function jwtFor(api: TestApi, key: string, claims: JWTPayload = {}, alg = 'HS256'): Promise<string> {
  const principal = await api.app.services.accounts.authenticate(key);
  assert.ok(principal, 'a live key');
  return new SignJWT({ appId: principal.keyId, ...claims }).setProtectedHeader({ alg }).setIssuedAt().sign(new TextEncoder().encode(key));
}

/** Kore's own headers: `auth: <JWT>` and `accountId`. */
export async function koreHeaders(api: TestApi, key: string = api.keys.admin): Promise<Record<string, string>> {
  return { auth: await jwtFor(api, key), accountId: api.accountId };
}

/** Calls one stream with Kore's JWT scheme (admin key unless told). */
export function kore(api: TestApi, streamId: string) {
  return async (method: InjectOptions['method'], path: string, body?: unknown, key: string = api.keys.admin): Promise<Response> =>
    api.call(method, `${base(streamId)}${path}`, body, { key: null, headers: await koreHeaders(api, key) });
}

/** A Kore error body: `{"errors": [{"msg", "code"}...]}` and nothing else. */
export function assertKoreError(res: Response, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.deepEqual(Object.keys(res.body), ['errors'], JSON.stringify(res.body));
  assert.ok(Array.isArray(res.body.errors) && res.body.errors.length > 0);
  for (const e of res.body.errors) {
    assert.equal(e.code, code, JSON.stringify(res.body));
    assert.equal(typeof e.msg, 'string');
    assert.ok(e.msg.length > 0);
  }
}

let counter = Math.floor(Math.random() * 1_000_000);
/** Ten national digits that make a possible Indian mobile number with +91, unique per test run. */
export function uniqueDigits(): string {
  counter = (counter + 1) % 10_000_000;
  return `987${String(counter).padStart(7, '0')}`;
}

export function createBody(digits: string = uniqueDigits(), names: { firstName?: string; lastName?: string } = {}) {
  return { firstName: names.firstName ?? 'John', lastName: names.lastName ?? 'Doe', salutation: 'Mr', cellPhone: { phoneNumber: digits, countryCode: '+91', extension: '+' } };
}
