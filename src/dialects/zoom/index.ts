import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpContext } from '../../http/context.ts';
import type { MountedDialect } from '../mounted.ts';
import { bearerTokenOf } from '../../http/auth.ts';
import { identifyCaller } from '../shared/credentials.ts';
import { ZOOM, failureOf, sendFailure, type ErrorContext } from './errors.ts';
import { registerZoomBatchRoutes } from './batch.routes.ts';
import { registerZoomContactRoutes } from './contact.routes.ts';
import { registerZoomFieldRoutes } from './field.routes.ts';
import { registerZoomUnitRoutes } from './unit.routes.ts';

import { ZOOM_PREFIX } from './schemas.ts';

export { ZOOM_PREFIX };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Zoom codes this route gives where they differ per operation (see ErrorContext). */
    zoomErrors?: ErrorContext;
  }
}

/** The Zoom scope each contactd scope stands for, named in a 4711 refusal. */
const ZOOM_SCOPE = { 'contacts:read': 'contact_center_contact:read:admin', 'contacts:write': 'contact_center_contact:write:admin', admin: 'contact_center_contact:write:admin' } as const;

/**
 * Zoom Contact Center address books. Zoom's scheme is an OAuth Bearer token; here the token is
 * an API key (`Authorization: Bearer <key>`). Every failure is `{"code", "message"}`.
 */
export async function registerZoomDialect({ app, services }: HttpContext): Promise<MountedDialect> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      const needed = request.routeOptions.config.platformScope;
      if (!needed) return;
      const caller = await identifyCaller(services.accounts, bearerTokenOf(request), needed);
      if (caller.refusal?.status === 401) return sendFailure(reply, { status: 401, code: ZOOM.invalidToken, message: 'Invalid access token.' });
      if (caller.refusal) return sendFailure(reply, { status: 403, code: ZOOM.missingScope, message: `Invalid access token, does not contain scopes:[${ZOOM_SCOPE[needed]}].` });
      request.principal = caller.principal!;
    });

    scope.setErrorHandler(renderError);
    scope.setNotFoundHandler((request, reply) =>
      sendFailure(reply, { status: 404, code: ZOOM.notFound, message: `No such API: ${request.method} ${request.url.split('?')[0]}` }),
    );

    registerZoomUnitRoutes(scope, services);
    registerZoomFieldRoutes(scope, services);
    registerZoomContactRoutes(scope, services);
    registerZoomBatchRoutes(scope, services);
  }, { prefix: ZOOM_PREFIX });
  return { mount: `${ZOOM_PREFIX}/`, renderError };
}

function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const failure = failureOf(error, request.routeOptions?.config?.zoomErrors);
  if (failure.status >= 500) request.log.error({ err: error }, 'request failed');
  return sendFailure(reply, failure);
}
