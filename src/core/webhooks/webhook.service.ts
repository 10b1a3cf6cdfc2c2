import { newId, nowIso } from '../clock.ts';
import { decodeCursor } from '../cursor.ts';
import { DomainError, invalidField } from '../errors.ts';
import { recordChange } from '../journal/journal.ts';
import type { Store } from '../ports.ts';
import type { Page, Principal } from '../types.ts';
import { assertWebhookUrl } from './address-guard.ts';
import { assertEventTypes, DEFAULT_EVENT_TYPES } from './event-types.ts';
import { newSecret } from './signing.ts';
import type { Webhook, WebhookDelivery, WebhookRecord } from './webhook.types.ts';

export interface WebhookInput {
  url: string;
  event_types?: string[];
  description?: string | null;
  enabled?: boolean;
}

/** How long the previous secret still signs after a rotation, so receivers can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

/**
 * Webhook endpoints of an account (admin). Every change of one is journalled as a `webhook`
 * object without its secret; the secret is shown by `create` and `rotateSecret` only.
 */
export class WebhookService {
  constructor(
    private readonly store: Store,
    private readonly options: { allowPrivate: boolean; onChange?: () => void },
  ) {}

  async create(actor: Principal, input: WebhookInput): Promise<Webhook & { secret: string }> {
    assertWebhookUrl(input.url, this.options.allowPrivate);
    const eventTypes = input.event_types ?? DEFAULT_EVENT_TYPES;
    if (input.event_types) assertEventTypes(input.event_types);
    const record = await this.store.transaction(async (tx) => {
      const now = nowIso();
      const inserted = await tx.webhooks.insert({
        id: newId(), account_id: actor.accountId, url: input.url, event_types: [...new Set(eventTypes)], description: input.description ?? null,
        enabled: input.enabled ?? true, disabled_reason: null, created_at: now, updated_at: now,
        secret: newSecret(), previous_secret: null, previous_secret_until: null,
        // Only what happens from now on: the account's earlier history is not news to a new endpoint (replay sends it).
        cursor: await tx.changes.lastPosition(actor.accountId), attempt: 0, next_attempt_at: null, failing_since: null,
        lease_owner: null, lease_until: null,
      });
      recordChange(tx, actor, 'webhook', 'created', null, publicOf(inserted));
      return inserted;
    });
    this.options.onChange?.();
    return { ...publicOf(record), secret: record.secret };
  }

  async get(actor: Principal, id: string): Promise<Webhook> {
    return publicOf(await findOrThrow(this.store, actor.accountId, id));
  }

  async list(actor: Principal, limit: number, cursor?: string): Promise<Page<Webhook>> {
    const page = await this.store.webhooks.list(actor.accountId, { limit, afterSeq: decodeCursor(cursor) });
    return { items: page.items.map(publicOf), nextCursor: page.nextCursor };
  }

  async update(actor: Principal, id: string, patch: Partial<WebhookInput>): Promise<Webhook> {
    if (patch.url !== undefined) assertWebhookUrl(patch.url, this.options.allowPrivate);
    if (patch.event_types !== undefined) assertEventTypes(patch.event_types);
    const updated = await this.store.transaction(async (tx) => {
      const record = await findOrThrow(tx, actor.accountId, id);
      const next: Webhook = {
        ...publicOf(record),
        url: patch.url ?? record.url,
        event_types: patch.event_types ? [...new Set(patch.event_types)] : record.event_types,
        description: patch.description === undefined ? record.description : patch.description,
        enabled: patch.enabled ?? record.enabled,
        updated_at: nowIso(),
      };
      const reenabled = next.enabled && !record.enabled;
      if (reenabled) next.disabled_reason = null;
      // Re-enabled: the backlog is tried at once, and the failure clock starts again.
      await tx.webhooks.update({ ...next, ...secretsOf(record) }, reenabled ? { attempt: 0, next_attempt_at: null, failing_since: null } : undefined);
      recordChange(tx, actor, 'webhook', 'updated', publicOf(record), next);
      return next;
    });
    this.options.onChange?.();
    return updated;
  }

  async delete(actor: Principal, id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const record = await findOrThrow(tx, actor.accountId, id);
      await tx.webhooks.delete(actor.accountId, id);
      recordChange(tx, actor, 'webhook', 'deleted', publicOf(record), null);
    });
  }

  /** A new secret; the previous one goes on signing (as a second signature) for 24 hours. */
  async rotateSecret(actor: Principal, id: string): Promise<Webhook & { secret: string }> {
    return this.store.transaction(async (tx) => {
      const record = await findOrThrow(tx, actor.accountId, id);
      const now = new Date();
      const next = { ...publicOf(record), updated_at: now.toISOString() };
      const secret = newSecret();
      await tx.webhooks.update({ ...next, secret, previous_secret: record.secret, previous_secret_until: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString() });
      // The journal notes that the secret changed, never the secret itself.
      recordChange(tx, actor, 'webhook', 'updated', publicOf(record), next, { secret_rotated: true });
      return { ...next, secret };
    });
  }

  /** Sends again every subscribed change made at or after `since`, in feed order, before anything newer. */
  async replay(actor: Principal, id: string, since: string): Promise<{ from_position: number }> {
    if (Number.isNaN(Date.parse(since))) throw invalidField('since', 'is not an ISO 8601 date-time');
    const at = new Date(since).toISOString();
    const position = await this.store.transaction(async (tx) => {
      await findOrThrow(tx, actor.accountId, id);
      const before = await tx.changes.positionBefore(actor.accountId, at);
      await tx.webhooks.rewind(actor.accountId, id, before);
      return before;
    });
    this.options.onChange?.();
    return { from_position: position + 1 };
  }

  async deliveries(actor: Principal, id: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>> {
    await findOrThrow(this.store, actor.accountId, id);
    return this.store.webhooks.deliveries(actor.accountId, id, { limit, afterSeq: decodeCursor(cursor) });
  }
}

/** The endpoint as callers and the journal see it. */
export function publicOf(record: WebhookRecord): Webhook {
  return {
    id: record.id, account_id: record.account_id, url: record.url, event_types: record.event_types, description: record.description,
    enabled: record.enabled, disabled_reason: record.disabled_reason, created_at: record.created_at, updated_at: record.updated_at,
  };
}

function secretsOf(record: WebhookRecord) {
  return { secret: record.secret, previous_secret: record.previous_secret, previous_secret_until: record.previous_secret_until };
}

async function findOrThrow(store: Store, accountId: string, id: string): Promise<WebhookRecord> {
  const record = await store.webhooks.find(accountId, id);
  if (!record) throw new DomainError('webhook_not_found', `no webhook with id ${id}`);
  return record;
}
