import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isPossiblePhoneNumber, type CountryCode } from 'libphonenumber-js';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { MSISDN_PATTERN } from '../../../src/dialects/eightbyeight/schemas.ts';
import { EIGHT_BY_EIGHT_SPEC, assertError, eightByEight, msisdn, multipart, waitForJob, type Call } from './support.ts';

/**
 * An msisdn that fits 8x8's pattern but is no possible phone number. The documents behind it:
 * - 8x8-connect-create-contact.txt: "Phone number. We accept both international and national
 *   formats (for national you have to specify a country in the dedicated field). Possible values:
 *   non-empty, Value must match regular expression ^\+{0,1}[1-9]{1}[0-9]{6,14}$"
 * - 8x8-connect-contacts-openapi.json, the 400 every operation refers to: `"code": 1002,
 *   "message": "Invalid MSISDN format (not E.164 international number)"`
 * - ../shared/specs/README.md, 8x8: "Errors: ... 1002 is "Invalid MSISDN format (not E.164
 *   international number)"".
 * So such a number gets exactly that error on every operation that takes an msisdn.
 */
const MESSAGE = 'Invalid MSISDN format (not E.164 international number)';

/** [msisdn, country]: each fits the pattern; neither as international nor in the country is it a possible number. */
const IMPOSSIBLE: [string, CountryCode | undefined][] = [
  ['1234567', undefined], // +1 with 6 national digits
  ['+1234567', undefined],
  ['999123456', undefined], // calling code 999 is not assigned
  ['44123456', undefined], // +44 with 6 national digits
  ['1999999', 'US'], // 7 digits: a local number only, in the US and as +1 999999
  ['3312345', 'FR'],
];

for (const engine of engines) {
  describeWithSpec(EIGHT_BY_EIGHT_SPEC, `8x8 msisdns that fit the pattern but are no possible number, on ${engine.name}`, () => {
    let api: TestApi;
    let call: Call;
    let contactId: number;
    before(async () => {
      api = await startApi(engine);
      call = eightByEight(api);
      contactId = (await call('POST', '/contacts', { firstName: 'Kept', addresses: { msisdn: msisdn() } })).body.id;
    });
    after(() => api.close());

    test('the cases are what they claim: they match the file\'s pattern, and libphonenumber calls none of them possible', () => {
      for (const [number, country] of IMPOSSIBLE) {
        assert.match(number, new RegExp(MSISDN_PATTERN));
        assert.equal(isPossiblePhoneNumber(`+${number.replace(/^\+/, '')}`), false, number);
        if (country) assert.equal(isPossiblePhoneNumber(number, country), false, `${number} in ${country}`);
      }
    });

    test('create, PATCH, blacklist and batch deleteContacts: 400, code 1002, 8x8\'s message; nothing written', async () => {
      const before = await snapshot(api.db);
      for (const [number, country] of IMPOSSIBLE) {
        const responses = [
          await call('POST', '/contacts', { firstName: 'Bad', ...(country ? { country } : {}), addresses: { msisdn: number } }),
          await call('PATCH', `/contacts/${contactId}`, [...(country ? [{ op: 'add', path: '/country', value: country }] : []), { op: 'replace', path: '/addresses/msisdn', value: number }]),
          await call('POST', `/contacts/blacklist/${encodeURIComponent(number)}`),
          await call('POST', '/contacts/batches/deleteContacts', { msisdns: [number] }),
        ];
        for (const res of responses) {
          assertError(res, 400, 1002);
          assert.equal(res.body.message, MESSAGE, number);
        }
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('batch createContacts: each such row is a failed item with code 1002 and 8x8\'s message; the good row is created', async () => {
      const good = msisdn();
      const rows = [`${good},`, ...IMPOSSIBLE.map(([number, country]) => `${number},${country ?? ''}`)];
      const body = multipart({}, { name: 'numbers.csv', content: ['msisdn,country', ...rows].join('\n') });
      const accepted = await call('POST', '/contacts/batches/createContacts', body.payload, { headers: body.headers });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      const job = await waitForJob(call, accepted.body.id);
      assert.deepEqual([job.status, job.insertedRows, job.errorRows], ['completed', 1, IMPOSSIBLE.length]);
      for (const result of job.results.slice(1)) assert.deepEqual([result.status, result.error], ['failed', { code: 1002, message: MESSAGE }]);
    });
  });
}
