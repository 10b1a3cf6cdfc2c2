import { Type } from 'typebox';
import type { HttpContext } from '../context.ts';
import type { WebhookInput } from '../../core/webhooks/webhook.service.ts';
import { IdParams, PageQuery, answer, errorResponses } from '../schemas/common.ts';

const admin = { scope: 'admin' as const };
const pageQuery = Type.Object(PageQuery);
type Id = { id: string };
type PageParams = { limit?: number; cursor?: string };

/** Webhook endpoints (admin): settings, secret rotation, delivery attempts and replay. */
export function registerWebhookRoutes({ app, services }: HttpContext): void {
  const webhooks = services.webhooks;
  const tags = ['Webhooks'];
  const webhook = Type.Ref('Webhook');
  const withSecret = Type.Ref('WebhookWithSecret');

  app.post('/v1/webhooks', {
    config: admin,
    schema: { tags, summary: 'Create a webhook endpoint', description: 'The answer holds the signing `secret`, shown only here (and by rotate-secret).', body: Type.Ref('WebhookCreate'), response: { 201: answer(withSecret, 'Created, with its secret.'), ...errorResponses() } },
  }, async (request, reply) => reply.status(201).send(await webhooks.create(request.principal, request.body as WebhookInput)));
  app.get('/v1/webhooks', { config: admin, schema: { tags, summary: 'List webhook endpoints', querystring: pageQuery, response: { 200: answer(Type.Ref('WebhookPage'), 'A page.'), ...errorResponses() } } },
    async (request) => {
      const { limit = 50, cursor } = request.query as PageParams;
      const page = await webhooks.list(request.principal, limit, cursor);
      return { data: page.items, next_cursor: page.nextCursor };
    });
  app.get('/v1/webhooks/:id', { config: admin, schema: { tags, summary: 'Get a webhook endpoint', params: IdParams, response: { 200: answer(webhook, 'Found.'), ...errorResponses(404) } } },
    async (request) => webhooks.get(request.principal, (request.params as Id).id));
  app.patch('/v1/webhooks/:id', { config: admin, schema: { tags, summary: 'Change a webhook endpoint', params: IdParams, body: Type.Ref('WebhookPatch'), response: { 200: answer(webhook, 'The changed endpoint.'), ...errorResponses(404) } } },
    async (request) => webhooks.update(request.principal, (request.params as Id).id, request.body as Partial<WebhookInput>));
  app.delete('/v1/webhooks/:id', { config: admin, schema: { tags, summary: 'Delete a webhook endpoint', params: IdParams, response: { 204: Type.Null({ description: 'Done; no body.' }), ...errorResponses(404) } } },
    async (request, reply) => {
      await webhooks.delete(request.principal, (request.params as Id).id);
      return reply.status(204).send();
    });
  app.post('/v1/webhooks/:id/rotate-secret', {
    config: admin,
    schema: { tags, summary: 'Issue a new signing secret', description: 'For 24 hours deliveries carry two signatures, by the new secret and by the previous one.', params: IdParams, response: { 200: answer(withSecret, 'The endpoint with its new secret.'), ...errorResponses(404) } },
  }, async (request) => webhooks.rotateSecret(request.principal, (request.params as Id).id));
  app.get('/v1/webhooks/:id/deliveries', {
    config: admin,
    schema: { tags, summary: 'List delivery attempts', description: 'Each attempt, newest first.', params: IdParams, querystring: pageQuery, response: { 200: answer(Type.Ref('WebhookDeliveryPage'), 'A page.'), ...errorResponses(404) } },
  }, async (request) => {
    const { limit = 50, cursor } = request.query as PageParams;
    const page = await webhooks.deliveries(request.principal, (request.params as Id).id, limit, cursor);
    return { data: page.items, next_cursor: page.nextCursor };
  });
  app.post('/v1/webhooks/:id/replay', {
    config: admin,
    schema: { tags, summary: 'Send past events again', description: 'For a receiver that lost data: every subscribed change since `since` is sent again, in order, with its original `webhook-id`.', params: IdParams, body: Type.Ref('WebhookReplay'), response: { 202: answer(Type.Ref('WebhookReplayAccepted'), 'Queued.'), ...errorResponses(404) } },
  }, async (request, reply) => reply.status(202).send(await webhooks.replay(request.principal, (request.params as Id).id, (request.body as { since: string }).since)));
}
