import { Type } from 'typebox';
import type { Registry } from 'prom-client';
import type { Store } from '../../core/ports.ts';
import type { HttpContext } from '../context.ts';
import { setRetryAfter } from '../problems.ts';

const tags = ['Service'];

/** Health, readiness, metrics and the API description; none needs a key. */
export function registerServiceRoutes({ app }: HttpContext, deps: { store: Store; metrics: Registry }): void {
  app.get('/healthz', { schema: { tags, summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    schema: { tags, summary: 'Readiness: the database answers', response: { 200: Type.Object({ status: Type.String() }), 503: Type.Object({ status: Type.String() }) } },
  }, async (_request, reply) => {
    // Quick while the database is away: the pool gives up connecting after 1 s (store/engine.ts).
    const ready = await deps.store.isReachable();
    setRetryAfter(reply, ready ? 200 : 503);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'database unreachable' });
  });

  app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics', produces: ['text/plain'] } }, async (_request, reply) =>
    reply.type(deps.metrics.contentType).send(await deps.metrics.metrics()));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
