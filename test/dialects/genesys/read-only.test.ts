import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { assertGwsError, gws } from './support.ts';

/**
 * Spec: "POST Creates a new contact of custom type", "PUT Modifies a contact of custom type (other
 * types are read-only)", "DELETE Removes a contact of custom type"; README Decision: 403 with a
 * GWS-style body, whatever the key (statusCode 3, the operation is forbidden).
 */
for (const engine of engines) {
  describe(`Genesys GWS users and queues are read-only on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof gws>;
    before(async () => {
      api = await startApi(engine);
      call = gws(api);
    });
    after(() => api.close());

    for (const type of ['user', 'queue'] as const) {
      for (const keyName of ['admin', 'write'] as const) {
        test(`PUT and DELETE of a ${type} with the ${keyName} key: 403, statusCode 3, the ${type} unchanged`, async () => {
          const entry = await api.createContact({ type, display_name: `Dir ${type}`, user_name: type === 'user' ? 'diruser' : null, phone_numbers: [{ number: uniquePhone() }] });
          const key = api.keys[keyName];
          assertGwsError(await call('PUT', `/contacts/${entry.id}`, { name: 'Hijacked' }, key), 403, 3);
          assertGwsError(await call('PUT', `/contacts/${entry.id}`, { phoneNumber: uniquePhone() }, key), 403, 3);
          assertGwsError(await call('DELETE', `/contacts/${entry.id}`, undefined, key), 403, 3);
          const after = await api.call('GET', `/v1/contacts/${entry.id}`);
          assert.deepEqual(after.body, entry, 'untouched');
        });
      }

      test(`POST with "type": "${type}" (any case) is refused 403 / 3 and creates nothing`, async () => {
        const name = `Would-be ${type} ${Math.random()}`;
        for (const spelled of [type, type.toUpperCase(), type[0]!.toUpperCase() + type.slice(1)]) {
          assertGwsError(await call('POST', '/contacts', { name, type: spelled }), 403, 3);
        }
        const list = await call('GET', `/contacts?name=${encodeURIComponent(name)}`);
        assert.equal(list.body.totalCount, 0);
      });

      test(`PUT turning a custom contact into a ${type} is refused 403 / 3`, async () => {
        const created = await call('POST', '/contacts', { name: 'Stays custom' });
        assertGwsError(await call('PUT', `/contacts/${created.body.id}`, { type, name: 'Changed' }), 403, 3);
        const read = await call('GET', `/contacts/${created.body.id}`);
        assert.equal(read.body.contact.type, 'Custom');
        assert.equal(read.body.contact.name, 'Stays custom');
      });
    }

    test('the native API still lets an admin key change directory entries (the rule is Genesys\'s, not the core\'s default)', async () => {
      const user = await api.createContact({ type: 'user', display_name: 'Native agent' });
      const res = await api.call('PATCH', `/v1/contacts/${user.id}`, { display_name: 'Renamed agent' });
      assert.equal(res.status, 200);
    });

    test('users and queues are read through GWS by an Agent key', async () => {
      const queue = await api.createContact({ type: 'queue', display_name: 'Readable queue' });
      const res = await call('GET', `/contacts/${queue.id}`, undefined, api.keys.read);
      assert.equal(res.status, 200);
      assert.equal(res.body.contact.type, 'Queue');
    });
  });
}
