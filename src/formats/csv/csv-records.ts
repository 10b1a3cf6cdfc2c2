import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import type { CsvDialect } from './csv-dialect.ts';

/** A record of the file, numbered as a spreadsheet shows it (the header is row 1). */
export type CsvRecord = { row: number; cells: string[] } | { row: number; malformed: string };

/** Longer than this, a record is taken for a runaway quote rather than data: the file is refused. */
export const MAX_RECORD_CHARS = 1024 * 1024;

/** The file cannot be read on from here (a runaway quote): what was read before stands. */
export class CsvUnreadableError extends Error {
  constructor(readonly row: number, message: string) {
    super(message);
    this.name = 'CsvUnreadableError';
  }
}

/**
 * Every record of a CSV text, header first, streamed through csv-parse. Rows are numbered as a
 * spreadsheet shows them, which is not the line number: a quoted cell holding line breaks is one
 * row, and a blank line is a row (an empty record, given as `['']`). A record csv-parse refuses
 * (a quote left open at the end) comes as `malformed` in its place.
 */
export async function* readCsvRecords(text: AsyncIterable<string>, dialect: CsvDialect): AsyncIterable<CsvRecord> {
  const skipped: { before: number; error: CsvError | undefined }[] = [];
  const parser = parse({
    delimiter: dialect.delimiter,
    from_line: dialect.hasSepLine ? 2 : 1,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_skip: (error) => void skipped.push({ before: parser.info.records, error }),
  });
  const input = Readable.from(text, { objectMode: false });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let emitted = 0;
  let row = 0;
  function* flushSkipped(upTo: number): Generator<CsvRecord> {
    while (skipped.length > 0 && skipped[0]!.before <= upTo) {
      const { error } = skipped.shift()!;
      row++;
      if (error?.code === 'CSV_MAX_RECORD_SIZE') throw new CsvUnreadableError(row, `row ${row} is longer than ${MAX_RECORD_CHARS} characters: a quote is probably not closed`);
      // csv-parse counts physical lines; the row number is what a spreadsheet shows, so its message is not repeated.
      const malformed = error?.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quote opened in this row is never closed: this row and the rest of the file could not be read'
        : (error?.message ?? 'the record cannot be read');
      yield { row, malformed };
    }
  }
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      yield* flushSkipped(emitted);
      emitted++;
      row++;
      yield { row, cells };
    }
    yield* flushSkipped(Number.POSITIVE_INFINITY);
  } finally {
    // A caller that stops early (the plan reads only the start) must not leave the file open.
    input.destroy();
    parser.destroy();
  }
}
