import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

for (const engine of engines) {
  describe(`contacts basics on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    test('a created contact answers 201 with ids, E.164, status, version and timestamps', async () => {
      const phone = uniquePhone();
      const res = await api.call('POST', '/v1/contacts', { first_name: 'Jane', last_name: 'Doe', phone_numbers: [{ number: phone, type: 'mobile' }] });
      assert.equal(res.status, 201);
      assert.match(res.body.id, /^[0-9a-f-]{36}$/);
      assert.equal(res.body.account_id, api.accountId);
      assert.equal(res.body.display_name, 'Jane Doe');
      assert.equal(res.body.status, 'active');
      assert.equal(res.body.version, 1);
      assert.equal(res.body.phone_numbers[0].e164, phone);
      assert.equal(res.headers.etag, '"1"');

      const read = await api.call('GET', `/v1/contacts/${res.body.id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, res.body);
    });

    test('lookup finds a number whatever format it is stored and asked in', async () => {
      const created = await api.call('POST', '/v1/contacts', { display_name: 'Formats', phone_numbers: [{ number: '+1 (651) 111-2222' }] });
      assert.equal(created.status, 201);
      for (const asked of ['+1 (651) 111-2222', '16511112222', '651-111-2222', '+16511112222', '(651) 111 2222']) {
        const res = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(asked)}`);
        assert.equal(res.status, 200, asked);
        assert.ok(res.body.matches.some((c: { id: string }) => c.id === created.body.id), `lookup by ${asked}`);
      }
    });
  });
}
