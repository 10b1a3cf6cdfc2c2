import type { FastifyRequest } from 'fastify';
import type { AccountService } from '../../core/directory/account.service.ts';
import type { Principal, Scope } from '../../core/types.ts';
import { bearerTokenOf } from '../../http/auth.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The scope a dialect route needs. Dialects check it in their own auth hook (so that a
     * refusal is in the platform's error format); the native Bearer hook ignores it.
     */
    platformScope?: Scope;
  }
}

/**
 * Why a caller was turned away: 401 (no or bad credential) or 403 (valid key, missing scope). A
 * 403 names the key's `caller`, so that the refusal counts against that key's rate limit.
 */
export type Refusal = { status: 401 | 403; message: string; caller?: Principal };
export type CallerResult = { principal: Principal; refusal?: undefined } | { principal?: undefined; refusal: Refusal };

/** `Authorization: Basic base64(user:password)`; null when absent or malformed. */
export function basicCredentialsOf(request: FastifyRequest): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Resolves the caller from an API key secret. `accountId`, when the platform's scheme names the
 * account too (HTTP Basic user name, a header, a path segment), must be the key's own account.
 */
export async function identifyCaller(accounts: AccountService, secret: string | null, scope: Scope, accountId?: string): Promise<CallerResult> {
  if (secret === null) return { refusal: { status: 401, message: 'credentials are required' } };
  const principal = await accounts.authenticate(secret);
  if (!principal) return { refusal: { status: 401, message: 'the API key is unknown or revoked' } };
  if (accountId !== undefined && accountId !== principal.accountId) return { refusal: { status: 401, message: 'the API key does not belong to this account' } };
  if (!principal.scopes.includes(scope)) return { refusal: { status: 403, message: `this API key lacks the ${scope} scope`, caller: principal } };
  return { principal };
}

/**
 * The usual pair for platforms that speak HTTP Basic (account id as user name, API key as
 * password); every dialect also takes `Authorization: Bearer <key>`.
 */
export async function identifyBasicOrBearer(request: FastifyRequest, accounts: AccountService, scope: Scope): Promise<CallerResult> {
  const bearer = bearerTokenOf(request);
  if (bearer !== null) return identifyCaller(accounts, bearer, scope);
  const basic = basicCredentialsOf(request);
  if (basic === null) return identifyCaller(accounts, null, scope);
  return identifyCaller(accounts, basic.password, scope, basic.user);
}
