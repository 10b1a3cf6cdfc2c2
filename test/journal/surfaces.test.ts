/**
 * Issue 10 §1: "Every write through any surface appends one change per contact touched ... native
 * API, the five dialects, batches and batch jobs, imports, merges, the CLI", each with its actor
 * (key id and surface). §3: "Deletes through a dialect keep their platform's semantics on the wire
 * (a deleted contact is that platform's 404). Underneath they are tombstones too, restorable
 * through /v1."
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type Response, type TestApi } from '../support/api.ts';
import { ROOT, contactdEnv } from '../support/contactd-process.ts';
import { basic } from '../dialects/shared/basic-auth.ts';
import { koreHeaders, newStream } from '../dialects/koreai/support.ts';

function ok(res: Response, status: number, what: string): any {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Runs `contactd ...args` on the test's database; expects success and one JSON line. */
async function cli(api: TestApi, args: string[]): Promise<any> {
  const env = contactdEnv({ DATABASE_URL: api.db.databaseUrl, ...(api.db.searchPath ? { PGOPTIONS: `-c search_path=${api.db.searchPath}` } : {}) });
  const child = spawn(process.execPath, ['bin/contactd.js', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = await once(child, 'close');
  assert.equal(code, 0, `contactd ${args.join(' ')}: ${stderr}`);
  return JSON.parse(stdout);
}

for (const engine of engines) {
  describe(`change journal: every surface journals its writes on ${engine.name}`, () => {
    let api: TestApi;
    let writerId: string;
    /** The contact's changes oldest first, as `type@surface`; every one must be the writer's unless `by` says otherwise. */
    const trail = async (id: string, by = writerId): Promise<string[]> => {
      const history = ok(await api.call('GET', `/v1/contacts/${id}/history?limit=100`), 200, 'history').data.reverse();
      for (const change of history) assert.equal(change.actor.key_id, by, `key id of ${change.type}`);
      return history.map((c: any) => `${c.type}@${c.actor.surface}`);
    };
    const idOfPhone = async (phone: string): Promise<string> => {
      const matches = ok(await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`), 200, 'lookup').matches;
      assert.equal(matches.length, 1, `one contact holds ${phone}`);
      return matches[0].id;
    };
    /** A dialect delete is a tombstone: listed as deleted, restorable natively, then read again by the dialect. */
    const assertTombstoneRoundTrip = async (id: string, readThere: () => Promise<Response>, surface: string) => {
      const deleted = ok(await api.call('GET', '/v1/contacts?status=deleted&limit=200'), 200, 'status=deleted').data;
      assert.ok(deleted.some((c: any) => c.id === id), `${surface}: the deleted contact is listed with status=deleted`);
      ok(await api.call('POST', `/v1/contacts/${id}/restore`), 200, `${surface}: restore`);
      assert.equal((await readThere()).status, 200, `${surface} reads the restored contact`);
      const history = ok(await api.call('GET', `/v1/contacts/${id}/history?limit=1`), 200, 'history').data;
      assert.deepEqual([history[0].type, history[0].actor], ['contact.restored', { key_id: api.admin.keyId, surface: 'native' }]);
    };

    before(async () => {
      api = await startApi(engine);
      writerId = (await api.app.services.accounts.authenticate(api.keys.write))!.keyId;
    });
    after(() => api.close());

    test('Zoom: create, change, delete journalled as zoom; the delete is a Zoom 404 and a restorable tombstone', async () => {
      const book = await api.newBook();
      const base = `/zoom/v2/contact_center/address_books/${book}/contacts`;
      const zoom = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => api.call(method, `${base}${path}`, body, { key: api.keys.write });
      const id = ok(await zoom('POST', '', { display_name: 'Zoe Zoom', phone_numbers: [uniquePhone()] }), 201, 'Zoom create').contact_id;
      assert.ok((await zoom('PATCH', `/${id}`, { display_name: 'Zoe Z' })).status < 300);
      ok(await zoom('DELETE', `/${id}`), 204, 'Zoom delete');
      assert.deepEqual(await trail(id), ['contact.created@zoom', 'contact.updated@zoom', 'contact.deleted@zoom']);
      assert.equal((await zoom('GET', `/${id}`)).status, 404);
      await assertTombstoneRoundTrip(id, () => zoom('GET', `/${id}`), 'zoom');
    });

    test('Genesys: create, change, delete journalled as genesys; the delete is a GWS 404 and a restorable tombstone', async () => {
      const gws = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
        api.call(method, `/genesys/api/v2${path}`, body, { key: null, headers: basic(api.accountId, api.keys.write) });
      const id = ok(await gws('POST', '/contacts', { name: 'Gene Sys', type: 'Custom', phoneNumber: uniquePhone() }), 200, 'GWS create').id;
      ok(await gws('PUT', `/contacts/${id}`, { name: 'Gene S' }), 200, 'GWS put');
      ok(await gws('DELETE', `/contacts/${id}`), 200, 'GWS delete');
      assert.deepEqual(await trail(id), ['contact.created@genesys', 'contact.updated@genesys', 'contact.deleted@genesys']);
      assert.equal((await gws('GET', `/contacts/${id}`)).status, 404);
      await assertTombstoneRoundTrip(id, () => gws('GET', `/contacts/${id}`), 'genesys');
    });

    test('8x8: create, change, delete journalled as 8x8; the delete is an 8x8 404 and a restorable tombstone; a batch job journals as 8x8', async () => {
      const ee = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
        api.call(method, `/8x8/api/v1/accounts/${api.accountId}${path}`, body, { key: api.keys.write });
      const phone = uniquePhone();
      const seq = ok(await ee('POST', '/contacts', { firstName: 'Eight', addresses: { msisdn: phone.slice(1) } }), 201, '8x8 create').id;
      const id = await idOfPhone(phone);
      ok(await ee('PATCH', `/contacts/${seq}`, [{ op: 'replace', path: '/firstName', value: 'Ocho' }]), 200, '8x8 patch');
      ok(await ee('DELETE', `/contacts/${seq}`), 204, '8x8 delete');
      assert.deepEqual(await trail(id), ['contact.created@8x8', 'contact.updated@8x8', 'contact.deleted@8x8']);
      assert.equal((await ee('GET', `/contacts/${seq}`)).status, 404);
      await assertTombstoneRoundTrip(id, () => ee('GET', `/contacts/${seq}`), '8x8');

      // The job runs in the background, under the caller's key and the 8x8 surface.
      const other = uniquePhone();
      ok(await ee('POST', '/contacts', { firstName: 'Batched', addresses: { msisdn: other.slice(1) } }), 201, '8x8 create');
      const otherId = await idOfPhone(other);
      const job = ok(await ee('POST', '/contacts/batches/deleteContacts', { msisdns: [other.slice(1)] }), 202, '8x8 batch');
      for (let i = 0; i < 200 && ['queued', 'inProgress'].includes(ok(await ee('GET', `/batches/${job.id}`), 200, 'job').status); i++) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(await trail(otherId), ['contact.created@8x8', 'contact.deleted@8x8']);
    });

    test('Apptoto: create and change journalled as apptoto (its API has no delete)', async () => {
      const phone = uniquePhone();
      const app = (method: 'POST' | 'PUT', body: unknown) => api.call(method, '/apptoto/v1/contacts', body, { key: null, headers: basic(api.accountId, api.keys.write) });
      const made = ok(await app('POST', { contacts: [{ address_book: `Apptoto ${phone}`, first_name: 'App', last_name: 'Toto', phone_numbers: [{ number: phone }] }] }), 200, 'Apptoto create').contacts[0];
      ok(await app('PUT', { contacts: [{ id: made.id, first_name: 'Appy' }] }), 200, 'Apptoto put');
      assert.deepEqual(await trail(await idOfPhone(phone)), ['contact.created@apptoto', 'contact.updated@apptoto']);
    });

    test('Kore.ai: create, change and the soft delete (INACTIVE) journalled as koreai; the native restore makes it active again', async () => {
      const stream = newStream();
      const headers = await koreHeaders(api, api.keys.write);
      const kore = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
        api.call(method, `/agentassist/api/v1/public/${stream}/contacts${path}`, body, { key: null, headers });
      const cellPhone = { phoneNumber: uniquePhone().slice(2), countryCode: '+1', extension: '+' };
      const id = ok(await kore('POST', '', { firstName: 'Kore', lastName: 'Ai', salutation: 'Ms', cellPhone }), 201, 'Kore create').id;
      ok(await kore('PUT', `/${id}`, { firstName: 'Cora' }), 200, 'Kore put');
      ok(await kore('DELETE', `/${id}`), 200, 'Kore delete');
      assert.deepEqual(await trail(id), ['contact.created@koreai', 'contact.updated@koreai', 'contact.updated@koreai']);
      const [soft] = ok(await api.call('GET', `/v1/contacts/${id}/history?limit=1`), 200, 'history').data;
      assert.deepEqual(soft.fields.status, { before: 'active', after: 'inactive' });
      const listed = async () => ok(await kore('GET', '?limit=100'), 200, 'Kore list').results.some((c: any) => c.id === id);
      assert.equal(await listed(), false, 'gone from the Kore.ai list');
      const restored = ok(await api.call('POST', `/v1/contacts/${id}/restore`), 200, 'restore');
      assert.equal(restored.status, 'active');
      assert.equal(await listed(), true, 'listed by Kore.ai again');
      const [change] = ok(await api.call('GET', `/v1/contacts/${id}/history?limit=1`), 200, 'history').data;
      assert.deepEqual([change.type, change.fields.status], ['contact.restored', { before: 'inactive', after: 'active' }]);
    });

    test('CardDAV: create, change, delete journalled as dav; the delete is a 404 there and a restorable tombstone', async () => {
      const book = await api.newBook();
      const phone = uniquePhone();
      const url = `/dav/books/${book}/surface-card.vcf`;
      const card = (fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:surface-card\r\nFN:${fn}\r\nTEL;TYPE=CELL:${phone}\r\nEND:VCARD\r\n`;
      const davCall = (method: 'GET' | 'PUT' | 'DELETE', body?: string) => api.call(method, url, body, { key: null, headers: { ...basic(api.accountId, api.keys.write), ...(body ? { 'content-type': 'text/vcard' } : {}) } });
      assert.equal((await davCall('PUT', card('Dav One'))).status, 201);
      assert.equal((await davCall('PUT', card('Dav Two'))).status, 204);
      const id = await idOfPhone(phone);
      assert.equal((await davCall('DELETE')).status, 204);
      assert.deepEqual(await trail(id), ['contact.created@dav', 'contact.updated@dav', 'contact.deleted@dav']);
      assert.equal((await davCall('GET')).status, 404);
      await assertTombstoneRoundTrip(id, () => davCall('GET'), 'dav');
    });

    test('native batch: one change per created item, none for a refused item; a merge journals each source and the survivor', async () => {
      const book = await api.newBook('reject');
      const taken = uniquePhone();
      await api.createContact({ address_book_id: book, display_name: 'Holder', phone_numbers: [{ number: taken }] });
      const { cursor } = await feedEnd(api);
      const batch = ok(await api.call('POST', '/v1/contacts/batch', { contacts: [
        { address_book_id: book, display_name: 'B1', phone_numbers: [{ number: uniquePhone() }] },
        { address_book_id: book, display_name: 'Refused', phone_numbers: [{ number: taken }] },
        { address_book_id: book, display_name: 'B3' },
      ] }, { key: api.keys.write }), 200, 'batch').results;
      assert.deepEqual(batch.map((r: any) => r.status), [201, 409, 201]);
      const changes = ok(await api.call('GET', `/v1/changes?after=${cursor}&limit=100`), 200, 'feed').data;
      assert.deepEqual(changes.map((c: any) => [c.type, c.object_id, c.actor.surface, c.actor.key_id]), [
        ['contact.created', batch[0].contact.id, 'native', writerId],
        ['contact.created', batch[2].contact.id, 'native', writerId],
      ]);

      const merged = ok(await api.call('POST', `/v1/contacts/${batch[0].contact.id}/merge`, { source_ids: [batch[2].contact.id] }, { key: api.keys.write }), 200, 'merge');
      assert.deepEqual(await trail(merged.id), ['contact.created@native', 'contact.merged@native']);
      assert.deepEqual(await trail(batch[2].contact.id), ['contact.created@native', 'contact.merged@native']);
      const [survivor] = ok(await api.call('GET', `/v1/contacts/${merged.id}/history?limit=1`), 200, 'h').data;
      const [source] = ok(await api.call('GET', `/v1/contacts/${batch[2].contact.id}/history?limit=1`), 200, 'h').data;
      assert.deepEqual([survivor.meta.source_ids, source.meta.merged_into], [[batch[2].contact.id], merged.id]);
    });

    test('group membership: adding and removing a contact are contact.updated changes of its group_ids', async () => {
      const contact = await api.createContact({ display_name: 'Member' });
      const group = ok(await api.call('POST', '/v1/groups', { name: `g ${uniquePhone()}` }), 201, 'group').id;
      ok(await api.call('PUT', `/v1/groups/${group}/members/${contact.id}`, undefined, { key: api.keys.write }), 204, 'add member');
      ok(await api.call('DELETE', `/v1/groups/${group}/members/${contact.id}`, undefined, { key: api.keys.write }), 204, 'remove member');
      const [removed, added] = ok(await api.call('GET', `/v1/contacts/${contact.id}/history?limit=2`), 200, 'h').data;
      assert.deepEqual([added.type, added.actor.key_id, added.fields.group_ids], ['contact.updated', writerId, { before: [], after: [group] }]);
      assert.deepEqual([removed.type, removed.fields.group_ids], ['contact.updated', { before: [group], after: [] }]);
    });

    test('CLI: key create and key revoke are api_key changes with surface cli and no key id', async () => {
      const { cursor } = await feedEnd(api);
      const made = await cli(api, ['key', 'create', '--account', api.accountId, '--scopes', 'contacts:read']);
      await cli(api, ['key', 'revoke', made.key_id]);
      const changes = ok(await api.call('GET', `/v1/changes?after=${cursor}&limit=100&types=api_key.created,api_key.updated`), 200, 'feed').data;
      assert.deepEqual(changes.map((c: any) => [c.type, c.object_id, c.actor]), [
        ['api_key.created', made.key_id, { key_id: null, surface: 'cli' }],
        ['api_key.updated', made.key_id, { key_id: null, surface: 'cli' }],
      ]);
      assert.equal(changes[1].fields.revoked_at.before, null);
      assert.ok(!JSON.stringify(changes).includes(made.api_key), 'no secret in the journal');
    });
  });
}

/** The feed's current end (a cursor past every change so far). */
async function feedEnd(api: TestApi): Promise<{ cursor: string }> {
  let cursor = '0';
  for (;;) {
    const res = ok(await api.call('GET', `/v1/changes?after=${cursor}&limit=1000`), 200, 'feed');
    cursor = res.next_cursor;
    if (!res.has_more) return { cursor };
  }
}
