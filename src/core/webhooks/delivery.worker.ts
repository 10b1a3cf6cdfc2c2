import { newId, nowIso } from '../clock.ts';
import type { Change } from '../journal/change.types.ts';
import { SYSTEM_ACTOR, recordChange } from '../journal/journal.ts';
import type { Store } from '../ports.ts';
import { changeTypesOf } from './event-types.ts';
import { payloadOf } from './payload.ts';
import { backoffMs, retryAfterMs } from './retry-schedule.ts';
import { eventIdOf, signatureHeader } from './signing.ts';
import type { DeliveryState, WebhookRecord } from './webhook.types.ts';
import { publicOf } from './webhook.service.ts';

/** One POST to an endpoint, made by an adapter (src/http/webhook-sender.ts) that applies the SSRF guard to the address it connects to. */
export interface WebhookSender {
  send(request: { url: string; headers: Record<string, string>; body: string; timeoutMs: number; allowPrivate: boolean }): Promise<SendOutcome>;
}

export interface SendOutcome {
  /** null: no answer (refused, timed out, connection failed). */
  status: number | null;
  /** The first 1 KB of the answer. */
  body: string | null;
  retryAfter: string | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryOptions {
  /** Seconds to wait after the 1st, 2nd, … failure; past its end the last step repeats. */
  retryScheduleSeconds: readonly number[];
  timeoutMs: number;
  /** An endpoint failing without a break for this long is disabled. */
  disableAfterMs: number;
  pollMs: number;
  allowPrivate: boolean;
  /** Endpoints this node delivers to at once. */
  concurrency?: number;
  userAgent?: string;
  warn?: (message: string, error: unknown) => void;
}


/** How soon a wake looks for work. */
const WAKE_MS = 20;

/** The longest Retry-After honoured: a receiver cannot park an endpoint for longer than a day. */
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/**
 * Delivers the journal to webhook endpoints. The journal is the outbox: each endpoint has a
 * cursor (the last feed position it got) and receives its account's subscribed changes after it,
 * one at a time in feed order, so that a failing change holds back the later ones. A node works
 * on an endpoint only under a lease (taken from the database, so several nodes share the work),
 * renewed before each attempt; an attempt is recorded and the cursor moved only while the lease
 * is held. A node that dies leaves its lease to expire, and another sends the same change again
 * with the same `webhook-id`.
 */
export class DeliveryWorker {
  readonly nodeId = newId();
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopping = true;
  private nextTickAt = 0;
  private anyEnabled = true;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly warn: (message: string, error: unknown) => void;

  constructor(
    private readonly store: Store,
    private readonly sender: WebhookSender,
    private readonly options: DeliveryOptions,
  ) {
    // Longer than one attempt can take, so that a live node never loses its lease mid-attempt.
    this.leaseMs = options.timeoutMs + Math.max(1000, options.timeoutMs);
    this.concurrency = options.concurrency ?? 8;
    this.warn = options.warn ?? (() => {});
  }

  start(): void {
    this.stopping = false;
    this.schedule(0);
  }

  /** Stops claiming; lets attempts under way finish (each is bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Looks for work soon rather than at the next poll (after a local write that may have some).
   * Wakes within WAKE_MS coalesce, so that a burst of writes costs a few claims, not one each.
   */
  wake(): void {
    // With no endpoint enabled anywhere (as of the last poll), a write has nothing to send.
    if (this.stopping || this.ticking || !this.anyEnabled) return;
    if (this.nextTickAt - Date.now() > WAKE_MS) this.schedule(WAKE_MS);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.nextTickAt = Date.now() + ms;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopping || this.ticking) return;
    this.ticking = this.claimAndLaunch()
      .catch((error) => this.warn('webhooks: looking for due endpoints failed', error))
      .finally(() => {
        this.ticking = undefined;
        if (!this.stopping) this.schedule(this.options.pollMs);
      });
    await this.ticking;
  }

  private async claimAndLaunch(): Promise<void> {
    this.anyEnabled = await this.store.webhooks.anyEnabled();
    if (!this.anyEnabled) return;
    const room = this.concurrency - this.running.size;
    if (room <= 0) return;
    const now = Date.now();
    const claimed = await this.store.transaction((tx) => tx.webhooks.claimDue(this.nodeId, new Date(now).toISOString(), new Date(now + this.leaseMs).toISOString(), room));
    for (const record of claimed) {
      if (this.running.has(record.id)) continue;
      const run = this.deliverTo(record)
        .catch((error) => this.warn(`webhook ${record.id}: delivery failed`, error))
        .finally(() => this.running.delete(record.id));
      this.running.set(record.id, run);
    }
  }

