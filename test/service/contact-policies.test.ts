/** Core rules the Genesys dialect selects, tested once through the services on every engine. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DomainError } from '../../src/core/errors.ts';
import type { Principal } from '../../src/core/types.ts';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';

const CUSTOM_ONLY = { writableTypes: ['custom'] as const };
const forbidden = (e: unknown) => e instanceof DomainError && e.code === 'forbidden';

for (const engine of engines) {
  describe(`contact write policy and list matching on ${engine.name}`, () => {
    let api: TestApi;
    let admin: Principal;
    before(async () => {
      api = await startApi(engine);
      admin = api.admin;
    });
    after(() => api.close());

    test('writableTypes: even an admin key cannot create, change or delete other types; custom contacts stay writable', async () => {
      const contacts = api.app.services.contacts;
      await assert.rejects(contacts.create(admin, { type: 'user', display_name: 'U' }, CUSTOM_ONLY), forbidden);
      const user = (await contacts.create(admin, { type: 'user', display_name: 'Agent' })).contact;
      await assert.rejects(contacts.patch(admin, user.id, { display_name: 'Changed' }, undefined, CUSTOM_ONLY), forbidden);
      await assert.rejects(contacts.delete(admin, user.id, undefined, CUSTOM_ONLY), forbidden);
      assert.equal((await contacts.get(admin, user.id)).display_name, 'Agent');

      const custom = (await contacts.create(admin, { display_name: 'C' }, CUSTOM_ONLY)).contact;
      await assert.rejects(contacts.patch(admin, custom.id, { type: 'queue' }, undefined, CUSTOM_ONLY), forbidden, 'nor turned into another type');
      assert.equal((await contacts.patch(admin, custom.id, { display_name: 'C2' }, undefined, CUSTOM_ONLY)).display_name, 'C2');
      await contacts.delete(admin, custom.id, undefined, CUSTOM_ONLY);

      const batch = await contacts.createMany(admin, [{ type: 'queue', display_name: 'Q' }, { display_name: 'ok' }], CUSTOM_ONLY);
      assert.ok('error' in batch[0]! && forbidden(batch[0].error));
      assert.ok('contact' in batch[1]!);
    });

    test('listWithTotal: exact matches ignoring case, wildcards on names and phone digits, phone lists, offset and total', async () => {
      const contacts = api.app.services.contacts;
      const a = (await contacts.create(admin, { first_name: 'Ada', last_name: 'Lovelace', phone_numbers: [{ number: '+1 612 555 0199' }] })).contact;
      const b = (await contacts.create(admin, { type: 'user', user_name: 'ADA.L', display_name: 'Second Ada' })).contact;
      const idsOf = async (query: Parameters<typeof contacts.listWithTotal>[1], page = { limit: 10, offset: 0 }) => {
        const { items, total } = await contacts.listWithTotal(admin, query, page);
        return { ids: items.map((c) => c.id), total };
      };
      assert.deepEqual((await idsOf({ textEquals: [{ fields: ['first_name'], values: ['ADA'] }] })).ids, [a.id]);
      assert.deepEqual((await idsOf({ textEquals: [{ fields: ['user_name'], values: ['nobody', 'ada.l'] }] })).ids, [b.id]);
      assert.deepEqual((await idsOf({ wildcards: [{ fields: ['display_name', 'user_name'], pattern: '*ada*', phones: false }] })).ids, [a.id, b.id]);
      assert.deepEqual((await idsOf({ wildcards: [{ fields: ['display_name'], pattern: '612555*', phones: true }] })).ids, [a.id]);
      assert.deepEqual((await idsOf({ wildcards: [{ fields: ['display_name'], pattern: '612555*', phones: false }] })).ids, []);
      assert.deepEqual((await idsOf({ phonesAnyOf: ['(612) 555-0199'] })).ids, [a.id]);
      assert.deepEqual((await idsOf({ phonesAnyOf: ['*'] })).ids, [a.id]);
      assert.deepEqual((await idsOf({ phonesAnyOf: ['not a number'] })).ids, []);
      const second = await idsOf({ wildcards: [{ fields: ['display_name'], pattern: '*ada*', phones: false }] }, { limit: 1, offset: 1 });
      assert.deepEqual(second, { ids: [b.id], total: 2 });
    });
  });
}
