import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { once } from 'node:events';
import { createDeflateRaw } from 'node:zlib';
import ExcelJS from 'exceljs';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, type TestApi } from '../../support/api.ts';
import { snapshot } from '../../support/snapshot.ts';
import { EIGHT_BY_EIGHT_SPEC, assertError, eightByEight, msisdn, multipart, waitForJob, type Call } from './support.ts';

/**
 * Excel uploads to createContacts. 8x8's file, batch-upload-contacts: "Batch create contacts
 * using file. The file can be either CSV or Excel. The CSV file can contain a header row (the
 * mapping of the columns will be automatic in this case), or not. For files without a header,
 * the `fileColumns` property should be specified for a columns mapping."; its `file`: "**The file
 * size is limited to 30 Mb.**"; the job's `fileType` enum: ["csv", "xls"]. A bad upload gets
 * the file's 400 for the operation (the shared error body; code 1000, invalid parameter).
 * The workbooks are built here with exceljs.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A zip archive of one deflated entry of `megabytes` MB of zeros that declares 1 byte inflated. */
async function zipOfOneEntry(name: string, megabytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++) if (!deflate.write(zeros)) await once(deflate, 'drain');
  deflate.end();
  await once(deflate, 'end');
  const data = Buffer.concat(chunks);
  const path = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflated
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(1, 22); // the lie
  local.writeUInt16LE(path.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(1, 24);
  central.writeUInt16LE(path.length, 28);
  central.writeUInt32LE(0, 42); // the local header's offset
  const directoryAt = local.length + path.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + path.length, 12);
  end.writeUInt32LE(directoryAt, 16);
  return Buffer.concat([local, path, data, central, path, end]);
}

