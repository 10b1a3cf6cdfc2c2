import type { ContactInput, CustomField, CustomFieldType } from '../types.ts';
import type { PreviewContact } from './preview-rows.ts';

/**
 * The shapes an import passes between its two halves: reading a file into rows (formats, mapping,
 * preview) and running the job that writes them (storage, chunks, progress). Neither half knows
 * HTTP or SQL.
 */

export const IMPORT_FORMATS = ['csv', 'vcard', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const IMPORT_MODES = ['create', 'upsert'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** What the caller chose (the `options` part of the upload). */
export interface ImportOptions {
  /** The book rows go to; the account's default book when absent. */
  address_book_id?: string;
  /** create: every row is a new contact (the book's duplicate policy applies); upsert: a row updates the contact it matches by external_id, else the one contact of the book sharing a phone or email (any policy; several: refused), else it is created under the book's policy. */
  mode: ImportMode;
  /** Column (or vCard property / NDJSON key, for the formats that have no columns) to target field; null ignores the column. Absent columns are mapped by their headers. */
  mapping?: Record<string, string | null>;
  /** ISO 3166 region for numbers written without a country code; the server's DEFAULT_REGION when absent. */
  default_region?: string;
  /** Validate and report every row; write nothing. */
  dry_run: boolean;
}

/** The stored file, read again from its first byte each time it is called (in chunks, never whole). */
export type ByteSource = () => AsyncIterable<Uint8Array>;

/** windows-1252: bytes that are not UTF-8, as Outlook and Excel on Windows write CSV. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** One column of the file and where its values go. */
export interface ColumnPlan {
  /** The header as the file spells it (for vCard and NDJSON: the property or key). */
  column: string;
  /** The target in the mapping grammar (`first_name`, `phone_numbers[type=mobile]`, `custom_fields.customer_no`, ...); null: ignored. A vCard property that feeds several fields lists them (`N`: `last_name, first_name, salutation`). */
  target: string | null;
  /** How the target was chosen: by the caller's mapping, by a known export's header, by a native field name, or not at all. */
  source: 'mapping' | 'header' | 'native' | 'none';
  /** The column's first non-empty values (up to 3), as the file holds them. */
  samples: string[];
}

/** A custom field the file names that the account does not define yet: the job defines it before writing. */
export interface FieldToDefine {
  key: string;
  data_type: CustomFieldType;
}

/** How a file is read: fixed when the job is accepted, so that a resumed job reads it the same way. */
export interface ImportPlan {
  format: ImportFormat;
  encoding: TextEncoding;
  /** CSV only: the detected delimiter. */
  delimiter: string | null;
  columns: ColumnPlan[];
  fieldsToDefine: FieldToDefine[];
}

/** A row refused, with where and why. */
export interface RowError {
  /** The row as a spreadsheet numbers it (the header is row 1), or the card's / line's ordinal in the file, from 1. */
  row: number;
  /** The column (or property / key) at fault; null when the row as a whole is. */
  column: string | null;
  /** Stable: the core's error codes, plus the mapping's own (`invalid_phone`, `invalid_email`, `unknown_field`, `invalid_value`, `malformed_record`, `empty_row`). */
  code: string;
  message: string;
}

/** A contact as a file gives it: the native create shape, plus groups by name (made when missing). */
export interface ImportContactInput extends ContactInput {
  group_names?: string[];
}

/** One record of the file, mapped. */
export interface ImportRow {
  /** See RowError.row. */
  row: number;
  /** What would be stored; null when the record could not be mapped at all. */
  input: ImportContactInput | null;
  /** Problems found while mapping; a row with any is refused and nothing of it is written. */
  errors: RowError[];
  /** The record as the file held it: CSV cells in header order, or the card's / line's text. */
  raw: string[] | string;
  /** The column an input path came from (`phone_numbers[1].number` -> `Mobile Phone`), to place a refusal the core reports by path. */
  columnOf(path: string): string | null;
}

/** What `POST /v1/imports/preview` answers. */
export interface ImportPreview {
  format: ImportFormat;
  encoding: TextEncoding;
  delimiter: string | null;
  columns: ColumnPlan[];
  fields_to_define: FieldToDefine[];
  /** The first 20 records as they would be stored, each with its errors. */
  rows: { row: number; contact: PreviewContact | ImportContactInput | null; errors: RowError[] }[];
}

/** What reading a file needs to know of the account. */
export interface ImportReadContext {
  customFields: CustomField[];
  defaultRegion: string;
}
