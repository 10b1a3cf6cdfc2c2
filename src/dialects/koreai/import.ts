import { parse } from 'csv-parse';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { Value } from 'typebox/value';
import { DomainError, invalidField, validationError } from '../../core/errors.ts';
import type { Services } from '../../core/services.ts';
import type { ContactInput } from '../../core/types.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { assertMultipartBoundary, readBoundaryAsMultipart, refuseOversizeUpload } from '../shared/multipart.ts';
import { domainFailureOf } from './errors.ts';
import { createInputOf, toKoreContact, wireFieldOf } from './mapping.ts';
import { KORE_CREATE, streamBookByName, streamOf } from './routes.ts';
import { CreateBody, ImportAnswer, StreamParams, errors, security, tags } from './schemas.ts';

/** Largest CSV file and most data rows per import: the answer lists every row, so both are bounded. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS = 10_000;

/** The CSV columns of Kore's sample file, and where each goes in a create body. */
const COLUMNS = ['firstName', 'lastName', 'salutation', 'cellPhoneNumber', 'cellPhoneCountryCode', 'cellPhoneExtension'] as const;
type Column = (typeof COLUMNS)[number];
const WIRE_PATH: Record<string, Column> = { 'cellPhone.phoneNumber': 'cellPhoneNumber', 'cellPhone.countryCode': 'cellPhoneCountryCode', 'cellPhone.extension': 'cellPhoneExtension' };

/** POST /import-contacts: multipart field `result_file`, a CSV with a header line naming COLUMNS. */
export function registerKoreImport(scope: FastifyInstance, services: Services): void {
  scope.post('/import-contacts', {
    config: { platformScope: 'contacts:write' },
    onRequest: [readBoundaryAsMultipart, refuseOversizeUpload(MAX_FILE_BYTES)],
    schema: {
      tags, security, summary: 'Create bulk contacts from a CSV file (Kore.ai)', params: StreamParams, consumes: ['multipart/form-data'],
      description: `Send \`multipart/form-data\` with the file in the field \`result_file\`: a CSV whose header line names ${COLUMNS.map((c) => `\`${c}\``).join(', ')} (any order; other columns are ignored). `
        + `Each row is created on its own, under the create rules (a number already in the stream, or earlier in the file, is refused). At most ${MAX_ROWS} rows and ${MAX_FILE_BYTES / 1024 / 1024} MiB.`,
      response: { 200: { ...ImportAnswer, description: 'One entry per data row: the created contact (as Kore\'s sample answer), or `{row, errors}`.' }, ...errors(413, 415) },
    },
  }, async (request) => {
    if (!request.isMultipart()) throw Object.assign(new Error('Send the file as multipart/form-data'), { statusCode: 415 });
    assertMultipartBoundary(request, 'result_file');
    const rows = await readRows(request);
    const items = rows.map((row) => {
      try {
        return inputOfRow(row);
      } catch (error) {
        if (error instanceof DomainError) return error;
        throw error;
      }
    });
    // The stream's book is made with the first row written, so a file whose every row is refused leaves none.
    const outcomes = await services.contacts.createMany(request.principal, items, { ...KORE_CREATE, bookByName: streamBookByName(request) });
    return outcomes.map((o, i) => ('contact' in o ? toKoreContact(o.contact, streamOf(request)) : { row: i + 1, errors: domainFailureOf(o.error as DomainError, columnOf).errors }));
  });
}

/** Streams the one file through the CSV parser; a bad file (no header, malformed CSV, too big) fails whole, before anything is written. */
async function readRows(request: FastifyRequest): Promise<Record<Column, string | undefined>[]> {
  const part = await request.file({ limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 20 } });
  if (!part) throw invalidField('result_file', 'is required: send the CSV file in this multipart field');
  if (part.fieldname !== 'result_file') {
    part.file.resume();
    throw invalidField('result_file', `is required (the file came in "${part.fieldname}")`);
  }
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, max_record_size: 64 * 1024 });
  part.file.on('error', (error) => parser.destroy(error));
  let header: string[] | undefined;
  const rows: Record<Column, string | undefined>[] = [];
  try {
    for await (const record of part.file.pipe(parser) as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = record;
        const missing = COLUMNS.filter((c) => !header!.includes(c));
        if (missing.length > 0) throw invalidField('result_file', `the header line lacks the column(s) ${missing.join(', ')}`);
        continue;
      }
      if (rows.length === MAX_ROWS) throw invalidField('result_file', `holds more than ${MAX_ROWS} rows`);
      rows.push(Object.fromEntries(COLUMNS.map((c) => [c, record[header!.indexOf(c)]])) as Record<Column, string | undefined>);
    }
  } catch (error) {
    part.file.resume();
    if (error instanceof DomainError || (error as { statusCode?: number }).statusCode === 413) throw error;
    throw invalidField('result_file', `is not a valid CSV file: ${(error as Error).message}`);
  }
  if (part.file.truncated) throw Object.assign(new Error(`The file is larger than ${MAX_FILE_BYTES} bytes`), { statusCode: 413, code: 'FST_REQ_FILE_TOO_LARGE' });
  if (header === undefined) throw invalidField('result_file', 'is empty: it needs a header line and rows');
  return rows;
}

/** A field of a row's error as its CSV column (the row's own checks already speak in columns). */
function columnOf(path: string): string {
  const wire = wireFieldOf(path);
  return WIRE_PATH[wire] ?? wire;
}

/** A row, checked by the same schema as a create body; errors name the CSV columns. */
function inputOfRow(row: Record<Column, string | undefined>): ContactInput {
  const body = {
    firstName: row.firstName, lastName: row.lastName, salutation: row.salutation,
    cellPhone: { phoneNumber: row.cellPhoneNumber, countryCode: row.cellPhoneCountryCode, extension: row.cellPhoneExtension },
  };
  // An empty cell is a missing value.
  const pruned = JSON.parse(JSON.stringify(body, (_k, v) => (v === '' ? undefined : v)));
  if (!Value.Check(CreateBody, pruned)) {
    // TypeBox names every missing property of an object in one error; Ajv (fieldErrorsOf) one each.
    const ajvLike = [...Value.Errors(CreateBody, pruned)].flatMap((e): object[] =>
      e.keyword === 'required' ? (e.params as { requiredProperties: string[] }).requiredProperties.map((missingProperty) => ({ ...e, params: { missingProperty } })) : [e]);
    const fields = fieldErrorsOf(ajvLike as never[]).map((f) => ({ path: WIRE_PATH[f.path] ?? f.path, message: f.message }));
    throw validationError(fields);
  }
  return createInputOf(pruned as Static<typeof CreateBody>);
}
