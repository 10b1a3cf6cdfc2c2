import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountService } from '../core/account.service.ts';
import { DomainError } from '../core/errors.ts';
import type { Principal, Scope } from '../core/types.ts';
import type { RateLimiter } from './rate-limit/limiter.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
    /** Every surface takes a token per request once it knows the caller; null: limits are off. */
    rateLimiter: RateLimiter | null;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one (health, docs) need no key. */
    scope?: Scope;
  }
}

/** Reads `Authorization: Bearer <key>`; null when absent or not a bearer credential. */
export function bearerTokenOf(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match ? match[1]! : null;
}

/**
 * Resolves the caller of every route that declares a scope: 401 without a valid key,
 * 403 when the key lacks the scope. Dialects pass their own credential reader.
 */
export async function authorize(request: FastifyRequest, accounts: AccountService, scope: Scope, secret: string | null): Promise<Principal> {
  const principal = secret === null ? null : await accounts.authenticate(secret);
  if (!principal) throw new DomainError('unauthorized', secret === null ? 'send an API key as "Authorization: Bearer <key>"' : 'the API key is unknown or revoked');
  if (!principal.scopes.includes(scope)) throw new DomainError('forbidden', `this API key lacks the ${scope} scope`);
  request.principal = principal;
  return principal;
}

/** The native bearer hook; the caller's rate limit applies once the key is known (`app.rateLimiter`). */
export function registerBearerAuth(app: FastifyInstance, accounts: AccountService): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request, reply) => {
    const scope = request.routeOptions.config.scope;
    if (!scope) return;
    const principal = await authorize(request, accounts, scope, bearerTokenOf(request));
    await app.rateLimiter?.enforce(principal, reply);
  });
}
