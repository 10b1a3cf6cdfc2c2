/** PATCH /v1/custom-fields/{key}: what may change in a definition, what may not, and who may change it. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertNamesField, assertProblem } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';

const uniqueKey = () => `k_${randomBytes(5).toString('hex')}`;

for (const engine of engines) {
  describe(`custom field edit on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    async function define(body: Record<string, unknown>): Promise<any> {
      const res = await api.call('POST', '/v1/custom-fields', body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    }

    test('label, group and a pick list\'s options change; the key, type, id and stored values stay; the journal has it', async () => {
      const key = uniqueKey();
      const made = await define({ key, label: 'Tier', data_type: 'pick_list', options: ['gold', 'silver'] });
      const contact = await api.createContact({ display_name: 'Silver member', custom_fields: { [key]: 'silver' } });

      const res = await api.call('PATCH', `/v1/custom-fields/${key}`, { label: 'Loyalty tier', group: 'Loyalty', options: ['gold', 'bronze', 'gold'] }, { key: api.keys.write });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.id, made.id);
      assert.equal(res.body.key, key);
      assert.equal(res.body.data_type, 'pick_list');
      assert.equal(res.body.label, 'Loyalty tier');
      assert.equal(res.body.group, 'Loyalty');
      assert.deepEqual(res.body.options, ['gold', 'bronze'], 'options without repeats');
      assert.ok(res.body.updated_at >= made.updated_at);
      assert.deepEqual((await api.call('GET', `/v1/custom-fields/${key}`)).body, res.body);

      // A value whose option went away stays on its contact; new writes follow the new options.
      assert.equal((await api.call('GET', `/v1/contacts/${contact.id}`)).body.custom_fields[key], 'silver');
      assert.equal((await api.call('POST', '/v1/contacts', { display_name: 'Bronze', custom_fields: { [key]: 'bronze' } })).status, 201);
      assertProblem(await api.call('POST', '/v1/contacts', { display_name: 'Silver', custom_fields: { [key]: 'silver' } }), 400, 'validation_failed');

      // Repeating the key and type is fine (a client sending the object back); null clears the label.
      const cleared = await api.call('PATCH', `/v1/custom-fields/${key}`, { key, data_type: 'pick_list', label: null });
      assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
      assert.equal(cleared.body.label, null);
      assert.equal(cleared.body.group, 'Loyalty', 'what the patch leaves out stays');

      const feed = await api.call('GET', '/v1/changes?after=0&limit=500&types=custom_field.updated');
      assert.equal(feed.status, 200, JSON.stringify(feed.body));
      const mine = feed.body.data.filter((c: { object_id: string }) => c.object_id === made.id);
      assert.equal(mine.length, 2, JSON.stringify(feed.body.data));
      assert.deepEqual(mine[0].fields.label, { before: 'Tier', after: 'Loyalty tier' });
    });

    test('the key and the data type cannot change: 400 naming each, nothing changed', async () => {
      const key = uniqueKey();
      const made = await define({ key, label: 'Score', data_type: 'number' });
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${key}`, { key: uniqueKey(), label: 'Renamed' }), 'key');
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${key}`, { data_type: 'string' }), 'data_type');
      const both = await api.call('PATCH', `/v1/custom-fields/${key}`, { key: 'other_key', data_type: 'string' });
      assertNamesField(both, 'key');
      assertNamesField(both, 'data_type');
      assert.deepEqual((await api.call('GET', `/v1/custom-fields/${key}`)).body, made);
    });

    test('bad bodies are 400s naming the field', async () => {
      const key = uniqueKey();
      await define({ key, data_type: 'string' });
      const pick = uniqueKey();
      await define({ key: pick, data_type: 'pick_list', options: ['a'] });
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${key}`, { options: ['x'] }), 'options');
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${pick}`, { options: [] }), 'options');
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${pick}`, { options: null }), 'options');
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${pick}`, { options: [''] }), 'options[0]');
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${key}`, { label: 'x'.repeat(101) }), 'label');
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${key}`, { label: 7 }), 'label');
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${key}`, { colour: 'red' }), 'colour');
      assertNamesField(await api.call('PATCH', `/v1/custom-fields/${key}`, { data_type: 'colour' }), 'data_type');
      assertProblem(await api.call('PATCH', `/v1/custom-fields/${key}`, '[1]', { headers: { 'content-type': 'application/json' } }), 400);
      assertProblem(await api.call('PATCH', `/v1/custom-fields/${key}`, '{"label":', { headers: { 'content-type': 'application/json' } }), 400);
    });

    test('an unknown key is a 404; another account\'s field is a 404 too and stays as it was', async () => {
      assertProblem(await api.call('PATCH', `/v1/custom-fields/${uniqueKey()}`, { label: 'x' }), 404, 'custom_field_not_found');
      const other = await api.otherAccount();
      const key = uniqueKey();
      const theirs = await api.call('POST', '/v1/custom-fields', { key, label: 'Theirs', data_type: 'string' }, { key: other.key });
      assert.equal(theirs.status, 201);
      assertProblem(await api.call('PATCH', `/v1/custom-fields/${key}`, { label: 'Mine now' }), 404, 'custom_field_not_found');
      assert.equal((await api.call('GET', `/v1/custom-fields/${key}`, undefined, { key: other.key })).body.label, 'Theirs');
    });

    test('a read-only key is refused (403) and changes nothing; no key is a 401', async () => {
      const key = uniqueKey();
      const made = await define({ key, label: 'Kept', data_type: 'string' });
      assertProblem(await api.call('PATCH', `/v1/custom-fields/${key}`, { label: 'Changed' }, { key: api.keys.read }), 403, 'forbidden');
      assertProblem(await api.call('PATCH', `/v1/custom-fields/${key}`, { label: 'Changed' }, { key: null }), 401, 'unauthorized');
      assert.deepEqual((await api.call('GET', `/v1/custom-fields/${key}`)).body, made);
    });
  });
}