for (const engine of engines) {
  describeWithSpec(EIGHT_BY_EIGHT_SPEC, `8x8 createContacts with Excel files on ${engine.name}`, () => {
    let api: TestApi;
    let call: Call;
    before(async () => {
      api = await startApi(engine);
      call = eightByEight(api);
    });
    after(() => api.close());

    const upload = (fields: Record<string, string>, file: { name: string; content: string | Buffer; type?: string }) => {
      const body = multipart(fields, file);
      return call('POST', '/contacts/batches/createContacts', body.payload, { headers: body.headers });
    };

    test('spec "either CSV or Excel": an .xlsx with a header is read from its first worksheet like a CSV file: a number cell for the msisdn, a date cell, an empty row; fileType "xls"', async () => {
      const group = (await call('POST', '/groups', { name: `excel ${msisdn()}` })).body;
      const [a, b, existing] = [msisdn(), msisdn(), msisdn()];
      const old = (await call('POST', '/contacts', { firstName: 'Existing', addresses: { msisdn: existing } })).body;
      const file = await workbook({
        Contacts: [
          ['msisdn', 'FirstName', 'lastName', 'email', 'Birthday'],
          [Number(a), 'Ann', 'One', `ann${a}@x.io`, new Date(Date.UTC(1990, 4, 17))],
          [],
          [`+${b}`, 'Bob', 'Two', null, null],
          ['0123', 'Bad', 'Number', null, null],
          [existing, null, 'Merged', null, null],
        ],
        Ignored: [['msisdn'], [msisdn()]],
      });
      const res = await upload({ groups: String(group.id) }, { name: 'Contacts.xlsx', content: file, type: XLSX });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.deepEqual([res.body.type, res.body.fileName, res.body.fileType], ['createContacts', 'Contacts.xlsx', 'xls']);
      const job = await waitForJob(call, res.body.id);
      assert.deepEqual([job.status, job.fileType, job.totalRows, job.insertedRows, job.duplicatedRows, job.errorRows], ['completed', 'xls', 4, 2, 1, 1], 'the empty row is no item; the second sheet is not read');
      assert.deepEqual(job.results.map((r: any) => [r.item, r.status, r.error?.code]), [[0, 'succeeded', undefined], [1, 'succeeded', undefined], [2, 'failed', 1002], [3, 'merged', undefined]]);
      const ann = (await call('GET', `/contacts/${job.results[0].id}`)).body;
      assert.deepEqual([ann.firstName, ann.lastName, ann.addresses, ann.customAttributes, ann.groups[0].id], ['Ann', 'One', { msisdn: a, email: `ann${a}@x.io` }, { Birthday: '1990-05-17' }, group.id]);
      assert.equal((await call('GET', `/contacts/${job.results[1].id}`)).body.addresses.msisdn, b);
      assert.equal(job.results[3].id, old.id);
    });

    test('spec "For files without a header, the `fileColumns` property should be specified": an .xlsx without a header, columns by position', async () => {
      const number = msisdn();
      const file = await workbook({ Sheet1: [[Number(number), 'No', 'Header', 'extra cell']] });
      const res = await upload({ fileHasHeader: 'false', fileColumns: 'msisdn, firstName, lastName' }, { name: 'plain.xlsx', content: file });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const job = await waitForJob(call, res.body.id);
      assert.deepEqual([job.insertedRows, job.errorRows], [1, 0]);
      const contact = (await call('GET', `/contacts/${job.results[0].id}`)).body;
      assert.deepEqual([contact.addresses.msisdn, contact.firstName, contact.lastName, contact.customAttributes], [number, 'No', 'Header', {}]);
    });

    test('a wrong type or a corrupt file: a damaged workbook, an Excel 97-2003 .xls, a workbook without a worksheet, a text file named .xlsx, an image, UTF-16 text, a header of over 200 columns: 400 code 1000, no job, nothing written', async () => {
      const good = await workbook({ Contacts: [['msisdn'], [msisdn()], [msisdn()]] });
      const corrupt = Buffer.from(good);
      corrupt.fill(7, 200, 600);
      const bad: [string, Buffer][] = [
        ['truncated.xlsx', good.subarray(0, Math.floor(good.length / 2))],
        ['corrupt.xlsx', corrupt],
        ['old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512, 1)])],
        ['empty-book.xlsx', await workbook({})],
        ['notes.xlsx', Buffer.from('msisdn\n16511112222\n')],
        ['renamed.csv', good.subarray(0, 100)],
        ['photo.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR')])],
        ['unicode.csv', Buffer.from(`\ufeffmsisdn\n${msisdn()}\n`, 'utf16le')],
        ['wide.xlsx', await workbook({ Wide: [['msisdn', ...Array.from({ length: 200 }, (_, i) => `Column ${i}`)], [msisdn()]] })],
      ];
      const before = await snapshot(api.db);
      for (const [name, content] of bad) {
        const res = await upload({}, { name, content, type: XLSX });
        assertError(res, 400, 1000);
        assert.match(res.body.message, /file/, name);
      }
      assert.deepEqual(await snapshot(api.db), before);
    });

    // Heavy cases: run once, on the first engine.
    if (engine === engines[0]) test('a zip bomb (shared strings that inflate to 300 MB from 300 KB, declared as 1 byte) is a 400 code 1000 before it is read, nothing written', async () => {
      const before = await snapshot(api.db);
      const res = await upload({}, { name: 'bomb.xlsx', content: await zipOfOneEntry('xl/sharedStrings.xml', 300), type: XLSX });
      assertError(res, 400, 1000);
      assert.match(res.body.message, /inflate to more than 256 MB/);
      assert.deepEqual(await snapshot(api.db), before);
    });

    if (engine === engines[0]) test('spec "The file size is limited to 30 Mb": a larger Excel upload is 413 code 1000, nothing written', async () => {
      const before = await snapshot(api.db);
      const huge = Buffer.concat([await workbook({ Contacts: [['msisdn'], [msisdn()]] }), Buffer.alloc(30 * 1024 * 1024)]);
      assertError(await upload({}, { name: 'huge.xlsx', content: huge, type: XLSX }), 413, 1000);
      assert.deepEqual(await snapshot(api.db), before);
    });
  });
}
