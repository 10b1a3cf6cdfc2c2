import type { HttpContext } from '../../http/context.ts';
import { mountDialect, routeOf, type MountedDialect } from '../shared/mount.ts';
import { identifyBasicOrBearer } from '../shared/credentials.ts';
import { failureOf, sendFailure } from './errors.ts';
import { registerApptotoRoutes } from './routes.ts';

/** Where Apptoto is mounted: Apptoto serves `https://api.apptoto.com/v1/...`, contactd `/apptoto/v1/...`. */
export const APPTOTO_PREFIX = '/apptoto/v1';

/**
 * Apptoto API v1 contacts and address books. HTTP Basic (account id : API key) or a Bearer key;
 * failures as `{"code", "message", "fields"?}` (README Decision).
 */
export function registerApptotoDialect({ app, services }: HttpContext): Promise<MountedDialect> {
  return mountDialect(app, {
    surface: 'apptoto',
    prefix: APPTOTO_PREFIX,
    async authenticate(request, needed) {
      const caller = await identifyBasicOrBearer(request, services.accounts, needed);
      if (!caller.refusal) return { principal: caller.principal };
      const code = caller.refusal.status === 401 ? 'unauthorized' : 'forbidden';
      return { failure: { status: caller.refusal.status, code, message: caller.refusal.message }, caller: caller.refusal.caller };
    },
    failureOf: (error) => failureOf(error),
    notFound: (request) => ({ status: 404, code: 'not_found', message: `no resource ${routeOf(request)}` }),
    send: sendFailure,
    routes: (scope) => registerApptotoRoutes(scope, services),
  });
}
