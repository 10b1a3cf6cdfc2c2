import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { decodeCursor, encodeCursor } from '../../core/cursor.ts';
import type { Services } from '../../core/services.ts';
import type { CustomField, Page } from '../../core/types.ts';
import { ZOOM, zoomError } from './errors.ts';
import { fieldInputOf, toZoomField } from './field-mapping.ts';
import { ContactFieldList, ContactIdParams, FieldCreateBody, FieldList, FieldParams, FieldPatchBody, ZoomField } from './field-schemas.ts';
import { contactFieldValues, indexFields } from './mapping.ts';
import { DEFAULT_PAGE, PageQuery, errors, noContent, security, tags } from './schemas.ts';
import { tokenOf } from './unit.routes.ts';

const read = { platformScope: 'contacts:read' as const };
const write = { platformScope: 'contacts:write' as const };
const base = '/contact_center/address_books';
/** A custom field's address books that do not exist: 404, code 2006. */
const fieldBooks = { bookNotFound: ZOOM.addressBooksNotFound };

/** The account's custom fields (Zoom "address book custom fields") and a contact's values of them. */
export function registerZoomFieldRoutes(scope: FastifyInstance, services: Services): void {
  const fields = services.customFields;

  /** Book names for the fields' `address_books`. */
  async function bookNames(request: FastifyRequest): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await services.addressBooks.list(request.principal, 500, cursor);
      for (const b of page.items) names.set(b.id, b.name);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return names;
  }

  scope.get(`${base}/custom_fields`, {
    config: read,
    schema: { tags, security, summary: 'List address book custom fields (Zoom)', querystring: PageQuery, response: { 200: { ...FieldList, description: 'The custom fields.' }, ...errors() } },
  }, async (request) => {
    const query = request.query as Static<typeof PageQuery>;
    const limit = query.page_size ?? DEFAULT_PAGE;
    const all = await fields.list(request.principal);
    const page = pageOfFields(all, limit, query.next_page_token);
    const names = await bookNames(request);
    return { ...tokenOf(page.nextCursor), page_size: limit, total_records: all.length, custom_fields: page.items.map((f) => toZoomField(f, names)) };
  });

  scope.post(`${base}/custom_fields`, {
    config: { ...write, zoomErrors: fieldBooks },
    schema: {
      tags, security, summary: 'Create an address book custom field (Zoom)',
      description: 'Names are unique in the account (taken: 400, code 2107). At most 4096 fields (2110).',
      body: FieldCreateBody, response: { 201: { ...ZoomField, description: 'Custom field created.' }, ...errors(404) },
    },
  }, async (request, reply) => {
    const field = await fields.createNamed(request.principal, fieldInputOf(request.body as Static<typeof FieldCreateBody>));
    return reply.status(201).send(toZoomField(field, await bookNames(request)));
  });

  scope.get(`${base}/custom_fields/:customFieldId`, {
    config: read,
    schema: { tags, security, summary: 'Get an address book custom field (Zoom)', params: FieldParams, response: { 200: { ...ZoomField, description: 'The custom field.' }, ...errors(404) } },
  }, async (request) => toZoomField(await fields.getById(request.principal, (request.params as Static<typeof FieldParams>).customFieldId), await bookNames(request)));

  scope.patch(`${base}/custom_fields/:customFieldId`, {
    config: { ...write, zoomErrors: fieldBooks },
    schema: {
      tags, security, summary: 'Update an address book custom field (Zoom)',
      description: 'The file requires `custom_field_name` and `data_type`. The field keeps its id, so contacts keep their values (shown as `outdated` when they no longer fit).',
      params: FieldParams, body: FieldPatchBody, response: { ...noContent('Custom field updated.'), ...errors(404) },
    },
  }, async (request, reply) => {
    await fields.update(request.principal, (request.params as Static<typeof FieldParams>).customFieldId, fieldInputOf(request.body as Static<typeof FieldPatchBody>, true));
    return reply.status(204).send();
  });

  scope.delete(`${base}/custom_fields/:customFieldId`, {
    config: write,
    schema: {
      tags, security, summary: 'Delete an address book custom field (Zoom)', description: 'Values stay in the contacts\' records but are no longer shown.',
      params: FieldParams, response: { ...noContent('Custom field deleted.'), ...errors(404) },
    },
  }, async (request, reply) => {
    const field = await fields.getById(request.principal, (request.params as Static<typeof FieldParams>).customFieldId);
    await fields.delete(request.principal, field.key);
    return reply.status(204).send();
  });

  scope.get(`${base}/contacts/:contactId/custom_fields`, {
    config: read,
    schema: {
      tags, security, summary: 'List a contact\'s custom fields (Zoom)', params: ContactIdParams, querystring: PageQuery,
      response: { 200: { ...ContactFieldList, description: 'Contact custom fields are returned.' }, ...errors(404) },
    },
  }, async (request) => {
    const query = request.query as Static<typeof PageQuery>;
    const limit = query.page_size ?? DEFAULT_PAGE;
    const id = (request.params as Static<typeof ContactIdParams>).contactId;
    const contact = await services.contacts.get(request.principal, id);
    // A merged or deactivated record is no longer a contact Zoom can show.
    if (contact.status !== 'active') throw zoomError(404, ZOOM.contactNotFound, `Contact does not exist: ${id}.`);
    const values = contactFieldValues(contact, indexFields(await fields.list(request.principal)), fields.region);
    const start = offsetOf(query.next_page_token);
    const slice = values.slice(start, start + limit);
    return { ...tokenOf(start + limit < values.length ? encodeCursor(start + limit) : null), page_size: limit, custom_fields: slice };
  });
}

/** The account's fields are few (at most 4096) and read whole; a page is the slice after the cursor's `seq`. */
function pageOfFields(all: CustomField[], limit: number, token: string | undefined): Page<CustomField> {
  const after = decodeCursor(token) ?? 0;
  const rest = all.filter((f) => f.seq > after);
  const items = rest.slice(0, limit);
  return { items, nextCursor: rest.length > limit ? encodeCursor(items[items.length - 1]!.seq) : null };
}

function offsetOf(token: string | undefined): number {
  return decodeCursor(token) ?? 0;
}
