import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, type Response, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { assertKoreError, base, createBody, kore, koreHeaders, newStream, uniqueDigits } from './support.ts';

const HEADER = 'firstName,lastName,salutation,cellPhoneNumber,cellPhoneCountryCode,cellPhoneExtension';
const BOUNDARY = '----contactdTestBoundary';

/** A multipart body with one file part (Kore: `--form 'result_file=@"sample.csv"'`). */
function multipart(csv: string | Buffer, field = 'result_file'): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="sample.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/**
 * Create Bulk Contacts (create-bulk-contacts.md): POST .../contacts/import-contacts with a CSV in
 * `result_file`, columns firstName, lastName, salutation, cellPhoneNumber, cellPhoneCountryCode,
 * cellPhoneExtension; the answer is the array of created contacts.
 */
for (const engine of engines) {
  describe(`Kore.ai AgentAssist CSV import on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    async function upload(stream: string, payload: Buffer, headers: Record<string, string> = {}): Promise<Response> {
      const raw = await api.app.inject({
        method: 'POST', url: `${base(stream)}/import-contacts`, payload,
        headers: { ...(await koreHeaders(api)), 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
      });
      return { status: raw.statusCode, headers: raw.headers, body: raw.body ? raw.json() : raw.body, raw };
    }

    test('create-bulk-contacts.md sample as written: content-type application/json;charset=UTF-8 beside --form (curl appends its boundary) is read as the multipart upload', async () => {
      const digits = uniqueDigits();
      const res = await upload(newStream(), multipart(`${HEADER}\njane,doe,Mrs,${digits},+91,+\n`), { 'content-type': `application/json;charset=UTF-8; boundary=${BOUNDARY}` });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body[0].cellPhone.phoneNumber, `+91${digits}`);
    });

    test('a multipart content type without its boundary is a 400 BadRequest, not a server error; nothing written', async () => {
      const before = await snapshot(api.db);
      assertKoreError(await upload(newStream(), multipart(`${HEADER}\n`), { 'content-type': 'multipart/form-data' }), 400, 'BadRequest');
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('issue 9 ("a refused create leaves nothing behind, not even the stream\'s address book"): an import whose every row is refused writes nothing, not even the stream\'s book; one good row makes it', async () => {
      const stream = newStream();
      const before = await snapshot(api.db);
      // Row 1 is refused by the dialect's checks, row 2 by the core's (no country +999), after the book was looked up.
      const refused = await upload(stream, multipart(`${HEADER}\njohn,doe,Mr,not-a-number,+91,+\nann,doe,Ms,999999999999999,+999,+\n`));
      assert.equal(refused.status, 200, JSON.stringify(refused.body));
      assert.deepEqual(refused.body.map((entry: { row?: number }) => entry.row), [1, 2], 'each row answered with its errors');
      assert.deepEqual(await snapshot(api.db), before, 'no book, no contact');

      const digits = uniqueDigits();
      const mixed = await upload(stream, multipart(`${HEADER}\njohn,doe,Mr,not-a-number,+91,+\njane,doe,Mrs,${digits},+91,+\n`));
      assert.equal(mixed.status, 200, JSON.stringify(mixed.body));
      assert.equal(mixed.body[0].row, 1);
      assert.equal(mixed.body[1].cellPhone.phoneNumber, `+91${digits}`);
      const books = await api.call('GET', '/v1/address-books?limit=500');
      assert.equal(books.body.data.filter((b: { name: string }) => b.name === `agentassist:${stream}`).length, 1, 'the book, once');
    });

    test('spec sample: a CSV of two rows answers the array of both created contacts, in Kore\'s contact shape, and they are in the stream', async () => {
      const stream = newStream();
      const [john, jane] = [uniqueDigits(), uniqueDigits()];
      const res = await upload(stream, multipart(`${HEADER}\njohn,doe,Mr,${john},+91,+\njane,doe,Mrs,${jane},91,91\n`));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.length, 2);
      const [first, second] = res.body;
      assert.equal(first.status, 'ACTIVE');
      assert.equal(first.fullName, 'john doe');
      assert.equal(first.salutation, 'Mr');
      assert.deepEqual(first.cellPhone, { phoneNumber: `+91${john}`, countryCode: '+91', extension: '+' });
      assert.deepEqual(second.cellPhone, { phoneNumber: `+91${jane}`, countryCode: '+91', extension: '91' });
      assert.equal(first.accountId, api.accountId);
      assert.deepEqual([first.address, first.twitterDetails], [[], []]);
      const list = await kore(api, stream)('GET', '');
      assert.deepEqual(list.body.results.map((c: { id: string }) => c.id), [first.id, second.id]);
      assert.equal((await api.call('GET', `/v1/contacts/${second.id}`)).body.first_name, 'jane');
    });

    test('per-row results: a bad row and a number already in the stream (or earlier in the file) fail alone, the other rows are created', async () => {
      const stream = newStream();
      const held = uniqueDigits();
      await kore(api, stream)('POST', '', createBody(held));
      const [ok1, ok2, twice] = [uniqueDigits(), uniqueDigits(), uniqueDigits()];
      const csv = [
        // Any column order, extra columns ignored, a BOM and CRLF line ends (spreadsheet exports).
        'cellPhoneExtension,salutation,firstName,lastName,cellPhoneCountryCode,cellPhoneNumber,notes',
        `+,Mr,A,One,+91,${ok1},x`,
        `+,Mr,B,Held,+91,${held},x`,
        `+,Mr,,NoFirstName,+91,${uniqueDigits()},x`,
        `+,Mr,C,BadPhone,+91,98-76,x`,
        `+,Mr,D,Twice,+91,${twice},x`,
        `+,Mr,E,Twice,+91,${twice},x`,
        `+,Mrs,"F, quoted",Two,+91,${ok2},x`,
        `+,Mr,G,Impossible,+1,0000,x`,
      ].join('\r\n');
      const res = await upload(stream, multipart(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)])));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.length, 8);
      assert.equal(res.body[0].fullName, 'A One');
      assert.deepEqual(res.body[1], { row: 2, errors: [{ msg: res.body[1].errors[0].msg, code: 'DuplicateNumber' }] });
      assert.equal(res.body[2].row, 3);
      assert.deepEqual(res.body[2].errors.map((e: { field: string; code: string }) => [e.field, e.code]), [['firstName', 'BadRequest']]);
      assert.deepEqual(res.body[3].errors.map((e: { field: string }) => e.field), ['cellPhoneNumber']);
      assert.equal(res.body[4].status, 'ACTIVE');
      assert.equal(res.body[5].errors[0].code, 'DuplicateNumber', 'the same number twice in one file');
      assert.equal(res.body[6].firstName, 'F, quoted');
      assert.deepEqual(res.body[7].errors.map((e: { field: string; code: string }) => [e.field, e.code]), [['cellPhoneNumber', 'BadRequest']], 'the core\'s phone check names the column too');
      assert.equal((await kore(api, stream)('GET', '')).body.totalResults, 4);
    });

    test('a file that is not usable fails whole (400), writing nothing: no header columns, malformed CSV, wrong field, empty, too many rows', async () => {
      const stream = newStream();
      await kore(api, stream)('POST', '', createBody());
      const before = await snapshot(api.db);
      const rows = (n: number) => Array.from({ length: n }, (_, i) => `n${i},x,Mr,${String(9000000000 + i)},+91,+`).join('\n');
      const cases: [string, Buffer][] = [
        ['missing columns', multipart(`firstName,lastName\njohn,doe\n`)],
        ['malformed quotes', multipart(`${HEADER}\n"john,doe,Mr,9876500001,+91,+\n`)],
        ['the wrong field name', multipart(`${HEADER}\njohn,doe,Mr,9876500002,+91,+\n`, 'file')],
        ['an empty file', multipart('')],
        ['more than 10000 rows', multipart(`${HEADER}\n${rows(10_001)}\n`)],
      ];
      for (const [label, payload] of cases) {
        const res = await upload(stream, payload);
        assertKoreError(res, 400, 'BadRequest');
        assert.ok(res.body.errors[0].msg.length > 0, label);
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    test('a file over 5 MiB is 413 (PayloadTooLarge); JSON instead of multipart is 415; nothing written', async () => {
      const stream = newStream();
      await kore(api, stream)('POST', '', createBody());
      const before = await snapshot(api.db);
      const big = `${HEADER}\n${`john,${'d'.repeat(6000)},Mr,9876500003,+91,+\n`.repeat(1000)}`;
      assertKoreError(await upload(stream, multipart(big)), 413, 'PayloadTooLarge');
      const json = await kore(api, stream)('POST', '/import-contacts', { result_file: HEADER });
      assertKoreError(json, 415, 'UnsupportedMediaType');
      assert.deepEqual(await snapshot(api.db), before);
    });
  });
}
