import multipart from '@fastify/multipart';
import type { HttpContext } from '../../http/context.ts';
import { mountDialect, routeOf, type MountedDialect } from '../shared/mount.ts';
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
export function registerKoreaiDialect({ app, services }: HttpContext): Promise<MountedDialect> {
  return mountDialect(app, {
    surface: 'koreai',
    prefix: KOREAI_PREFIX,
    // Router errors come before routing: any path under the public API is Kore's.
    mount: '/agentassist/api/v1/public/',
    // Only this dialect and 8x8 take multipart bodies (POST /import-contacts); the file is streamed.
    plugins: async (scope) => void (await scope.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 20, parts: 40 } })),
    async authenticate(request, needed) {
      const caller = await identifyKoreCaller(request, services.accounts, needed);
      if (!caller.refusal) return { principal: caller.principal };
      return { failure: failure(caller.refusal.status, caller.refusal.status === 401 ? KORE.unauthorized : KORE.forbidden, caller.refusal.message), caller: caller.refusal.caller };
    },
    failureOf: (error) => failureOf(error),
    notFound: (request) => failure(404, KORE.notFound, `No resource ${routeOf(request)}`),
    send: sendFailure,
    routes(scope) {
      registerKoreRoutes(scope, services);
      registerKoreImport(scope, services);
    },
  });
}
