import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { planImport, readImportRows } from '../../src/core/imports/import-reader.ts';
import type { ByteSource } from '../../src/core/imports/import.types.ts';
import { contextOf, optionsOf } from './readers.support.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROWS = 200_000;

/** A generated CSV of ROWS contacts (about 25 MB), made chunk by chunk as it is read: never whole in memory. */
const generated: ByteSource = async function* () {
  yield Buffer.from('First Name,Last Name,Company,Mobile Phone,E-mail Address,Notes,custom_fields.visits\n');
  const batch: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    batch.push(`Person${i},Family${i % 977},"Company ${i % 131}, Inc.",+1 651 ${String(200 + (i % 700)).padStart(3, '0')} ${String(i % 10000).padStart(4, '0')},p${i}@example.com,"note ${i}\nline two",${i % 50}\n`);
    if (batch.length === 1000) {
      yield Buffer.from(batch.join(''));
      batch.length = 0;
    }
  }
  if (batch.length > 0) yield Buffer.from(batch.join(''));
};

describe('streaming a large CSV', () => {
  test(`${ROWS} rows stream through readImportRows with heap growth bounded, far below the file`, async () => {
    const options = optionsOf();
    const ctx = contextOf();
    const plan = await planImport(generated, 'text/csv', options, ctx);
    assert.deepEqual(plan.fieldsToDefine, [{ key: 'visits', data_type: 'number' }]);
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let lastRow = 0;
    let failed = 0;
    for await (const row of readImportRows(generated, plan, options, ctx)) {
      count++;
      lastRow = row.row;
      if (row.errors.length > 0) failed++;
      if (count % 20_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    assert.equal(count, ROWS);
    assert.equal(lastRow, ROWS + 1, 'rows are numbered as a spreadsheet shows them, whatever line breaks the cells hold');
    assert.equal(failed, 0);
    // Holding the rows would take hundreds of MB; a streamed read holds a few chunks.
    assert.ok(peak < 40 * 1024 * 1024, `heap grew by ${Math.round(peak / 1024 / 1024)} MB`);
  });
});