  /** Delivers the endpoint's backlog in feed order until it is empty, an attempt fails, or the lease is lost. */
  private async deliverTo(record: WebhookRecord): Promise<void> {
    const types = changeTypesOf(record.event_types);
    let state: DeliveryState = { cursor: record.cursor, attempt: record.attempt, next_attempt_at: null, failing_since: record.failing_since };
    let held = true;
    let leaseUntil = Date.parse(record.lease_until!);
    try {
      while (held && !this.stopping) {
        // `last`: the feed is final up to it, so when nothing subscribed comes after the cursor, the cursor may skip to it.
        const { changes, end: last } = await this.store.changes.readFeed(record.account_id, state.cursor, 20, types);
        if (changes.length === 0) {
          if (last > state.cursor) held = await this.save(record, { ...state, cursor: last });
          return;
        }
        for (const change of changes) {
          if (this.stopping) return;
          // Each save extends the lease; renew only when too little is left for a whole attempt.
          if (leaseUntil - Date.now() < this.options.timeoutMs + 500) {
            if (!(held = await this.renew(record))) return;
            leaseUntil = Date.now() + this.leaseMs;
          }
          const started = Date.now();
          const next = await this.attempt(record, change, state);
          if (!next) return;
          leaseUntil = started + this.leaseMs;
          state = next;
          if (state.attempt > 0) return;
        }
      }
    } finally {
      if (held) await this.store.transaction((tx) => tx.webhooks.release(record.id, this.nodeId)).catch((e) => this.warn(`webhook ${record.id}: releasing its lease failed`, e));
    }
  }

  /** Sends one change and records the attempt; the endpoint's next state, or undefined when the lease was lost or the endpoint disabled. */
  private async attempt(record: WebhookRecord, change: Change, state: DeliveryState): Promise<DeliveryState | undefined> {
    const eventId = eventIdOf(record.account_id, change.position);
    const body = payloadOf(change);
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = [record.secret, ...(record.previous_secret && record.previous_secret_until && record.previous_secret_until > nowIso() ? [record.previous_secret] : [])];
    const outcome = await this.sender.send({
      url: record.url,
      body,
      timeoutMs: this.options.timeoutMs,
      allowPrivate: this.options.allowPrivate,
      headers: {
        'content-type': 'application/json',
        'user-agent': this.options.userAgent ?? 'contactd-webhooks/1 (Standard Webhooks 1.0)',
        'webhook-id': eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, eventId, timestamp, body),
      },
    });
    const number = state.attempt + 1;
    const delivered = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const now = Date.now();
    const next: DeliveryState = delivered
      ? { cursor: change.position, attempt: 0, next_attempt_at: null, failing_since: null }
      : { cursor: state.cursor, attempt: number, next_attempt_at: new Date(now + this.waitAfter(outcome, number)).toISOString(), failing_since: state.failing_since ?? new Date(now).toISOString() };
    const disable = delivered ? undefined : this.disableReason(outcome, next.failing_since!, now);
    const saved = await this.store.transaction(async (tx) => {
      if (!(await tx.webhooks.saveState(record.id, this.nodeId, new Date(now).toISOString(), next, disable ? { reason: disable } : undefined, new Date(now + this.leaseMs).toISOString()))) return false;
      await tx.webhooks.recordDelivery(record.account_id, {
        webhook_id: record.id, event_id: eventId, position: change.position, type: change.type, attempt: number,
        status_code: outcome.status, duration_ms: Math.round(outcome.durationMs), error: outcome.error, response_body: outcome.body, at: new Date(now).toISOString(),
      });
      if (disable) {
        const before = publicOf(record);
        recordChange(tx, SYSTEM_ACTOR, 'webhook', 'updated', before, { ...before, enabled: false, disabled_reason: disable, updated_at: new Date(now).toISOString() });
      }
      return true;
    });
    return saved && !disable ? next : undefined;
  }

  private waitAfter(outcome: SendOutcome, failures: number): number {
    if (outcome.status === 429 || outcome.status === 503) {
      const asked = retryAfterMs(outcome.retryAfter);
      if (asked !== undefined) return Math.min(asked, MAX_RETRY_AFTER_MS);
    }
    return backoffMs(this.options.retryScheduleSeconds, failures);
  }

  private disableReason(outcome: SendOutcome, failingSince: string, now: number): string | undefined {
    if (outcome.status === 410) return 'the endpoint answered 410 Gone';
    if (now - Date.parse(failingSince) >= this.options.disableAfterMs) return `every delivery failed since ${failingSince}`;
    return undefined;
  }

  private renew(record: WebhookRecord): Promise<boolean> {
    const now = Date.now();
    return this.store.transaction((tx) => tx.webhooks.renewLease(record.id, this.nodeId, new Date(now).toISOString(), new Date(now + this.leaseMs).toISOString()));
  }

  private save(record: WebhookRecord, state: DeliveryState): Promise<boolean> {
    return this.store.transaction((tx) => tx.webhooks.saveState(record.id, this.nodeId, nowIso(), state));
  }
}
