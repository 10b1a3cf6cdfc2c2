import type { ListShape } from '../ports.ts';
import type { Contact, CustomField } from '../types.ts';

/** The file formats contacts are exported in. */
export const EXPORT_FORMATS = ['csv', 'vcard', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const VCARD_VERSIONS = ['3.0', '4.0'] as const;
export type VCardVersion = (typeof VCARD_VERSIONS)[number];

/** What a writer may need to know of the account and the exported set, all read in the export's snapshot. */
export interface ExportContext {
  /** Every custom field the account defines, in definition order. */
  customFields: CustomField[];
  /** Group names by id. */
  groupNames: Map<string, string>;
  /** Address book names by id. */
  bookNames: Map<string, string>;
  /** The longest phone, email and messaging lists in the exported set (the CSV's numbered columns). */
  shape: ListShape;
}

/** Turns contacts into a file's text, a page at a time; knows nothing of where the text goes. */
export interface ContactWriter {
  /** What the file starts with (a CSV's header line); '' for none. */
  start(): string;
  /** The text of these contacts, in order. */
  write(contacts: Contact[]): string;
}

export type WriterFactory = (context: ExportContext) => ContactWriter;
