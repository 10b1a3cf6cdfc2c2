import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountService } from '../core/directory/account.service.ts';
import type { Scope } from '../core/types.ts';
import { identifyBasicOrBearer } from '../dialects/shared/credentials.ts';

/** What a client shows when it asks for a user and password: the account id and an API key. */
export const CHALLENGE = 'Basic realm="contactd", charset="UTF-8"';

/** Methods that change something need contacts:write; every other one reads. */
const WRITES = new Set(['PUT', 'DELETE', 'PROPPATCH', 'MKCOL', 'MOVE', 'COPY', 'POST']);

/**
 * Resolves the caller of every /dav request but OPTIONS (clients probe it first, without
 * credentials): HTTP Basic (account id as user name, API key as password) or Bearer. 401 carries
 * the Basic challenge, so that clients ask for the password; a read-only key writing is a 403.
 */
export function registerDavAuth(scope: FastifyInstance, accounts: AccountService): void {
  scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS') return;
    const needed: Scope = WRITES.has(request.method) ? 'contacts:write' : 'contacts:read';
    const result = await identifyBasicOrBearer(request, accounts, needed);
    const known = result.principal ?? result.refusal.caller;
    if (known) await scope.rateLimiter?.enforce(known, reply);
    if (result.refusal) {
      if (result.refusal.status === 401) reply.header('www-authenticate', CHALLENGE);
      return reply.code(result.refusal.status).type('text/plain; charset=utf-8').send(`${result.refusal.message}\n`);
    }
    request.principal = { ...result.principal, surface: 'dav', requestId: request.id };
  });
}
