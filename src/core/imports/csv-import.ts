import { detectCsvDialect, startsWithSepLine } from '../../formats/csv/csv-dialect.ts';
import { CsvUnreadableError, readCsvRecords, type CsvRecord } from '../../formats/csv/csv-records.ts';
import { decodeHead, decodeText, readHead } from '../../formats/text-decoding.ts';
import { invalidField } from '../errors.ts';
import { planColumns, undefinedCustomKeys } from './column-plan.ts';
import { CsvRowMapper } from './csv-row-mapper.ts';
import { fieldTypesOf } from './field-types.ts';
import type { ByteSource, ImportOptions, ImportPlan, ImportReadContext, ImportRow, TextEncoding } from './import.types.ts';
import { TypeInference } from './type-inference.ts';

/** Characters of data rows the plan reads for samples; further only while a new field's type is unsure. */
const SAMPLE_CHARS = 256 * 1024;
const SAMPLES_PER_COLUMN = 3;

/** Reads the header and the start of the file: delimiter, columns with samples, new fields' types. */
export async function planCsv(source: ByteSource, encoding: TextEncoding, headText: string, options: ImportOptions, ctx: ImportReadContext): Promise<ImportPlan> {
  const dialect = detectCsvDialect(headText);
  let plan: ImportPlan | null = null;
  let inferences = new Map<string, { inference: TypeInference; indexes: number[] }>();
  let chars = 0;
  for await (const record of records(source, encoding, dialect.delimiter, dialect.hasSepLine)) {
    if (plan === null) {
      if ('malformed' in record) throw invalidField('file', `the header line cannot be read as CSV: ${record.malformed}`);
      if (isBlank(record.cells)) continue;
      plan = { format: 'csv', encoding, delimiter: dialect.delimiter, columns: planColumns(record.cells, options.mapping, ctx.customFields), fieldsToDefine: [] };
      inferences = new Map([...undefinedCustomKeys(plan.columns, ctx.customFields)].map(([key, indexes]) => [key, { inference: new TypeInference(), indexes }]));
      continue;
    }
    if ('malformed' in record) continue;
    if (chars < SAMPLE_CHARS) {
      record.cells.forEach((cell, i) => {
        chars += cell.length;
        const samples = plan!.columns[i]?.samples;
        if (samples && samples.length < SAMPLES_PER_COLUMN && cell.trim() !== '') samples.push(cell.trim());
      });
    }
    for (const { inference, indexes } of inferences.values()) for (const i of indexes) inference.add(record.cells[i]);
    if (chars >= SAMPLE_CHARS && [...inferences.values()].every((i) => i.inference.satisfied)) break;
  }
  if (plan === null) throw invalidField('file', 'is empty: a CSV file needs a header line naming its columns');
  plan.fieldsToDefine = [...inferences].map(([key, { inference }]) => ({ key, data_type: inference.dataType }));
  return plan;
}

/** Every data row, mapped, in file order; blank rows left out. */
export async function* readCsvRows(source: ByteSource, plan: ImportPlan, options: ImportOptions, ctx: ImportReadContext): AsyncIterable<ImportRow> {
  const mapper = new CsvRowMapper(plan.columns, fieldTypesOf(ctx, plan), options.default_region ?? ctx.defaultRegion);
  let headerLength = -1;
  for await (const record of records(source, plan.encoding, plan.delimiter ?? ',', await opensWithSepLine(source, plan.encoding))) {
    if (headerLength < 0) {
      if ('cells' in record && !isBlank(record.cells)) headerLength = record.cells.length;
      continue;
    }
    if ('malformed' in record) {
      yield { row: record.row, input: null, errors: [{ row: record.row, column: null, code: 'malformed_record', message: record.malformed }], raw: [], columnOf: () => null };
      continue;
    }
    const row = mapper.map(record.row, record.cells, headerLength);
    if (row) yield row;
  }
}

/** The number of rows readCsvRows gives, without mapping them. */
export async function countCsvRows(source: ByteSource, plan: ImportPlan): Promise<number> {
  let header = false;
  let count = 0;
  for await (const record of records(source, plan.encoding, plan.delimiter ?? ',', await opensWithSepLine(source, plan.encoding))) {
    const blank = 'cells' in record && isBlank(record.cells);
    if (!header) header = !blank && 'cells' in record;
    else if (!blank) count++;
  }
  return count;
}

/** The file's records; a file that cannot be read on is refused as a whole, by its row. */
async function* records(source: ByteSource, encoding: TextEncoding, delimiter: string, hasSepLine: boolean): AsyncIterable<CsvRecord> {
  try {
    yield* readCsvRecords(decodeText(source(), encoding), { delimiter, hasSepLine });
  } catch (error) {
    if (error instanceof CsvUnreadableError) throw invalidField('file', error.message);
    throw error;
  }
}

async function opensWithSepLine(source: ByteSource, encoding: TextEncoding): Promise<boolean> {
  return startsWithSepLine(decodeHead(await readHead(source(), 64), encoding));
}

function isBlank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}
