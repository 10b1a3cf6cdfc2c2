import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ByteSource, ImportOptions, ImportReadContext, ImportRow } from '../../src/core/imports/import.types.ts';
import { readImportRows } from '../../src/core/imports/import-reader.ts';
import type { ImportPlan } from '../../src/core/imports/import.types.ts';
import type { CustomField, CustomFieldType } from '../../src/core/types.ts';

/** A fixture's bytes (test/fixtures/imports/<name>). */
export function fixture(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url)));
}

/** A stored file read back in small chunks, so that characters and records straddle chunk ends. */
export function sourceOf(content: Uint8Array | string, chunkBytes = 97): ByteSource {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return async function* () {
    for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
  };
}

export function optionsOf(extra: Partial<ImportOptions> = {}): ImportOptions {
  return { mode: 'create', dry_run: false, ...extra };
}

export function contextOf(fields: [string, CustomFieldType, string[]?][] = [], defaultRegion = 'US'): ImportReadContext {
  return { customFields: fields.map(([key, data_type, options]) => customField(key, data_type, options)), defaultRegion };
}

function customField(key: string, data_type: CustomFieldType, options?: string[]): CustomField {
  const now = new Date(0).toISOString();
  return {
    seq: 1, id: `field-${key}`, account_id: 'account', key, label: null, data_type, group: null, options: options ?? null, name: key,
    description: null, default_value: null, address_book_ids: [], flags: {}, created_at: now, updated_at: now,
  };
}

export async function rowsOf(source: ByteSource, plan: ImportPlan, options: ImportOptions, ctx: ImportReadContext): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  for await (const row of readImportRows(source, plan, options, ctx)) rows.push(row);
  return rows;
}

/** A row's errors as `column code` strings, for short assertions. */
export function errorsOf(row: ImportRow | undefined): string[] {
  return (row?.errors ?? []).map((e) => `${e.column} ${e.code}`);
}
