import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Surface } from '../../core/journal/change.types.ts';
import type { Principal, Scope } from '../../core/types.ts';
import { logFailure } from '../../http/problems.ts';

/**
 * What a registered dialect tells the app: where it is mounted and how it renders an error.
 * Fastify answers some failures before any route or plugin is chosen (a malformed
 * percent-encoding in the path, say); the app hands those under a dialect's mount to it, so that
 * its clients meet the platform's error format there too.
 */
export interface MountedDialect {
  /** The literal path prefix, ending in `/`. */
  mount: string;
  renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply;
}

/** A platform's failure as its dialect renders it; `status` is the HTTP status. */
export interface PlatformFailure {
  status: number;
}

/** What a dialect is made of, beside its routes: its auth and its error format. */
export interface DialectDefinition<F extends PlatformFailure> {
  /** The surface its callers' writes are journalled under. */
  surface: Surface;
  /** The plugin's prefix (it may hold path parameters, e.g. Kore.ai's `:streamId`). */
  prefix: string;
  /** The literal prefix of every path of the dialect; default: `prefix` and a slash. */
  mount?: string;
  /** Plugins the dialect's routes need (multipart bodies), registered in its scope only. */
  plugins?(scope: FastifyInstance): Promise<void>;
  /**
   * The caller of a route that needs `scope`, read from the platform's credentials, or the
   * refusal to send. It runs before the body is read, so a refused request changes nothing.
   * A refusal of a valid key (403, say) names its `caller`: the key's rate limit applies to it.
   */
  authenticate(request: FastifyRequest, scope: Scope): Promise<{ principal: Principal } | { failure: F; caller?: Principal | undefined }>;
  failureOf(error: unknown, request: FastifyRequest): F;
  notFound(request: FastifyRequest): F;
  send(reply: FastifyReply, failure: F): FastifyReply;
  routes(scope: FastifyInstance): void;
}

/**
 * Registers a dialect as an encapsulated plugin under its prefix: its auth hook (and the rate
 * limit of the caller's key) on every route that declares a `platformScope`, and its error and
 * not-found handlers, so that everything under the mount answers in the platform's format.
 */
export async function mountDialect<F extends PlatformFailure>(app: FastifyInstance, dialect: DialectDefinition<F>): Promise<MountedDialect> {
  const renderError = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const failure = dialect.failureOf(error, request);
    logFailure(request, failure.status, error);
    return dialect.send(reply, failure);
  };
  await app.register(async (scope) => {
    await dialect.plugins?.(scope);
    scope.addHook('onRequest', async (request, reply) => {
      const needed = request.routeOptions.config.platformScope;
      if (!needed) return;
      const caller = await dialect.authenticate(request, needed);
      // Every answer under a valid key counts and carries the RateLimit-* headers; a 429 reaches
      // the error handler below, in the platform's format.
      const known = 'failure' in caller ? caller.caller : caller.principal;
      if (known) await app.rateLimiter?.enforce(known, reply);
      if ('failure' in caller) return dialect.send(reply, caller.failure);
      request.principal = { ...caller.principal, surface: dialect.surface, requestId: request.id };
    });
    scope.setErrorHandler(renderError);
    scope.setNotFoundHandler((request, reply) => dialect.send(reply, dialect.notFound(request)));
    dialect.routes(scope);
  }, { prefix: dialect.prefix });
  return { mount: dialect.mount ?? `${dialect.prefix}/`, renderError };
}

/** `METHOD /path` of a request, without its query, for not-found messages. */
export function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.url.split('?')[0]}`;
}
