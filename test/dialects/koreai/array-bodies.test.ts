import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { assertKoreError, createBody, kore, newStream, uniqueDigits } from './support.ts';

/**
 * Kore's docs repository (Koredotcom/docs, docs/xo/apis/contact-center/create-a-contact-by-giving-details.md)
 * sends the create as a bare array, `[ { "firstName": "John", ..., "cellPhone": {...} } ]`, and
 * answers an array, `[ { "status": "ACTIVE", ... } ]`. The create-contact page
 * (koreai-agentassist-create-contact.txt) sends and answers one object; both are served.
 */
for (const engine of engines) {
  describe(`Kore.ai AgentAssist array bodies on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    /** The names of every address book of the account. */
    async function bookNames(): Promise<string[]> {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await api.call('GET', `/v1/address-books?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200);
        names.push(...page.body.data.map((b: { name: string }) => b.name));
        cursor = page.body.next_cursor;
      } while (cursor);
      return names;
    }

    test('docs repository sample: POST [ {contact} ] answers 201 with an array of the created contacts, in order', async () => {
      const stream = newStream();
      const call = kore(api, stream);
      const [a, b] = [uniqueDigits(), uniqueDigits()];
      const res = await call('POST', '', [createBody(a, { firstName: 'John' }), createBody(b, { firstName: 'Jane' })]);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.ok(Array.isArray(res.body));
      assert.deepEqual(res.body.map((c: any) => [c.status, c.firstName, c.cellPhone.phoneNumber, c.instanceBotId]), [
        ['ACTIVE', 'John', `+91${a}`, stream],
        ['ACTIVE', 'Jane', `+91${b}`, stream],
      ]);
      const listed = await call('GET', '');
      assert.deepEqual(listed.body.results.map((c: any) => c.id), res.body.map((c: any) => c.id));
      assert.equal((await api.call('GET', `/v1/contacts/${res.body[1].id}`)).body.first_name, 'Jane');
    });

    test('an array whose item is refused creates none of them and no stream book: a number repeated in the array is 409, a bad item 400 naming [index].field', async () => {
      const before = await snapshot(api.db);
      const stream = newStream();
      const call = kore(api, stream);
      const digits = uniqueDigits();
      // koreai-agentassist-create-contact.txt: "will prevent the same number from being associated with different or identical names".
      const repeated = await call('POST', '', [createBody(digits, { firstName: 'A' }), createBody(digits, { firstName: 'B' })]);
      assertKoreError(repeated, 409, 'DuplicateNumber');
      assert.match(repeated.body.errors[0].msg, /^\[1\]/);
      const badField = await call('POST', '', [createBody(), { ...createBody(), firstName: '' }]);
      assertKoreError(badField, 400, 'BadRequest');
      assert.deepEqual(badField.body.errors.map((e: any) => e.field), ['[1].firstName']);
      // Passes the body's pattern, but +91 1234 is no possible number: refused by the core, after the book was resolved.
      const badNumber = await call('POST', '', [createBody(), createBody('1234')]);
      assertKoreError(badNumber, 400, 'BadRequest');
      assert.deepEqual(badNumber.body.errors.map((e: any) => e.field), ['[1].cellPhone.phoneNumber']);
      assertKoreError(await call('POST', '', []), 400, 'BadRequest');
      assert.equal((await call('GET', '')).body.totalResults, 0);
      assert.ok(!(await bookNames()).includes(`agentassist:${stream}`), 'no book for the stream');
      assert.deepEqual(await snapshot(api.db), before, 'nothing written');
    });

    test('issue 9: a refused single create leaves nothing behind, not even the stream\'s address book', async () => {
      const before = await snapshot(api.db);
      const stream = newStream();
      assertKoreError(await kore(api, stream)('POST', '', createBody('1234')), 400, 'BadRequest');
      assert.ok(!(await bookNames()).includes(`agentassist:${stream}`));
      assert.deepEqual(await snapshot(api.db), before);
      // The next good create makes the book, with Kore's duplicate rule.
      assert.equal((await kore(api, stream)('POST', '', createBody())).status, 201);
      assert.ok((await bookNames()).includes(`agentassist:${stream}`));
    });

    test('PUT /bulk-update takes the bare array [ {id, ...fields} ] as well as {"contacts": [...]}; each item on its own', async () => {
      const call = kore(api, newStream());
      const one = (await call('POST', '', createBody())).body;
      const two = (await call('POST', '', createBody())).body;
      const res = await call('PUT', '/bulk-update', [{ id: one.id, lastName: 'Smith' }, { id: 'no-such-contact', lastName: 'X' }, { id: two.id, salutation: 'Dr' }]);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.totalRequested, res.body.successful, res.body.failed], [3, 2, 1]);
      assert.deepEqual(res.body.successfulRecords, [{ id: one.id }, { id: two.id }]);
      assert.equal(res.body.failedRecords[0].code, 'NotFound');
      assert.equal((await api.call('GET', `/v1/contacts/${one.id}`)).body.last_name, 'Smith');
      assert.equal((await api.call('GET', `/v1/contacts/${two.id}`)).body.salutation, 'Dr');
      const wrapped = await call('PUT', '/bulk-update', { contacts: [{ id: one.id, lastName: 'Jones' }] });
      assert.equal(wrapped.body.successful, 1);
      const bad = await call('PUT', '/bulk-update', [{ id: one.id }]);
      assertKoreError(bad, 400, 'BadRequest');
      assert.match(bad.body.errors[0].field, /^\[0\]/);
      assertKoreError(await call('PUT', '/bulk-update', []), 400, 'BadRequest');
    });
  });
}
