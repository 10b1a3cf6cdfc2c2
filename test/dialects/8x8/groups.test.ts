import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, type TestApi } from '../../support/api.ts';
import { EIGHT_BY_EIGHT_SPEC, assertError, eightByEight, msisdn, type Call } from './support.ts';

for (const engine of engines) {
  describeWithSpec(EIGHT_BY_EIGHT_SPEC, `8x8 groups and block list on ${engine.name}`, () => {
    let api: TestApi;
    let call: Call;
    before(async () => {
      api = await startApi(engine);
      call = eightByEight(api);
    });
    after(() => api.close());

    const unique = (prefix: string) => `${prefix} ${msisdn()}`;

    test('spec create-group: 201 with id, contacts 0, createdAt, name, description, isBlacklist; a name taken is 409 code 5003', async () => {
      const name = unique('group_name');
      const res = await call('POST', '/groups', { name, description: 'The main group', isBlacklist: false });
      assert.equal(res.status, 201);
      assert.ok(Number.isInteger(res.body.id));
      assert.deepEqual({ ...res.body, id: 0, createdAt: '' }, { id: 0, contacts: 0, createdAt: '', name, description: 'The main group', isBlacklist: false });
      const native = (await api.call('GET', '/v1/groups?limit=200')).body.data.find((g: { name: string }) => g.name === name);
      assert.equal(native.is_blocklist, false);
      const taken = await call('POST', '/groups', { name });
      assertError(taken, 409, 5003);
      assert.equal(taken.body.message, 'A group with the same name already exists');
    });

    test('spec GET groups/{groupId}: 200; unknown: 404 code 1300 "Unable to find group with id ..."', async () => {
      const created = await call('POST', '/groups', { name: unique('get') });
      assert.deepEqual((await call('GET', `/groups/${created.body.id}`)).body, created.body);
      const missing = await call('GET', '/groups/999999999');
      assertError(missing, 404, 1300);
      assert.match(missing.body.message, /Unable to find group with id 999999999/);
      assertError(await call('GET', '/groups/not-a-number'), 404, 1300);
    });

    test('spec search-groups: name filter (part of the name, any case), limit/offset pages', async () => {
      const tag = msisdn();
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await call('POST', '/groups', { name: `Find ${tag} ${i}` })).body.id);
      const res = await call('GET', `/groups?name=find%20${tag}&limit=2`);
      assert.deepEqual(res.body.items.map((g: { id: number }) => g.id), ids.slice(0, 2));
      assert.deepEqual([res.body.page, res.body.totalPages, res.body.totalFiltered, res.body.hasNextPage], [1, 2, 3, true]);
      assert.ok(res.body.totalCount >= 3);
      const second = await call('GET', `/groups?name=FIND%20${tag}&limit=2&offset=1`);
      assert.deepEqual(second.body.items.map((g: { id: number }) => g.id), ids.slice(2));
      assert.equal((await call('GET', '/groups?name=%25')).body.totalFiltered, 0, 'a % in the name is literal');
    });

    test('spec PATCH examples: "path": "/isblacklist" with "value": "true"; change the name; add a description; a taken name is 409', async () => {
      const group = (await call('POST', '/groups', { name: unique('patch') })).body;
      let res = await call('PATCH', `/groups/${group.id}`, [{ op: 'replace', path: '/isblacklist', value: 'true' }]);
      assert.equal(res.status, 200);
      assert.equal(res.body.isBlacklist, true);
      const newName = unique('New group name');
      res = await call('PATCH', `/groups/${group.id}`, [{ op: 'replace', path: '/name', value: newName }]);
      assert.equal(res.body.name, newName);
      res = await call('PATCH', `/groups/${group.id}`, [{ op: 'add', path: '/description', value: 'Group description' }, { op: 'replace', path: '/IsBlackList', value: false }]);
      assert.deepEqual([res.body.description, res.body.isBlacklist], ['Group description', false]);
      const native = (await api.call('GET', '/v1/groups?limit=200')).body.data.find((g: { name: string }) => g.name === newName);
      assert.equal(native.description, 'Group description');
      const other = (await call('POST', '/groups', { name: unique('other') })).body;
      assertError(await call('PATCH', `/groups/${group.id}`, [{ op: 'replace', path: '/name', value: other.name }]), 409, 5003);
      assertError(await call('PATCH', `/groups/${group.id}`, [{ op: 'replace', path: '/isblacklist', value: 'maybe' }]), 400, 1000);
      assertError(await call('PATCH', `/groups/${group.id}`, [{ op: 'remove', path: '/name' }]), 400, 1000);
      assertError(await call('PATCH', `/groups/${group.id}`, [{ op: 'replace', path: '/contacts', value: 3 }]), 400, 1000);
      assertError(await call('PATCH', '/groups/999999999', [{ op: 'replace', path: '/name', value: 'x' }]), 404, 1300);
      assert.equal((await call('GET', `/groups/${group.id}`)).body.name, newName);
    });

    test('spec add-contacts-to-group (201) and delete-contacts-from-group (200) answer the group with its count; an unknown contact is 404 and changes nothing', async () => {
      const group = (await call('POST', '/groups', { name: unique('members') })).body;
      const a = (await call('POST', '/contacts', { addresses: { msisdn: msisdn() } })).body;
      const b = (await call('POST', '/contacts', { addresses: { msisdn: msisdn() } })).body;
      let res = await call('POST', `/groups/${group.id}/contacts`, { contacts: [a.id, b.id] });
      assert.equal(res.status, 201);
      assert.equal(res.body.contacts, 2);
      assert.equal((await call('GET', `/contacts/${a.id}`)).body.groups[0].id, group.id);
      assertError(await call('POST', `/groups/${group.id}/contacts`, { contacts: [a.id, 999999999] }), 404, 1300);
      assertError(await call('POST', '/groups/999999999/contacts', { contacts: [a.id] }), 404, 1300);
      res = await call('DELETE', `/groups/${group.id}/contacts`, { contacts: [a.id] });
      assert.equal(res.status, 200);
      assert.equal(res.body.contacts, 1);
      assert.equal((await call('GET', `/contacts/${a.id}`)).body.groups, undefined);
      assert.equal((await call('GET', `/contacts?groupId=${group.id}`)).body.totalFiltered, 1);
    });

    test('spec DELETE groups/{groupId}: 204, its contacts stay; again: 404', async () => {
      const group = (await call('POST', '/groups', { name: unique('gone') })).body;
      const member = (await call('POST', '/contacts', { groups: [{ id: group.id }], addresses: { msisdn: msisdn() } })).body;
      const res = await call('DELETE', `/groups/${group.id}`);
      assert.equal(res.status, 204);
      assertError(await call('DELETE', `/groups/${group.id}`), 404, 1300);
      const still = await call('GET', `/contacts/${member.id}`);
      assert.equal(still.status, 200);
      assert.equal(still.body.groups, undefined);
    });

    test('README block list: POST contacts/blacklist/{msisdn} puts the holder into the account\'s block-list group (isBlacklist true, created on first use); the native lookup shows that membership', async () => {
      const number = msisdn();
      const holder = (await call('POST', '/contacts', { firstName: 'Holder', addresses: { msisdn: number } })).body;
      const res = await call('POST', `/contacts/blacklist/${number}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.id, holder.id);
      const blockList = res.body.groups.find((g: { isBlacklist: boolean }) => g.isBlacklist);
      assert.ok(blockList, 'in a block-list group');
      const lookup = await api.call('GET', `/v1/lookup?phone=%2B${number}`);
      assert.equal(lookup.body.matches.length, 1);
      const nativeGroup = await api.call('GET', `/v1/groups/${lookup.body.matches[0].group_ids[0]}`);
      assert.equal(nativeGroup.body.is_blocklist, true);
      // The same number again changes nothing; another number joins the same group.
      assert.equal((await call('POST', `/contacts/blacklist/+${number}`)).body.groups.length, 1);
      const fresh = msisdn();
      const created = await call('POST', `/contacts/blacklist/${fresh}`, '');
      assert.deepEqual(created.body.addresses, { msisdn: fresh }, 'a new contact with only that address');
      assert.equal(created.body.groups[0].id, blockList.id);
      assert.equal((await call('GET', `/groups/${blockList.id}`)).body.contacts, 2);
    });

    test('block list: racing calls make one group and one contact; a bad number is 400 code 1002 with 8x8\'s message', async () => {
      const other = await api.otherAccount();
      const theirs = eightByEight(api, other.accountId);
      const number = msisdn();
      const results = await Promise.all([0, 1, 2, 3].map(() => theirs('POST', `/contacts/blacklist/${number}`, undefined, { key: other.key })));
      assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200]);
      assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
      const groups = await theirs('GET', '/groups', undefined, { key: other.key });
      assert.deepEqual(groups.body.items.map((g: any) => [g.name, g.isBlacklist, g.contacts]), [['Blacklist', true, 1]]);
      for (const bad of ['0123456', '12345', 'abc', '+1234567890123456']) {
        const res = await call('POST', `/contacts/blacklist/${encodeURIComponent(bad)}`);
        assertError(res, 400, 1002);
        assert.equal(res.body.message, 'Invalid MSISDN format (not E.164 international number)');
      }
    });
  });
}
