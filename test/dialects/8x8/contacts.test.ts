import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildApp } from '../../../src/app.ts';
import { readConfig } from '../../../src/config.ts';
import { openStore } from '../../../src/runtime.ts';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { EIGHT_BY_EIGHT_SPEC, assertError, assertSpec, eightByEight, msisdn, type Call } from './support.ts';

for (const engine of engines) {
  describeWithSpec(EIGHT_BY_EIGHT_SPEC, `8x8 contacts on ${engine.name}`, () => {
    let api: TestApi;
    let call: Call;
    before(async () => {
      api = await startApi(engine);
      call = eightByEight(api);
    });
    after(() => api.close());

    /** The contact as the native API stores it, found by its phone number. */
    const native = async (digits: string) => (await api.call('GET', `/v1/contacts?phone=%2B${digits}`)).body.data;

    test('README: "If one existing contact shares any given address, the data is merged into it" — messaging addresses (lineId, facebookUserId, ...) count as addresses too', async () => {
      const line = `line-${msisdn()}`;
      const first = await call('POST', '/contacts', { firstName: 'Line', addresses: { lineId: line } });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const again = await call('POST', '/contacts', { lastName: 'Again', addresses: { lineId: line } });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.body.lastName, 'Again');
      // Two contacts, one by phone and one by messaging handle: several share the addresses, 409.
      const number = msisdn();
      await call('POST', '/contacts', { firstName: 'Phone', addresses: { msisdn: number } });
      assertError(await call('POST', '/contacts', { addresses: { msisdn: number, lineId: line } }), 409, 5001);
      // The spec's query: "Can be name or one of addresses (email, phone number, etc)".
      const found = await call('GET', `/contacts?query=${encodeURIComponent(line)}`);
      assert.deepEqual(found.body.items.map((c: { id: number }) => c.id), [first.body.id]);
    });

    test('directory users and queues (written natively) are read-only through 8x8: PATCH and DELETE are 403 (code 1201), the entry stays', async () => {
      const number = msisdn();
      const user = await api.createContact({ type: 'user', display_name: 'Agent Smith', user_name: `agent${number}`, phone_numbers: [{ number: `+${number}` }] });
      const [listed] = (await call('GET', `/contacts?query=${number}`)).body.items;
      assertError(await call('PATCH', `/contacts/${listed.id}`, [{ op: 'replace', path: '/firstName', value: 'X' }]), 403, 1201);
      assertError(await call('DELETE', `/contacts/${listed.id}`), 403, 1201);
      assert.equal((await api.call('GET', `/v1/contacts/${user.id}`)).status, 200);
    });

    test('spec PATCH example on a contact with a number custom field set natively: the patch changes what it names, the number stays a number', async () => {
      const key = `score_${msisdn().slice(-6)}`;
      assert.equal((await api.call('POST', '/v1/custom-fields', { key, data_type: 'number' })).status, 201);
      const number = msisdn();
      await api.createContact({ first_name: 'Scored', phone_numbers: [{ number: `+${number}` }], custom_fields: { [key]: 5 } });
      const [listed] = (await call('GET', `/contacts?query=${number}`)).body.items;
      assert.equal(listed.customAttributes[key], 5);
      const res = await call('PATCH', `/contacts/${listed.id}`, [{ op: 'replace', path: '/firstName', value: 'John' }]);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.firstName, 'John');
      assert.equal(res.body.customAttributes[key], 5);
      const removed = await call('PATCH', `/contacts/${listed.id}`, [{ op: 'remove', path: `/customAttributes/${key}` }]);
      assert.equal(removed.body.customAttributes[key], undefined);
    });

    test('README: merged on a shared address, so one address stays with one contact: a PATCH taking another contact\'s msisdn is 409, nothing changed', async () => {
      const [mine, theirs] = [msisdn(), msisdn()];
      const a = await call('POST', '/contacts', { firstName: 'A', addresses: { msisdn: mine } });
      await call('POST', '/contacts', { firstName: 'B', addresses: { msisdn: theirs } });
      const res = await call('PATCH', `/contacts/${a.body.id}`, [{ op: 'replace', path: '/addresses/msisdn', value: theirs }]);
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal((await call('GET', `/contacts/${a.body.id}`)).body.addresses.msisdn, mine);
      // Its own addresses do not count against it.
      assert.equal((await call('PATCH', `/contacts/${a.body.id}`, [{ op: 'replace', path: '/firstName', value: 'A2' }])).status, 200);
    });

    test('a contact sent back as it was read (with its read-only id and createdAt) is accepted; those fields are ignored', async () => {
      const read = await call('POST', '/contacts', { firstName: 'Round', addresses: { msisdn: msisdn() } });
      const again = await call('POST', '/contacts', { ...read.body, firstName: 'Trip' });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.id, read.body.id, 'merged into itself by its msisdn');
      assert.equal(again.body.createdAt, read.body.createdAt);
    });

    test('RFC 6902: a PATCH sent as application/json-patch+json, as JSON Patch libraries send it, is read like application/json', async () => {
      const created = await call('POST', '/contacts', { firstName: 'Patchy', addresses: { msisdn: msisdn() } });
      const res = await api.call('PATCH', `/8x8/api/v1/accounts/${api.accountId}/contacts/${created.body.id}`, JSON.stringify([{ op: 'replace', path: '/firstName', value: 'Patched' }]), { headers: { 'content-type': 'application/json-patch+json' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.firstName, 'Patched');
    });

    test('README: one existing contact sharing an address absorbs the data even when it brings another externalId (the existing one stays)', async () => {
      const number = msisdn();
      const existing = await call('POST', '/contacts', { externalId: `ext-${number}`, addresses: { msisdn: number } });
      const merged = await call('POST', '/contacts', { externalId: `other-${number}`, firstName: 'Merged', addresses: { msisdn: number } });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.equal(merged.body.id, existing.body.id);
      assert.equal(merged.body.externalId, `ext-${number}`);
      assert.equal(merged.body.firstName, 'Merged');
    });

    test('lead benchmark body {"firstName","lastName","addresses":{"msisdn","email"}}: 201 Created, integer id, msisdn returned without the plus; stored in the default book', async () => {
      const number = msisdn();
      const res = await call('POST', '/contacts', { firstName: 'Jane', lastName: 'Doe', addresses: { msisdn: number, email: `${number}@example.com` } });
      assert.equal(res.status, 201);
      assert.ok(Number.isInteger(res.body.id));
      assert.deepEqual(res.body.addresses, { msisdn: number, email: `${number}@example.com` });
      assert.equal(res.body.firstName, 'Jane');
      assert.equal(res.body.lastName, 'Doe');
      assert.deepEqual(res.body.customAttributes, {});
      assert.equal(res.body.groups, undefined, 'no groups: the file wants groups to hold at least one');
      const [stored] = await native(number);
      assert.equal(stored.seq ?? res.body.id, res.body.id);
      assert.equal(stored.first_name, 'Jane');
      assert.equal(stored.phone_numbers[0].e164, `+${number}`);
      const books = (await api.call('GET', '/v1/address-books')).body.data;
      assert.equal(stored.address_book_id, books.find((b: { is_default: boolean }) => b.is_default).id);
    });

    test('seed example: externalId, country, groups [{id}], addresses.msisdn with a plus; the answer carries the group objects', async () => {
      const group = await call('POST', '/groups', { name: `some group ${msisdn()}`, description: 'General' });
      const number = msisdn();
      const res = await call('POST', '/contacts', {
        externalId: `ext-${number}`, country: 'US', groups: [{ id: group.body.id }], addresses: { msisdn: `+${number}` },
        customAttributes: { company: 'My company', level: 3, vip: true },
      });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.customAttributes, { company: 'My company', level: '3', vip: 'true' }, 'free-form values are kept as text');
      assert.equal(res.body.addresses.msisdn, number);
      assert.equal(res.body.externalId, `ext-${number}`);
      assert.equal(res.body.country, 'US');
      assert.deepEqual(res.body.groups.map((g: any) => [g.id, g.name, g.description, g.contacts, g.isBlacklist]), [[group.body.id, group.body.name, 'General', 1, false]]);
    });

    test('README: a national msisdn is read in the given country; every address kind round-trips', async () => {
      const res = await call('POST', '/contacts', {
        country: 'GB',
        addresses: { msisdn: '2079460123', weChatUserId: 'wc-1', facebookUserId: 'fb-1', email: 'all@example.com', zaloId: 'z-1', lineId: 'l-1', kakaoTalkId: 'k-1' },
      });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.addresses, { msisdn: '442079460123', weChatUserId: 'wc-1', facebookUserId: 'fb-1', email: 'all@example.com', zaloId: 'z-1', lineId: 'l-1', kakaoTalkId: 'k-1' });
    });

    test('spec: "You\'ll receive 200 OK if the contact has been merged with another contact based on one of provided addresses" (account-wide)', async () => {
      const number = msisdn();
      const first = await call('POST', '/contacts', { firstName: 'Ann', addresses: { msisdn: number } });
      // The existing contact lives in another book of the account: the rule looks across the whole account (README).
      const book = await api.newBook();
      const elsewhere = await api.createContact({ display_name: 'Elsewhere', address_book_id: book, emails: [{ address: `${number}@elsewhere.io` }] });
      const merged = await call('POST', '/contacts', { lastName: 'Smith', addresses: { msisdn: `+${number}`, lineId: 'ann-line' }, customAttributes: { Department: 'Sales' } });
      assert.equal(merged.status, 200);
      assert.equal(merged.body.id, first.body.id);
      assert.equal(merged.body.firstName, 'Ann');
      assert.equal(merged.body.lastName, 'Smith');
      assert.equal(merged.body.addresses.lineId, 'ann-line');
      assert.deepEqual(merged.body.customAttributes, { Department: 'Sales' });
      const intoOtherBook = await call('POST', '/contacts', { firstName: 'Via email', addresses: { email: `${number}@ELSEWHERE.io` } });
      assert.equal(intoOtherBook.status, 200);
      assert.equal(intoOtherBook.body.id, elsewhere.seq ?? intoOtherBook.body.id);
      assert.equal((await native(number)).length, 1);
    });

    test('spec: "Conflict: more than one contact was found based on a provided set of addresses" is 409 (code 5001), nothing written', async () => {
      const number = msisdn();
      await call('POST', '/contacts', { firstName: 'By phone', addresses: { msisdn: number } });
      await call('POST', '/contacts', { firstName: 'By email', addresses: { email: `${number}@both.io` } });
      const before = await snapshot(api.db);
      const res = await call('POST', '/contacts', { firstName: 'Ambiguous', addresses: { msisdn: number, email: `${number}@both.io` } });
      assertError(res, 409, 5001);
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('concurrency: two racing creates sharing an address leave one contact (one 201, one 200)', async () => {
      for (let round = 0; round < 3; round++) {
        const number = msisdn();
        const results = await Promise.all([0, 1, 2, 3].map((i) => call('POST', '/contacts', { firstName: `Racer ${i}`, addresses: { msisdn: number } })));
        assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 201]);
        assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
        assert.equal((await native(number)).length, 1);
      }
    });

    test('concurrency across API nodes (PostgreSQL): creates sharing an address sent to two nodes with their own connections leave one contact', { skip: engine.name !== 'postgres' && 'SQLite serves one node' }, async () => {
      const secondStore = await openStore({ databaseUrl: api.db.databaseUrl }, api.db.searchPath ? { searchPath: api.db.searchPath } : {});
      const second = await buildApp(readConfig({ DATABASE_URL: api.db.databaseUrl, LOG_LEVEL: 'silent' }), { store: secondStore.store, logger: false });
      try {
        for (let round = 0; round < 3; round++) {
          const number = msisdn();
          const url = `/8x8/api/v1/accounts/${api.accountId}/contacts`;
          const payload = { firstName: `Round ${round}`, addresses: { msisdn: number, email: `${number}@nodes.io` } };
          const headers = { authorization: `Bearer ${api.keys.write}` };
          const results = await Promise.all([api.app, second, api.app, second].map((node) => node.inject({ method: 'POST', url, payload, headers })));
          for (const r of results) assertSpec('POST', url, { status: r.statusCode, headers: r.headers, body: r.json(), raw: r });
          assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 200, 200, 201]);
          assert.equal(new Set(results.map((r) => r.json().id)).size, 1);
          assert.equal((await native(number)).length, 1);
        }
      } finally {
        await second.close();
        await secondStore.handle.close();
      }
    });

    test('spec GET contacts/{contactId}: 200 with the contact; unknown or non-integer id: 404 code 1300', async () => {
      const number = msisdn();
      const created = await call('POST', '/contacts', { firstName: 'Get', addresses: { msisdn: number } });
      const res = await call('GET', `/contacts/${created.body.id}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, created.body);
      assertError(await call('GET', '/contacts/999999999'), 404, 1300);
      assertError(await call('GET', '/contacts/abc'), 404, 1300);
    });

    test('spec PATCH examples: first and last name; add lineId and remove msisdn; add custom attributes', async () => {
      const number = msisdn();
      const created = await call('POST', '/contacts', { firstName: 'Old', addresses: { msisdn: number, email: `${number}@p.io` } });
      const path = `/contacts/${created.body.id}`;
      let res = await call('PATCH', path, [{ op: 'replace', path: '/firstName', value: 'John' }, { op: 'replace', path: '/lastName', value: 'Black' }]);
      assert.equal(res.status, 200);
      assert.equal(res.body.firstName, 'John');
      assert.equal(res.body.lastName, 'Black');
      res = await call('PATCH', path, [{ op: 'add', path: '/addresses/lineId', value: 'line' }, { op: 'remove', path: '/addresses/msisdn' }]);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.addresses, { email: `${number}@p.io`, lineId: 'line' });
      res = await call('PATCH', path, [{ op: 'add', path: '/customAttributes/Department', value: 'Sales' }, { op: 'add', path: '/customAttributes/Position', value: 'VP' }]);
      assert.deepEqual(res.body.customAttributes, { Department: 'Sales', Position: 'VP' });
      res = await call('PATCH', path, [{ op: 'remove', path: '/customAttributes/Position' }, { op: 'replace', path: '/addresses/email', value: 'new@p.io' }]);
      assert.deepEqual(res.body.customAttributes, { Department: 'Sales' });
      assert.equal(res.body.addresses.email, 'new@p.io');
      const stored = (await api.call('GET', '/v1/contacts?email=new@p.io')).body.data[0];
      assert.equal(stored.display_name, 'John Black');
      assert.deepEqual(stored.emails.map((e: { address: string }) => e.address), ['new@p.io']);
      assert.deepEqual(stored.messaging, [{ channel: 'line', handle: 'line' }]);
    });

    test('PATCH: a failing test op, an invalid result, the last address removed, id changed: 400 and nothing changes; unknown id 404', async () => {
      const number = msisdn();
      const created = await call('POST', '/contacts', { firstName: 'Keep', addresses: { msisdn: number } });
      const path = `/contacts/${created.body.id}`;
      assertError(await call('PATCH', path, [{ op: 'test', path: '/firstName', value: 'Other' }, { op: 'replace', path: '/firstName', value: 'X' }]), 400, 1000);
      assertError(await call('PATCH', path, [{ op: 'replace', path: '/firstName', value: 'x'.repeat(201) }]), 400, 1000);
      assertError(await call('PATCH', path, [{ op: 'remove', path: '/addresses/msisdn' }]), 400, 1000);
      assertError(await call('PATCH', path, [{ op: 'replace', path: '/addresses/msisdn', value: '0123' }]), 400, 1002);
      assertError(await call('PATCH', path, [{ op: 'replace', path: '/id', value: 5 }]), 400, 1000);
      assertError(await call('PATCH', path, [{ op: 'remove', path: '/nothing' }]), 400, 1000);
      assertError(await call('PATCH', '/contacts/999999999', [{ op: 'replace', path: '/firstName', value: 'X' }]), 404, 1300);
      assert.deepEqual((await call('GET', path)).body, created.body);
    });

    test('spec DELETE contacts/{contactId}: 204 No Content; then 404; gone from the native API too', async () => {
      const number = msisdn();
      const created = await call('POST', '/contacts', { addresses: { msisdn: number } });
      const res = await call('DELETE', `/contacts/${created.body.id}`);
      assert.equal(res.status, 204);
      assert.equal(res.raw.body, '');
      assertError(await call('GET', `/contacts/${created.body.id}`), 404, 1300);
      assertError(await call('DELETE', `/contacts/${created.body.id}`), 404, 1300);
      assert.equal((await native(number)).length, 0);
    });

    test('spec search: query (name, email or phone), groupId, country; limit/offset pages with page, totalPages, totalCount, totalFiltered', async () => {
      const tag = `zq${msisdn()}`;
      const group = (await call('POST', '/groups', { name: `search ${tag}` })).body;
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await call('POST', '/contacts', { firstName: tag, country: i < 2 ? 'SG' : 'US', ...(i % 2 === 0 ? { groups: [{ id: group.id }] } : {}), addresses: { email: `${tag}.${i}@s.io` } });
        ids.push(res.body.id);
      }
      const page1 = await call('GET', `/contacts?query=${tag}&limit=2`);
      assert.deepEqual(page1.body.items.map((c: { id: number }) => c.id), ids.slice(0, 2));
      assert.deepEqual([page1.body.page, page1.body.totalPages, page1.body.totalFiltered, page1.body.hasPreviousPage, page1.body.hasNextPage], [1, 3, 5, false, true]);
      assert.ok(page1.body.totalCount >= 5);
      const page3 = await call('GET', `/contacts?query=${tag}&limit=2&offset=2`);
      assert.deepEqual(page3.body.items.map((c: { id: number }) => c.id), ids.slice(4));
      assert.deepEqual([page3.body.page, page3.body.hasPreviousPage, page3.body.hasNextPage], [3, true, false]);
      const inGroup = await call('GET', `/contacts?groupId=${group.id}`);
      assert.deepEqual(inGroup.body.items.map((c: { id: number }) => c.id), [ids[0], ids[2], ids[4]]);
      const sg = await call('GET', `/contacts?query=${tag}&country=sg`);
      assert.deepEqual(sg.body.items.map((c: { id: number }) => c.id), ids.slice(0, 2));
      const phone = msisdn();
      const byPhone = (await call('POST', '/contacts', { firstName: tag, addresses: { msisdn: phone } })).body.id;
      assert.deepEqual((await call('GET', `/contacts?query=%2B${phone}`)).body.items.map((c: { id: number }) => c.id), [byPhone]);
      const byEmail = await call('GET', `/contacts?query=${tag}.3@s.io`);
      assert.deepEqual(byEmail.body.items.map((c: { id: number }) => c.id), [ids[3]]);
      const none = await call('GET', '/contacts?groupId=999999999');
      assert.deepEqual([none.body.items, none.body.totalFiltered, none.body.totalPages], [[], 0, 0]);
    });

    test('another account\'s contacts are neither listed nor reachable by id', async () => {
      const other = await api.otherAccount();
      const theirs = await eightByEight(api, other.accountId)('POST', '/contacts', { firstName: 'Theirs', addresses: { msisdn: msisdn() } }, { key: other.key });
      assertError(await call('GET', `/contacts/${theirs.body.id}`), 404, 1300);
      assertError(await call('DELETE', `/contacts/${theirs.body.id}`), 404, 1300);
      const list = await call('GET', '/contacts?limit=500');
      assert.ok(!list.body.items.some((c: { id: number }) => c.id === theirs.body.id));
    });
  });
}
