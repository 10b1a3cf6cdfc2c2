import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ImportErrorRecord, ImportJob } from './import-job.types.ts';

/**
 * The refused rows as CSV, streamed: a CSV file's own header plus `error`, then each refused row
 * once, as the file held it, with its problems joined in `error`. Other formats (a card, a JSON
 * line) give `row,record,error`.
 */
export function streamErrorsCsv(job: ImportJob, errors: AsyncIterable<ImportErrorRecord>): Readable {
  const columns = job.format === 'csv' ? job.plan.columns.map((c) => c.column) : ['row', 'record'];
  async function* lines(): AsyncIterable<string[]> {
    yield [...columns, 'error'];
    let current: { row: number; raw: ImportErrorRecord['raw']; messages: string[] } | undefined;
    const line = (r: NonNullable<typeof current>) => {
      const cells = job.format === 'csv' ? padded(Array.isArray(r.raw) ? r.raw : [], columns.length) : [String(r.row), typeof r.raw === 'string' ? r.raw : JSON.stringify(r.raw)];
      return [...cells, r.messages.join('; ')];
    };
    for await (const e of errors) {
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
  return cells.length >= length ? cells.slice(0, length) : [...cells, ...new Array<string>(length - cells.length).fill('')];
}
