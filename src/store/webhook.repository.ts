import { sql, type Kysely, type Updateable } from 'kysely';
import type { PageRequest, WebhookRepository } from '../core/ports.ts';
import type { Page } from '../core/types.ts';
import type { DeliveryState, Webhook, WebhookDelivery, WebhookRecord, WebhookSecrets } from '../core/webhooks/webhook.types.ts';
import { encodeCursor } from '../core/cursor.ts';
import { pageOf } from './contact.rows.ts';
import type { EngineName } from './engine.ts';
import type { Database, WebhookRow, WebhookTable } from './tables.ts';

/**
 * Webhook endpoints over Kysely. Leases are conditional updates: on PostgreSQL the claim skips
 * rows another node is claiming at that instant (FOR UPDATE SKIP LOCKED), on SQLite the single
 * writer makes the plain conditional update enough.
 */
export class KyselyWebhookRepository implements WebhookRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: EngineName,
  ) {}

  async insert(webhook: Omit<WebhookRecord, 'seq'>): Promise<WebhookRecord> {
    const { seq } = await this.db.insertInto('webhooks').values(toRow(webhook)).returning('seq').executeTakeFirstOrThrow();
    return { ...webhook, seq: Number(seq) };
  }

  async find(accountId: string, id: string): Promise<WebhookRecord | undefined> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(accountId: string, page: PageRequest): Promise<Page<WebhookRecord>> {
    let query = this.db.selectFrom('webhooks').selectAll().where('account_id', '=', accountId);
    if (page.afterSeq !== undefined) query = query.where('seq', '>', page.afterSeq);
    return pageOf((await query.orderBy('seq').limit(page.limit + 1).execute()).map(fromRow), page.limit);
  }

  async update(webhook: Webhook & WebhookSecrets, state?: Partial<DeliveryState>): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set({
        url: webhook.url, event_types: JSON.stringify(webhook.event_types), description: webhook.description, enabled: webhook.enabled ? 1 : 0,
        disabled_reason: webhook.disabled_reason, secret: webhook.secret, previous_secret: webhook.previous_secret,
        previous_secret_until: webhook.previous_secret_until, updated_at: webhook.updated_at, ...(state ?? {}),
      })
      .where('account_id', '=', webhook.account_id)
      .where('id', '=', webhook.id)
      .execute();
  }

  async delete(accountId: string, id: string): Promise<void> {
    await this.db.deleteFrom('webhook_deliveries').where('account_id', '=', accountId).where('webhook_id', '=', id).execute();
    await this.db.deleteFrom('webhooks').where('account_id', '=', accountId).where('id', '=', id).execute();
  }

  async rewind(accountId: string, id: string, position: number): Promise<void> {
    // The lease is taken away too: a node mid-backlog must not move the cursor forward again.
    await this.db
      .updateTable('webhooks')
      .set((eb) => ({
        cursor: sql<number>`case when ${eb.ref('cursor')} < ${position} then ${eb.ref('cursor')} else ${position} end`,
        attempt: 0, next_attempt_at: null, lease_owner: null, lease_until: null,
      }))
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute();
  }

  async anyEnabled(): Promise<boolean> {
    return (await this.db.selectFrom('webhooks').select('id').where('enabled', '=', 1).limit(1).executeTakeFirst()) !== undefined;
  }

  async claimDue(owner: string, now: string, leaseUntil: string, limit: number): Promise<WebhookRecord[]> {
    let due = this.db
      .selectFrom('webhooks as w')
      .select('w.id')
      .where('w.enabled', '=', 1)
      .where((eb) => eb.or([eb('w.next_attempt_at', 'is', null), eb('w.next_attempt_at', '<=', now)]))
      .where((eb) => eb.or([eb('w.lease_until', 'is', null), eb('w.lease_until', '<', now)]))
      // Some change of the account past the endpoint's cursor (the journal's primary key answers it).
      .where((eb) => eb.exists(eb.selectFrom('changes as c').select('c.position').whereRef('c.account_id', '=', 'w.account_id').whereRef('c.position', '>', 'w.cursor')))
      .orderBy('w.seq')
      .limit(limit);
    if (this.engine === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('webhooks')
      .set({ lease_owner: owner, lease_until: leaseUntil })
      .where('id', 'in', due)
      // Checked again here: on SQLite the select and update are one statement anyway; on PostgreSQL a row re-read after a wait.
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .returningAll()
      .execute();
    return rows.map(fromRow);
  }

  async renewLease(id: string, owner: string, now: string, leaseUntil: string): Promise<boolean> {
    return this.updateWhileLeased(id, owner, now, { lease_until: leaseUntil });
  }

  async saveState(id: string, owner: string, now: string, state: DeliveryState, disable?: { reason: string }, leaseUntil?: string): Promise<boolean> {
    return this.updateWhileLeased(id, owner, now, { ...state, ...(leaseUntil ? { lease_until: leaseUntil } : {}), ...(disable ? { enabled: 0, disabled_reason: disable.reason, updated_at: now } : {}) });
  }

  /** Writes to the endpoint only while `owner` still holds its lease and it is enabled; false when it does not. */
  private async updateWhileLeased(id: string, owner: string, now: string, values: Updateable<WebhookTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('webhooks')
      .set(values)
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('lease_until', '>', now)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.db.updateTable('webhooks').set({ lease_owner: null, lease_until: null }).where('id', '=', id).where('lease_owner', '=', owner).execute();
  }

  async recordDelivery(accountId: string, delivery: Omit<WebhookDelivery, 'seq'>): Promise<void> {
    await this.db.insertInto('webhook_deliveries').values({ account_id: accountId, ...delivery }).execute();
  }

  async deliveries(accountId: string, webhookId: string, page: PageRequest): Promise<Page<WebhookDelivery>> {
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('account_id', '=', accountId).where('webhook_id', '=', webhookId);
    // Newest first: the cursor is the seq the next page starts below.
    if (page.afterSeq !== undefined) query = query.where('seq', '<', page.afterSeq);
    const rows = await query.orderBy('seq', 'desc').limit(page.limit + 1).execute();
    const items = rows.slice(0, page.limit).map(({ account_id: _a, ...r }) => ({ ...r, seq: Number(r.seq), position: Number(r.position) }));
    return { items, nextCursor: rows.length > page.limit ? encodeCursor(items[items.length - 1]!.seq) : null };
  }
}

function toRow(webhook: Omit<WebhookRecord, 'seq'>) {
  return { ...webhook, event_types: JSON.stringify(webhook.event_types), enabled: webhook.enabled ? 1 : 0 };
}

function fromRow(row: WebhookRow): WebhookRecord {
  return { ...row, seq: Number(row.seq), cursor: Number(row.cursor), event_types: JSON.parse(row.event_types) as string[], enabled: row.enabled === 1 };
}
