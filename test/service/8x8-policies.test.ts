/** Core rules the 8x8 dialect selects, tested once through the services on every engine. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BatchJobService } from '../../src/core/batch-jobs/batch-job.service.ts';
import type { BatchJob } from '../../src/core/batch-jobs/batch-job.types.ts';
import { DomainError } from '../../src/core/errors.ts';
import type { Principal } from '../../src/core/types.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

const MERGE_ACCOUNT = { duplicateRule: { policy: 'merge', scope: 'account' } as const };
const coded = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

for (const engine of engines) {
  describe(`8x8 core policies on ${engine.name}`, () => {
    let api: TestApi;
    let admin: Principal;
    before(async () => {
      api = await startApi(engine);
      admin = api.admin;
    });
    after(() => api.close());

    test('DuplicateRule {merge, account}: one contact of any book sharing an address absorbs the data; several: ambiguous_duplicate; none: created', async () => {
      const { contacts, addressBooks } = api.app.services;
      const other = await addressBooks.create(admin, { name: `other ${uniquePhone()}` });
      const phone = uniquePhone();
      const existing = (await contacts.create(admin, { address_book_id: other.id, first_name: 'Ann', phone_numbers: [{ number: phone }] })).contact;
      const merged = await contacts.create(admin, { last_name: 'Lee', phone_numbers: [{ number: phone }], emails: [{ address: `${phone}@m.io` }] }, MERGE_ACCOUNT);
      assert.equal(merged.outcome, 'merged');
      assert.equal(merged.contact.id, existing.id);
      assert.deepEqual([merged.contact.first_name, merged.contact.last_name, merged.contact.emails.length], ['Ann', 'Lee', 1]);
      // A book-scoped merge does not look into the other book.
      assert.equal((await contacts.create(admin, { phone_numbers: [{ number: phone }] }, { duplicateRule: { policy: 'merge', scope: 'book' } })).outcome, 'created');
      await assert.rejects(contacts.create(admin, { phone_numbers: [{ number: phone }] }, MERGE_ACCOUNT), coded('ambiguous_duplicate'));
      assert.equal((await contacts.create(admin, { phone_numbers: [{ number: uniquePhone() }] }, MERGE_ACCOUNT)).outcome, 'created');
    });

    test('DuplicateRule {merge, account}: racing creates sharing an address leave one contact', async () => {
      const email = `race-${uniquePhone()}@r.io`;
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => api.app.services.contacts.create(admin, { first_name: `R${i}`, emails: [{ address: email }] }, MERGE_ACCOUNT)));
      assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['created', 'merged', 'merged', 'merged', 'merged', 'merged']);
      assert.equal(new Set(outcomes.map((o) => o.contact.id)).size, 1);
      assert.equal((await api.app.services.contacts.list(admin, { email }, 10)).items.length, 1);
    });

    test('block list: racing calls make one block-list group and one contact; every holder of the number joins it', async () => {
      const { account } = await api.app.services.accounts.createAccount('Block list race');
      const actor: Principal = { accountId: account.id, keyId: 'k', scopes: ['admin'], surface: '8x8' };
      const phone = uniquePhone();
      const results = await Promise.all(Array.from({ length: 5 }, () => api.app.services.blockList.blockPhone(actor, phone)));
      assert.equal(new Set(results.map((r) => r.group.id)).size, 1);
      assert.equal(new Set(results.map((r) => r.contacts[0]!.id)).size, 1);
      const group = results[0]!.group;
      assert.deepEqual([group.name, group.is_blocklist], ['Blacklist', true]);
      // Two contacts hold another number (allowed in the default book): both are blocked.
      const shared = uniquePhone();
      for (let i = 0; i < 2; i++) await api.app.services.contacts.create(actor, { phone_numbers: [{ number: shared }] });
      const both = await api.app.services.blockList.blockPhone(actor, shared);
      assert.equal(both.contacts.length, 2);
      assert.ok(both.contacts.every((c) => c.group_ids.includes(group.id)));
      await assert.rejects(api.app.services.blockList.blockPhone(actor, 'not a number'), coded('validation_failed'));
    });

    test('block list: an account\'s own block-list group is used; a plain group holding the name is left alone', async () => {
      const { account } = await api.app.services.accounts.createAccount('Block list names');
      const actor: Principal = { accountId: account.id, keyId: 'k', scopes: ['admin'], surface: '8x8' };
      await api.app.services.groups.create(actor, { name: 'Blacklist' });
      const made = await api.app.services.groups.blockList(actor);
      assert.deepEqual([made.name, made.is_blocklist], ['Blacklist 2', true]);
      assert.equal((await api.app.services.groups.blockList(actor)).id, made.id);
      const { account: second } = await api.app.services.accounts.createAccount('Own block list');
      const owner: Principal = { accountId: second.id, keyId: 'k', scopes: ['admin'], surface: '8x8' };
      const own = await api.app.services.groups.create(owner, { name: 'Do not call', is_blocklist: true });
      assert.equal((await api.app.services.blockList.blockPhone(owner, uniquePhone())).group.id, own.id);
    });

    test('free-form attributes: racing writers define each key once, as a string field; a refused write defines none', async () => {
      const keys = [`Dept${uniquePhone().slice(-6)}`, `Pos${uniquePhone().slice(-6)}`];
      const values = Object.fromEntries(keys.map((k) => [k, 'x']));
      const { contacts, customFields } = api.app.services;
      await Promise.all(Array.from({ length: 4 }, () => contacts.create(admin, { first_name: 'Free', phone_numbers: [{ number: uniquePhone() }], custom_fields: values }, { freeFormCustomFields: true })));
      const fields = (await customFields.list(admin)).filter((f) => keys.includes(f.key));
      assert.deepEqual(fields.map((f) => [f.key, f.data_type]).sort(), keys.map((k) => [k, 'string']).sort());

      const refusedKey = `Refused${uniquePhone().slice(-6)}`;
      await assert.rejects(contacts.create(admin, { first_name: 'Bad', phone_numbers: [{ number: 'not a phone' }], custom_fields: { [refusedKey]: 'x' } }, { freeFormCustomFields: true }), coded('validation_failed'));
      assert.equal((await customFields.list(admin)).some((f) => f.key === refusedKey), false, 'the refused write left no field behind');
      // Without the option an undefined key is refused, as the native API does.
      await assert.rejects(contacts.create(admin, { first_name: 'Strict', custom_fields: { [`Strict${uniquePhone().slice(-6)}`]: 'x' } }), coded('validation_failed'));
    });

    const jobOf = (owner: string, heartbeat: string | null, items: unknown[] = [], progressed: string | null = heartbeat): Omit<BatchJob, 'seq'> => ({
      id: crypto.randomUUID(), account_id: admin.accountId, key_id: admin.keyId, scopes: admin.scopes, surface: '8x8', kind: 'delete_contacts', status: 'in_progress',
      payload: { items }, total: items.length, processed: 0, succeeded: 0, merged: 0, failed: 0, owner, heartbeat_at: heartbeat, progressed_at: progressed, error: null,
      created_at: '2020-01-01T00:00:00.000Z', updated_at: '2020-01-01T00:00:00.000Z', finished_at: null,
    });

    test('batch jobs: of nodes racing to claim a job exactly one wins; a node that lost it cannot record progress', async () => {
      const store = api.db.store;
      const job = await store.transaction((tx) => tx.batchJobs.insert(jobOf('dead', '2020-01-01T00:00:00.000Z', [{ seq: 1 }])));
      const claims = await Promise.all(['n1', 'n2', 'n3'].map((node) => store.transaction((tx) => tx.batchJobs.claim(job.id, node, job.heartbeat_at, new Date().toISOString()))));
      assert.deepEqual(claims.filter(Boolean).length, 1);
      const winner = ['n1', 'n2', 'n3'][claims.indexOf(true)]!;
      const progress = { processed: 1, succeeded: 1, merged: 0, failed: 0, results: [{ index: 0, status: 'succeeded' as const, ref: null, ref_seq: null, code: null, message: null }], status: 'completed' as const, finished_at: new Date().toISOString() };
      assert.equal(await store.transaction((tx) => tx.batchJobs.recordProgress(job.id, 'dead', progress, new Date().toISOString())), false);
      assert.deepEqual(await store.batchJobs.results(job.id), []);
      assert.equal(await store.transaction((tx) => tx.batchJobs.recordProgress(job.id, winner, progress, new Date().toISOString())), true);
      assert.equal((await store.batchJobs.find(admin.accountId, job.id))!.status, 'completed');
    });

    test('batch jobs: a starting node takes over stale unfinished jobs only; a fresh job of a live node stays with it', async () => {
      const store = api.db.store;
      const contact = (await api.app.services.contacts.create(admin, { phone_numbers: [{ number: uniquePhone() }] })).contact;
      const stale = await store.transaction((tx) => tx.batchJobs.insert(jobOf('dead', '2020-01-01T00:00:00.000Z', [{ seq: contact.seq }, { seq: 999999999 }])));
      const fresh = await store.transaction((tx) => tx.batchJobs.insert(jobOf('alive', new Date().toISOString(), [{ seq: 1 }])));
      const node = new BatchJobService(store, { defaultRegion: 'US', chunkSize: 1, staleAfterMs: 60_000 });
      assert.ok((await node.resumeUnfinished()) >= 1);
      let done = (await store.batchJobs.find(admin.accountId, stale.id))!;
      for (let i = 0; i < 200 && done.status !== 'completed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        done = (await store.batchJobs.find(admin.accountId, stale.id))!;
      }
      await node.stop();
      assert.deepEqual([done.status, done.succeeded, done.failed], ['completed', 1, 1]);
      assert.deepEqual((await store.batchJobs.results(stale.id)).map((r) => [r.status, r.code]), [['succeeded', null], ['failed', 'contact_not_found']]);
      await assert.rejects(api.app.services.contacts.get(admin, contact.id), coded('contact_not_found'));
      const untouched = (await store.batchJobs.find(admin.accountId, fresh.id))!;
      assert.deepEqual([untouched.owner, untouched.processed], ['alive', 0]);
    });

    test('batch jobs: submit fixes the items when accepted and runs them; a job is reported to its own account only', async () => {
      const group = await api.app.services.groups.create(admin, { name: `src ${uniquePhone()}` });
      const target = await api.app.services.groups.create(admin, { name: `dst ${uniquePhone()}` });
      for (let i = 0; i < 3; i++) await api.app.services.contacts.create(admin, { phone_numbers: [{ number: uniquePhone() }], group_ids: [group.id] });
      const job = await api.app.services.batchJobs.submit(admin, { kind: 'copy_group_members', fromGroupId: group.id, toGroupId: target.id });
      assert.deepEqual([job.status, job.total], ['queued', 3]);
      let current = job;
      for (let i = 0; i < 200 && current.status !== 'completed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        current = await api.app.services.batchJobs.get(admin, job.id);
      }
      assert.deepEqual([current.status, current.succeeded], ['completed', 3]);
      const other = await api.otherAccount();
      const stranger = (await api.app.services.accounts.authenticate(other.key))!;
      await assert.rejects(api.app.services.batchJobs.get(stranger, job.id), coded('not_found'));
      await assert.rejects(api.app.services.batchJobs.submit(admin, { kind: 'move_group_members', fromGroupId: group.id, toGroupId: 'nope' }), coded('group_not_found'));
    });
  });
}
