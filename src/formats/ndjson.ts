/** One non-blank line of an NDJSON file, with its line number (from 1). */
export interface NdjsonLine {
  line: number;
  text: string;
  /** The line was longer than MAX_LINE_CHARS: `text` holds its start only. */
  tooLong?: true;
}

/** A contact is a few KB; a longer line is refused rather than held in memory. */
export const MAX_LINE_CHARS = 1024 * 1024;

/** The lines of a text stream (LF or CRLF), blank lines left out, memory bounded by the longest line. */
export async function* readNdjsonLines(text: AsyncIterable<string>): AsyncIterable<NdjsonLine> {
  let pending = '';
  let line = 1;
  let tooLong = false;
  const finish = (raw: string): NdjsonLine | null => {
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const result: NdjsonLine | null = tooLong ? { line, text: content.slice(0, 200), tooLong: true } : content.trim() === '' ? null : { line, text: content };
    line++;
    tooLong = false;
    return result;
  };
  for await (const chunk of text) {
    pending += chunk;
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      const record = finish(pending.slice(start, end));
      if (record) yield record;
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) {
      pending = pending.slice(0, 200); // the start, to show in the error report
      tooLong = true;
    }
  }
  if (pending !== '' || tooLong) {
    const record = finish(pending);
    if (record) yield record;
  }
}

/** A line's JSON value, or why it is not JSON. */
export function parseNdjsonLine(text: string): { value: unknown } | { malformed: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { malformed: `not JSON: ${(error as Error).message}` };
  }
}
