import type { HttpContext } from '../../http/context.ts';
import { mountDialect, routeOf, type MountedDialect } from '../shared/mount.ts';
import { identifyBasicOrBearer } from '../shared/credentials.ts';
import { GWS, failureOf, sendFailure } from './errors.ts';
import { registerGenesysRoutes } from './routes.ts';

/** Where GWS is mounted: GWS serves `/api/v2/...`, contactd `/genesys/api/v2/...`. */
export const GENESYS_PREFIX = '/genesys/api/v2';

/**
 * Genesys Web Services 8.5 Contacts. HTTP Basic (account id : API key) or a Bearer key; every
 * answer, success or failure, carries a GWS `statusCode`.
 */
export function registerGenesysDialect({ app, services }: HttpContext): Promise<MountedDialect> {
  return mountDialect(app, {
    surface: 'genesys',
    prefix: GENESYS_PREFIX,
    async authenticate(request, needed) {
      const caller = await identifyBasicOrBearer(request, services.accounts, needed);
      if (!caller.refusal) return { principal: caller.principal };
      const statusCode = caller.refusal.status === 401 ? GWS.notAuthenticated : GWS.noPermission;
      return { failure: { status: caller.refusal.status, statusCode, statusMessage: caller.refusal.message }, caller: caller.refusal.caller };
    },
    failureOf: (error) => failureOf(error),
    notFound: (request) => ({ status: 404, statusCode: GWS.notFound, statusMessage: `No resource ${routeOf(request)}` }),
    send: sendFailure,
    routes: (scope) => registerGenesysRoutes(scope, services),
  });
}
