import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertNamesField, assertProblem, token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type Response, type TestApi } from '../support/api.ts';

/** A batch item's error: a problem object with the item's status and the expected code. */
function assertItemProblem(item: any, status: number, code: string, path?: string): void {
  assert.equal(item.status, status, JSON.stringify(item));
  assert.equal(item.contact, undefined);
  const problem = item.error;
  assert.ok(problem, `item ${item.index} has an error`);
  for (const member of ['type', 'title', 'detail', 'code']) assert.equal(typeof problem[member], 'string', `problem member ${member}`);
  assert.equal(problem.status, status);
  assert.equal(problem.code, code);
  if (path !== undefined) {
    assert.ok((problem.errors ?? []).some((e: { path: string }) => e.path === path), `item ${item.index}: expected errors[].path ${path}, got ${JSON.stringify(problem.errors)}`);
  }
}

const e164s = (c: { phone_numbers: { e164: string }[] }) => c.phone_numbers.map((p) => p.e164).sort();

for (const engine of engines) {
  describe(`merge and batch on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    function merge(targetId: string, body: unknown, key?: string): Promise<Response> {
      return api.call('POST', `/v1/contacts/${targetId}/merge`, body, key === undefined ? {} : { key });
    }

    function batch(contacts: unknown[]): Promise<Response> {
      return api.call('POST', '/v1/contacts/batch', { contacts });
    }

    describe('POST /v1/contacts/{id}/merge', () => {
      test('a batch keeps its order: results by index, and the book lists the created contacts in batch order', async () => {
      const book = await api.newBook('allow');
      const names = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];
      const items: Record<string, unknown>[] = names.map((name, i) => ({
        address_book_id: book,
        display_name: name,
        phone_numbers: [{ number: uniquePhone() }],
        // Items with an external id take the ruled path; the others are inserted together.
        ...(i % 3 === 1 ? { external_id: `order-${token()}` } : {}),
      }));
      items.splice(3, 0, { address_book_id: book, display_name: 'bad', phone_numbers: [{ number: 'nope' }] });
      const res = await api.call('POST', '/v1/contacts/batch', { contacts: items });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.results.map((r: { index: number }) => r.index), items.map((_, i) => i));
      assert.deepEqual(res.body.results.map((r: { status: number }) => r.status), [201, 201, 201, 400, 201, 201, 201]);
      const listed = await api.call('GET', `/v1/contacts?address_book_id=${book}&limit=50`);
      assert.deepEqual(listed.body.data.map((c: { display_name: string }) => c.display_name), names);
    });

    test('a merge that would bring a number held by a third contact into a reject book is a 409, and changes nothing', async () => {
      const strict = await api.newBook('reject');
      const other = await api.newBook('allow');
      const shared = uniquePhone();
      const target = await api.createContact({ address_book_id: strict, display_name: 'Target', phone_numbers: [{ number: uniquePhone() }] });
      const third = await api.createContact({ address_book_id: strict, display_name: 'Third', phone_numbers: [{ number: shared }] });
      const source = await api.createContact({ address_book_id: other, display_name: 'Source', phone_numbers: [{ number: shared }] });
      const res = await api.call('POST', `/v1/contacts/${target.id}/merge`, { source_ids: [source.id] });
      assertProblem(res, 409, 'duplicate_contact');
      assert.equal(res.body.existing_contact_id, third.id);
      assert.equal((await api.call('GET', `/v1/contacts/${source.id}`)).body.status, 'active', 'the source is untouched');
      assert.equal((await api.call('GET', `/v1/contacts/${target.id}`)).body.version, 1, 'the target is untouched');
    });

    test('answers 200 with the surviving contact holding the union of everything', async () => {
        const book = await api.newBook();
        const [p1, p2, p3] = [uniquePhone(), uniquePhone(), uniquePhone()];
        const [e1, e2] = [`t.${token()}@example.com`, `s.${token()}@example.com`];
        const [g1, g2] = await Promise.all([1, 2].map(async () => (await api.call('POST', '/v1/groups', { name: `g ${randomUUID()}` })).body.id));
        const fieldKey = `tier_${token()}`;
        assert.equal((await api.call('POST', '/v1/custom-fields', { key: fieldKey, data_type: 'string' })).status, 201);
        const target = await api.createContact({ address_book_id: book, first_name: 'Target', phone_numbers: [{ number: p1 }], emails: [{ address: e1 }], group_ids: [g1] });
        const s1 = await api.createContact({
          address_book_id: book,
          first_name: 'Source one',
          company: 'Acme',
          phone_numbers: [{ number: p2 }, { number: p1 }],
          messaging: [{ channel: 'whatsapp', handle: p2 }],
          custom_fields: { [fieldKey]: 'gold' },
        });
        const s2 = await api.createContact({ address_book_id: book, first_name: 'Source two', role: 'Buyer', phone_numbers: [{ number: p3 }], emails: [{ address: e2 }], group_ids: [g2] });

        const res = await merge(target.id, { source_ids: [s1.id, s2.id] });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const merged = res.body;
        assert.equal(merged.id, target.id);
        assert.equal(merged.status, 'active');
        assert.equal(merged.merged_into, null);
        assert.equal(merged.first_name, 'Target', 'the survivor\'s own values win');
        assert.equal(merged.company, 'Acme', 'a source fills the survivor\'s gaps');
        assert.equal(merged.role, 'Buyer');
        assert.deepEqual(e164s(merged), [p1, p2, p3].sort());
        assert.deepEqual(merged.emails.map((e: { address: string }) => e.address).sort(), [e1, e2].sort());
        assert.deepEqual(merged.messaging, [{ channel: 'whatsapp', handle: p2 }]);
        assert.deepEqual(merged.custom_fields, { [fieldKey]: 'gold' });
        assert.deepEqual([...merged.group_ids].sort(), [g1, g2].sort());
        assert.equal(merged.version, target.version + 1);
        assert.deepEqual((await api.call('GET', `/v1/contacts/${target.id}`)).body, merged);

        for (const source of [s1, s2]) {
          const read = await api.call('GET', `/v1/contacts/${source.id}`);
          assert.equal(read.status, 200);
          assert.equal(read.body.status, 'merged');
          assert.equal(read.body.merged_into, target.id);
          // What it held is never lost.
          assert.deepEqual(e164s(read.body), e164s(source));
          assert.deepEqual(read.body.emails, source.emails);
          assert.equal(read.body.first_name, source.first_name);
        }

        // Lists and lookups no longer show the sources.
        const listed = await api.call('GET', `/v1/contacts?address_book_id=${book}`);
        assert.deepEqual(listed.body.data.map((c: { id: string }) => c.id), [target.id]);
        for (const phone of [p1, p2, p3]) {
          const byPhone = await api.call('GET', `/v1/contacts?phone=${encodeURIComponent(phone)}`);
          assert.deepEqual(byPhone.body.data.map((c: { id: string }) => c.id), [target.id], `list by ${phone}`);
          const looked = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`);
          assert.deepEqual(looked.body.matches.map((c: { id: string }) => c.id), [target.id], `lookup of ${phone}`);
        }
        const byMail = await api.call('GET', `/v1/lookup?email=${encodeURIComponent(e2)}`);
        assert.deepEqual(byMail.body.matches.map((c: { id: string }) => c.id), [target.id]);
        const byGroup = await api.call('GET', `/v1/contacts?group_id=${g2}`);
        assert.deepEqual(byGroup.body.data.map((c: { id: string }) => c.id), [target.id]);
        const byName = await api.call('GET', `/v1/contacts?address_book_id=${book}&q=Source`);
        assert.deepEqual(byName.body.data, []);
      });

      test('merges contacts from different address books of the account', async () => {
        const target = await api.createContact({ address_book_id: await api.newBook(), first_name: 'Here' });
        const source = await api.createContact({ address_book_id: await api.newBook(), first_name: 'There', phone_numbers: [{ number: uniquePhone() }] });
        const res = await merge(target.id, { source_ids: [source.id] });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(e164s(res.body), e164s(source));
      });

      test('source_ids with an unknown id is a 400 naming source_ids, and nothing is merged', async () => {
        const target = await api.createContact({ first_name: 'Target' });
        const real = await api.createContact({ first_name: 'Real source', phone_numbers: [{ number: uniquePhone() }] });
        assertNamesField(await merge(target.id, { source_ids: [real.id, randomUUID()] }), 'source_ids');
        assertNamesField(await merge(target.id, { source_ids: ['not-a-uuid'] }), 'source_ids');
        const read = await api.call('GET', `/v1/contacts/${real.id}`);
        assert.equal(read.body.status, 'active');
        assert.equal(read.body.merged_into, null);
        assert.equal((await api.call('GET', `/v1/contacts/${target.id}`)).body.version, 1);
      });

      test('source_ids with another account\'s contact is a 400 naming source_ids, like an unknown id', async () => {
        const target = await api.createContact({ first_name: 'Target' });
        const other = await api.otherAccount();
        const theirs = await api.call('POST', '/v1/contacts', { first_name: 'Theirs', phone_numbers: [{ number: uniquePhone() }] }, { key: other.key });
        assert.equal(theirs.status, 201);
        const res = await merge(target.id, { source_ids: [theirs.body.id] });
        assertNamesField(res, 'source_ids');
        const unknown = await merge(target.id, { source_ids: [randomUUID()] });
        assert.equal(res.body.code, unknown.body.code);
        assert.equal(res.body.title, unknown.body.title);
        const untouched = await api.call('GET', `/v1/contacts/${theirs.body.id}`, undefined, { key: other.key });
        assert.equal(untouched.body.status, 'active');
        assert.equal(untouched.body.version, 1);
      });

      test('an already merged source, or the target itself, is a 400 naming source_ids', async () => {
        const target = await api.createContact({ first_name: 'Target' });
        const source = await api.createContact({ first_name: 'Source' });
        assert.equal((await merge(target.id, { source_ids: [source.id] })).status, 200);
        assertNamesField(await merge(target.id, { source_ids: [source.id] }), 'source_ids');
        assertNamesField(await merge(target.id, { source_ids: [target.id] }), 'source_ids');
      });

      test('a malformed body is a 400 naming source_ids; an unknown target a 404 contact_not_found', async () => {
        const target = await api.createContact({ first_name: 'Target' });
        assertNamesField(await merge(target.id, { source_ids: [] }), 'source_ids');
        assertNamesField(await merge(target.id, { source_ids: 'abc' }), 'source_ids');
        assertNamesField(await merge(target.id, {}), 'source_ids');
        const source = await api.createContact({ first_name: 'Source' });
        assertProblem(await merge(randomUUID(), { source_ids: [source.id] }), 404, 'contact_not_found');
      });

      test('a merged source cannot be changed; PATCH answers an error and leaves it whole', async () => {
        const target = await api.createContact({ first_name: 'Target' });
        const source = await api.createContact({ first_name: 'Source' });
        assert.equal((await merge(target.id, { source_ids: [source.id] })).status, 200);
        const res = await api.call('PATCH', `/v1/contacts/${source.id}`, { first_name: 'Revived' });
        assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
        const read = await api.call('GET', `/v1/contacts/${source.id}`);
        assert.equal(read.body.first_name, 'Source');
        assert.equal(read.body.status, 'merged');
      });

      test('two concurrent merges of one source into different targets: one 200, one 400, the source merged once', async () => {
        const [a, b] = [await api.createContact({ first_name: 'Target A' }), await api.createContact({ first_name: 'Target B' })];
        const phone = uniquePhone();
        const source = await api.createContact({ first_name: 'Contested', phone_numbers: [{ number: phone }] });
        const answers = await Promise.all([a, b].map((t) => merge(t.id, { source_ids: [source.id] })));
        assert.deepEqual(answers.map((r) => r.status).sort(), [200, 400]);
        const winner = answers.find((r) => r.status === 200)!.body;
        assertNamesField(answers.find((r) => r.status === 400)!, 'source_ids');
        const read = await api.call('GET', `/v1/contacts/${source.id}`);
        assert.equal(read.body.merged_into, winner.id);
        const looked = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`);
        assert.deepEqual(looked.body.matches.map((c: { id: string }) => c.id), [winner.id]);
      });

      test('a PUT by the external id a merged source holds never overwrites the merged record', async () => {
        const externalId = `merged-${randomUUID()}`;
        const phone = uniquePhone();
        const target = await api.createContact({ first_name: 'Survivor' });
        const source = await api.createContact({ first_name: 'Retired', external_id: externalId, phone_numbers: [{ number: phone }] });
        assert.equal((await merge(target.id, { source_ids: [source.id] })).status, 200);
        const before = (await api.call('GET', `/v1/contacts/${source.id}`)).body;
        const res = await api.call('PUT', `/v1/contacts/by-external-id/${encodeURIComponent(externalId)}`, { first_name: 'Overwritten' });
        const after = await api.call('GET', `/v1/contacts/${source.id}`);
        assert.deepEqual(after.body, before, `what the merged source held is never lost (the PUT answered ${res.status})`);
        if (res.status < 300) assert.equal(res.body.status, 'active', `a PUT answered ${res.status} with a ${res.body.status} contact`);
      });

      test('a read key may not merge (403)', async () => {
        const target = await api.createContact({ first_name: 'Target' });
        const source = await api.createContact({ first_name: 'Source' });
        assertProblem(await merge(target.id, { source_ids: [source.id] }, api.keys.read), 403);
      });
    });

    describe('POST /v1/contacts/batch', () => {
      test('mixed good and bad items: 200 with one result per item, and only the good ones exist', async () => {
        const rejectBook = await api.newBook('reject');
        const held = uniquePhone();
        const holder = await api.createContact({ address_book_id: rejectBook, first_name: 'Holder', phone_numbers: [{ number: held }] });
        const [good1, good2, dupInBatch] = [uniquePhone(), uniquePhone(), uniquePhone()];
        const items: unknown[] = [
          { first_name: 'Good one', phone_numbers: [{ number: good1 }] },
          { first_name: 42 },
          { first_name: 'Bad phone', phone_numbers: [{ number: 'not a phone' }] },
          { first_name: 'No such book', address_book_id: randomUUID() },
          { first_name: 'Duplicate', address_book_id: rejectBook, phone_numbers: [{ number: held }] },
          { first_name: 'Good two', address_book_id: rejectBook, phone_numbers: [{ number: good2 }] },
          'not an object',
          { first_name: 'Bad zone', timezone: 'Atlantis/Capital' },
          { first_name: 'First of a pair', address_book_id: rejectBook, phone_numbers: [{ number: dupInBatch }] },
          { first_name: 'Second of a pair', address_book_id: rejectBook, phone_numbers: [{ number: dupInBatch }] },
        ];
        const res = await batch(items);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const { results } = res.body;
        assert.equal(results.length, items.length);
        results.forEach((r: { index: number }, i: number) => assert.equal(r.index, i));

        for (const i of [0, 5, 8]) {
          assert.equal(results[i].status, 201, JSON.stringify(results[i]));
          assert.equal(results[i].error, undefined);
          assert.equal(typeof results[i].contact.id, 'string');
          assert.equal(results[i].contact.first_name, (items[i] as { first_name: string }).first_name);
          assert.equal(results[i].contact.status, 'active');
          assert.equal(results[i].contact.version, 1);
        }
        assert.equal(results[0].contact.phone_numbers[0].e164, good1);
        assertItemProblem(results[1], 400, 'validation_failed', 'first_name');
        assertItemProblem(results[2], 400, 'validation_failed', 'phone_numbers[0].number');
        assertItemProblem(results[3], 400, 'validation_failed', 'address_book_id');
        assertItemProblem(results[4], 409, 'duplicate_contact');
        assert.equal(results[4].error.existing_contact_id, holder.id);
        assertItemProblem(results[6], 400, 'validation_failed');
        assertItemProblem(results[7], 400, 'validation_failed', 'timezone');
        assertItemProblem(results[9], 409, 'duplicate_contact');
        assert.equal(results[9].error.existing_contact_id, results[8].contact.id);

        for (const i of [0, 5, 8]) {
          const read = await api.call('GET', `/v1/contacts/${results[i].contact.id}`);
          assert.equal(read.status, 200);
          assert.deepEqual(read.body, results[i].contact);
        }
        const inReject = await api.call('GET', `/v1/contacts?address_book_id=${rejectBook}`);
        assert.deepEqual(inReject.body.data.map((c: { id: string }) => c.id), [holder.id, results[5].contact.id, results[8].contact.id]);
        for (const name of ['Bad phone', 'No such book', 'Bad zone', 'Second of a pair']) {
          const found = await api.call('GET', `/v1/contacts?q=${encodeURIComponent(name.split(' ')[0]!)}&limit=500`);
          assert.ok(!found.body.data.some((c: { first_name: string }) => c.first_name === name), `${name} was not created`);
        }
      });

      test('a batch into a merge book answers 200 for an item merged into an existing contact', async () => {
        const mergeBook = await api.newBook('merge');
        const phone = uniquePhone();
        const existing = await api.createContact({ address_book_id: mergeBook, first_name: 'Existing', phone_numbers: [{ number: phone }] });
        const email = `m.${token()}@example.com`;
        const res = await batch([{ address_book_id: mergeBook, first_name: 'Incoming', phone_numbers: [{ number: phone }], emails: [{ address: email }] }]);
        assert.equal(res.status, 200);
        assert.equal(res.body.results[0].status, 200);
        assert.equal(res.body.results[0].contact.id, existing.id);
        assert.deepEqual(res.body.results[0].contact.emails.map((e: { address: string }) => e.address), [email]);
      });

      test('1000 items are accepted; 1001 are a 400', async () => {
        const book = await api.newBook();
        const thousand = Array.from({ length: 1000 }, (_, i) => ({ address_book_id: book, first_name: `Bulk ${i}` }));
        const ok = await batch(thousand);
        assert.equal(ok.status, 200, JSON.stringify(ok.body).slice(0, 500));
        assert.equal(ok.body.results.length, 1000);
        assert.ok(ok.body.results.every((r: { status: number }) => r.status === 201));
        const listed = await api.call('GET', `/v1/contacts?address_book_id=${book}&limit=500`);
        assert.equal(listed.body.data.length, 500);
        assert.equal(typeof listed.body.next_cursor, 'string');

        const tooMany = await batch(Array.from({ length: 1001 }, (_, i) => ({ address_book_id: book, first_name: `Extra ${i}` })));
        assertNamesField(tooMany, 'contacts');
        const extra = await api.call('GET', `/v1/contacts?address_book_id=${book}&q=Extra`);
        assert.deepEqual(extra.body.data, [], 'nothing of a refused batch was created');
      });

      test('a body without a contacts array is a 400 naming contacts', async () => {
        assertNamesField(await api.call('POST', '/v1/contacts/batch', {}), 'contacts');
        assertNamesField(await api.call('POST', '/v1/contacts/batch', { contacts: 'nope' }), 'contacts');
        assertNamesField(await api.call('POST', '/v1/contacts/batch', { contacts: [] }), 'contacts');
      });

      test('a user entry in a batch with a contacts:write key fails alone with 403', async () => {
        const res = await api.call('POST', '/v1/contacts/batch', { contacts: [{ type: 'user', display_name: 'Agent' }, { first_name: 'Fine' }] }, { key: api.keys.write });
        assert.equal(res.status, 200);
        assert.equal(res.body.results[0].status, 403);
        assert.equal(typeof res.body.results[0].error.code, 'string');
        assert.equal(res.body.results[1].status, 201);
      });
    });
  });
}
