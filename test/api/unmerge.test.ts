import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertProblem, token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type Response, type TestApi } from '../support/api.ts';
import { restoreContact } from '../../src/core/contacts/contact-tombstones.ts';

/** A contact as compared across a merge and its unmerge: everything but the bookkeeping of a write. */
function content(contact: Record<string, unknown>): Record<string, unknown> {
  const { version: _v, updated_at: _u, ...rest } = contact;
  return rest;
}

for (const engine of engines) {
  describe(`POST /v1/contacts/{id}/unmerge on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    const get = async (id: string) => (await api.call('GET', `/v1/contacts/${id}`)).body;
    const merge = (targetId: string, sourceIds: string[]) => api.call('POST', `/v1/contacts/${targetId}/merge`, { source_ids: sourceIds });
    const unmerge = (survivorId: string, sourceId: string, key?: string): Promise<Response> =>
      api.call('POST', `/v1/contacts/${survivorId}/unmerge`, { source_id: sourceId }, key === undefined ? {} : { key });
    const lookupIds = async (query: string) => ((await api.call('GET', `/v1/lookup?${query}`)).body.matches as { id: string }[]).map((c) => c.id).sort();
    /** The sources of the survivor's latest merge, as the journal has them. */
    const mergedSourcesOf = async (survivorId: string) => (await api.db.store.changes.latestOf(api.accountId, survivorId, 'contact.merged'))!.meta.source_ids as string[];

    async function newGroup(): Promise<string> {
      return (await api.call('POST', '/v1/groups', { name: `g ${randomUUID()}` })).body.id;
    }

    async function newField(): Promise<string> {
      const key = `f_${token()}`;
      assert.equal((await api.call('POST', '/v1/custom-fields', { key, data_type: 'string' })).status, 201);
      return key;
    }

    test('merge then unmerge with no edit between leaves both contacts as they were, and lookups find each again', async () => {
      const book = await api.newBook();
      const [shared, own, theirs] = [uniquePhone(), uniquePhone(), uniquePhone()];
      const [g1, g2] = [await newGroup(), await newGroup()];
      const field = await newField();
      const target = await api.createContact({ address_book_id: book, first_name: 'Target', external_id: `t-${token()}`, phone_numbers: [{ number: shared }, { number: own }], emails: [{ address: `t.${token()}@example.com` }], group_ids: [g1] });
      const source = await api.createContact({
        address_book_id: book,
        first_name: 'Source',
        company: 'Acme',
        role: 'Buyer',
        external_id: `s-${token()}`,
        phone_numbers: [{ number: theirs, label: 'desk' }, { number: shared }],
        emails: [{ address: `s.${token()}@example.com` }],
        messaging: [{ channel: 'whatsapp', handle: theirs }],
        custom_fields: { [field]: 'gold' },
        group_ids: [g1, g2],
      });
      const merged = await merge(target.id, [source.id]);
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.equal(merged.body.company, 'Acme');
      assert.deepEqual(await lookupIds(`phone=${encodeURIComponent(theirs)}`), [target.id]);

      const res = await unmerge(target.id, source.id);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ['not_restored', 'restored', 'survivor']);
      assert.deepEqual(res.body.not_restored, []);
      assert.deepEqual(content(res.body.survivor), content(target));
      assert.deepEqual(content(res.body.restored), content(source));
      assert.deepEqual(content(await get(target.id)), content(target));
      assert.deepEqual(content(await get(source.id)), content(source));
      assert.deepEqual(res.body.survivor, await get(target.id));
      assert.deepEqual(res.body.restored, await get(source.id));

      assert.deepEqual(await lookupIds(`phone=${encodeURIComponent(theirs)}`), [source.id]);
      assert.deepEqual(await lookupIds(`phone=${encodeURIComponent(shared)}`), [source.id, target.id].sort());
      assert.deepEqual(await lookupIds(`email=${encodeURIComponent(source.emails[0].address)}`), [source.id]);
      assert.deepEqual(await lookupIds(`email=${encodeURIComponent(target.emails[0].address)}`), [target.id]);
      const listed = (await api.call('GET', `/v1/contacts?address_book_id=${book}`)).body.data.map((c: { id: string }) => c.id).sort();
      assert.deepEqual(listed, [source.id, target.id].sort());
    });

    test('the journal shows contact.unmerged on both contacts, naming the survivor and the source', async () => {
      const target = await api.createContact({ first_name: 'Journal target', phone_numbers: [{ number: uniquePhone() }] });
      const source = await api.createContact({ first_name: 'Journal source', phone_numbers: [{ number: uniquePhone() }] });
      assert.equal((await merge(target.id, [source.id])).status, 200);
      assert.equal((await unmerge(target.id, source.id)).status, 200);
      for (const id of [target.id, source.id]) {
        const [latest] = await api.db.store.changes.historyOf(api.accountId, id, 1);
        assert.equal(latest!.type, 'contact.unmerged');
        assert.deepEqual(latest!.meta, { survivor_id: target.id, source_id: source.id });
        assert.equal(latest!.actor.surface, 'native');
      }
      const [sourceChange] = await api.db.store.changes.historyOf(api.accountId, source.id, 1);
      assert.deepEqual(sourceChange!.fields!.status, { before: 'merged', after: 'active' });
    });

    test('values edited on the survivor since the merge stay there and are listed; the others go back', async () => {
      const [kept, edited, plain] = [uniquePhone(), uniquePhone(), uniquePhone()];
      const field = await newField();
      const target = await api.createContact({ first_name: 'Edited target', phone_numbers: [{ number: kept }] });
      const source = await api.createContact({ first_name: 'Edited source', company: 'Acme', role: 'Buyer', phone_numbers: [{ number: edited }, { number: plain }], custom_fields: { [field]: 'gold' } });
      const merged = (await merge(target.id, [source.id])).body;
      const phones = merged.phone_numbers.map((p: { number: string; e164: string }) => ({ number: p.number, ...(p.e164 === edited ? { label: 'now ours' } : {}) }));
      const patched = await api.call('PATCH', `/v1/contacts/${target.id}`, { company: 'Acme Inc', phone_numbers: phones });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));

      const res = await unmerge(target.id, source.id);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { survivor, restored, not_restored } = res.body;
      assert.equal(survivor.company, 'Acme Inc', 'the edit stays');
      assert.equal(survivor.role, null, 'an unedited value goes back');
      assert.deepEqual(survivor.custom_fields, {});
      assert.deepEqual(survivor.phone_numbers.map((p: { e164: string }) => p.e164), [kept, edited]);
      assert.equal(survivor.phone_numbers[1].label, 'now ours');
      assert.deepEqual(
        not_restored.map((n: { field: string; reason: string }) => [n.field, n.reason]).sort(),
        [['company', 'edited_since_merge'], ['phone_numbers', 'edited_since_merge']],
      );
      assert.equal(not_restored.find((n: { field: string }) => n.field === 'company').value, 'Acme Inc');
      assert.equal(not_restored.find((n: { field: string }) => n.field === 'phone_numbers').value.e164, edited);
      assert.deepEqual(content(restored), content(source), 'the source gets back all it held');
      assert.deepEqual(await lookupIds(`phone=${encodeURIComponent(plain)}`), [source.id]);
      assert.deepEqual(await lookupIds(`phone=${encodeURIComponent(edited)}`), [source.id, target.id].sort());
    });

    test('fields the survivor takes from the source in the merge (fields_from_source) are one change, and the unmerge gives its own values back', async () => {
      const field = await newField();
      const target = await api.createContact({ first_name: 'Chooser', company: 'Old Co', account_number: 'AC-1042', custom_fields: { [field]: 'silver' }, phone_numbers: [{ number: uniquePhone() }] });
      const source = await api.createContact({ first_name: 'Chosen', company: 'New Co', account_number: 'X-9', role: 'Buyer', custom_fields: { [field]: 'gold' } });
      const res = await api.call('POST', `/v1/contacts/${target.id}/merge`, { source_ids: [source.id], fields_from_source: ['account_number', `custom_fields.${field}`] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.first_name, res.body.company, res.body.account_number, res.body.role, res.body.custom_fields[field]], ['Chooser', 'Old Co', 'X-9', 'Buyer', 'gold']);
      const history = (await api.call('GET', `/v1/contacts/${target.id}/history`)).body.data;
      assert.equal(history[0].type, 'contact.merged', 'the choice is part of the merge, not a later edit');
      assert.deepEqual(history[0].fields.account_number, { before: 'AC-1042', after: 'X-9' });

      const back = await unmerge(target.id, source.id);
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.deepEqual(content(back.body.survivor), content(target), 'the survivor is as it was');
      assert.deepEqual(back.body.not_restored, []);
      assert.deepEqual(content(back.body.restored), content(source));

      const refused = await api.call('POST', `/v1/contacts/${target.id}/merge`, { source_ids: [source.id], fields_from_source: ['external_id'] });
      assertProblem(refused, 400, 'validation_failed');
      assert.equal(refused.body.errors[0].path, 'fields_from_source[0]');
    });

    test('unmerging one of two sources keeps what the other still brings; unmerging both restores the survivor', async () => {
      const [own, both, first, second] = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
      const target = await api.createContact({ first_name: 'Two target', phone_numbers: [{ number: own }] });
      const s1 = await api.createContact({ first_name: 'One', company: 'First Co', phone_numbers: [{ number: first }, { number: both }] });
      const s2 = await api.createContact({ first_name: 'Two', role: 'Second role', phone_numbers: [{ number: both }, { number: second }] });
      assert.equal((await merge(target.id, [s1.id, s2.id])).status, 200);

      const res = await unmerge(target.id, s1.id);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.not_restored, []);
      assert.deepEqual(res.body.survivor.phone_numbers.map((p: { e164: string }) => p.e164).sort(), [own, both, second].sort());
      assert.equal(res.body.survivor.company, null);
      assert.equal(res.body.survivor.role, 'Second role');
      assert.deepEqual(content(res.body.restored), content(s1));
      assert.equal((await get(s2.id)).status, 'merged');

      const again = await unmerge(target.id, s2.id);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.deepEqual(content(again.body.survivor), content(target));
      assert.deepEqual(content(again.body.restored), content(s2));
      assert.deepEqual(await lookupIds(`phone=${encodeURIComponent(both)}`), [s1.id, s2.id].sort());
    });

    test('a create merged into an existing contact by a `merge` book is undone, the external id going back to the new data', async () => {
      const book = await api.newBook('merge');
      const phone = uniquePhone();
      const email = `m.${token()}@example.com`;
      const externalId = `ext-${token()}`;
      const existing = await api.createContact({ address_book_id: book, first_name: 'Existing', phone_numbers: [{ number: phone }] });
      const created = await api.call('POST', '/v1/contacts', { address_book_id: book, first_name: 'Incoming', company: 'Incoming Co', external_id: externalId, phone_numbers: [{ number: phone }], emails: [{ address: email }] });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.id, existing.id);
      assert.equal(created.body.external_id, externalId, 'the survivor took the new data\'s external id');
      const [sourceId] = await mergedSourcesOf(existing.id);

      const res = await unmerge(existing.id, sourceId!);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.not_restored, []);
      assert.deepEqual(content(res.body.survivor), content(existing));
      const restored = res.body.restored;
      assert.equal(restored.status, 'active');
      assert.equal(restored.merged_into, null);
      assert.equal(restored.external_id, externalId);
      assert.equal(restored.first_name, 'Incoming');
      assert.equal(restored.company, 'Incoming Co');
      assert.equal(restored.address_book_id, book);
      assert.deepEqual(await lookupIds(`email=${encodeURIComponent(email)}`), [sourceId]);
      assert.deepEqual(await lookupIds(`phone=${encodeURIComponent(phone)}`), [existing.id, sourceId!].sort());
      assert.equal((await api.call('GET', `/v1/contacts?external_id=${externalId}`)).body.data[0].id, sourceId);
    });

    test('8x8\'s account-wide merge on a shared address is undone through /v1', async () => {
      const digits = uniquePhone().slice(1);
      const eightByEight = (body: unknown) => api.call('POST', `/8x8/api/v1/accounts/${api.accountId}/contacts`, body);
      const first = await eightByEight({ firstName: 'Ann', addresses: { msisdn: digits } });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const [survivorBefore] = (await api.call('GET', `/v1/contacts?phone=%2B${digits}`)).body.data;
      const line = `line-${token()}`;
      const merged = await eightByEight({ lastName: 'Smith', addresses: { msisdn: `+${digits}`, lineId: line }, customAttributes: { Department: 'Sales' } });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.equal(merged.body.lastName, 'Smith');
      const [sourceId] = await mergedSourcesOf(survivorBefore.id);

      const res = await unmerge(survivorBefore.id, sourceId!);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(content(res.body.survivor), content(survivorBefore));
      assert.equal(res.body.restored.last_name, 'Smith');
      assert.deepEqual(res.body.restored.messaging.map((m: { handle: string }) => m.handle), [line]);
      assert.deepEqual(res.body.restored.custom_fields, { Department: 'Sales' });
      const read = await api.call('GET', `/8x8/api/v1/accounts/${api.accountId}/contacts/${first.body.id}`);
      assert.equal(read.status, 200, JSON.stringify(read.body));
      assert.equal(read.body.lastName ?? null, null);
      assert.equal(read.body.addresses.lineId ?? null, null);
      assert.deepEqual(await lookupIds(`phone=%2B${digits}`), [sourceId!, survivorBefore.id].sort());
    });

    test('a survivor deleted and restored since the merge is no edit: the unmerge still takes back all the source brought', async () => {
      const target = await api.createContact({ first_name: 'Buried', phone_numbers: [{ number: uniquePhone() }] });
      const source = await api.createContact({ first_name: 'S', company: 'Back Co', phone_numbers: [{ number: uniquePhone() }] });
      assert.equal((await merge(target.id, [source.id])).status, 200);
      assert.equal((await api.call('DELETE', `/v1/contacts/${target.id}`)).status, 204);
      assertProblem(await unmerge(target.id, source.id), 404, 'contact_not_found', 'a deleted survivor');
      // The restore route is another part of issue 10: restored here through the core.
      await api.db.store.transaction((tx) => restoreContact(tx, api.admin, target.id));
      const res = await unmerge(target.id, source.id);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.not_restored, []);
      assert.deepEqual(content(res.body.survivor), content(target));
      assert.deepEqual(content(res.body.restored), content(source));
    });

    test('a source that is not merged into this contact is a 409 not_merged_into; unknown ids are 404', async () => {
      const target = await api.createContact({ first_name: 'T', phone_numbers: [{ number: uniquePhone() }] });
      const other = await api.createContact({ first_name: 'O', phone_numbers: [{ number: uniquePhone() }] });
      const source = await api.createContact({ first_name: 'S', phone_numbers: [{ number: uniquePhone() }] });
      assertProblem(await unmerge(target.id, other.id), 409, 'not_merged_into');
      assert.equal((await merge(other.id, [source.id])).status, 200);
      assertProblem(await unmerge(target.id, source.id), 409, 'not_merged_into');
      assertProblem(await unmerge(target.id, randomUUID()), 404, 'contact_not_found');
      assertProblem(await unmerge(randomUUID(), source.id), 404, 'contact_not_found');
      assert.equal((await unmerge(other.id, source.id)).status, 200);
      assertProblem(await unmerge(other.id, source.id), 409, 'not_merged_into', 'unmerged already');
      const bad = await api.call('POST', `/v1/contacts/${other.id}/unmerge`, { source_ids: [source.id] });
      assertProblem(bad, 400, 'validation_failed');
    });

    test('a read-only key is 403; another tenant\'s contacts are 404; a write key may unmerge', async () => {
      const target = await api.createContact({ first_name: 'T', phone_numbers: [{ number: uniquePhone() }] });
      const source = await api.createContact({ first_name: 'S', phone_numbers: [{ number: uniquePhone() }] });
      assert.equal((await merge(target.id, [source.id])).status, 200);
      assertProblem(await unmerge(target.id, source.id, api.keys.read), 403, 'forbidden');
      const other = await api.otherAccount();
      assertProblem(await unmerge(target.id, source.id, other.key), 404, 'contact_not_found');
      assert.equal((await get(source.id)).status, 'merged', 'nothing changed');
      assert.equal((await unmerge(target.id, source.id, api.keys.write)).status, 200);
    });

    test('concurrent unmerges of one source: one wins, the other is a 409', async () => {
      const target = await api.createContact({ first_name: 'T', phone_numbers: [{ number: uniquePhone() }] });
      const source = await api.createContact({ first_name: 'S', company: 'Racing', phone_numbers: [{ number: uniquePhone() }] });
      assert.equal((await merge(target.id, [source.id])).status, 200);
      const results = await Promise.all([unmerge(target.id, source.id), unmerge(target.id, source.id), unmerge(target.id, source.id)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409], JSON.stringify(results.map((r) => r.body)));
      for (const r of results.filter((r) => r.status === 409)) assertProblem(r, 409, 'not_merged_into');
      const changes = await api.db.store.changes.historyOf(api.accountId, source.id, 10);
      assert.equal(changes.filter((c) => c.type === 'contact.unmerged').length, 1);
      assert.equal((await get(target.id)).company, null);
    });

    test('a source whose number another contact of its `reject` book now holds is refused with a 409 naming the holder', async () => {
      const strict = await api.newBook('reject');
      const phone = uniquePhone();
      const target = await api.createContact({ first_name: 'T', phone_numbers: [{ number: uniquePhone() }] });
      const source = await api.createContact({ address_book_id: strict, first_name: 'S', phone_numbers: [{ number: phone }] });
      assert.equal((await merge(target.id, [source.id])).status, 200);
      const holder = await api.createContact({ address_book_id: strict, first_name: 'Holder', phone_numbers: [{ number: phone }] });
      const res = await unmerge(target.id, source.id);
      assertProblem(res, 409, 'duplicate_contact');
      assert.equal(res.body.existing_contact_id, holder.id);
      assert.equal((await get(source.id)).status, 'merged', 'nothing changed');
      assert.ok((await get(target.id)).phone_numbers.some((p: { e164: string }) => p.e164 === phone));
    });

    test('an external id the survivor gave up and another contact took since is a 409 naming the holder', async () => {
      const book = await api.newBook('merge');
      const phone = uniquePhone();
      const externalId = `ext-${token()}`;
      const existing = await api.createContact({ address_book_id: book, first_name: 'Existing', phone_numbers: [{ number: phone }] });
      assert.equal((await api.call('POST', '/v1/contacts', { address_book_id: book, external_id: externalId, phone_numbers: [{ number: phone }] })).status, 200);
      const [sourceId] = await mergedSourcesOf(existing.id);
      assert.equal((await api.call('PATCH', `/v1/contacts/${existing.id}`, { external_id: `renamed-${token()}` })).status, 200);
      const holder = await api.createContact({ first_name: 'Holder', external_id: externalId });
      const res = await unmerge(existing.id, sourceId!);
      assertProblem(res, 409, 'duplicate_external_id');
      assert.equal(res.body.existing_contact_id, holder.id);
    });
  });
}
