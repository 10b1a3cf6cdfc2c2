import { Type } from 'typebox';
import type { Scope } from '../../core/types.ts';
import type { HttpContext } from '../context.ts';
import { IdParams, answer, errorResponses } from '../schemas/common.ts';

const tags = ['API keys'];
const admin = { scope: 'admin' as const };

/** The caller's identity (any key) and the account's keys (admin): what the console's sign-in and key page use. */
export function registerApiKeyRoutes({ app, services }: HttpContext): void {
  app.get('/v1/me', {
    config: { scope: 'contacts:read' },
    schema: { tags, summary: 'The caller', description: 'The account and key behind this request and every scope the key holds: a client shows only what these allow.', response: { 200: answer(Type.Ref('Me'), 'The caller.'), ...errorResponses() } },
  }, async (request) => ({ account_id: request.principal.accountId, key_id: request.principal.keyId, scopes: request.principal.scopes }));

  app.get('/v1/api-keys', {
    config: admin,
    schema: { tags, summary: 'List API keys', response: { 200: answer(Type.Ref('ApiKeyList'), 'Every key, revoked ones included.'), ...errorResponses() } },
  }, async (request) => ({ data: await services.accounts.keysOf(request.principal) }));

  app.post('/v1/api-keys', {
    config: admin,
    schema: { tags, summary: 'Create an API key', description: 'The answer holds the secret; it is never shown again.', body: Type.Ref('ApiKeyCreate'), response: { 201: answer(Type.Ref('ApiKeyCreated'), 'The key and its secret.'), ...errorResponses() } },
  }, async (request, reply) => {
    const { key, apiKey } = await services.accounts.createKeyFor(request.principal, (request.body as { scopes: Scope[] }).scopes);
    return reply.status(201).send({ key, api_key: apiKey });
  });

  app.delete('/v1/api-keys/:id', {
    config: admin,
    schema: { tags, summary: 'Revoke an API key', description: 'At once and for good; revoking a revoked key changes nothing.', params: IdParams, response: { 200: answer(Type.Ref('ApiKey'), 'The revoked key.'), ...errorResponses(404) } },
  }, async (request) => services.accounts.revokeKeyOf(request.principal, (request.params as { id: string }).id));
}
