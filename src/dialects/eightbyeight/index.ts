import multipart from '@fastify/multipart';
import type { HttpContext } from '../../http/context.ts';
import { mountDialect, routeOf, type MountedDialect } from '../shared/mount.ts';
import { bearerTokenOf } from '../../http/auth.ts';
import { CODE, declaredStatusFor, failureOf, sendFailure, type EightByEightFailure } from './errors.ts';
import { MAX_UPLOAD_BYTES, registerBatchRoutes } from './batches.routes.ts';
import { registerContactRoutes } from './contacts.routes.ts';
import { registerGroupRoutes } from './groups.routes.ts';
import { ACCOUNT_ID_PATTERN } from './schemas.ts';

/** Where 8x8 Connect Contacts is mounted: 8x8 serves `/api/v1/accounts/{accountId}/...`, contactd `/8x8/api/v1/...`. */
export const EIGHT_BY_EIGHT_PREFIX = '/8x8';

const ACCOUNT_ID = new RegExp(ACCOUNT_ID_PATTERN);

/** A GUID in the form contactd stores it: lower case, with dashes (8x8 accepts it without dashes, in any case). */
function canonicalAccountId(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * 8x8 Connect Contacts. `Authorization: Bearer <api key>` (the file's only scheme, and contactd's
 * own); the path's accountId must be the key's account. Every failure is an 8x8 error body.
 */
export function registerEightByEightDialect({ app, services }: HttpContext): Promise<MountedDialect> {
  return mountDialect<EightByEightFailure>(app, {
    surface: '8x8',
    prefix: EIGHT_BY_EIGHT_PREFIX,
    plugins: async (scope) => void (await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 10_000 } })),
    async authenticate(request, needed) {
      const secret = bearerTokenOf(request);
      const principal = secret === null ? undefined : await services.accounts.authenticate(secret);
      if (!principal) return { failure: { status: 401, code: CODE.notAuthenticated, message: 'Request was not authenticated properly' } };
      const refusal = request.routeOptions.config.eightByEight?.refusal ?? 400;
      const accountId = (request.params as { accountId?: string }).accountId ?? '';
      if (accountId.length < 32 || accountId.length > 36 || !ACCOUNT_ID.test(accountId)) {
        return { failure: { status: refusal, code: CODE.invalidParameter, message: 'Invalid parameter: accountId must be a GUID (32 to 36 characters)' }, caller: principal };
      }
      if (canonicalAccountId(accountId) !== principal.accountId) {
        return { failure: { status: refusal, code: CODE.foreignAccount, message: 'Provided accountId doesn\'t belong to your account' }, caller: principal };
      }
      if (!principal.scopes.includes(needed)) return { failure: { status: 403, code: CODE.forbidden, message: `Access forbidden: this API key lacks the ${needed} scope` }, caller: principal };
      return { principal };
    },
    failureOf: (error, request) => declaredStatusFor(request, failureOf(error)),
    notFound: (request) => ({ status: 404, code: CODE.notFound, message: `No resource ${routeOf(request)}` }),
    send: sendFailure,
    routes(scope) {
      registerContactRoutes(scope, services);
      registerGroupRoutes(scope, services);
      registerBatchRoutes(scope, services);
    },
  });
}
