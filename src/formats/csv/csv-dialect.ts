/** What a CSV file's first lines say about how to read it. */
export interface CsvDialect {
  delimiter: string;
  /** Excel's `sep=;` first line: it names the delimiter and is not a row. */
  hasSepLine: boolean;
}

const CANDIDATES = [',', ';', '\t'] as const;
const SAMPLE_RECORDS = 12;
const SEP_LINE = /^sep=(.)\r?\n/i;

/** True when the text opens with Excel's `sep=` line. */
export function startsWithSepLine(text: string): boolean {
  return SEP_LINE.test(text);
}

/**
 * The delimiter that splits the header and the next records into the same number of fields, the
 * most of them on a tie. Quotes are honoured, so a comma inside a quoted cell of a semicolon file
 * does not count. Comma when nothing splits the header (a one-column file).
 */
export function detectCsvDialect(headText: string): CsvDialect {
  const sep = SEP_LINE.exec(headText);
  if (sep) return { delimiter: sep[1]!, hasSepLine: true };
  let best: { delimiter: string; consistent: number; fields: number } = { delimiter: ',', consistent: -1, fields: 1 };
  for (const delimiter of CANDIDATES) {
    const counts = fieldCounts(headText, delimiter);
    const header = counts[0] ?? 1;
    if (header < 2) continue;
    const consistent = counts.slice(1).filter((n) => n === header).length;
    if (consistent > best.consistent || (consistent === best.consistent && header > best.fields)) best = { delimiter, consistent, fields: header };
  }
  return { delimiter: best.delimiter, hasSepLine: false };
}

/** The number of fields of each of the first records (the last, maybe cut short, is left out). */
function fieldCounts(text: string, delimiter: string): number[] {
  const counts: number[] = [];
  let fields = 1;
  let blank = true;
  let quoted = false;
  for (let i = 0; i < text.length && counts.length < SAMPLE_RECORDS; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted; // a doubled quote toggles twice: still inside
    else if (quoted) continue;
    else if (c === delimiter) fields++;
    else if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      if (!blank) counts.push(fields);
      fields = 1;
      blank = true;
      continue;
    } else if (c === '\r') continue;
    blank = false;
  }
  return counts;
}
