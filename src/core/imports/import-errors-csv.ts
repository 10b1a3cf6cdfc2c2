import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { guardFormula } from '../../formats/csv/formula-guard.ts';
import type { ImportErrorRecord, ImportJob } from './import-job.types.ts';

/**
 * The refused rows as CSV, streamed: a CSV file's own header plus `error`, then each refused row
 * once, as the file held it, with its problems joined in `error`. Other formats (a card, a JSON
 * line) give `row,record,error`. `errors` is read twice for a CSV file: a row with more cells
 * than the header keeps them all, under blank headers, so `error` stays the last column.
 */
export function streamErrorsCsv(job: ImportJob, errors: () => AsyncIterable<ImportErrorRecord>): Readable {
  async function* lines(): AsyncIterable<string[]> {
    let columns = ['row', 'record'];
    if (job.format === 'csv') {
      columns = job.plan.columns.map((c) => c.column);
      let widest = columns.length;
      for await (const e of errors()) if (Array.isArray(e.raw)) widest = Math.max(widest, e.raw.length);
      columns.push(...new Array<string>(widest - columns.length).fill(''));
    }
    yield [...columns, 'error'];
    let current: { row: number; raw: ImportErrorRecord['raw']; messages: string[] } | undefined;
    const line = (r: NonNullable<typeof current>) => {
      const cells = job.format === 'csv' ? padded(Array.isArray(r.raw) ? r.raw : [], columns.length) : [String(r.row), typeof r.raw === 'string' ? r.raw : JSON.stringify(r.raw)];
      return [...cells.map(guardFormula), guardFormula(r.messages.join('; '))];
    };
    for await (const e of errors()) {
      const message = e.column ? `${e.column}: ${e.message}` : e.message;
      if (current && current.row === e.row) {
        current.messages.push(message);
        continue;
      }
      if (current) yield line(current);
      current = { row: e.row, raw: e.raw, messages: [message] };
    }
    if (current) yield line(current);
  }
  return Readable.from(lines()).pipe(stringify());
}

function padded(cells: string[], length: number): string[] {
  return [...cells, ...new Array<string>(Math.max(0, length - cells.length)).fill('')];
}
