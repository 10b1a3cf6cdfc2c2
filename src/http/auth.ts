import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountService } from '../core/directory/account.service.ts';
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
 * Resolves the caller of every route that declares a scope: 401 without a valid key, then the
 * key's rate limit (429), then 403 when the key lacks the scope.
 */
export async function authorize(request: FastifyRequest, reply: FastifyReply, accounts: AccountService, scope: Scope, secret: string | null): Promise<Principal> {
  const principal = secret === null ? null : await accounts.authenticate(secret);
  if (!principal) throw new DomainError('unauthorized', secret === null ? 'send an API key as "Authorization: Bearer <key>"' : 'the API key is unknown or revoked');
  await request.server.rateLimiter?.enforce(principal, reply);
  if (!principal.scopes.includes(scope)) throw new DomainError('forbidden', `this API key lacks the ${scope} scope`);
  request.principal = { ...principal, requestId: request.id };
  return request.principal;
}

export function registerBearerAuth(app: FastifyInstance, accounts: AccountService): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request, reply) => {
    const scope = request.routeOptions.config.scope;
    if (scope) await authorize(request, reply, accounts, scope, bearerTokenOf(request));
  });
}
