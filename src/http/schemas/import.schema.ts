import { Type } from 'typebox';
import { IMPORT_FORMATS, IMPORT_MODES } from '../../core/imports/import.types.ts';
import { IMPORT_STATUSES } from '../../core/imports/import-job.types.ts';
import { Id, Nullable, PageOf, Timestamp } from './common.ts';

/** Import jobs: the options of an upload, the job, its refused rows and the preview. */

const mode = Type.Union(IMPORT_MODES.map((m) => Type.Literal(m)), { description: '`create` (default): every row is a new contact, under the book\'s duplicate policy. `upsert`: a row with an `external_id` changes the contact holding it; a row without one changes the one live contact of the book sharing one of its phone numbers (E.164) or emails (any case), whatever the book\'s duplicate policy (several such contacts: the row is refused, `ambiguous_match`). The contact changed gets the fields the row gives (its phones, emails and custom values replace the stored ones). A row matching nothing is created under the book\'s duplicate policy.' });
const region = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 region for numbers written without a country code; the server\'s DEFAULT_REGION when absent.', examples: ['GB'] });

export const ImportOptions = Type.Object(
  {
    address_book_id: Type.Optional(Type.String({ maxLength: 100, description: 'The address book rows go to; the account\'s default book when absent.' })),
    mode: Type.Optional(mode),
    mapping: Type.Optional(Type.Record(Type.String({ maxLength: 500 }), Nullable(Type.String({ maxLength: 200 })), {
      description: 'Column (vCard property, NDJSON key) to target field; null ignores the column. Targets: a field name (`first_name`), `phone_numbers[type=mobile]`, `emails[type=work]`, `messaging[whatsapp]`, `custom_fields.<key>`, `groups`. Columns it does not name are matched by their headers (Google and Outlook exports, native names).',
      examples: [{ 'Mobile Phone': 'phone_numbers[type=mobile]', 'E-mail Address': 'emails[type=work]', 'Customer No': 'custom_fields.customer_no' }],
    })),
    default_region: Type.Optional(region),
    dry_run: Type.Optional(Type.Boolean({ description: 'Validate every row and report; write no contact.' })),
  },
  { $id: 'ImportOptions', additionalProperties: false, description: 'How an upload is imported: the `options` part of a multipart upload, or `?options=<JSON>` beside a raw body.', examples: [{ mode: 'upsert', default_region: 'GB' }] },
);

const count = (description: string) => Type.Integer({ minimum: 0, description });

export const ImportJob = Type.Object(
  {
    id: Id,
    account_id: Type.String({ description: 'The account imported into.' }),
    status: Type.Union(IMPORT_STATUSES.map((s) => Type.Literal(s)), { description: '`queued`, `running`, `completed`, `failed` (see `error`) or `cancelled` (stopped between chunks; what was written stays).' }),
    format: Type.Union(IMPORT_FORMATS.map((f) => Type.Literal(f)), { description: 'The file\'s format, as detected.' }),
    file_name: Nullable(Type.String({ description: 'The uploaded file\'s name, when the upload gave one.' })),
    byte_size: count('The file\'s size in bytes.'),
    options: Type.Unknown({ description: 'The options the job runs with (ImportOptions).' }),
    total: Nullable(count('Records in the file, once counted.')),
    processed: count('Rows with an outcome so far.'),
    created: count('New contacts.'),
    updated: count('Existing contacts changed (upsert).'),
    merged: count('Rows folded into an existing contact by the book\'s `merge` policy (a create, or an upsert row that matched no contact).'),
    skipped: count('Rows that changed nothing: an upsert of what is already stored.'),
    failed: count('Rows refused; each is in `/v1/imports/{id}/errors`.'),
    progress: Type.Number({ minimum: 0, maximum: 1, description: 'processed / total (0 until the total is known).' }),
    rows_per_second: Nullable(Type.Number({ description: 'Rows processed per second since the job started.' })),
    eta_seconds: Nullable(Type.Integer({ description: 'Seconds left at the current rate, while running (null until a rate and the total are known); 0 once completed; null when cancelled or failed.' })),
    error: Nullable(Type.String({ description: 'Why a failed job failed.' })),
    started_at: Nullable(Timestamp),
    finished_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'ImportJob', description: 'An import job and its progress.' },
);
export const ImportJobPage = PageOf(Type.Ref('ImportJob'), 'ImportJobPage');

export const ImportError = Type.Object(
  {
    row: Type.Integer({ description: 'The row as a spreadsheet numbers it (the header is row 1), or the card\'s / line\'s ordinal from 1.' }),
    column: Nullable(Type.String({ description: 'The column (vCard property, NDJSON key) at fault; null when the row as a whole is.' })),
    code: Type.String({ description: 'Stable: the core\'s error codes (`duplicate_contact`, `validation_failed`...) and the mapping\'s (`invalid_phone`, `invalid_email`, `invalid_value`, `malformed_record`...).', examples: ['invalid_phone'] }),
    message: Type.String({ description: 'What is wrong, for people.' }),
    raw: Type.Unknown({ description: 'The row as the file held it (CSV cells, or the card\'s / line\'s text), on the row\'s first problem; null on the others.' }),
  },
  { $id: 'ImportError', description: 'A problem of a refused row.' },
);
export const ImportErrorPage = PageOf(Type.Ref('ImportError'), 'ImportErrorPage');

const columnPlan = Type.Object({
  column: Type.String({ description: 'The header as the file spells it.' }),
  target: Nullable(Type.String({ description: 'Where its values go; null: ignored.' })),
  source: Type.String({ description: '`mapping`, `header` (a known export\'s header), `native` (a field name) or `none`.' }),
  samples: Type.Array(Type.String(), { description: 'The first non-empty values.' }),
});

export const ImportPreview = Type.Object(
  {
    format: Type.String({ description: '`csv`, `vcard` or `ndjson`.' }),
    encoding: Type.String({ description: '`utf-8`, `utf-16le` or `utf-16be`.' }),
    delimiter: Nullable(Type.String({ description: 'CSV only: the detected delimiter.' })),
    columns: Type.Array(columnPlan, { description: 'The proposed mapping, column by column.' }),
    fields_to_define: Type.Array(Type.Object({ key: Type.String(), data_type: Type.String() }), { description: 'Custom fields the import will define.' }),
    rows: Type.Array(Type.Object({ row: Type.Integer(), contact: Type.Unknown({ description: 'What would be stored: the contact as the API would hold it (phones in E.164, the display name made, custom values typed), with `group_names`; a refused row shows what was read of it, null when unreadable.' }), errors: Type.Array(Type.Unknown()) }), { description: 'The first 20 records as they would be stored.' }),
  },
  { $id: 'ImportPreview', description: 'How a file would be imported: what `POST /v1/imports` would do with it, shown before it does.' },
);
