import multipart from '@fastify/multipart';
import Negotiator from 'negotiator';
import { assertMultipartBoundary } from '../multipart-boundary.ts';
import { Type } from 'typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidField, validationError } from '../../core/errors.ts';
import type { ImportOptions } from '../../core/imports/import.types.ts';
import { summaryOf } from '../../core/imports/import-summary.ts';
import { tooLarge } from '../../core/imports/import-file.ts';
import { BY_MEDIA_TYPE, UNSPECIFIC } from '../../core/imports/import-format.ts';
import type { HttpContext } from '../context.ts';
import { IdParams, PageQuery, answer, errorResponses } from '../schemas/common.ts';
import { streamErrorsCsv } from '../../core/imports/import-errors-csv.ts';

const write = { scope: 'contacts:write' as const };
const read = { scope: 'contacts:read' as const };
type Id = { id: string };
type PageParams = { limit?: number; cursor?: string };

/** The media types a file may be sent as, raw; each body is passed on as a stream, never buffered. */
export const RAW_IMPORT_TYPES = [...Object.keys(BY_MEDIA_TYPE), ...UNSPECIFIC];
const UNSUPPORTED_TYPE = 'send multipart/form-data, or the file as text/csv, text/vcard or application/x-ndjson (application/octet-stream, or no content type: the first bytes decide)';

/** The largest `options` part, like the query string's `options`. */
const OPTIONS_MAX_CHARS = 100_000;

