/** Webhook endpoints and their delivery attempts (issue 10 §5, Standard Webhooks 1.0). */

/** What a caller sees of an endpoint, and what the journal records of it: never its secret. */
export interface Webhook {
  id: string;
  account_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  enabled: boolean;
  /** Why contactd disabled it (a 410, days of failure); null when enabled or disabled by a caller. */
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** The signing secrets: the previous one still signs until `previous_secret_until` (a rotation's overlap). */
export interface WebhookSecrets {
  secret: string;
  previous_secret: string | null;
  previous_secret_until: string | null;
}

/** Where delivery stands for one endpoint: the journal is the outbox, `cursor` its read position. */
export interface DeliveryState {
  /** The last feed position delivered (or skipped as not subscribed). */
  cursor: number;
  /** Failed attempts at the change after `cursor`. */
  attempt: number;
  next_attempt_at: string | null;
  /** When the current run of failures began; null while deliveries succeed. */
  failing_since: string | null;
}

/** An endpoint as stored: its public fields, secrets, delivery state and lease. */
export interface WebhookRecord extends Webhook, WebhookSecrets, DeliveryState {
  seq: number;
  lease_owner: string | null;
  lease_until: string | null;
}

/** One attempt to deliver one change to one endpoint. */
export interface WebhookDelivery {
  seq: number;
  webhook_id: string;
  /** The `webhook-id` header: the same for every attempt and replay of the change. */
  event_id: string;
  position: number;
  type: string;
  attempt: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  /** The first 1 KB of the answer. */
  response_body: string | null;
  at: string;
}
