import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildApp } from '../../../src/app.ts';
import { readConfig } from '../../../src/config.ts';
import { openStore } from '../../../src/runtime.ts';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, type TestApi } from '../../support/api.ts';
import { EIGHT_BY_EIGHT_SPEC, assertError, assertSpec, eightByEight, msisdn, multipart, spec, waitForJob, type Call } from './support.ts';

for (const engine of engines) {
  describeWithSpec(EIGHT_BY_EIGHT_SPEC, `8x8 batch jobs on ${engine.name}`, () => {
    let api: TestApi;
    let call: Call;
    before(async () => {
      api = await startApi(engine);
      call = eightByEight(api);
    });
    after(() => api.close());

    const upload = (fields: Record<string, string>, file?: { name: string; content: string }) => {
      const body = multipart(fields, file);
      return call('POST', '/contacts/batches/createContacts', body.payload, { headers: body.headers });
    };

    test('an upload whose multipart content type names no boundary is a 400 (code 1000), not a server error', async () => {
      const body = multipart({}, { name: 'c.csv', content: 'msisdn\n16511110000\n' });
      const res = await call('POST', '/contacts/batches/createContacts', body.payload, { headers: { 'content-type': 'multipart/form-data' } });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 1000);
    });

    test('a CSV file with a quote opening inside a field (csv-parse\'s INVALID_OPENING_QUOTE) is a 400 (code 1000), not a server error', async () => {
      const res = await upload({}, { name: 'a.csv', content: `msisdn,firstName\n${msisdn()},Jo"hn\n${msisdn()},x "y"\n` });
      assertError(res, 400, 1000);
      assert.match(res.body.message, /file/);
    });

    test('spec get-batch-job-list on an account without jobs: the file\'s schema wants at least one item (minItems 1), so the empty list is its one known deviation', async () => {
      const other = await api.otherAccount();
      const url = `/8x8/api/v1/accounts/${other.accountId}/batches`;
      const res = await api.call('GET', url, undefined, { key: other.key });
      assert.equal(res.status, 200);
      assert.deepEqual([res.body.items, res.body.totalCount, res.body.page, res.body.totalPages], [[], 0, 1, 0]);
      assert.throws(() => spec.assertResponse('GET', url, 200, res.body), /must NOT have fewer than 1 items/);
    });

    test('spec batch-upload-contacts: a CSV with a header and groups is accepted (202, createContacts, queued) and run in the background; per-row results', async () => {
      const group = (await call('POST', '/groups', { name: `upload ${msisdn()}` })).body;
      const [a, b, existing] = [msisdn(), msisdn(), msisdn()];
      const old = (await call('POST', '/contacts', { firstName: 'Existing', addresses: { msisdn: existing } })).body;
      const csv = ['msisdn,FirstName,lastName,email,Department', `${a},Ann,One,ann@u.io,Sales`, `${b},Bob,Two,,`, '0123,Bad,Number,,', `${existing},,Merged,,Support`, ',No,Address,,'].join('\n');
      const res = await upload({ groups: String(group.id), fileHasHeader: 'true' }, { name: '1_Contacts.csv', content: csv });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.deepEqual([res.body.type, res.body.fileName, res.body.fileType], ['createContacts', '1_Contacts.csv', 'csv']);
      assert.ok(['queued', 'inProgress', 'completed'].includes(res.body.status));
      const job = await waitForJob(call, res.body.id);
      assert.equal(job.status, 'completed');
      assert.deepEqual([job.totalRows, job.insertedRows, job.duplicatedRows, job.errorRows, job.contactGroups], [5, 2, 1, 2, 1]);
      assert.deepEqual(job.results.map((r: any) => [r.item, r.status, r.error?.code]), [[0, 'succeeded', undefined], [1, 'succeeded', undefined], [2, 'failed', 1002], [3, 'merged', undefined], [4, 'failed', 1000]]);
      assert.equal(job.results[3].id, old.id);
      const ann = (await call('GET', `/contacts/${job.results[0].id}`)).body;
      assert.deepEqual([ann.firstName, ann.lastName, ann.addresses, ann.customAttributes, ann.groups[0].id], ['Ann', 'One', { msisdn: a, email: 'ann@u.io' }, { Department: 'Sales' }, group.id]);
      const merged = (await call('GET', `/contacts/${old.id}`)).body;
      assert.deepEqual([merged.firstName, merged.lastName, merged.customAttributes], ['Existing', 'Merged', { Department: 'Support' }]);
      assert.equal((await api.call('GET', `/v1/contacts?phone=%2B${b}`)).body.data.length, 1, 'in the core');
    });

    test('spec: a file without a header needs fileColumns ("msisdn, firstName, lastName"); Excel, a missing file, a JSON body, an unknown group: 400', async () => {
      const number = msisdn();
      const res = await upload({ fileHasHeader: 'false', fileColumns: 'msisdn, firstName, lastName' }, { name: 'plain.csv', content: `${number},No,Header\n` });
      assert.equal(res.status, 202);
      const job = await waitForJob(call, res.body.id);
      assert.equal(job.insertedRows, 1);
      assert.equal((await call('GET', `/contacts/${job.results[0].id}`)).body.lastName, 'Header');
      assertError(await upload({ fileHasHeader: 'false' }, { name: 'plain.csv', content: `${number},No,Header\n` }), 400, 1000);
      assertError(await upload({}, { name: 'book.xlsx', content: 'binary' }), 400, 1000);
      assertError(await upload({ groups: '1' }), 400, 1000);
      assertError(await upload({ groups: '999999999' }, { name: 'a.csv', content: `msisdn\n${msisdn()}\n` }), 400, 1300);
      assertError(await upload({ groups: 'a,b' }, { name: 'a.csv', content: `msisdn\n${msisdn()}\n` }), 400, 1000);
      assertError(await call('POST', '/contacts/batches/createContacts', { file: 'x' }), 400, 1000);
      assertError(await upload({}, { name: 'a.csv', content: 'msisdn,name\n"unterminated,x\n' }), 400, 1000);
    });

    test('spec batch-delete-contacts: ids and msisdns ("+6512345678", "6523456789"); unknown ones are failed items; 202 deleteContacts', async () => {
      const [a, b] = [msisdn(), msisdn()];
      const ca = (await call('POST', '/contacts', { addresses: { msisdn: a } })).body;
      await call('POST', '/contacts', { addresses: { msisdn: b } });
      const res = await call('POST', '/contacts/batches/deleteContacts', { ids: [ca.id, 999999999], msisdns: [`+${b}`, '6523456789'] });
      assert.equal(res.status, 202);
      assert.equal(res.body.type, 'deleteContacts');
      const job = await waitForJob(call, res.body.id);
      assert.deepEqual(job.results.map((r: any) => [r.status, r.error?.code]), [['succeeded', undefined], ['failed', 1300], ['succeeded', undefined], ['failed', 1300]]);
      assertError(await call('GET', `/contacts/${ca.id}`), 404, 1300);
      assert.equal((await api.call('GET', `/v1/contacts?phone=%2B${b}`)).body.data.length, 0);
      assertError(await call('POST', '/contacts/batches/deleteContacts', {}), 400, 1000);
      assertError(await call('POST', '/contacts/batches/deleteContacts', { msisdns: ['12'] }), 400, 1002);
    });

    test('spec "all": true deletes every contact of the account, and only of this account', async () => {
      const other = await api.otherAccount();
      const theirs = eightByEight(api, other.accountId);
      const options = { key: other.key };
      for (let i = 0; i < 3; i++) await theirs('POST', '/contacts', { addresses: { msisdn: msisdn() } }, options);
      const mine = (await call('POST', '/contacts', { addresses: { msisdn: msisdn() } })).body;
      const res = await theirs('POST', '/contacts/batches/deleteContacts', { all: true }, options);
      const job = await waitForJob((m, p, b) => theirs(m, p, b, options), res.body.id);
      assert.deepEqual([job.status, job.totalRows, job.insertedRows], ['completed', 3, 3]);
      assert.equal((await theirs('GET', '/contacts', undefined, options)).body.totalCount, 0);
      assert.equal((await call('GET', `/contacts/${mine.id}`)).status, 200);
      assertError(await call('GET', `/batches/${res.body.id}`), 404, 4018);
    });

    test('spec copyContacts and moveContacts (?from&to): copy keeps the source\'s members, move takes them out', async () => {
      const [g1, g2, g3] = await Promise.all([1, 2, 3].map(async (i) => (await call('POST', '/groups', { name: `pair ${i} ${msisdn()}` })).body));
      const members = [];
      for (let i = 0; i < 3; i++) members.push((await call('POST', '/contacts', { groups: [{ id: g1.id }], addresses: { msisdn: msisdn() } })).body.id);
      const copy = await call('POST', `/groups/batches/copyContacts?from=${g1.id}&to=${g2.id}`);
      assert.deepEqual([copy.status, copy.body.type], [202, 'copyContacts']);
      assert.equal((await waitForJob(call, copy.body.id)).insertedRows, 3);
      assert.deepEqual([(await call('GET', `/groups/${g1.id}`)).body.contacts, (await call('GET', `/groups/${g2.id}`)).body.contacts], [3, 3]);
      const move = await call('POST', `/groups/batches/moveContacts?from=${g2.id}&to=${g3.id}`);
      assert.equal(move.body.type, 'moveContacts');
      assert.equal((await waitForJob(call, move.body.id)).insertedRows, 3);
      assert.deepEqual([(await call('GET', `/groups/${g2.id}`)).body.contacts, (await call('GET', `/groups/${g3.id}`)).body.contacts], [0, 3]);
      const groups = (await call('GET', `/contacts/${members[0]}`)).body.groups.map((g: { id: number }) => g.id).sort();
      assert.deepEqual(groups, [g1.id, g3.id].sort());
      assertError(await call('POST', `/groups/batches/copyContacts?from=${g1.id}`), 400, 1000);
      assertError(await call('POST', `/groups/batches/copyContacts?from=${g1.id}&to=999999999`), 400, 1300);
      assertError(await call('POST', `/groups/batches/moveContacts?from=${g1.id}&to=${g1.id}`), 400, 1000);
    });

    test('spec batch-delete-groups {ids, deleteContacts}: the groups go, and with deleteContacts their contacts too', async () => {
      const keep = (await call('POST', '/groups', { name: `keep contacts ${msisdn()}` })).body;
      const drop = (await call('POST', '/groups', { name: `drop contacts ${msisdn()}` })).body;
      const kept = (await call('POST', '/contacts', { groups: [{ id: keep.id }], addresses: { msisdn: msisdn() } })).body;
      const dropped = (await call('POST', '/contacts', { groups: [{ id: drop.id }], addresses: { msisdn: msisdn() } })).body;
      let job = await waitForJob(call, (await call('POST', '/groups/batches/deleteGroups', { ids: [keep.id, 999999999], deleteContacts: false })).body.id);
      assert.deepEqual(job.results.map((r: any) => [r.status, r.id ?? r.error.code]), [['succeeded', keep.id], ['failed', 1300]]);
      assert.equal((await call('GET', `/contacts/${kept.id}`)).status, 200);
      job = await waitForJob(call, (await call('POST', '/groups/batches/deleteGroups', { ids: [drop.id], deleteContacts: true })).body.id);
      assert.equal(job.status, 'completed');
      assertError(await call('GET', `/groups/${drop.id}`), 404, 1300);
      assertError(await call('GET', `/contacts/${dropped.id}`), 404, 1300);
      assertError(await call('POST', '/groups/batches/deleteGroups', { ids: [keep.id] }), 400, 1000);
    });

    test('spec get-batch-job-list: newest first, type filter, pages; get-batch-by-id: unknown or malformed id is 404 code 4018 "Invalid jobId"', async () => {
      const res = await call('GET', '/batches?limit=500');
      assert.ok(res.body.items.length >= 5);
      const times = res.body.items.map((j: { createdAt: string }) => j.createdAt);
      assert.deepEqual(times, [...times].sort().reverse());
      const deletes = await call('GET', '/batches?type=deleteGroups');
      assert.ok(deletes.body.items.length >= 2 && deletes.body.items.every((j: { type: string }) => j.type === 'deleteGroups'));
      assert.equal(deletes.body.totalCount, res.body.totalCount);
      const one = await call('GET', '/batches?limit=1&offset=1');
      assert.deepEqual(one.body.items.map((j: { id: string }) => j.id), [res.body.items[1].id]);
      for (const id of ['576171ed-ab50-427d-a1c8-ae7c0079fdc1', 'not-a-uuid']) {
        const missing = await call('GET', `/batches/${id}`);
        assertError(missing, 404, 4018);
        assert.equal(missing.body.message, 'Invalid jobId');
      }
      assertError(await call('GET', '/batches?type=everything'), 400, 1000);
    });

    test('batch jobs survive their node: a job left unfinished by a stopped node is resumed by a node that starts, from where it stopped, and any node reports it', async () => {
      const numbers = [msisdn(), msisdn(), msisdn()];
      const admin = api.admin;
      // A job another node accepted and stopped on: its first item done, its heartbeat old.
      const store = api.db.store;
      const items = numbers.map((n) => ({ input: { phone_numbers: [{ number: `+${n}` }] } }));
      const done = (await call('POST', '/contacts', { addresses: { msisdn: numbers[0]! } })).body;
      const job = await store.transaction(async (tx) => {
        const old = new Date(Date.now() - 10 * 60_000).toISOString();
        const inserted = await tx.batchJobs.insert({
          id: crypto.randomUUID(), account_id: admin.accountId, key_id: admin.keyId, scopes: admin.scopes, surface: '8x8', kind: 'create_contacts', status: 'in_progress',
          payload: { items, duplicateRule: { policy: 'merge', scope: 'account' } }, total: 3, processed: 0, succeeded: 0, merged: 0, failed: 0,
          owner: 'a-node-that-died', heartbeat_at: old, progressed_at: old, error: null, created_at: old, updated_at: old, finished_at: null,
        });
        await tx.batchJobs.recordProgress(inserted.id, 'a-node-that-died', { processed: 1, succeeded: 1, merged: 0, failed: 0, results: [{ index: 0, status: 'succeeded', ref: null, ref_seq: done.id, code: null, message: null }], status: 'in_progress', finished_at: null }, old);
        return inserted;
      });
      const stalled = await call('GET', `/batches/${job.id}`);
      assert.deepEqual([stalled.body.status, stalled.body.processedRows], ['inProgress', 1]);
      // A second API node, with its own connections to the same database, starts: it takes the job over.
      const secondStore = await openStore({ databaseUrl: api.db.databaseUrl }, api.db.searchPath ? { searchPath: api.db.searchPath } : {});
      const second = await buildApp(readConfig({ DATABASE_URL: api.db.databaseUrl, LOG_LEVEL: 'silent' }), { store: secondStore.store, logger: false });
      await second.ready();
      try {
        const finished = await waitForJob(call, job.id);
        assert.deepEqual([finished.status, finished.totalRows, finished.insertedRows, finished.duplicatedRows, finished.results.length], ['completed', 3, 3, 0, 3], 'item 0 was not done again (it would have merged)');
        for (const n of numbers) assert.equal((await api.call('GET', `/v1/contacts?phone=%2B${n}`)).body.data.length, 1, 'each item done once');
        const viaSecond = await second.inject({ method: 'GET', url: `/8x8/api/v1/accounts/${api.accountId}/batches/${job.id}`, headers: { authorization: `Bearer ${api.keys.read}` } });
        assertSpec('GET', `/8x8/api/v1/accounts/${api.accountId}/batches/${job.id}`, { status: viaSecond.statusCode, headers: viaSecond.headers, body: viaSecond.json(), raw: viaSecond });
        assert.equal(viaSecond.json().status, 'completed');
      } finally {
        await second.close();
        await secondStore.handle.close();
      }
    });
  });
}
