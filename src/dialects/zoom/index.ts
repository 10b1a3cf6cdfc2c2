import type { FastifyRequest } from 'fastify';
import type { HttpContext } from '../../http/context.ts';
import { mountDialect, routeOf, type MountedDialect } from '../shared/mount.ts';
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
export function registerZoomDialect({ app, services }: HttpContext): Promise<MountedDialect> {
  return mountDialect(app, {
    surface: 'zoom',
    prefix: ZOOM_PREFIX,
    async authenticate(request, needed) {
      const caller = await identifyCaller(services.accounts, bearerTokenOf(request) ?? bareKeyOf(request), needed);
      if (caller.principal) return { principal: caller.principal };
      if (caller.refusal.status === 401) return { failure: { status: 401, code: ZOOM.invalidToken, message: 'Invalid access token.' } };
      return { failure: { status: 403, code: ZOOM.missingScope, message: `Invalid access token, does not contain scopes:[${ZOOM_SCOPE[needed]}].` }, caller: caller.refusal.caller };
    },
    failureOf: (error, request) => failureOf(error, request.routeOptions?.config?.zoomErrors),
    notFound: (request) => ({ status: 404, code: ZOOM.notFound, message: `No such API: ${routeOf(request)}` }),
    send: sendFailure,
    routes(scope) {
      registerZoomUnitRoutes(scope, services);
      registerZoomFieldRoutes(scope, services);
      registerZoomContactRoutes(scope, services);
      registerZoomBatchRoutes(scope, services);
    },
  });
}

/**
 * Zoom's file also declares its token as a bare `Authorization` header (`openapi_authorization`,
 * an apiKey in the Authorization header): a value without a scheme is read as the key itself.
 */
function bareKeyOf(request: FastifyRequest): string | null {
  const value = request.headers.authorization?.trim() ?? '';
  return value !== '' && !/\s/.test(value) ? value : null;
}
