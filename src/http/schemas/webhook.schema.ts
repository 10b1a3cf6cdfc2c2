import { Type } from 'typebox';
import { EVENT_TYPES } from '../../core/webhooks/event-types.ts';
import { Id, Nullable, PageOf, Timestamp } from './common.ts';

/** Webhook endpoints (Standard Webhooks 1.0) and their delivery attempts. */

const url = Type.String({ minLength: 1, maxLength: 2000, description: 'Where events are POSTed: http or https. Private, loopback and link-local addresses are refused unless the server sets WEBHOOK_ALLOW_PRIVATE.', examples: ['https://crm.example.com/hooks/contactd'] });
const eventTypes = Type.Array(Type.String({ maxLength: 64, examples: ['contact.created'] }), {
  minItems: 1,
  maxItems: 50,
  description: `The events sent: any of ${EVENT_TYPES.map((t) => `\`${t}\``).join(', ')}, or \`contact.*\`. Default: every contact event.`,
  examples: [['contact.created', 'contact.updated', 'group.*']],
});
const description = Nullable(Type.String({ maxLength: 1000, description: 'A note for people.' }));
const enabled = Type.Boolean({ description: 'Whether events are sent. Re-enabling sends the backlog held since it was disabled.' });

export const WebhookCreate = Type.Object(
  { url, event_types: Type.Optional(eventTypes), description: Type.Optional(description), enabled: Type.Optional(enabled) },
  { $id: 'WebhookCreate', additionalProperties: false, examples: [{ url: 'https://crm.example.com/hooks/contactd', event_types: ['contact.*'] }] },
);

export const WebhookPatch = Type.Object(
  { url: Type.Optional(url), event_types: Type.Optional(eventTypes), description: Type.Optional(description), enabled: Type.Optional(enabled) },
  { $id: 'WebhookPatch', additionalProperties: false, examples: [{ enabled: true }] },
);

const webhookFields = {
  id: Id,
  account_id: Type.String({ description: 'The account whose changes are sent.' }),
  url: Type.String({ description: 'Where events are POSTed.' }),
  event_types: Type.Array(Type.String(), { description: 'The events sent.' }),
  description: Nullable(Type.String()),
  enabled: Type.Boolean({ description: 'Whether events are sent.' }),
  disabled_reason: Nullable(Type.String({ description: 'Why contactd disabled it: a 410 answer, or five days of failed deliveries.', examples: ['the endpoint answered 410 Gone'] })),
  created_at: Timestamp,
  updated_at: Timestamp,
};

export const Webhook = Type.Object(webhookFields, { $id: 'Webhook', description: 'A webhook endpoint (its secret is shown only on create and rotate).' });

export const WebhookWithSecret = Type.Object(
  { ...webhookFields, secret: Type.String({ description: 'The signing secret, `whsec_` + base64 of 32 bytes. Shown only here: keep it.', examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }) },
  { $id: 'WebhookWithSecret', description: 'A webhook endpoint with its signing secret.' },
);

export const WebhookPage = PageOf(Type.Ref('Webhook'), 'WebhookPage');

export const WebhookDelivery = Type.Object(
  {
    event_id: Type.String({ description: 'The `webhook-id` header: the same for every attempt and replay of one change.', examples: ['msg_42_5d41402abc4b2a76'] }),
    position: Type.Integer({ description: 'The change\'s position in the account\'s feed (`/v1/changes`).' }),
    type: Type.String({ description: 'The event type.', examples: ['contact.updated'] }),
    attempt: Type.Integer({ description: '1 for the first try of the change, 2 for its first retry, …' }),
    status_code: Nullable(Type.Integer({ description: 'The receiver\'s HTTP status; null when it gave none (refused, timed out, blocked).' })),
    duration_ms: Type.Integer({ description: 'How long the attempt took.' }),
    error: Nullable(Type.String({ description: 'Why no answer came, when none did.' })),
    response_body: Nullable(Type.String({ description: 'The first 1 KB of the answer.' })),
    at: Timestamp,
  },
  { $id: 'WebhookDelivery', description: 'One delivery attempt.' },
);

export const WebhookDeliveryPage = PageOf(Type.Ref('WebhookDelivery'), 'WebhookDeliveryPage');

export const WebhookReplay = Type.Object(
  { since: Type.String({ format: 'date-time', description: 'Every subscribed change made at or after this time is sent again, in feed order.', examples: ['2026-12-01T00:00:00Z'] }) },
  { $id: 'WebhookReplay', additionalProperties: false },
);

export const WebhookReplayAccepted = Type.Object(
  { from_position: Type.Integer({ description: 'The feed position the endpoint is sent from again.' }) },
  { $id: 'WebhookReplayAccepted', description: 'The replay is queued; deliveries follow in the background.' },
);
