import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpContext } from '../../http/context.ts';
import type { MountedDialect } from '../mounted.ts';
import { identifyBasicOrBearer } from '../shared/credentials.ts';
import { failureOf, sendFailure } from './errors.ts';
import { registerApptotoRoutes } from './routes.ts';

/** Where Apptoto is mounted: Apptoto serves `https://api.apptoto.com/v1/...`, contactd `/apptoto/v1/...`. */
export const APPTOTO_PREFIX = '/apptoto/v1';

/**
 * Apptoto API v1 contacts and address books. HTTP Basic (account id : API key) or a Bearer key;
 * failures as `{"code", "message", "fields"?}` (README Decision).
 */
export async function registerApptotoDialect({ app, services }: HttpContext): Promise<MountedDialect> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      const needed = request.routeOptions.config.platformScope;
      if (!needed) return;
      const caller = await identifyBasicOrBearer(request, services.accounts, needed);
      if (caller.refusal) {
        const code = caller.refusal.status === 401 ? 'unauthorized' : 'forbidden';
        return sendFailure(reply, { status: caller.refusal.status, code, message: caller.refusal.message });
      }
      request.principal = caller.principal;
    });

    scope.setErrorHandler(renderError);
    scope.setNotFoundHandler((request, reply) =>
      sendFailure(reply, { status: 404, code: 'not_found', message: `no resource ${request.method} ${request.url.split('?')[0]}` }),
    );

    registerApptotoRoutes(scope, services);
  }, { prefix: APPTOTO_PREFIX });
  return { mount: `${APPTOTO_PREFIX}/`, renderError };
}

function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const failure = failureOf(error);
  if (failure.status >= 500) request.log.error({ err: error }, 'request failed');
  return sendFailure(reply, failure);
}
