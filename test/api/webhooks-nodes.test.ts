/**
 * Webhook delivery across nodes: two nodes on one PostgreSQL database deliver each event once and
 * in feed order; a node killed (SIGKILL) mid-delivery leaves the event to another node, which
 * sends it again with the same webhook-id (both engines: a `contactd serve` child beside the
 * test's own app on the same database).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp, type App } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { openStore } from '../../src/runtime.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { startContactd } from '../support/contactd-process.ts';
import { eventually, startReceiver, verifyDelivery } from '../support/webhook-receiver.ts';

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '1', WEBHOOK_POLL_MS: '20', WEBHOOK_TIMEOUT_MS: '3000' };

const positionOf = (webhookId: unknown) => Number(String(webhookId).split('_')[1]);

for (const engine of engines) {
  describe(`webhook delivery across nodes on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine, FAST);
    });
    after(() => api.close());

    test('two nodes on one PostgreSQL database deliver each event once, in feed order', { skip: engine.name !== 'postgres' && 'PostgreSQL only' }, async (t) => {
      const secondStore = await openStore({ databaseUrl: api.db.databaseUrl }, api.db.searchPath ? { searchPath: api.db.searchPath } : {});
      const second: App = await buildApp(readConfig({ DATABASE_URL: api.db.databaseUrl, LOG_LEVEL: 'silent', RATE_LIMIT_PER_SECOND: '0', ...FAST }), { store: secondStore.store, logger: false });
      await second.ready();
      const receiver = await startReceiver();
      t.after(async () => {
        await second.close();
        await secondStore.handle.close();
        await receiver.close();
      });
      const created = await api.call('POST', '/v1/webhooks', { url: receiver.url });
      const headers = { authorization: `Bearer ${api.keys.write}`, 'content-type': 'application/json' };
      const writes = Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? api.call('POST', '/v1/contacts', { display_name: `Node one ${i}`, phone_numbers: [{ number: uniquePhone() }] }, { key: api.keys.write })
          : second.inject({ method: 'POST', url: '/v1/contacts', headers, payload: JSON.stringify({ display_name: `Node two ${i}`, phone_numbers: [{ number: uniquePhone() }] }) }).then((r) => ({ status: r.statusCode })),
      );
      for (const res of await Promise.all(writes)) assert.equal(res.status, 201);
      await receiver.waitFor((r) => new Set(r.map((x) => x.headers['webhook-id'])).size >= 40, '40 events', 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      assert.equal(ids.length, 40, 'no event sent twice');
      const positions = ids.map(positionOf);
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'feed order');
      for (const r of receiver.received) verifyDelivery(created.body.secret, r);
    });

    test('a node killed mid-delivery leaves the event to another node, which sends it again with the same webhook-id', async (t) => {
      // This test's own node delivers nothing until the child is dead.
      await api.app.services.webhookDelivery.stop();
      const receiver = await startReceiver();
      t.after(() => receiver.close());
      const url = api.db.searchPath ? `${api.db.databaseUrl}?options=${encodeURIComponent(`-c search_path=${api.db.searchPath}`)}` : api.db.databaseUrl;
      const child = await startContactd({ DATABASE_URL: url, LOG_LEVEL: 'error', RATE_LIMIT_PER_SECOND: '0', ...FAST });
      t.after(() => {
        if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
      });
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${child.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${api.keys.admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        assert.equal(res.status, 201, await res.clone().text());
        return (await res.json()) as any;
      };
      const webhook = await post('/v1/webhooks', { url: receiver.url });
      let killed: Promise<unknown> | undefined;
      receiver.answer = (_r, n) => {
        if (n > 0) return { status: 204 };
        // The child is sending the first event: it dies before it hears the answer.
        killed = new Promise((resolve) => child.child.once('exit', resolve));
        child.child.kill('SIGKILL');
        return 'hang';
      };
      const made = await post('/v1/contacts', { display_name: 'Killed mid-delivery', phone_numbers: [{ number: uniquePhone() }] });
      await receiver.waitFor((r) => r.length >= 1, 'the child\'s attempt');
      await killed;
      api.app.services.webhookDelivery.start();
      await receiver.waitFor((r) => r.length >= 2, 'the other node\'s attempt once the lease expired', 20_000);
      const [first, again] = receiver.received;
      assert.equal(again!.headers['webhook-id'], first!.headers['webhook-id']);
      assert.equal(verifyDelivery(webhook.secret, again!).data.id, made.id);
      const deliveries = await eventually(async () => {
        const res = await api.call('GET', `/v1/webhooks/${webhook.id}/deliveries`);
        return res.body.data.length >= 1 ? res.body.data : undefined;
      }, 'the recorded attempt');
      assert.deepEqual(deliveries.map((d: any) => [d.attempt, d.status_code]), [[1, 204]], 'the dead node recorded nothing');
      // Nothing lost after it: the next event goes out once.
      await api.createContact({ display_name: 'After the kill', phone_numbers: [{ number: uniquePhone() }] });
      await receiver.waitFor((r) => r.length >= 3, 'the next event');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.received.length, 3);
      assert.ok(positionOf(receiver.received[2]!.headers['webhook-id']) > positionOf(first!.headers['webhook-id']));
      await api.call('DELETE', `/v1/webhooks/${webhook.id}`);
    });
  });
}
