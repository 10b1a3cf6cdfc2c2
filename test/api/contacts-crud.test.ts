import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertNamesField, assertProblem, token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type Response, type TestApi } from '../support/api.ts';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

for (const engine of engines) {
  describe(`contacts CRUD on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    async function newGroup(): Promise<string> {
      const res = await api.call('POST', '/v1/groups', { name: `group ${randomUUID()}` });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id;
    }

    async function defineField(dataType: string, options?: string[]): Promise<string> {
      const key = `${dataType}_${token()}`;
      const res = await api.call('POST', '/v1/custom-fields', { key, label: `A ${dataType}`, data_type: dataType, ...(options ? { options } : {}) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.key, key);
      assert.equal(res.body.data_type, dataType);
      return key;
    }

    async function create(body: Record<string, unknown>, key?: string): Promise<Response> {
      return api.call('POST', '/v1/contacts', body, key === undefined ? {} : { key });
    }

    async function createOk(body: Record<string, unknown>): Promise<any> {
      const res = await create(body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    }

    function mergePatch(id: string, patch: unknown, headers: Record<string, string> = {}): Promise<Response> {
      return api.call('PATCH', `/v1/contacts/${id}`, JSON.stringify(patch), { headers: { 'content-type': 'application/merge-patch+json', ...headers } });
    }

    describe('create', () => {
      test('answers 201 with every field of the issue plus id, account_id, e164, status, version and timestamps', async () => {
        const bookId = await api.newBook();
        const groupId = await newGroup();
        const tierKey = await defineField('pick_list', ['gold', 'silver']);
        const phone = uniquePhone();
        const national = phone.slice(2);
        const externalId = `crm-${randomUUID()}`;
        const input = {
          address_book_id: bookId,
          type: 'custom',
          first_name: 'Jane',
          last_name: 'Doe',
          salutation: 'Dr',
          company: 'Acme Corp',
          role: 'Buyer',
          location: 'Saint Paul, MN',
          timezone: 'America/Chicago',
          account_number: 'AC-1001',
          external_id: externalId,
          phone_numbers: [
            { number: `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`, type: 'mobile', label: 'cell', extension: '12', is_primary: true },
          ],
          emails: [{ address: `jane.${token()}@example.com`, type: 'work', is_primary: true }],
          messaging: [{ channel: 'whatsapp', handle: phone }],
          custom_fields: { [tierKey]: 'gold' },
          group_ids: [groupId],
        };
        const before = Date.now();
        const res = await create(input);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const c = res.body;
        assert.match(c.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.equal(c.account_id, api.accountId);
        assert.equal(c.address_book_id, bookId);
        assert.equal(c.type, 'custom');
        assert.equal(c.status, 'active');
        assert.equal(c.version, 1);
        assert.equal(res.headers.etag, '"1"');
        assert.match(c.created_at, ISO_UTC);
        assert.match(c.updated_at, ISO_UTC);
        assert.ok(Date.parse(c.created_at) >= before - 1000 && Date.parse(c.created_at) <= Date.now() + 1000, 'created_at is now');
        assert.equal(c.display_name, 'Jane Doe');
        for (const field of ['first_name', 'last_name', 'salutation', 'company', 'role', 'location', 'timezone', 'account_number', 'external_id'] as const) {
          assert.equal(c[field], input[field], field);
        }
        assert.equal(c.phone_numbers.length, 1);
        assert.equal(c.phone_numbers[0].e164, phone);
        assert.equal(c.phone_numbers[0].number, input.phone_numbers[0]!.number);
        assert.equal(c.phone_numbers[0].type, 'mobile');
        assert.equal(c.phone_numbers[0].label, 'cell');
        assert.equal(c.phone_numbers[0].extension, '12');
        assert.equal(c.phone_numbers[0].is_primary, true);
        assert.deepEqual(c.emails, input.emails);
        assert.deepEqual(c.messaging, input.messaging);
        assert.deepEqual(c.custom_fields, { [tierKey]: 'gold' });
        assert.deepEqual(c.group_ids, [groupId]);

        const read = await api.call('GET', `/v1/contacts/${c.id}`);
        assert.equal(read.status, 200);
        assert.equal(read.headers.etag, '"1"');
        assert.deepEqual(read.body, c);
      });

      test('each phone number gets its E.164 form', async () => {
        const [a, b] = [uniquePhone(), uniquePhone()];
        const c = await createOk({ first_name: 'Two', phone_numbers: [{ number: `1${a.slice(2)}`, type: 'home' }, { number: `${b.slice(2, 5)}-${b.slice(5, 8)}-${b.slice(8)}`, type: 'work' }] });
        assert.deepEqual(c.phone_numbers.map((p: { e164: string }) => p.e164), [a, b]);
      });

      test('display_name defaults to first_name and last_name joined by a space, or either alone', async () => {
        assert.equal((await createOk({ first_name: 'Ada', last_name: 'Lovelace' })).display_name, 'Ada Lovelace');
        assert.equal((await createOk({ first_name: 'Ada' })).display_name, 'Ada');
        assert.equal((await createOk({ last_name: 'Lovelace' })).display_name, 'Lovelace');
        assert.equal((await createOk({ first_name: 'Ada', last_name: 'Lovelace', display_name: 'The Countess' })).display_name, 'The Countess');
      });

      test('a contact without address_book_id goes to the default address book', async () => {
        const c = await createOk({ first_name: 'Default' });
        const book = await api.call('GET', `/v1/address-books/${c.address_book_id}`);
        assert.equal(book.status, 200);
        assert.equal(book.body.is_default, true);
      });

      test('an invalid IANA timezone is a 400 naming timezone', async () => {
        for (const timezone of ['Mars/Olympus_Mons', 'not a zone', 'America/Chicag']) {
          assertNamesField(await create({ first_name: 'Tz', timezone }), 'timezone');
        }
        assert.equal((await createOk({ first_name: 'Tz', timezone: 'Europe/Paris' })).timezone, 'Europe/Paris');
      });

      test('a wrong JSON type or an overlong value is a 400 naming the field', async () => {
        assertNamesField(await create({ first_name: 42 }), 'first_name');
        assertNamesField(await create({ first_name: 'x'.repeat(101) }), 'first_name');
        assertNamesField(await create({ company: ['Acme'] }), 'company');
        assertNamesField(await create({ type: 'robot' }), 'type');
        assertNamesField(await create({ phone_numbers: 'not a list' }), 'phone_numbers');
        assertNamesField(await create({ emails: [{ address: 'not-an-email' }] }), 'emails[0].address');
        assertNamesField(await create({ first_name: 'A', unknown_member: 1 }), 'unknown_member');
      });

      test('an unparseable phone is a 400 naming phone_numbers[i].number', async () => {
        const res = await create({ first_name: 'Bad', phone_numbers: [{ number: 'call me maybe' }] });
        assertNamesField(res, 'phone_numbers[0].number');
        assert.equal(res.body.code, 'validation_failed');
        assertNamesField(await create({ first_name: 'Bad', phone_numbers: [{ number: uniquePhone() }, { number: '12' }] }), 'phone_numbers[1].number');
      });

      test('an unknown address_book_id or group id, or another account\'s, is a 400 naming the field', async () => {
        assertNamesField(await create({ first_name: 'A', address_book_id: randomUUID() }), 'address_book_id');
        assertNamesField(await create({ first_name: 'A', group_ids: [randomUUID()] }), 'group_ids');
        const other = await api.otherAccount();
        const otherBook = await api.call('POST', '/v1/address-books', { name: `theirs ${randomUUID()}` }, { key: other.key });
        assert.equal(otherBook.status, 201);
        const otherGroup = await api.call('POST', '/v1/groups', { name: `theirs ${randomUUID()}` }, { key: other.key });
        assert.equal(otherGroup.status, 201);
        assertNamesField(await create({ first_name: 'A', address_book_id: otherBook.body.id }), 'address_book_id');
        assertNamesField(await create({ first_name: 'A', group_ids: [otherGroup.body.id] }), 'group_ids');
      });

      test('type user or queue with a contacts:write key is a 403; with an admin key a 201', async () => {
        for (const type of ['user', 'queue']) {
          assertProblem(await create({ type, display_name: `An ${type}` }, api.keys.write), 403);
          const res = await create({ type, display_name: `An ${type}` }, api.keys.admin);
          assert.equal(res.status, 201, JSON.stringify(res.body));
          assert.equal(res.body.type, type);
        }
        const custom = await create({ display_name: 'Custom by writer' }, api.keys.write);
        assert.equal(custom.status, 201);
        assert.equal(custom.body.type, 'custom');
        assertProblem(await create({ display_name: 'By reader' }, api.keys.read), 403);
      });

      test('a user entry is changed by admin keys only', async () => {
        const user = await createOk({ type: 'user', display_name: 'Agent Smith' });
        assertProblem(await api.call('PATCH', `/v1/contacts/${user.id}`, { role: 'Supervisor' }, { key: api.keys.write }), 403);
        assertProblem(await api.call('DELETE', `/v1/contacts/${user.id}`, undefined, { key: api.keys.write }), 403);
        const custom = await createOk({ display_name: 'Becomes a user' });
        assertProblem(await api.call('PATCH', `/v1/contacts/${custom.id}`, { type: 'user' }, { key: api.keys.write }), 403);
        const changed = await api.call('PATCH', `/v1/contacts/${user.id}`, { role: 'Supervisor' }, { key: api.keys.admin });
        assert.equal(changed.status, 200);
        assert.equal(changed.body.role, 'Supervisor');
      });

      test('an external_id already used in the account is a 409 duplicate_external_id', async () => {
        const externalId = `dup-${randomUUID()}`;
        await createOk({ first_name: 'First', external_id: externalId });
        assertProblem(await create({ first_name: 'Second', external_id: externalId }), 409, 'duplicate_external_id');
        // Also when the second one goes to another address book.
        assertProblem(await create({ first_name: 'Third', external_id: externalId, address_book_id: await api.newBook() }), 409, 'duplicate_external_id');
        const listed = await api.call('GET', `/v1/contacts?external_id=${encodeURIComponent(externalId)}`);
        assert.equal(listed.status, 200);
        assert.equal(listed.body.data.length, 1);
        assert.equal(listed.body.data[0].first_name, 'First');
      });

      test('a PATCH taking another contact\'s external_id is a 409 duplicate_external_id', async () => {
        const externalId = `taken-${randomUUID()}`;
        await createOk({ first_name: 'Holder', external_id: externalId });
        const other = await createOk({ first_name: 'Other' });
        assertProblem(await api.call('PATCH', `/v1/contacts/${other.id}`, { external_id: externalId }), 409, 'duplicate_external_id');
      });
    });

    describe('custom fields', () => {
      const cases: { type: string; options?: string[]; accept: unknown[]; reject: unknown[] }[] = [
        { type: 'string', accept: ['plain text', ''], reject: [12, true] },
        { type: 'number', accept: [42, -3.25, 0], reject: ['42', true] },
        { type: 'boolean', accept: [true, false], reject: ['true', 1] },
        { type: 'date', accept: ['2024-02-29'], reject: ['2023-02-29', '2024/01/01', '01-02-2024', 20240101, '2024-01-01T10:00:00Z'] },
        { type: 'datetime', accept: ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05+02:00'], reject: ['2024-01-02', 'yesterday', 1704164645] },
        { type: 'email', accept: ['someone@example.com'], reject: ['not-an-email', 'a@', 7] },
        { type: 'phone', accept: ['+1 651 555 0100', '651-555-0101'], reject: ['not a phone', '12', 6515550100] },
        { type: 'url', accept: ['https://example.com/path?q=1', 'http://example.org'], reject: ['not a url', 'example.com', 5] },
        { type: 'currency', accept: [19.99, 0], reject: ['19.99', '$5'] },
        { type: 'percent', accept: [50, 12.5], reject: ['50%', false] },
        { type: 'pick_list', options: ['gold', 'silver'], accept: ['gold', 'silver'], reject: ['bronze', 'Gold', 1] },
      ];

      for (const { type, options, accept, reject } of cases) {
        test(`${type}: accepts ${accept.map((v) => JSON.stringify(v)).join(', ')} and rejects ${reject.map((v) => JSON.stringify(v)).join(', ')}`, async () => {
          const key = await defineField(type, options);
          for (const value of accept) {
            const res = await create({ first_name: 'Typed', custom_fields: { [key]: value } });
            assert.equal(res.status, 201, `${type} ${JSON.stringify(value)}: ${JSON.stringify(res.body)}`);
            const stored = res.body.custom_fields[key];
            if (type === 'datetime') {
              assert.equal(Date.parse(stored), Date.parse(value as string), 'same instant');
              assert.match(stored, ISO_UTC, 'times are ISO 8601 UTC');
            } else if (type !== 'phone') {
              assert.deepEqual(stored, value);
            } else {
              assert.equal(typeof stored, 'string');
            }
          }
          for (const value of reject) {
            const res = await create({ first_name: 'Typed', custom_fields: { [key]: value } });
            assertProblem(res, 400, 'validation_failed');
            assert.ok(
              (res.body.errors ?? []).some((e: { path: string }) => e.path.startsWith('custom_fields') && e.path.includes(key)),
              `${type} ${JSON.stringify(value)} names custom_fields.${key}: ${JSON.stringify(res.body.errors)}`,
            );
          }
        });
      }

      test('every data type is listed by GET /v1/custom-fields', async () => {
        const key = await defineField('percent');
        const res = await api.call('GET', '/v1/custom-fields');
        assert.equal(res.status, 200);
        assert.ok(res.body.data.some((f: { key: string; data_type: string }) => f.key === key && f.data_type === 'percent'));
        assert.ok('next_cursor' in res.body);
      });

      test('an unknown custom field key is a 400 naming it', async () => {
        const key = `nosuch_${token()}`;
        const res = await create({ first_name: 'Unknown', custom_fields: { [key]: 'x' } });
        assertProblem(res, 400, 'validation_failed');
        assert.ok((res.body.errors ?? []).some((e: { path: string }) => e.path.includes(key)), JSON.stringify(res.body.errors));
      });

      test('an unknown data_type is a 400 naming data_type', async () => {
        assertNamesField(await api.call('POST', '/v1/custom-fields', { key: `bad_${token()}`, data_type: 'colour' }), 'data_type');
      });
    });

    describe('read, change and delete', () => {
      test('GET of an unknown id, a non-UUID id or another account\'s contact is a 404 contact_not_found', async () => {
        assertProblem(await api.call('GET', `/v1/contacts/${randomUUID()}`), 404, 'contact_not_found');
        assertProblem(await api.call('GET', '/v1/contacts/not-a-uuid'), 404, 'contact_not_found');
        const mine = await createOk({ first_name: 'Mine' });
        const other = await api.otherAccount();
        assertProblem(await api.call('GET', `/v1/contacts/${mine.id}`, undefined, { key: other.key }), 404, 'contact_not_found');
        assertProblem(await api.call('PATCH', `/v1/contacts/${mine.id}`, { first_name: 'Theirs' }, { key: other.key }), 404, 'contact_not_found');
        assertProblem(await api.call('DELETE', `/v1/contacts/${mine.id}`, undefined, { key: other.key }), 404, 'contact_not_found');
        assert.equal((await api.call('GET', `/v1/contacts/${mine.id}`)).body.first_name, 'Mine');
      });

      test('a very long id in the path is a 404 contact_not_found problem, like any unknown id', async () => {
        assertProblem(await api.call('GET', `/v1/contacts/${'a'.repeat(150)}`), 404, 'contact_not_found');
      });

      for (const contentType of ['application/merge-patch+json', 'application/json']) {
        test(`PATCH as ${contentType} is a JSON merge patch: absent keeps, null clears, arrays replace whole`, async () => {
          const [p1, p2, p3] = [uniquePhone(), uniquePhone(), uniquePhone()];
          const [g1, g2] = [await newGroup(), await newGroup()];
          const original = await createOk({
            first_name: 'Pat',
            last_name: 'Ch',
            company: 'Old Co',
            role: 'Lead',
            timezone: 'America/New_York',
            phone_numbers: [{ number: p1, type: 'mobile' }, { number: p2, type: 'work' }],
            emails: [{ address: `a.${token()}@example.com`, type: 'work' }, { address: `b.${token()}@example.com`, type: 'home' }],
            messaging: [{ channel: 'whatsapp', handle: 'pat1' }, { channel: 'line', handle: 'pat2' }],
            group_ids: [g1, g2],
          });
          const newEmail = `c.${token()}@example.com`;
          const patch = {
            company: null,
            role: 'Director',
            phone_numbers: [{ number: p3, type: 'home' }],
            emails: [{ address: newEmail, type: 'other' }],
            messaging: [{ channel: 'wechat', handle: 'pat3' }],
            group_ids: [g2],
          };
          const res = await api.call('PATCH', `/v1/contacts/${original.id}`, JSON.stringify(patch), { headers: { 'content-type': contentType } });
          assert.equal(res.status, 200, JSON.stringify(res.body));
          const c = res.body;
          assert.equal(c.id, original.id);
          assert.equal(c.version, 2);
          assert.equal(res.headers.etag, '"2"');
          assert.equal(c.company, null);
          assert.equal(c.role, 'Director');
          assert.equal(c.first_name, 'Pat');
          assert.equal(c.last_name, 'Ch');
          assert.equal(c.timezone, 'America/New_York');
          assert.equal(c.created_at, original.created_at);
          assert.ok(Date.parse(c.updated_at) > Date.parse(original.updated_at), 'updated_at moves forward');
          assert.deepEqual(c.phone_numbers.map((p: { e164: string }) => p.e164), [p3]);
          assert.deepEqual(c.emails.map((e: { address: string }) => e.address), [newEmail]);
          assert.deepEqual(c.messaging, [{ channel: 'wechat', handle: 'pat3' }]);
          assert.deepEqual(c.group_ids, [g2]);

          const read = await api.call('GET', `/v1/contacts/${original.id}`);
          assert.deepEqual(read.body, c);

          // null clears a list too
          const cleared = await api.call('PATCH', `/v1/contacts/${original.id}`, JSON.stringify({ phone_numbers: null, group_ids: null }), { headers: { 'content-type': contentType } });
          assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
          assert.deepEqual(cleared.body.phone_numbers, []);
          assert.deepEqual(cleared.body.group_ids, []);
          assert.deepEqual(cleared.body.emails.map((e: { address: string }) => e.address), [newEmail]);
          assert.equal(cleared.body.version, 3);
        });
      }

      test('PATCH of custom_fields: a key set to null is removed, other keys are kept', async () => {
        const [k1, k2, k3] = [await defineField('string'), await defineField('number'), await defineField('boolean')];
        const c = await createOk({ first_name: 'Fields', custom_fields: { [k1]: 'one', [k2]: 2 } });
        const res = await mergePatch(c.id, { custom_fields: { [k1]: null, [k3]: true } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body.custom_fields, { [k2]: 2, [k3]: true });
        const changed = await mergePatch(c.id, { custom_fields: { [k2]: 3 } });
        assert.deepEqual(changed.body.custom_fields, { [k2]: 3, [k3]: true });
        assertNamesField(await mergePatch(c.id, { custom_fields: { [k2]: 'three' } }), `custom_fields.${k2}`);
        const unknown = `nosuch_${token()}`;
        const res2 = await mergePatch(c.id, { custom_fields: { [unknown]: 'x' } });
        assertProblem(res2, 400, 'validation_failed');
      });

      test('PATCH validates like a create: timezone, phone and types name the field', async () => {
        const c = await createOk({ first_name: 'Valid' });
        assertNamesField(await mergePatch(c.id, { timezone: 'Nowhere/Land' }), 'timezone');
        assertNamesField(await mergePatch(c.id, { phone_numbers: [{ number: 'nope' }] }), 'phone_numbers[0].number');
        assertNamesField(await mergePatch(c.id, { first_name: 7 }), 'first_name');
        const unchanged = await api.call('GET', `/v1/contacts/${c.id}`);
        assert.equal(unchanged.body.version, 1);
      });

      test('PATCH of an unknown contact is a 404 contact_not_found', async () => {
        assertProblem(await mergePatch(randomUUID(), { first_name: 'Ghost' }), 404, 'contact_not_found');
      });

      test('If-Match with the version bare or quoted as the ETag answers 200; a stale one 412 version_mismatch', async () => {
        const c = await createOk({ first_name: 'Versioned' });
        await mergePatch(c.id, { role: 'v2' });
        const atTwo = await mergePatch(c.id, { role: 'v3' });
        assert.equal(atTwo.body.version, 3);

        const read = await api.call('GET', `/v1/contacts/${c.id}`);
        assert.equal(read.headers.etag, '"3"');
        const bare = await mergePatch(c.id, { role: 'bare' }, { 'if-match': '3' });
        assert.equal(bare.status, 200, JSON.stringify(bare.body));
        assert.equal(bare.body.version, 4);
        assert.equal(bare.headers.etag, '"4"');

        const fresh = await api.call('GET', `/v1/contacts/${c.id}`);
        const quoted = await mergePatch(c.id, { role: 'quoted' }, { 'if-match': String(fresh.headers.etag) });
        assert.equal(quoted.status, 200, JSON.stringify(quoted.body));
        assert.equal(quoted.body.version, 5);

        const stale = await mergePatch(c.id, { role: 'stale' }, { 'if-match': '"3"' });
        assertProblem(stale, 412, 'version_mismatch');
        const staleBare = await mergePatch(c.id, { role: 'stale' }, { 'if-match': '4' });
        assertProblem(staleBare, 412, 'version_mismatch');
        const after = await api.call('GET', `/v1/contacts/${c.id}`);
        assert.equal(after.body.role, 'quoted');
        assert.equal(after.body.version, 5);
      });

      test('DELETE answers 204, then GET is a 404 contact_not_found; a stale If-Match on DELETE is a 412', async () => {
        const c = await createOk({ first_name: 'Doomed', phone_numbers: [{ number: uniquePhone() }] });
        assertProblem(await api.call('DELETE', `/v1/contacts/${c.id}`, undefined, { headers: { 'if-match': '"7"' } }), 412, 'version_mismatch');
        const res = await api.call('DELETE', `/v1/contacts/${c.id}`, undefined, { headers: { 'if-match': '"1"' } });
        assert.equal(res.status, 204);
        assert.equal(res.raw.body, '');
        assertProblem(await api.call('GET', `/v1/contacts/${c.id}`), 404, 'contact_not_found');
        assertProblem(await api.call('DELETE', `/v1/contacts/${c.id}`), 404, 'contact_not_found');
        const lookup = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(c.phone_numbers[0].e164)}`);
        assert.equal(lookup.status, 200);
        assert.deepEqual(lookup.body.matches, []);
      });
    });

    describe('PUT by external id', () => {
      test('creates (201), then replaces (200) the same contact', async () => {
        const externalId = `ext-${randomUUID()}`;
        const url = `/v1/contacts/by-external-id/${encodeURIComponent(externalId)}`;
        const phone = uniquePhone();
        const first = await api.call('PUT', url, { first_name: 'Put', last_name: 'One', company: 'First Co', phone_numbers: [{ number: phone }] });
        assert.equal(first.status, 201, JSON.stringify(first.body));
        assert.equal(first.body.external_id, externalId);
        assert.equal(first.body.version, 1);
        assert.equal(first.body.display_name, 'Put One');

        const second = await api.call('PUT', url, { first_name: 'Put', last_name: 'Two', role: 'Replaced' });
        assert.equal(second.status, 200, JSON.stringify(second.body));
        assert.equal(second.body.id, first.body.id);
        assert.equal(second.body.external_id, externalId);
        assert.equal(second.body.version, 2);
        assert.equal(second.body.last_name, 'Two');
        assert.equal(second.body.role, 'Replaced');
        assert.equal(second.body.company, null, 'a replace does not keep fields the new body leaves out');
        assert.deepEqual(second.body.phone_numbers, []);
        assert.equal(second.body.created_at, first.body.created_at);

        const read = await api.call('GET', `/v1/contacts/${first.body.id}`);
        assert.deepEqual(read.body, second.body);
      });

      test('an external id of 200 characters, which POST accepts, works in the PUT path too', async () => {
        const externalId = `long-${randomUUID()}-`.padEnd(200, 'x');
        const url = `/v1/contacts/by-external-id/${encodeURIComponent(externalId)}`;
        const first = await api.call('PUT', url, { first_name: 'Long' });
        assert.equal(first.status, 201, JSON.stringify(first.body));
        assert.equal(first.body.external_id, externalId);
        const second = await api.call('PUT', url, { first_name: 'Longer' });
        assert.equal(second.status, 200, JSON.stringify(second.body));
        assert.equal(second.body.id, first.body.id);
      });

      test('an external id longer than POST allows is a 400 problem naming external_id', async () => {
        const res = await api.call('PUT', `/v1/contacts/by-external-id/${'x'.repeat(201)}`, { first_name: 'Too long' });
        assertNamesField(res, 'external_id');
        assertNamesField(await create({ first_name: 'Too long', external_id: 'x'.repeat(201) }), 'external_id');
      });

      test('external ids are per account: another account PUTs the same one as a new contact', async () => {
        const externalId = `shared-${randomUUID()}`;
        const url = `/v1/contacts/by-external-id/${encodeURIComponent(externalId)}`;
        const mine = await api.call('PUT', url, { first_name: 'Mine' });
        assert.equal(mine.status, 201);
        const other = await api.otherAccount();
        const theirs = await api.call('PUT', url, { first_name: 'Theirs' }, { key: other.key });
        assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
        assert.notEqual(theirs.body.id, mine.body.id);
        assert.equal((await api.call('GET', `/v1/contacts/${mine.body.id}`)).body.first_name, 'Mine');
      });

      test('PUT by external id answers the ETag; a user entry needs an admin key', async () => {
        const url = `/v1/contacts/by-external-id/${encodeURIComponent(`etag-${randomUUID()}`)}`;
        const res = await api.call('PUT', url, { first_name: 'Tagged' });
        assert.equal(res.headers.etag, '"1"');
        assertProblem(await api.call('PUT', `/v1/contacts/by-external-id/${encodeURIComponent(`agent-${randomUUID()}`)}`, { type: 'user', display_name: 'Agent' }, { key: api.keys.write }), 403);
      });

      test('concurrent PUTs of one new external id leave one contact: one 201, the others 200', async () => {
        const externalId = `race-${randomUUID()}`;
        const url = `/v1/contacts/by-external-id/${encodeURIComponent(externalId)}`;
        const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => api.call('PUT', url, { first_name: `Racer ${i}` })));
        const statuses = answers.map((a) => a.status).sort();
        assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses} ${JSON.stringify(answers.find((a) => a.status >= 300)?.body)}`);
        assert.equal(statuses.filter((s) => s === 200).length, 14, `statuses ${statuses}`);
        assert.equal(new Set(answers.map((a) => a.body.id)).size, 1, 'every answer is the same contact');
        const listed = await api.call('GET', `/v1/contacts?external_id=${encodeURIComponent(externalId)}`);
        assert.equal(listed.status, 200);
        assert.equal(listed.body.data.length, 1);
        assert.equal(listed.body.data[0].id, answers[0]!.body.id);
      });
    });
  });
}
