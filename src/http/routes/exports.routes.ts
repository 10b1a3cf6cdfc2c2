import { Type } from 'typebox';
import type { ExportFormat, VCardVersion } from '../../core/exports/export.types.ts';
import { EXPORT_MEDIA, writerFor } from '../../formats/export/index.ts';
import type { HttpContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';
import { ContactExportQuery } from '../schemas/contact.schema.ts';
import { startTextStream } from '../text-stream.ts';
import { contactQueryOf } from './contacts.routes.ts';

/** `GET /v1/contacts/export`: the account's contacts as one file, streamed from one snapshot. */
export function registerExportRoutes({ app, services }: HttpContext): void {
  const file = (description: string) => ({ schema: Type.String({ description }) });
  app.get('/v1/contacts/export', {
    config: { scope: 'contacts:read' as const },
    schema: {
      tags: ['Contacts'],
      summary: 'Export contacts as a CSV, vCard or NDJSON file',
      description:
        'Live contacts matching the list filters, in creation order, streamed as they are read from one consistent snapshot: ' +
        'writes made meanwhile are not in the file, in part or whole. The CSV has one column per field, numbered columns for ' +
        'each phone, email and messaging handle (as many as the contact with the most), a `custom_fields.<key>` column per custom ' +
        'field and groups by name; the import reads it back. vCards are 3.0 unless `version=4.0`.',
      querystring: ContactExportQuery,
      response: {
        200: {
          description: 'The file, sent as an attachment.',
          content: {
            'text/csv': file('The native CSV layout.'),
            'text/vcard': file('One vCard after another.'),
            'application/x-ndjson': file('One contact a line, in the create shape plus `id`, with `groups` by name.'),
          },
        },
        ...errorResponses(),
      },
    },
  }, async (request, reply) => {
    const query = request.query as { format: ExportFormat; version?: VCardVersion } & Record<string, any>;
    const { addressBookId, groupId, type, q, updatedSince } = contactQueryOf(query);
    const chunks = services.exports.exportContacts(request.principal, { addressBookId, groupId, type, q, updatedSince }, writerFor(query.format, query.version));
    const body = await startTextStream(chunks);
    const media = EXPORT_MEDIA[query.format];
    const name = `contacts-${new Date().toISOString().slice(0, 10)}.${media.extension}`;
    return reply.header('content-type', media.contentType).header('content-disposition', `attachment; filename="${name}"`).send(body);
  });
}