/** Room for the form's other parts and headers beside the file. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

const UploadQuery = Type.Object({
  options: Type.Optional(Type.String({ maxLength: 100_000, description: 'ImportOptions as JSON (for a raw body; a multipart upload may send an `options` part instead).' })),
  address_book_id: Type.Optional(Type.String({ maxLength: 100, description: 'Shorthand for the option of that name.' })),
  mode: Type.Optional(Type.String({ description: 'Shorthand for the option of that name.' })),
  default_region: Type.Optional(Type.String({ description: 'Shorthand for the option of that name.' })),
  dry_run: Type.Optional(Type.Boolean({ description: 'Shorthand for the option of that name.' })),
});
type UploadParams = { options?: string; address_book_id?: string; mode?: string; default_region?: string; dry_run?: boolean };

const UPLOAD_DESCRIPTION = 'Send the file as `multipart/form-data` (a `file` part, and an optional `options` part holding ImportOptions as JSON), '
  + 'or as the raw body with its own content type (`text/csv`, `text/vcard`, `application/x-ndjson`; `application/octet-stream` is sniffed), options then in the query string '
  + '(`?options=<JSON>`, or `address_book_id`, `mode`, `default_region`, `dry_run`). CSV: UTF-8 with or without BOM, or UTF-16 with BOM; comma, semicolon or tab.';

/** Import jobs: upload, preview, progress, cancel and the refused rows (README "Import and export"). */
export async function registerImportRoutes({ app, services, validateBody }: HttpContext): Promise<void> {
  const imports = services.imports;
  const tags = ['Imports'];
  const checkOptions = validateBody('ImportOptions');

  /** The options of the query string, then of the `options` part over them; validated whole. */
  function optionsOf(query: UploadParams, part?: string): ImportOptions {
    const given: Record<string, unknown> = {};
    for (const key of ['address_book_id', 'mode', 'default_region', 'dry_run'] as const) if (query[key] !== undefined) given[key] = query[key];
    for (const [name, text] of [['options', query.options], ['options', part]] as const) {
      if (text === undefined) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw invalidField(name, 'is not valid JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidField(name, 'must be a JSON object (ImportOptions)');
      Object.assign(given, parsed);
    }
    const errors = checkOptions(given);
    if (errors.length > 0) throw validationError(errors.map((e) => ({ ...e, path: e.path === '' ? 'options' : `options.${e.path}` })));
    return { mode: 'create', dry_run: false, ...given } as ImportOptions;
  }

  /** The upload's file (stored, or its head for a preview) and options, from either way of sending it. */
  async function readUpload<F>(request: FastifyRequest, take: (body: AsyncIterable<Uint8Array>) => Promise<F>, drop: (file: F) => Promise<void>): Promise<{ file: F; contentType: string | undefined; fileName: string | null; options: ImportOptions }> {
    const query = request.query as UploadParams;
    if (!request.isMultipart()) {
      const contentType = mediaTypeOf(request);
      if (contentType !== undefined && !RAW_IMPORT_TYPES.includes(contentType)) {
        request.raw.resume();
        throw Object.assign(new Error(UNSUPPORTED_TYPE), { statusCode: 415, code: 'CONTACTD_IMPORT_MEDIA_TYPE' });
      }
      if (request.body === undefined || request.body === null) throw invalidField('file', 'the body is empty: send the file');
      let options: ImportOptions;
      try {
        options = optionsOf(query);
      } catch (error) {
        request.raw.resume(); // refused before reading: the body is let go, not stored
        throw error;
      }
      return { file: await take(request.body as AsyncIterable<Uint8Array>), contentType, fileName: null, options };
    }
    assertMultipartBoundary(request, 'file');
    let file: { value: F; contentType: string | undefined; fileName: string | null } | undefined;
    let optionsPart: string | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.fieldname === 'options') {
          // A browser's FormData sends a Blob as a file part; curl's `;type=application/json` arrives parsed.
          optionsPart = part.type === 'file' ? await readOptionsFile(part.file) : typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        } else if (part.type === 'file') {
          if (part.fieldname !== 'file' || file !== undefined) {
            part.file.resume();
            throw invalidField('file', file !== undefined ? 'send one file: the form holds more than one' : `send the file in the part named "file" (got "${part.fieldname}")`);
          }
          const type = part.mimetype && part.mimetype !== 'application/octet-stream' ? part.mimetype.split(';')[0]!.trim().toLowerCase() : undefined;
          file = { value: await take(part.file), contentType: type, fileName: part.filename || null };
        } else if (part.fieldname === 'file' && file === undefined) {
          // A form field rather than a file part (no filename): its text is the file.
          const text = Buffer.from(String(part.value));
          file = { value: await take((async function* () { yield text; })()), contentType: undefined, fileName: null };
        }
      }
      if (file === undefined) throw invalidField('file', 'is required: send the file in the multipart part named "file"');
      return { file: file.value, contentType: file.contentType, fileName: file.fileName, options: optionsOf(query, optionsPart) };
    } catch (error) {
      if (file !== undefined) await drop(file.value);
      throw formErrorOf(error);
    }
  }

  await app.register(async (scope: FastifyInstance) => {
    // The file streams into storage as it arrives: neither way of sending it is buffered whole.
    // Any other type (or none) reaches readUpload too, which refuses it with what to send instead.
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await scope.register(multipart, { limits: { fileSize: imports.maxBytes + 1, files: 2, fields: 10, parts: 20, fieldSize: 1024 * 1024 } });
    const refuseOversize = async (request: FastifyRequest) => {
      const length = Number(request.headers['content-length'] ?? 0);
      const allowance = request.isMultipart() ? FORM_OVERHEAD_BYTES : 0;
      if (length > imports.maxBytes + allowance) {
        throw tooLarge(imports.maxBytes);
      }
    };

    scope.post('/v1/imports', {
      config: write,
      onRequest: refuseOversize,
      schema: {
        tags, summary: 'Import a file of contacts', description: `${UPLOAD_DESCRIPTION} The answer is 202 with \`Location: /v1/imports/{id}\`: the job runs in the background, chunk by chunk, and resumes after a restart.`,
        consumes: ['multipart/form-data', 'text/csv', 'text/vcard', 'application/x-ndjson'], querystring: UploadQuery,
        response: { 202: answer(Type.Ref('ImportJob'), 'Accepted: the job.'), ...errorResponses(404, 413, 415) },
      },
    }, async (request, reply) => {
      const upload = await readUpload(request, (body) => imports.storeFile(body), (file) => imports.discardFile(file.fileId));
      const job = await imports.acceptStored(request.principal, { ...upload.file, contentType: upload.contentType, fileName: upload.fileName }, upload.options);
      return reply.status(202).header('location', `/v1/imports/${job.id}`).send(summaryOf(job));
    });

    scope.post('/v1/imports/preview', {
      config: write,
      onRequest: refuseOversize,
      schema: {
        tags, summary: 'Preview how a file would be imported', description: `${UPLOAD_DESCRIPTION} Answers at once from the file's first megabyte; nothing is stored.`,
        consumes: ['multipart/form-data', 'text/csv', 'text/vcard', 'application/x-ndjson'], querystring: UploadQuery,
        response: { 200: answer(Type.Ref('ImportPreview'), 'The detected format, the proposed mapping with samples and the first 20 rows.'), ...errorResponses(404, 413, 415) },
      },
    }, async (request) => {
      const upload = await readUpload(request, (body) => imports.readHead(body), async () => {});
      return imports.preview(request.principal, upload.file, upload.contentType, upload.options);
    });
  });

  app.get('/v1/imports', { config: read, schema: { tags, summary: 'List import jobs', description: 'Newest first.', querystring: Type.Object(PageQuery), response: { 200: answer(Type.Ref('ImportJobPage'), 'A page.'), ...errorResponses() } } },
    async (request) => {
      const { limit = 50, cursor } = request.query as PageParams;
      const page = await imports.list(request.principal, limit, cursor);
      return { data: page.items.map((j) => summaryOf(j)), next_cursor: page.nextCursor };
    });
  app.get('/v1/imports/:id', { config: read, schema: { tags, summary: 'Get an import job', params: IdParams, response: { 200: answer(Type.Ref('ImportJob'), 'The job and its progress.'), ...errorResponses(404) } } },
    async (request) => summaryOf(await imports.get(request.principal, (request.params as Id).id)));
  app.post('/v1/imports/:id/cancel', {
    config: write,
    schema: { tags, summary: 'Cancel an import job', description: 'The job stops between chunks; what was written stays, and the counts say what. A finished job is left as it is.', params: IdParams, response: { 200: answer(Type.Ref('ImportJob'), 'The job.'), ...errorResponses(404) } },
  }, async (request) => summaryOf(await imports.cancel(request.principal, (request.params as Id).id)));
  app.get('/v1/imports/:id/errors', {
    config: read,
    schema: {
      tags, summary: 'The refused rows of an import', params: IdParams, querystring: Type.Object(PageQuery), produces: ['application/json', 'text/csv'],
      description: 'Each problem of each refused row, in file order. With `Accept: text/csv`: the refused rows as the file held them (its header, then each row once) plus an `error` column, ready to fix and import again; streamed whole, `limit` and `cursor` do not apply.',
      response: { 200: answer(Type.Ref('ImportErrorPage'), 'A page (or, with Accept: text/csv, the CSV report).'), ...errorResponses(404) },
    },
  }, async (request, reply: FastifyReply) => {
    const { id } = request.params as Id;
    if (prefersCsv(request)) {
      const job = await imports.get(request.principal, id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${id}-errors.csv"`).send(streamErrorsCsv(job, () => imports.allErrors(request.principal, id)));
    }
    const { limit = 50, cursor } = request.query as PageParams;
    const page = await imports.errors(request.principal, id, limit, cursor);
    return { data: page.items.map(({ seq: _seq, ...e }) => e), next_cursor: page.nextCursor };
  });
}

function mediaTypeOf(request: FastifyRequest): string | undefined {
  const type = request.headers['content-type']?.split(';')[0]!.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** An `options` part sent as a file, read whole (it is small) as text. */
async function readOptionsFile(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += chunk.length;
    if (length > OPTIONS_MAX_CHARS) throw invalidField('options', `is longer than ${OPTIONS_MAX_CHARS} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The form reader's own refusals, which are 413 or 406 there, said as what the sender got wrong. */
function formErrorOf(error: unknown): unknown {
  switch ((error as { code?: string }).code) {
    case 'FST_FILES_LIMIT':
      return invalidField('file', 'send one file, in the part named "file" (and the options, if any, in the part named "options")');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return invalidField('file', 'the form has too many parts: send a "file" part and, if needed, an "options" part');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return invalidField('options', 'is not valid JSON');
    default:
      return error;
  }
}

/** Whether Accept ranks text/csv above JSON (q-values, then specificity); JSON is the default. */
function prefersCsv(request: FastifyRequest): boolean {
  return new Negotiator(request.raw).mediaType(['application/json', 'text/csv']) === 'text/csv';
}
