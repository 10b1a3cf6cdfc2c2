import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { Services } from '../../core/services.ts';
import { ZOOM, zoomError } from './errors.ts';
import { toZoomBook, toZoomUnit } from './mapping.ts';
import {
  BookCreateBody, BookList, BookListQuery, BookParams, BookPatchBody, DEFAULT_PAGE, PageQuery, UnitCreateBody, UnitList, UnitParams, UnitPatchBody,
  ZoomBook, ZoomUnit, errors, noContent, security, tags,
} from './schemas.ts';

const read = { platformScope: 'contacts:read' as const };
const write = { platformScope: 'contacts:write' as const };
const base = '/contact_center/address_books';

/** Units and address books (listUnits ... deleteAddressBook of the OpenAPI file). */
export function registerZoomUnitRoutes(scope: FastifyInstance, services: Services): void {
  const { units, addressBooks } = services;

  scope.get(`${base}/units`, {
    config: read,
    schema: { tags, security, summary: 'List address book units (Zoom)', querystring: PageQuery, response: { 200: { ...UnitList, description: 'Units list returned.' }, ...errors() } },
  }, async (request) => {
    const query = request.query as Static<typeof PageQuery>;
    const limit = query.page_size ?? DEFAULT_PAGE;
    const page = await units.list(request.principal, limit, query.next_page_token);
    return { ...tokenOf(page.nextCursor), page_size: limit, total_records: page.total, units: page.items.map(toZoomUnit) };
  });

  scope.post(`${base}/units`, {
    config: write,
    schema: {
      tags, security, summary: 'Create an address book unit (Zoom)', description: 'Unit names are unique in the account (taken: 400, code 1904).',
      body: UnitCreateBody, response: { 201: { ...ZoomUnit, description: 'Unit created.' }, ...errors() },
    },
  }, async (request, reply) => {
    const body = request.body as Static<typeof UnitCreateBody>;
    const unit = await units.create(request.principal, { name: nameOf(body.unit_name, 'unit_name'), description: body.unit_description ?? null });
    return reply.status(201).send(toZoomUnit(unit));
  });

  scope.get(`${base}/units/:unitId`, {
    config: read,
    schema: { tags, security, summary: 'Get an address book unit (Zoom)', params: UnitParams, response: { 200: { ...ZoomUnit, description: 'Unit returned.' }, ...errors(404) } },
  }, async (request) => toZoomUnit(await units.get(request.principal, (request.params as Static<typeof UnitParams>).unitId)));

  scope.patch(`${base}/units/:unitId`, {
    config: write,
    schema: { tags, security, summary: 'Update an address book unit (Zoom)', params: UnitParams, body: UnitPatchBody, response: { ...noContent('Unit updated.'), ...errors(404) } },
  }, async (request, reply) => {
    const body = request.body as Static<typeof UnitPatchBody>;
    await units.update(request.principal, (request.params as Static<typeof UnitParams>).unitId, {
      ...(body.unit_name !== undefined ? { name: nameOf(body.unit_name, 'unit_name') } : {}),
      ...(body.unit_description !== undefined ? { description: body.unit_description } : {}),
    });
    return reply.status(204).send();
  });

  scope.delete(`${base}/units/:unitId`, {
    config: write,
    schema: {
      tags, security, summary: 'Delete an address book unit (Zoom)',
      description: 'Its address books move to the account\'s default unit, which cannot be deleted (400, code 1905).',
      params: UnitParams, response: { ...noContent('Unit deleted.'), ...errors(404) },
    },
  }, async (request, reply) => {
    await units.delete(request.principal, (request.params as Static<typeof UnitParams>).unitId);
    return reply.status(204).send();
  });

  scope.get(base, {
    config: read,
    schema: {
      tags, security, summary: 'List address books (Zoom)', description: 'Every book of the account, or of `unit_id` (unknown: 404, code 1901).',
      querystring: BookListQuery, response: { 200: { ...BookList, description: 'Address books list returned.' }, ...errors(404) },
    },
  }, async (request) => {
    const query = request.query as Static<typeof BookListQuery>;
    const limit = query.page_size ?? DEFAULT_PAGE;
    const page = await units.listBooks(request.principal, unitIdOf(query.unit_id), limit, query.next_page_token);
    return { ...tokenOf(page.nextCursor), page_size: limit, total_records: page.total, address_books: page.items.map(toZoomBook) };
  });

  scope.post(base, {
    config: write,
    schema: {
      tags, security, summary: 'Create an address book (Zoom)',
      description: 'Into `unit_id`, else the default unit. Names are unique in the account (taken: 400, code 2002); missing or empty: 400, code 1903.',
      body: BookCreateBody, response: { 201: { ...ZoomBook, description: 'Address book created.' }, ...errors(404) },
    },
  }, async (request, reply) => {
    const body = request.body as Static<typeof BookCreateBody>;
    const name = body.address_book_name?.trim() ?? '';
    if (name === '') throw zoomError(400, ZOOM.addressBookNameEmpty, 'The address_book_name field cannot be an empty value.');
    const unitId = unitIdOf(body.unit_id);
    const book = await addressBooks.create(request.principal, { name, description: body.address_book_description ?? null, ...(unitId !== undefined ? { unit_id: unitId } : {}) });
    return reply.status(201).send(toZoomBook(await units.bookSummary(request.principal, book)));
  });

  scope.get(`${base}/:addressBookId`, {
    config: read,
    schema: { tags, security, summary: 'Get an address book (Zoom)', params: BookParams, response: { 200: { ...ZoomBook, description: 'Address book returned.' }, ...errors(404) } },
  }, async (request) => {
    const book = await addressBooks.get(request.principal, (request.params as Static<typeof BookParams>).addressBookId);
    return toZoomBook(await units.bookSummary(request.principal, book));
  });

  scope.patch(`${base}/:addressBookId`, {
    config: write,
    schema: { tags, security, summary: 'Update an address book (Zoom)', params: BookParams, body: BookPatchBody, response: { ...noContent('Address book updated.'), ...errors(404) } },
  }, async (request, reply) => {
    const body = request.body as Static<typeof BookPatchBody>;
    if (body.address_book_name !== undefined && body.address_book_name.trim() === '') throw zoomError(400, ZOOM.addressBookNameEmpty, 'The address_book_name field cannot be an empty value.');
    await addressBooks.update(request.principal, (request.params as Static<typeof BookParams>).addressBookId, {
      ...(body.address_book_name !== undefined ? { name: body.address_book_name.trim() } : {}),
      ...(body.address_book_description !== undefined ? { description: body.address_book_description } : {}),
    });
    return reply.status(204).send();
  });

  scope.delete(`${base}/:addressBookId`, {
    config: { ...write, zoomErrors: { bookNotFound: ZOOM.addressBookNotFoundOnDelete } },
    schema: {
      tags, security, summary: 'Delete an address book (Zoom)',
      description: 'With its contacts. The account\'s default book stays (400, code 2004); unknown: 404, code 1201 (as the file says for this operation).',
      params: BookParams, response: { ...noContent('Address book deleted.'), ...errors(404) },
    },
  }, async (request, reply) => {
    await addressBooks.delete(request.principal, (request.params as Static<typeof BookParams>).addressBookId, true);
    return reply.status(204).send();
  });
}

export function tokenOf(cursor: string | null): { next_page_token?: string } {
  return cursor === null ? {} : { next_page_token: cursor };
}

/** `unit_id` as given: absent means "none named"; present but empty is Zoom's 1902. */
function unitIdOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '') throw zoomError(400, ZOOM.unitIdEmpty, 'The unit_id field cannot be an empty value.');
  return raw.trim();
}

function nameOf(raw: string, field: string): string {
  if (raw.trim() === '') throw zoomError(400, ZOOM.invalidField, `Invalid field. ${field} must not be empty.`);
  return raw.trim();
}
