/**
 * A throw-away NDJSON reader for these tests until the real readers (src/formats) are merged:
 * one JSON object per line, the native create shape plus `groups`. Test-only; never in src.
 */
import type { ImportReader } from '../../src/core/imports/file-reader.ts';
import type { ByteSource, ImportPlan, ImportRow } from '../../src/core/imports/import.types.ts';

async function* lines(source: ByteSource): AsyncIterable<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const piece of source()) {
    rest += decoder.decode(piece, { stream: true });
    let at: number;
    while ((at = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, at);
      rest = rest.slice(at + 1);
    }
  }
  rest += decoder.decode();
  if (rest !== '') yield rest;
}

async function* rows(source: ByteSource): AsyncIterable<ImportRow> {
  let n = 0;
  for await (const line of lines(source)) {
    n++;
    if (line.trim() === '') continue;
    const row = n;
    const columnOf = (path: string) => path.split(/[.[]/)[0] ?? null;
    try {
      const { groups, ...input } = JSON.parse(line);
      yield { row, input: { ...input, ...(groups ? { group_names: groups } : {}) }, errors: [], raw: line, columnOf };
    } catch {
      yield { row, input: null, errors: [{ row, column: null, code: 'malformed_record', message: 'not JSON' }], raw: line, columnOf };
    }
  }
}

const plan: ImportPlan = { format: 'ndjson', encoding: 'utf-8', delimiter: null, columns: [], fieldsToDefine: [] };

export const standinReader: ImportReader = {
  async planImport() {
    return plan;
  },
  readImportRows: (source) => rows(source),
  async countImportRows(source) {
    let count = 0;
    for await (const _ of rows(source)) count++;
    return count;
  },
  async previewImport(source) {
    const first: ImportRow[] = [];
    for await (const row of rows(source)) if (first.push(row) >= 20) break;
    return { ...plan, fields_to_define: [], rows: first.map((r) => ({ row: r.row, contact: r.input, errors: r.errors })) };
  },
};
