import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from './config.ts';
import { createServices, type Services } from './core/services.ts';
import { registerDialects } from './dialects/index.ts';
import type { MountedDialect } from './dialects/shared/mount.ts';
import type { Store } from './core/ports.ts';
import { registerBearerAuth } from './http/auth.ts';
import type { HttpContext } from './http/context.ts';
import { registerMetrics } from './http/metrics.ts';
import { registerNulGuard } from './http/nul-guard.ts';
import { registerOpenApi } from './http/openapi.ts';
import { problemOf, registerProblemHandlers, sendProblem } from './http/problems.ts';
import { registerContactRoutes } from './http/routes/contacts.routes.ts';
import { registerDirectoryRoutes } from './http/routes/directory.routes.ts';
import { registerServiceRoutes } from './http/routes/service.routes.ts';
import { FieldError, Problem } from './http/schemas/common.ts';
import * as contactSchemas from './http/schemas/contact.schema.ts';
import * as directorySchemas from './http/schemas/directory.schema.ts';
import { registerValidators } from './http/validation.ts';

export interface AppDependencies {
  store: Store;
  /** Overrides the logger (tests pass false). */
  logger?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the HTTP app with every surface registered; it never listens (main.ts does). */
export type App = FastifyInstance & { services: Services };

export async function buildApp(config: Config, deps: AppDependencies): Promise<App> {
  let dialects: MountedDialect[] = [];
  const app = Fastify({
    logger: deps.logger === false ? false : { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    logController: new AccessLog({ requestIdLogLabel: 'request_id' }),
    // External ids of up to 200 characters travel in paths; leave room for URL encoding.
    routerOptions: { maxParamLength: 1000 },
    // Router-level failures (bad percent-encoding, an over-long segment) are problems too, or,
    // under a dialect's mount, that platform's error.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id);
      const dialect = dialects.find((d) => request.url.startsWith(d.mount));
      if (dialect) return void dialect.renderError(error, request, reply);
      return void sendProblem(reply, problemOf(error, request.id));
    },
    // A caller's request id is kept (so traces join up), anything else gets a fresh one.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { strict: false } },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerJsonParsers(app);

  for (const schema of sharedSchemas()) app.addSchema(schema);
  const { validateBody } = registerValidators(app);
  registerProblemHandlers(app);
  registerNulGuard(app);
  await registerOpenApi(app);
  const metrics = registerMetrics(app);

  const services = createServices(deps.store, { defaultRegion: config.defaultRegion, warn: (message, err) => app.log.warn({ err }, message) });
  registerBearerAuth(app, services.accounts);
  const context: HttpContext = { app, services, validateBody };
  registerServiceRoutes(context, { store: deps.store, metrics });
  registerContactRoutes(context);
  registerDirectoryRoutes(context);
  dialects = await registerDialects(context);
  // Batch jobs run in the background: resume what stopped nodes left, and let running chunks finish on close.
  app.addHook('onReady', () => services.batchJobs.start());
  app.addHook('onClose', () => services.batchJobs.stop());

  return Object.assign(app, { services }) as unknown as App;
}

/** One access line per request, when it completes, instead of Fastify's two: logging was a tenth of a lookup. */
class AccessLog extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/**
 * JSON, JSON merge patch and JSON Patch (8x8) bodies, parsed safely (no __proto__ poisoning). An empty body is no
 * body: many clients send a JSON content type on DELETE; a route that needs a body says so.
 */
function registerJsonParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // Only JSON is spoken: anything else, text/plain included, is a 415.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'application/merge-patch+json', 'application/json-patch+json'], { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    return (parseJson as (req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => void)(request, body, done);
  });
}

/** Every named schema: each becomes an OpenAPI component and a $ref target. */
export function sharedSchemas(): object[] {
  const named: unknown[] = [FieldError, Problem, ...Object.values(contactSchemas), ...Object.values(directorySchemas)];
  return named.filter((s): s is object => typeof s === 'object' && s !== null && typeof (s as { $id?: unknown }).$id === 'string');
}
