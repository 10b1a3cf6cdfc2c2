import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpContext } from '../../http/context.ts';
import type { MountedDialect } from '../mounted.ts';
import { identifyKoreCaller } from './auth.ts';
import { KORE, failure, failureOf, sendFailure } from './errors.ts';
import { MAX_FILE_BYTES, registerKoreImport } from './import.ts';
import { registerKoreRoutes } from './routes.ts';

/** Where Kore.ai AgentAssist is mounted: as Kore serves it. */
export const KOREAI_PREFIX = '/agentassist/api/v1/public/:streamId/contacts';

/**
 * Kore.ai AgentAssist Contacts. A JWT in the `auth` header with the `accountId` header, or a
 * Bearer key; errors as `{"errors": [{"msg", "code"}]}`. Each stream is its own address book.
 */
export async function registerKoreaiDialect({ app, services }: HttpContext): Promise<MountedDialect> {
  await app.register(async (scope) => {
    // Only this dialect takes multipart bodies (POST /import-contacts); the file is streamed.
    await scope.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 20, parts: 40 } });

    scope.addHook('onRequest', async (request, reply) => {
      const needed = request.routeOptions.config.platformScope;
      if (!needed) return;
      const caller = await identifyKoreCaller(request, services.accounts, needed);
      if (caller.refusal) {
        const code = caller.refusal.status === 401 ? KORE.unauthorized : KORE.forbidden;
        return sendFailure(reply, failure(caller.refusal.status, code, caller.refusal.message));
      }
      request.principal = caller.principal;
    });

    scope.setErrorHandler(renderError);
    scope.setNotFoundHandler((request, reply) =>
      sendFailure(reply, failure(404, KORE.notFound, `No resource ${request.method} ${request.url.split('?')[0]}`)),
    );

    registerKoreRoutes(scope, services);
    registerKoreImport(scope, services);
  }, { prefix: KOREAI_PREFIX });
  // Framework errors come before routing: any path under the public API is Kore's.
  return { mount: '/agentassist/api/v1/public/', renderError };
}

function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const f = failureOf(error);
  if (f.status >= 500) request.log.error({ err: error }, 'request failed');
  return sendFailure(reply, f);
}
