import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../src/core/errors.ts';
import { planImport, readImportRows } from '../../src/core/imports/import-reader.ts';
import { detectCsvDialect } from '../../src/formats/csv/csv-dialect.ts';
import { detectEncoding } from '../../src/formats/text-decoding.ts';
import { contextOf, fixture, optionsOf, rowsOf, sourceOf } from './readers.support.ts';

const CSV = 'First Name,Last Name,Mobile Phone\nJane,Doe,+1 651 555 0101\n';

/** The field error a refused plan names, as `path: message`. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
  assert.equal(error.code, 'validation_failed');
  return error.fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ');
}

describe('import format detection', () => {
  test('the content type names the format; without one (or octet-stream) the first bytes do', async () => {
    const vcard = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane\r\nEND:VCARD\r\n';
    const ndjson = '{"first_name":"Jane"}\n';
    assert.equal((await planImport(sourceOf(CSV), 'text/csv; charset=utf-8', optionsOf(), contextOf())).format, 'csv');
    assert.equal((await planImport(sourceOf(ndjson), 'application/x-ndjson', optionsOf(), contextOf())).format, 'ndjson');
    assert.equal((await planImport(sourceOf(ndjson), 'application/jsonl', optionsOf(), contextOf())).format, 'ndjson');
    assert.equal((await planImport(sourceOf(ndjson), undefined, optionsOf(), contextOf())).format, 'ndjson');
    assert.equal((await planImport(sourceOf(`\n  ${ndjson}`), 'application/octet-stream', optionsOf(), contextOf())).format, 'ndjson');
    assert.equal((await planImport(sourceOf(CSV), 'application/octet-stream', optionsOf(), contextOf())).format, 'csv');
    assert.equal((await planImport(sourceOf(vcard), undefined, optionsOf(), contextOf())).format, 'vcard');
    assert.equal((await planImport(sourceOf(vcard), 'text/x-vcard', optionsOf(), contextOf())).format, 'vcard');
    assert.match(await refusal(planImport(sourceOf('FN,TEL\nJane,1\n'), 'text/vcard', optionsOf(), contextOf())), /^file: holds no card/);
  });

  test('a file that is empty, binary, or of another type is refused with a clear reason', async () => {
    assert.match(await refusal(planImport(sourceOf(''), 'text/csv', optionsOf(), contextOf())), /^file: is empty/);
    assert.match(await refusal(planImport(sourceOf('\n\n'), 'text/csv', optionsOf(), contextOf())), /^file: is empty/);
    assert.match(await refusal(planImport(sourceOf('PK\x03\x04\x14\x00\x06\x00'), undefined, optionsOf(), contextOf())), /xlsx/);
    assert.match(await refusal(planImport(sourceOf('[{"first_name":"Jane"}]'), undefined, optionsOf(), contextOf())), /JSON array: send NDJSON/);
    assert.match(await refusal(planImport(sourceOf(CSV), 'image/png', optionsOf(), contextOf())), /"image\/png" is not an import format/);
    assert.match(await refusal(planImport(sourceOf(CSV), 'text/csv', optionsOf({ default_region: 'XX' }), contextOf())), /^default_region: must be an ISO 3166/);
    assert.match(await refusal(planImport(sourceOf(CSV), 'text/csv', optionsOf({ default_region: 'de' }), contextOf())), /^default_region/);
  });

  test('encodings: UTF-8 with and without BOM, UTF-16 LE and BE with BOM, Windows-1252', async () => {
    const expectations: [Uint8Array, string][] = [
      [Buffer.from(CSV, 'utf8'), 'utf-8'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]), 'utf-8'],
      [Buffer.from(`\ufeff${CSV}`, 'utf16le'), 'utf-16le'],
      [Buffer.from(`\ufeff${CSV}`, 'utf16le').swap16(), 'utf-16be'],
      [Buffer.from('Name,Company\nJürgen Müller,Café\n', 'latin1'), 'windows-1252'],
    ];
    for (const [bytes, encoding] of expectations) {
      assert.equal(detectEncoding(bytes.subarray(0, 4096)), encoding);
      const plan = await planImport(sourceOf(bytes), undefined, optionsOf(), contextOf());
      assert.equal(plan.encoding, encoding);
      assert.ok(!plan.columns[0]!.column.startsWith('\ufeff'), 'the byte order mark is not part of the first header');
      const [row] = await rowsOf(sourceOf(bytes), plan, optionsOf(), contextOf());
      if (encoding === 'windows-1252') assert.deepEqual(row!.input, { display_name: 'Jürgen Müller', company: 'Café' });
      else assert.deepEqual(row!.input, { first_name: 'Jane', last_name: 'Doe', phone_numbers: [{ number: '+1 651 555 0101', type: 'mobile' }] });
    }
  });

  test('Windows-1252 whose first accented byte lies past the detected head is still read as Windows-1252', async () => {
    const ascii = Array.from({ length: 16000 }, (_, i) => `Person ${i},Plain Co`).join('\n');
    const bytes = Buffer.concat([Buffer.from(`Name,Company\n${ascii}\n`, 'latin1'), Buffer.from('Hélène Lefèvre,Société Générale\n', 'latin1')]);
    assert.ok(bytes.length > 300_000, 'past the 256 KiB the detectors read');
    const plan = await planImport(sourceOf(bytes, 65536), 'text/csv', optionsOf(), contextOf());
    assert.equal(plan.encoding, 'utf-8', 'the head alone looks like UTF-8');
    const rows = await rowsOf(sourceOf(bytes, 65536), plan, optionsOf(), contextOf());
    assert.equal(rows.length, 16001);
    assert.deepEqual(rows[16000]!.input, { display_name: 'Hélène Lefèvre', company: 'Société Générale' });
  });

  test('a UTF-8 character split across chunks of the stored file is read whole', async () => {
    const text = 'Name\nÉlise Ünal 日本\n';
    const plan = await planImport(sourceOf(text, 1), 'text/csv', optionsOf(), contextOf());
    const rows = await rowsOf(sourceOf(text, 1), plan, optionsOf(), contextOf());
    assert.equal(rows[0]!.input?.display_name, 'Élise Ünal 日本');
  });

  test('delimiters: comma, semicolon and tab, from the header and the next rows, quotes honoured', () => {
    assert.equal(detectCsvDialect('a,b,c\n1,2,3\n').delimiter, ',');
    assert.equal(detectCsvDialect('a;b;c\r\n1;2,5;3\r\n').delimiter, ';');
    assert.equal(detectCsvDialect('a\tb\tc\n1\t2\t3\n').delimiter, '\t');
    // Each line has two commas inside quotes and two semicolons outside: semicolons split it.
    assert.equal(detectCsvDialect('"x, y";b;"c,d"\n"1,5";2;"3,3"\n').delimiter, ';');
    // A quoted cell with a line break does not end the record.
    assert.equal(detectCsvDialect('name;notes;phone\nJane;"a;b\nc;d;e;f";1\nBob;x;2\n').delimiter, ';');
    assert.equal(detectCsvDialect('name\nJane\n').delimiter, ',');
    // Old Mac line ends (CR alone): the comma inside the header's quotes would win if CR were ignored.
    assert.equal(detectCsvDialect('"a,b,c,d";e\r1;2\r3;4\r').delimiter, ';');
    assert.deepEqual(detectCsvDialect('sep=;\nname,x;phone\n'), { delimiter: ';', hasSepLine: true });
  });

  test("Excel's sep= line names the delimiter and is not a row", async () => {
    const text = 'sep=;\r\nFirst Name;Company\r\nJane;Acme, Inc.\r\n';
    const plan = await planImport(sourceOf(text), 'text/csv', optionsOf(), contextOf());
    assert.equal(plan.delimiter, ';');
    assert.deepEqual(plan.columns.map((c) => c.column), ['First Name', 'Company']);
    const rows = await rowsOf(sourceOf(text), plan, optionsOf(), contextOf());
    assert.deepEqual(rows.map((r) => [r.row, r.input]), [[2, { first_name: 'Jane', company: 'Acme, Inc.' }]]);
  });

  test('the European Excel fixture: BOM, CRLF, semicolons, a quoted semicolon', async () => {
    const bytes = fixture('european-excel.csv');
    const plan = await planImport(sourceOf(bytes), 'text/csv', optionsOf(), contextOf());
    assert.deepEqual([plan.format, plan.encoding, plan.delimiter], ['csv', 'utf-8', ';']);
    assert.equal(plan.columns[0]!.column, 'Vorname');
    assert.deepEqual(plan.columns[2]!.samples, ['Müller; Söhne GmbH', 'Café Lumière']);
    const rows = [];
    for await (const row of readImportRows(sourceOf(bytes), plan, optionsOf(), contextOf())) rows.push(row);
    assert.equal(rows.length, 3);
    assert.equal((rows[0]!.raw as string[])[7], 'ja', 'the CR of CRLF is not part of the last cell');
  });
});
