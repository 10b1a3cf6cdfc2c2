/**
 * Webhooks (issue 10 §5) through HTTP on every engine: endpoints and their scope, Standard
 * Webhooks signatures checked with the `standardwebhooks` package, feed order, retries, 410,
 * Retry-After, secret rotation, replay, the deliveries list, event type filters and the SSRF guard.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { eventually, startReceiver, verifyDelivery, type WebhookReceiver } from '../support/webhook-receiver.ts';

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '1', WEBHOOK_POLL_MS: '50', WEBHOOK_TIMEOUT_MS: '2000' };

for (const engine of engines) {
  describe(`webhooks on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine, FAST);
    });
    after(() => api.close());

    /** A receiver and an endpoint pointing at it; both are removed when the test ends. */
    async function endpoint(t: { after(fn: () => Promise<void>): void }, body: Record<string, unknown> = {}): Promise<{ receiver: WebhookReceiver; id: string; secret: string }> {
      const receiver = await startReceiver();
      const res = await api.call('POST', '/v1/webhooks', { url: receiver.url, ...body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      t.after(async () => {
        await api.call('DELETE', `/v1/webhooks/${res.body.id}`);
        await receiver.close();
      });
      return { receiver, id: res.body.id, secret: res.body.secret };
    }

    const contact = () => api.createContact({ display_name: 'Hook Test', phone_numbers: [{ number: uniquePhone() }] });

    test('CRUD: the secret is shown on create only; a contacts:write key is refused; changes are journalled without the secret', async () => {
      const created = await api.call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/a', description: 'CRM', event_types: ['contact.created', 'group.*'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      assert.equal(Buffer.from(created.body.secret.slice(6), 'base64').length, 32);
      assert.deepEqual([created.body.enabled, created.body.event_types, created.body.description], [true, ['contact.created', 'group.*'], 'CRM']);
      const id = created.body.id;
      const got = await api.call('GET', `/v1/webhooks/${id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.secret, undefined);
      const defaults = await api.call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/b', enabled: false });
      assert.deepEqual(defaults.body.event_types, ['contact.*']);
      const page = await api.call('GET', '/v1/webhooks?limit=1');
      assert.equal(page.body.data.length, 1);
      assert.ok(page.body.next_cursor);
      const next = await api.call('GET', `/v1/webhooks?limit=1&cursor=${page.body.next_cursor}`);
      assert.notEqual(next.body.data[0].id, page.body.data[0].id);
      assert.ok([...page.body.data, ...next.body.data].every((w: any) => w.secret === undefined));
      const patched = await api.call('PATCH', `/v1/webhooks/${id}`, { description: 'changed', enabled: false });
      assert.deepEqual([patched.status, patched.body.description, patched.body.enabled], [200, 'changed', false]);
      assert.equal((await api.call('PATCH', `/v1/webhooks/${id}`, { event_types: ['contact.nonsense'] })).body.errors[0].path, 'event_types[0]');
      for (const [method, url, body] of [['POST', '/v1/webhooks', { url: 'https://hooks.example.com/c' }], ['GET', '/v1/webhooks', undefined], ['GET', `/v1/webhooks/${id}`, undefined], ['DELETE', `/v1/webhooks/${id}`, undefined]] as const) {
        assert.equal((await api.call(method, url, body, { key: api.keys.write })).status, 403, `${method} ${url} with a contacts:write key`);
      }
      const other = await api.otherAccount();
      assert.equal((await api.call('GET', `/v1/webhooks/${id}`, undefined, { key: other.key })).status, 404);
      assert.equal((await api.call('DELETE', `/v1/webhooks/${id}`)).status, 204);
      assert.equal((await api.call('GET', `/v1/webhooks/${id}`)).body.code, 'webhook_not_found');
      await api.call('DELETE', `/v1/webhooks/${defaults.body.id}`);
      const journal = await api.db.store.changes.historyOf(api.accountId, id, 10);
      assert.deepEqual(journal.map((c) => c.type), ['webhook.deleted', 'webhook.updated', 'webhook.created']);
      assert.ok(!JSON.stringify(journal).includes(created.body.secret.slice(6)), 'no secret in the journal');
      assert.ok(!JSON.stringify(journal).includes('"secret"'), 'no secret field in the journal');
    });

    test('every delivery verifies with standardwebhooks, carries the contact and its changed fields, in feed order', async (t) => {
      const { receiver, id, secret } = await endpoint(t);
      const made = await contact();
      const changed = await api.call('PATCH', `/v1/contacts/${made.id}`, { company: 'Acme' });
      assert.equal(changed.status, 200);
      await receiver.waitFor((r) => r.length >= 2, 'two deliveries');
      const [first, second] = receiver.received.map((r) => verifyDelivery(secret, r));
      assert.equal(first.type, 'contact.created');
      assert.equal(first.data.id, made.id);
      assert.equal(first.data.display_name, 'Hook Test');
      assert.equal(first.data.seq, undefined, 'the contact as the native API shows it');
      assert.ok(first.data.changed_fields.includes('display_name'));
      assert.ok(!Number.isNaN(Date.parse(first.timestamp)));
      assert.equal(second.type, 'contact.updated');
      assert.deepEqual(second.data.changed_fields, ['company']);
      assert.equal(second.data.company, 'Acme');
      const ids = receiver.received.map((r) => String(r.headers['webhook-id']));
      assert.match(ids[0]!, /^msg_\d+_[0-9a-f]{16}$/);
      assert.ok(Number(ids[0]!.split('_')[1]) < Number(ids[1]!.split('_')[1]), 'feed order');
      const h = receiver.received[0]!.headers;
      assert.equal(h['content-type'], 'application/json');
      assert.match(String(h['user-agent']), /contactd/);
      assert.ok(Math.abs(Number(h['webhook-timestamp']) - Date.now() / 1000) < 30);
      const deliveries = await eventually(async () => {
        const res = await api.call('GET', `/v1/webhooks/${id}/deliveries`);
        return res.body.data.length >= 2 ? res.body.data : undefined;
      }, 'two recorded attempts');
      assert.deepEqual(deliveries.map((d: any) => [d.type, d.attempt, d.status_code, d.error]), [['contact.updated', 1, 204, null], ['contact.created', 1, 204, null]]);
      assert.equal(deliveries[1].event_id, ids[0]);
    });

    test('a failing event is retried with the same webhook-id and holds back later ones; the deliveries list shows each attempt', async (t) => {
      const { receiver, id, secret } = await endpoint(t);
      receiver.answer = (_r, n) => (n < 2 ? { status: 500, body: 'x'.repeat(3000) } : { status: 204 });
      const a = await contact();
      const b = await contact();
      await receiver.waitFor((r) => r.length >= 4, 'three attempts at the first event and one at the second', 15_000);
      const seen = receiver.received.map((r) => verifyDelivery(secret, r).data.id);
      assert.deepEqual(seen, [a.id, a.id, a.id, b.id]);
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      assert.equal(new Set(ids.slice(0, 3)).size, 1, 'same webhook-id on every retry');
      assert.ok(receiver.received[1]!.at - receiver.received[0]!.at >= 700, 'the retry waited about the scheduled second');
      // The receiver answered the last attempt; its record may still be on its way.
      await eventually(async () => ((await api.call('GET', `/v1/webhooks/${id}/deliveries`)).body.data.length >= 4 ? true : undefined), 'four recorded attempts');
      const page1 = await api.call('GET', `/v1/webhooks/${id}/deliveries?limit=2`);
      const rest = await api.call('GET', `/v1/webhooks/${id}/deliveries?limit=2&cursor=${page1.body.next_cursor}`);
      const all = [...page1.body.data, ...rest.body.data];
      assert.deepEqual(all.map((d: any) => [d.attempt, d.status_code]), [[1, 204], [3, 204], [2, 500], [1, 500]]);
      assert.equal(all[3].response_body.length, 1024, 'the first 1 KB of the answer');
      assert.ok(all.every((d: any) => typeof d.duration_ms === 'number'));
    });

    test('a 410 disables the endpoint, journalled as a change by the system', async (t) => {
      const { receiver, id } = await endpoint(t);
      receiver.answer = () => ({ status: 410 });
      await contact();
      const disabled = await eventually(async () => {
        const res = await api.call('GET', `/v1/webhooks/${id}`);
        return res.body.enabled ? undefined : res.body;
      }, 'the endpoint disabled');
      assert.match(disabled.disabled_reason, /410/);
      const latest = await api.db.store.changes.latestOf(api.accountId, id, 'webhook.updated');
      assert.deepEqual(latest?.actor, { key_id: null, surface: 'system' });
      assert.deepEqual(latest?.fields?.enabled, { before: true, after: false });
      await contact();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.received.length, 1, 'nothing is sent to a disabled endpoint');
      receiver.answer = () => ({ status: 204 });
      const enabled = await api.call('PATCH', `/v1/webhooks/${id}`, { enabled: true });
      assert.deepEqual([enabled.body.enabled, enabled.body.disabled_reason], [true, null]);
      await receiver.waitFor((r) => r.length >= 3, 'the held events once re-enabled');
    });

    test('429 with Retry-After is honoured', async (t) => {
      const { receiver } = await endpoint(t);
      receiver.answer = (_r, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 204 });
      await contact();
      await receiver.waitFor((r) => r.length >= 2, 'the retry', 15_000);
      const gap = receiver.received[1]!.at - receiver.received[0]!.at;
      assert.ok(gap >= 2900, `waited ${gap} ms for Retry-After: 3 (the schedule says 1 s)`);
      assert.equal(receiver.received[0]!.headers['webhook-id'], receiver.received[1]!.headers['webhook-id']);
    });

    test('rotate-secret: deliveries carry both signatures, and each secret verifies', async (t) => {
      const { receiver, id, secret: old } = await endpoint(t);
      const rotated = await api.call('POST', `/v1/webhooks/${id}/rotate-secret`);
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.secret, old);
      assert.match(rotated.body.secret, /^whsec_/);
      await contact();
      await receiver.waitFor((r) => r.length >= 1, 'a delivery');
      const request = receiver.received[0]!;
      assert.equal(String(request.headers['webhook-signature']).split(' ').length, 2);
      assert.match(String(request.headers['webhook-signature']), /^v1,\S+ v1,\S+$/);
      assert.equal(verifyDelivery(rotated.body.secret, request).type, 'contact.created');
      assert.equal(verifyDelivery(old, request).type, 'contact.created');
      assert.throws(() => verifyDelivery(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, request));
      const journal = await api.db.store.changes.latestOf(api.accountId, id, 'webhook.updated');
      assert.ok(!JSON.stringify(journal).includes(rotated.body.secret.slice(6)));
    });

    test('replay sends every matching change since the time again, in order, with the same webhook-ids', async (t) => {
      const since = new Date().toISOString();
      const { receiver, id } = await endpoint(t);
      const a = await contact();
      const b = await contact();
      await receiver.waitFor((r) => r.length >= 2, 'the first deliveries');
      const replay = await api.call('POST', `/v1/webhooks/${id}/replay`, { since });
      assert.equal(replay.status, 202);
      assert.equal(typeof replay.body.from_position, 'number');
      await receiver.waitFor((r) => r.length >= 4, 'the replay');
      const seen = receiver.received.map((r) => [r.json.data.id, r.headers['webhook-id']]);
      assert.deepEqual(seen.map((s) => s[0]), [a.id, b.id, a.id, b.id]);
      assert.deepEqual(seen.slice(2), seen.slice(0, 2));
      assert.equal((await api.call('POST', `/v1/webhooks/${id}/replay`, { since: 'yesterday' })).status, 400);
    });

    test('event_types filters what is sent (wildcards included)', async (t) => {
      const { receiver } = await endpoint(t, { event_types: ['group.*', 'contact.deleted'] });
      const made = await contact();
      const group = await api.call('POST', '/v1/groups', { name: `hooked ${made.id}` });
      assert.equal(group.status, 201);
      assert.equal((await api.call('DELETE', `/v1/contacts/${made.id}`)).status, 204);
      await receiver.waitFor((r) => r.length >= 2, 'group.created and contact.deleted');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(receiver.received.map((r) => r.json.type), ['group.created', 'contact.deleted']);
      assert.equal(receiver.received[0]!.json.data.id, group.body.id);
    });
  });

  describe(`webhook SSRF guard and disabling on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine, { WEBHOOK_RETRY_SCHEDULE: '1', WEBHOOK_POLL_MS: '50', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_DISABLE_AFTER_SECONDS: '2' });
    });
    after(() => api.close());

    test('private, loopback and link-local addresses and non-http schemes are refused at create and update', async () => {
      for (const url of ['http://127.0.0.1:8080/x', 'http://169.254.169.254/latest/meta-data', 'http://10.1.2.3/', 'http://192.168.0.1/', 'http://172.16.5.4/', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::1]/', 'http://[fe80::1]/', 'http://[fd00::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:a9fe:a9fe]/', 'file:///etc/passwd', 'ftp://example.com/x', 'gopher://example.com/', 'not a url']) {
        const res = await api.call('POST', '/v1/webhooks', { url });
        assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.code, 'validation_failed');
        assert.ok(res.body.errors.some((e: { path: string }) => e.path === 'url'), `${url} names url`);
      }
      const ok = await api.call('POST', '/v1/webhooks', { url: 'https://93.184.216.34/hook', enabled: false });
      assert.equal(ok.status, 201);
      const patched = await api.call('PATCH', `/v1/webhooks/${ok.body.id}`, { url: 'http://127.0.0.1/' });
      assert.equal(patched.status, 400);
      await api.call('DELETE', `/v1/webhooks/${ok.body.id}`);
    });

    test('a name that resolves to loopback is refused at delivery, recorded as a failed attempt', async (t) => {
      const receiver = await startReceiver();
      t.after(() => receiver.close());
      const url = receiver.url.replace('127.0.0.1', 'localhost');
      const created = await api.call('POST', '/v1/webhooks', { url });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      t.after(async () => void (await api.call('DELETE', `/v1/webhooks/${created.body.id}`)));
      await api.createContact({ display_name: 'SSRF', phone_numbers: [{ number: uniquePhone() }] });
      const attempt = await eventually(async () => (await api.call('GET', `/v1/webhooks/${created.body.id}/deliveries`)).body.data[0], 'a recorded attempt');
      assert.equal(attempt.status_code, null);
      assert.match(attempt.error, /refused: localhost resolves to (127\.0\.0\.1|::1), a private, loopback or link-local address/);
      assert.equal(receiver.received.length, 0);
      // Failing for longer than WEBHOOK_DISABLE_AFTER_SECONDS disables it, by the system.
      const disabled = await eventually(async () => {
        const res = await api.call('GET', `/v1/webhooks/${created.body.id}`);
        return res.body.enabled ? undefined : res.body;
      }, 'disabled after failing', 15_000);
      assert.match(disabled.disabled_reason, /every delivery failed since/);
      const latest = await api.db.store.changes.latestOf(api.accountId, created.body.id, 'webhook.updated');
      assert.equal(latest?.actor.surface, 'system');
    });
  });
}
