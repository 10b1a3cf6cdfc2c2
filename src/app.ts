import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from './config.ts';
import { createServices, type Services } from './core/services.ts';
import { TombstoneSweep } from './core/contacts/tombstone-sweep.ts';
import { registerDav } from './dav/index.ts';
import { registerDialects } from './dialects/index.ts';
import type { MountedDialect } from './dialects/shared/mount.ts';
import type { Store } from './core/ports.ts';
import { registerBearerAuth } from './http/auth.ts';
import type { HttpContext } from './http/context.ts';
import { registerJsonParsers } from './http/json-body.ts';
import { BODY_LIMIT_BYTES, CONNECTION_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './http/limits.ts';
import { registerMetrics } from './http/metrics.ts';
import { registerNulGuard } from './http/nul-guard.ts';
import { registerOpenApi } from './http/openapi.ts';
import { problemOf, registerProblemHandlers, sendProblem } from './http/problems.ts';
import { parseQueryString, registerQueryLimit } from './http/query-limit.ts';
import { createRateLimiter } from './http/rate-limit/limiter.ts';
import { registerResponseHeaders, setResponseHeaders } from './http/response-headers.ts';
import { registerApiKeyRoutes } from './http/routes/api-keys.routes.ts';
import { registerContactRoutes } from './http/routes/contacts.routes.ts';
import { registerContactBulkRoutes } from './http/routes/contact-bulk.routes.ts';
import { registerDuplicateRoutes } from './http/routes/duplicates.routes.ts';
import { registerDirectoryRoutes } from './http/routes/directory.routes.ts';
import { registerExportRoutes } from './http/routes/exports.routes.ts';
import { registerJournalRoutes } from './http/routes/journal.routes.ts';
import { registerWebhookRoutes } from './http/routes/webhooks.routes.ts';
import { registerImportRoutes } from './http/routes/imports.routes.ts';
import type { ImportReader } from './core/imports/file-reader.ts';
import { httpWebhookSender } from './http/webhook-sender.ts';
import { registerServiceRoutes } from './http/routes/service.routes.ts';
import { registerPhonebookRoutes } from './phonebook/phonebook.routes.ts';
import { FieldError, Problem } from './http/schemas/common.ts';
import * as apiKeySchemas from './http/schemas/api-key.schema.ts';
import * as contactSchemas from './http/schemas/contact.schema.ts';
import * as contactBulkSchemas from './http/schemas/contact-bulk.schema.ts';
import * as duplicateSchemas from './http/schemas/duplicate.schema.ts';
import * as directorySchemas from './http/schemas/directory.schema.ts';
import * as journalSchemas from './http/schemas/journal.schema.ts';
import * as webhookSchemas from './http/schemas/webhook.schema.ts';
import * as importSchemas from './http/schemas/import.schema.ts';
import { registerValidators } from './http/validation.ts';
import { registerConsole } from './ui/console.routes.ts';

export interface AppDependencies {
  store: Store;
  /** Overrides the logger: false silences it (tests), a pino instance receives its lines (tests that read them). */
  logger?: false | FastifyBaseLogger;
  /** How import files are read; src/formats unless given (tests bring a stand-in). */
  importReader?: ImportReader;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the HTTP app with every surface registered; it never listens (main.ts does). */
export type App = FastifyInstance & { services: Services };

export async function buildApp(config: Config, deps: AppDependencies): Promise<App> {
  let dialects: MountedDialect[] = [];
  // The path prefixes whose answers carry contacts: /v1 now, each dialect's mount once registered.
  const contactMounts = ['/v1/', '/dav/'];
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: deps.logger === false ? false : { level: config.logLevel } }),
    bodyLimit: BODY_LIMIT_BYTES,
    // A slow or silent client cannot hold a socket forever (http/limits.ts says why each value).
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    logController: new AccessLog({ requestIdLogLabel: 'request_id' }),
    // External ids of up to 200 characters travel in paths; leave room for URL encoding.
    routerOptions: { maxParamLength: 1000, querystringParser: parseQueryString },
    // Router-level failures (bad percent-encoding, an over-long segment) are problems too, or,
    // under a dialect's mount, that platform's error.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id);
      setResponseHeaders(request, reply, contactMounts);
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
  // Hooks on every request's path are written with callbacks, not async: no promise per hook.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerQueryLimit(app);
  registerResponseHeaders(app, contactMounts);

  registerJsonParsers(app);

  for (const schema of sharedSchemas()) app.addSchema(schema);
  const { validateBody } = registerValidators(app);
  registerProblemHandlers(app);
  registerNulGuard(app);
  await registerOpenApi(app);
  const metrics = registerMetrics(app);

  const services = createServices(deps.store, {
    ...config,
    warn: (message, err) => app.log.warn({ err }, message),
    ...(deps.importReader ? { importReader: deps.importReader } : {}),
    webhookDelivery: { sender: httpWebhookSender, options: { ...config.webhooks, disableAfterMs: config.webhooks.disableAfterSeconds * 1000 } },
  });
  app.decorate('rateLimiter', await createRateLimiter(config.rateLimit, { log: app.log, metrics }));
  app.addHook('onReady', async () => app.rateLimiter?.ready());
  app.addHook('onClose', async () => app.rateLimiter?.close());
  registerBearerAuth(app, services.accounts);
  const context: HttpContext = { app, services, validateBody };
  registerServiceRoutes(context, { store: deps.store, metrics });
  registerContactRoutes(context);
  registerContactBulkRoutes(context);
  registerExportRoutes(context);
  registerDirectoryRoutes(context);
  registerJournalRoutes(context);
  registerWebhookRoutes(context);
  registerDuplicateRoutes(context);
  registerApiKeyRoutes(context);
  registerPhonebookRoutes(context);
  await registerImportRoutes(context);
  dialects = await registerDialects(context);
  await registerConsole(app, config);
  await registerDav(context, config.defaultRegion);
  contactMounts.push(...dialects.map((d) => d.mount));
  // Batch jobs run in the background: resume what stopped nodes left, and let running chunks finish on close.
  app.addHook('onReady', () => services.batchJobs.start());
  app.addHook('onClose', () => services.batchJobs.stop());
  // Import jobs likewise: every node resumes what silent nodes left, from their last committed chunk.
  app.addHook('onReady', () => services.imports.start());
  app.addHook('onClose', () => services.imports.stop());
  const sweep = new TombstoneSweep(deps.store, { retentionDays: config.deletedRetentionDays, everySeconds: config.deletedSweepSeconds, warn: (message, err) => app.log.warn({ err }, message) });
  app.addHook('onReady', async () => sweep.start());
  app.addHook('onClose', () => sweep.stop());
  // Webhook delivery polls the journal; a write answered here wakes it so its events leave at once.
  app.addHook('onReady', async () => services.webhookDelivery.start());
  app.addHook('onClose', () => services.webhookDelivery.stop());
  app.addHook('onResponse', (request, reply, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 300) services.webhookDelivery.wake();
    done();
  });

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

/** Every named schema: each becomes an OpenAPI component and a $ref target. */
export function sharedSchemas(): object[] {
  const named: unknown[] = [FieldError, Problem, ...Object.values(contactSchemas), ...Object.values(contactBulkSchemas), ...Object.values(directorySchemas), ...Object.values(journalSchemas), ...Object.values(webhookSchemas), ...Object.values(importSchemas), ...Object.values(duplicateSchemas), ...Object.values(apiKeySchemas)];
  return named.filter((s): s is object => typeof s === 'object' && s !== null && typeof (s as { $id?: unknown }).$id === 'string');
}
