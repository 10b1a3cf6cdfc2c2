import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpContext } from '../../http/context.ts';
import type { MountedDialect } from '../mounted.ts';
import { identifyBasicOrBearer } from '../shared/credentials.ts';
import { GWS, failureOf, sendFailure } from './errors.ts';
import { registerGenesysRoutes } from './routes.ts';

/** Where GWS is mounted: GWS serves `/api/v2/...`, contactd `/genesys/api/v2/...`. */
export const GENESYS_PREFIX = '/genesys/api/v2';

/**
 * Genesys Web Services 8.5 Contacts. HTTP Basic (account id : API key) or a Bearer key; every
 * answer, success or failure, carries a GWS `statusCode`.
 */
export async function registerGenesysDialect({ app, services }: HttpContext): Promise<MountedDialect> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      const needed = request.routeOptions.config.platformScope;
      if (!needed) return;
      const caller = await identifyBasicOrBearer(request, services.accounts, needed);
      if (caller.refusal) {
        const statusCode = caller.refusal.status === 401 ? GWS.notAuthenticated : GWS.noPermission;
        return sendFailure(reply, { status: caller.refusal.status, statusCode, statusMessage: caller.refusal.message });
      }
      request.principal = caller.principal;
    });

    scope.setErrorHandler(renderError);
    scope.setNotFoundHandler((request, reply) =>
      sendFailure(reply, { status: 404, statusCode: GWS.notFound, statusMessage: `No resource ${request.method} ${request.url.split('?')[0]}` }),
    );

    registerGenesysRoutes(scope, services);
  }, { prefix: GENESYS_PREFIX });
  return { mount: `${GENESYS_PREFIX}/`, renderError };
}

function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const failure = failureOf(error);
  if (failure.status >= 500) request.log.error({ err: error }, 'request failed');
  return sendFailure(reply, failure);
}
