/**
 * Issue 14: a contact's update writes only the index rows that changed (its addresses, search
 * terms and group memberships). Checked by what every reader of those rows answers afterwards:
 * lookup, search, group lists, duplicate rules and the duplicates report.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertProblem, token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

for (const engine of engines) {
  describe(`contact updates keep lookup, search, groups and duplicates right on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    const patch = async (id: string, body: Record<string, unknown>) => {
      const res = await api.call('PATCH', `/v1/contacts/${id}`, body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    /** Ids of the lookup's matches, as many times as it lists them. */
    const lookup = async (query: Record<string, string>) => {
      const res = await api.call('GET', `/v1/lookup?${new URLSearchParams(query)}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.matches.map((c: { id: string }) => c.id);
    };
    const list = async (query: Record<string, string>) => {
      const res = await api.call('GET', `/v1/contacts?${new URLSearchParams({ limit: '100', ...query })}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.map((c: { id: string }) => c.id);
    };
    const newGroup = async () => (await api.call('POST', '/v1/groups', { name: `group ${randomUUID()}` })).body.id as string;
    const pairs = async (book: string) => {
      const res = await api.call('GET', `/v1/duplicates?address_book_id=${book}&limit=100`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data.map((p: { reason: string; value: string; contacts: { id: string }[] }) => `${p.reason} ${p.value} ${p.contacts.map((c) => c.id).join(' ')}`);
    };

    test('phones and emails: the old ones find nothing, the new and the kept ones find the contact once', async () => {
      const [kept, dropped, added] = [uniquePhone(), uniquePhone(), uniquePhone()];
      const tag = token();
      const contact = await api.createContact({ first_name: 'Phoebe', phone_numbers: [{ number: kept }, { number: dropped }], emails: [{ address: `old.${tag}@example.com` }] });

      await patch(contact.id, { phone_numbers: [{ number: kept }, { number: added }], emails: [{ address: `New.${tag}@Example.com` }] });
      assert.deepEqual(await lookup({ phone: dropped }), []);
      assert.deepEqual(await lookup({ phone: added }), [contact.id]);
      assert.deepEqual(await lookup({ phone: kept }), [contact.id]);
      assert.deepEqual(await lookup({ email: `old.${tag}@example.com` }), []);
      assert.deepEqual(await lookup({ email: `new.${tag}@example.com` }), [contact.id]);
      assert.deepEqual(await list({ phone: dropped }), []);
      assert.deepEqual(await list({ phone: added }), [contact.id]);
      assert.deepEqual(await list({ q: dropped.slice(2) }), [], 'the dropped number\'s digits are no longer searched');
      assert.deepEqual(await list({ q: added.slice(2) }), [contact.id]);
      assert.deepEqual(await list({ q: `old.${tag}` }), []);
      assert.deepEqual(await list({ q: `new.${tag}` }), [contact.id]);

      // The same number in another form is the same number: nothing changes.
      await patch(contact.id, { phone_numbers: [{ number: `+1 (${kept.slice(2, 5)}) ${kept.slice(5, 8)}-${kept.slice(8)}` }, { number: added }] });
      assert.deepEqual(await lookup({ phone: kept }), [contact.id]);
      assert.deepEqual(await lookup({ phone: added }), [contact.id]);

      await patch(contact.id, { phone_numbers: null, emails: null });
      for (const phone of [kept, dropped, added]) assert.deepEqual(await lookup({ phone }), [], phone);
      assert.deepEqual(await lookup({ email: `new.${tag}@example.com` }), []);
      assert.deepEqual(await list({ q: `phoebe` }).then((ids) => ids.includes(contact.id)), true, 'the name is still searched');

      // A number dropped and given back is found again, once.
      await patch(contact.id, { phone_numbers: [{ number: dropped }] });
      assert.deepEqual(await lookup({ phone: dropped }), [contact.id]);
      assert.deepEqual(await list({ q: dropped.slice(2) }), [contact.id]);
    });

    test('names: search finds the new words, not the old ones, and keeps a word another field still holds', async () => {
      const [first, last, company, other] = [`Ada${token()}`, `Love${token()}`, `Engines${token()}`, `Byron${token()}`];
      // The first name is also a word of the company: dropping the company keeps it searchable.
      const contact = await api.createContact({ first_name: first, last_name: last, company: `${first} ${company}` });
      assert.equal(contact.display_name, `${first} ${last}`);

      const changed = await patch(contact.id, { last_name: other, company: null });
      assert.equal(changed.display_name, `${first} ${other}`, 'a derived display name follows the names');
      assert.deepEqual(await list({ q: last }), []);
      assert.deepEqual(await list({ q: company }), []);
      assert.deepEqual(await list({ q: other }), [contact.id]);
      assert.deepEqual(await list({ q: first }), [contact.id]);

      await patch(contact.id, { display_name: `Countess ${last}` });
      assert.deepEqual(await list({ q: last }), [contact.id], 'a word of the display name is searched');
      assert.deepEqual(await list({ q: 'countess' }).then((ids) => ids.includes(contact.id)), true);
      await patch(contact.id, { role: 'Mathematician' });
      assert.deepEqual(await list({ q: last }), [contact.id], 'a change of an unsearched field keeps every term');
      assert.deepEqual(await list({ q: first }), [contact.id]);
    });

    test('messaging handles: a handle dropped is free in a reject book, the new one is held and searched', async () => {
      const book = await api.newBook('reject');
      const [dropped, added] = [`d${token()}`, `a${token()}`];
      const contact = await api.createContact({ address_book_id: book, first_name: 'Holder', messaging: [{ channel: 'whatsapp', handle: dropped }] });
      await patch(contact.id, { messaging: [{ channel: 'whatsapp', handle: added }] });
      assert.deepEqual(await list({ q: dropped }), []);
      assert.deepEqual(await list({ q: added }), [contact.id]);
      const taken = await api.call('POST', '/v1/contacts', { address_book_id: book, first_name: 'Second', messaging: [{ channel: 'whatsapp', handle: added }] });
      assertProblem(taken, 409, 'duplicate_contact');
      assert.equal(taken.body.existing_contact_id, contact.id);
      assert.equal((await api.call('POST', '/v1/contacts', { address_book_id: book, first_name: 'Third', messaging: [{ channel: 'whatsapp', handle: dropped }] })).status, 201);
    });

    test('groups: membership routes, group_ids patches, bulk actions and group deletion list the right members', async () => {
      const [g1, g2, g3, g4] = [await newGroup(), await newGroup(), await newGroup(), await newGroup()];
      const phone = uniquePhone();
      const contact = await api.createContact({ first_name: 'Member', phone_numbers: [{ number: phone }], group_ids: [g1, g2] });
      const other = await api.createContact({ first_name: 'Other', group_ids: [g1] });

      assert.equal((await api.call('PUT', `/v1/groups/${g3}/members/${contact.id}`)).status, 204);
      assert.equal((await api.call('DELETE', `/v1/groups/${g1}/members/${contact.id}`)).status, 204);
      assert.deepEqual(await list({ group_id: g1 }), [other.id]);
      assert.deepEqual(await list({ group_id: g2 }), [contact.id]);
      assert.deepEqual(await list({ group_id: g3 }), [contact.id]);
      assert.deepEqual(await lookup({ phone }), [contact.id], 'a membership change keeps the addresses');
      assert.deepEqual(await list({ q: 'member' }).then((ids) => ids.includes(contact.id)), true, 'and the terms');

      await patch(contact.id, { group_ids: [g3, g4] });
      assert.deepEqual(await list({ group_id: g2 }), []);
      assert.deepEqual(await list({ group_id: g3 }), [contact.id]);
      assert.deepEqual(await list({ group_id: g4 }), [contact.id]);

      const added = await api.call('POST', '/v1/contacts/bulk', { action: 'add_to_group', group_id: g1, ids: [contact.id, other.id] });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.equal(added.body.changed, 1, 'the other was a member already');
      assert.deepEqual((await list({ group_id: g1 })).sort(), [contact.id, other.id].sort());
      const removed = await api.call('POST', '/v1/contacts/bulk', { action: 'remove_from_group', group_id: g1, ids: [contact.id, other.id] });
      assert.equal(removed.body.changed, 2, JSON.stringify(removed.body));
      assert.deepEqual(await list({ group_id: g1 }), []);

      assert.equal((await api.call('DELETE', `/v1/groups/${g3}`)).status, 204);
      assert.deepEqual((await api.call('GET', `/v1/contacts/${contact.id}`)).body.group_ids, [g4]);
      await patch(contact.id, { group_ids: [g4, g1] });
      assert.deepEqual(await list({ group_id: g4 }), [contact.id]);
      assert.deepEqual(await list({ group_id: g1 }), [contact.id]);
      assert.deepEqual(await list({ phone }), [contact.id]);
    });

    test('a phone changed away from or back to another contact\'s: the duplicates report and a reject book follow', async () => {
      const book = await api.newBook();
      const [shared, own] = [uniquePhone(), uniquePhone()];
      const a = await api.createContact({ address_book_id: book, display_name: 'A', phone_numbers: [{ number: shared }] });
      const b = await api.createContact({ address_book_id: book, display_name: 'B', phone_numbers: [{ number: shared }] });
      assert.deepEqual(await pairs(book), [`phone ${shared} ${a.id} ${b.id}`]);
      await patch(b.id, { phone_numbers: [{ number: own }] });
      assert.deepEqual(await pairs(book), []);
      await patch(b.id, { phone_numbers: [{ number: own }, { number: shared }] });
      assert.deepEqual(await pairs(book), [`phone ${shared} ${a.id} ${b.id}`]);
      assert.deepEqual(await lookup({ phone: shared }), [b.id, a.id], 'most recently updated first, each once');
    });

    test('a move to another book takes the addresses along: that book\'s rule and report see them, the old book\'s no longer', async () => {
      const [from, to] = [await api.newBook('reject'), await api.newBook('reject')];
      const phone = uniquePhone();
      const moving = await api.createContact({ address_book_id: from, first_name: 'Mover', phone_numbers: [{ number: phone }] });
      await patch(moving.id, { address_book_id: to });
      const refused = await api.call('POST', '/v1/contacts', { address_book_id: to, first_name: 'Late', phone_numbers: [{ number: phone }] });
      assertProblem(refused, 409, 'duplicate_contact');
      assert.equal(refused.body.existing_contact_id, moving.id);
      const left = await api.createContact({ address_book_id: from, first_name: 'Left', phone_numbers: [{ number: phone }] });
      assert.deepEqual(await list({ address_book_id: to, phone }), [moving.id]);

      // Moved back, with a second number: both are in `from`, where it now pairs with `left`.
      const second = uniquePhone();
      const refusedBack = await api.call('PATCH', `/v1/contacts/${moving.id}`, { address_book_id: from, phone_numbers: [{ number: phone }, { number: second }] });
      assertProblem(refusedBack, 409, 'duplicate_contact');
      await api.call('PATCH', `/v1/address-books/${from}`, { duplicate_policy: 'allow' }).then((res) => assert.equal(res.status, 200, JSON.stringify(res.body)));
      await patch(moving.id, { address_book_id: from, phone_numbers: [{ number: phone }, { number: second }] });
      assert.deepEqual(await pairs(from), [`phone ${phone} ${moving.id} ${left.id}`]);
      assert.deepEqual(await pairs(to), []);
      assert.equal((await api.call('POST', '/v1/contacts', { address_book_id: to, first_name: 'Now free', phone_numbers: [{ number: second }] })).status, 201);
    });

    test('merge, unmerge, delete and restore: lookup and search follow the contact that holds the data', async () => {
      const [phone, tag] = [uniquePhone(), token()];
      const target = await api.createContact({ first_name: 'Target' });
      const source = await api.createContact({ first_name: `Source${tag}`, phone_numbers: [{ number: phone }] });

      assert.equal((await api.call('POST', `/v1/contacts/${target.id}/merge`, { source_ids: [source.id] })).status, 200);
      assert.deepEqual(await lookup({ phone }), [target.id], 'the merged-away record is found no more');
      assert.deepEqual(await list({ q: `source${tag}` }), []);

      assert.equal((await api.call('POST', `/v1/contacts/${target.id}/unmerge`, { source_id: source.id })).status, 200);
      assert.deepEqual(await lookup({ phone }), [source.id]);
      assert.deepEqual(await list({ q: `source${tag}` }), [source.id]);

      assert.equal((await api.call('DELETE', `/v1/contacts/${source.id}`)).status, 204);
      assert.deepEqual(await lookup({ phone }), []);
      assert.equal((await api.call('POST', `/v1/contacts/${source.id}/restore`)).status, 200);
      await patch(source.id, { last_name: 'Restored' });
      assert.deepEqual(await lookup({ phone }), [source.id]);
      assert.deepEqual(await list({ q: `source${tag}` }), [source.id]);
      assert.deepEqual(await list({ q: 'restored' }).then((ids) => ids.includes(source.id)), true);
    });
  });
}
