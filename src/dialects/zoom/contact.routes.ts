import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { ContactRequirements } from '../../core/contacts/contact-requirements.ts';
import { undefinedIfRefused } from '../../core/errors.ts';
import type { Services } from '../../core/services.ts';
import type { AddressBook, Contact, Principal } from '../../core/types.ts';
import { isEmail } from '../../core/values.ts';
import {
  ContactCreateBody, ContactList, ContactListQuery, ContactParams, ContactPatchBody, MAX_FILTER_VALUES, ZoomContact,
} from './contact-schemas.ts';
import { ZOOM, zoomError } from './errors.ts';
import { contactInputOf, indexFields, toZoomContact, type FieldIndex } from './mapping.ts';
import { BookParams, DEFAULT_PAGE, ZOOM_PREFIX, errors, noContent, security, tags } from './schemas.ts';
import { tokenOf } from './unit.routes.ts';

const read = { platformScope: 'contacts:read' as const };
const write = { platformScope: 'contacts:write' as const };
const base = '/contact_center/address_books/:addressBookId/contacts';

/** README Decision: every contact Zoom writes has a display name (2104) and a phone or email (2102); a core policy. */
export const ZOOM_REQUIRES: ContactRequirements = { displayName: true, phoneOrEmail: true };

/** What the contact routes and the batch routes share: the book, the fields, and the wire shape. */
export function contactContext(services: Services) {
  return {
    async book(principal: Principal, id: string): Promise<AddressBook> {
      return services.addressBooks.get(principal, id);
    },
    async fields(principal: Principal): Promise<FieldIndex> {
      return indexFields(await services.customFields.list(principal));
    },
    /** The live contact of this book, else 404 / 2101 (another book's or tenant's contact too). */
    async contactInBook(principal: Principal, book: AddressBook, id: string): Promise<Contact> {
      const contact = await services.contacts.get(principal, id).catch(undefinedIfRefused);
      if (!contact || contact.address_book_id !== book.id || contact.status !== 'active') throw zoomError(404, ZOOM.contactNotFound, `Contact does not exist: ${id}.`);
      return contact;
    },
    wire(request: FastifyRequest, contact: Contact, book: AddressBook, fields: FieldIndex) {
      const url = `${request.protocol}://${request.host}${ZOOM_PREFIX}/contact_center/address_books/contacts/${contact.id}/custom_fields`;
      return toZoomContact(contact, book, fields, url);
    },
  };
}

/** Contacts of an address book (listContacts, createContact, getContact, updateContact, contactDelete). */
export function registerZoomContactRoutes(scope: FastifyInstance, services: Services): void {
  const { contacts } = services;
  const context = contactContext(services);
  const region = services.customFields.region;

  scope.get(base, {
    config: read,
    schema: {
      tags, security, summary: 'List an address book\'s contacts (Zoom)',
      description: 'Oldest first. `phone_numbers` and `emails` (repeated or comma-separated, exact, at most 10 each: else 400, code 300) keep the contacts holding one of them; both given: both must hold.',
      params: BookParams, querystring: ContactListQuery, response: { 200: { ...ContactList, description: 'Contacts list returned.' }, ...errors(404) },
    },
  }, async (request) => {
    const query = request.query as Static<typeof ContactListQuery>;
    const book = await context.book(request.principal, (request.params as Static<typeof BookParams>).addressBookId);
    const phones = filterValues(query.phone_numbers, 'phone numbers');
    const emails = filterValues(query.emails, 'emails');
    const bad = emails?.find((e) => !isEmail(e));
    if (bad !== undefined) throw zoomError(400, ZOOM.invalidField, `Invalid email: ${bad}`);
    const limit = query.page_size ?? DEFAULT_PAGE;
    const page = await contacts.listPageWithTotal(request.principal, {
      addressBookId: book.id, ...(phones ? { phonesAnyOf: phones } : {}), ...(emails ? { emailsAnyOf: emails } : {}),
    }, limit, query.next_page_token);
    const fields = await context.fields(request.principal);
    return { ...tokenOf(page.nextCursor), page_size: limit, total_records: page.total, contacts: page.items.map((c) => context.wire(request, c, book, fields)) };
  });

  scope.post(base, {
    config: write,
    schema: {
      tags, security, summary: 'Create an address book contact (Zoom)',
      description: 'Needs `display_name` (2104) and a phone number or email (2102). `variables` and `custom_fields` name the account\'s custom fields by id (unknown: 2114; a value that does not fit: 2113, outside a pick list: 2116).',
      params: BookParams, body: ContactCreateBody, response: { 201: { ...ZoomContact, description: 'Contact created.' }, ...errors(404) },
    },
  }, async (request, reply) => {
    const book = await context.book(request.principal, (request.params as Static<typeof BookParams>).addressBookId);
    const fields = await context.fields(request.principal);
    const input = contactInputOf(request.body as Static<typeof ContactCreateBody>, fields, region);
    const { contact } = await contacts.create(request.principal, { ...input, address_book_id: book.id }, { requires: ZOOM_REQUIRES });
    return reply.status(201).send(context.wire(request, contact, book, fields));
  });

  scope.get(`${base}/:contactId`, {
    config: read,
    schema: { tags, security, summary: 'Get an address book contact (Zoom)', params: ContactParams, response: { 200: { ...ZoomContact, description: 'Contact returned.' }, ...errors(404) } },
  }, async (request) => {
    const params = request.params as Static<typeof ContactParams>;
    const book = await context.book(request.principal, params.addressBookId);
    const contact = await context.contactInBook(request.principal, book, params.contactId);
    return context.wire(request, contact, book, await context.fields(request.principal));
  });

  scope.patch(`${base}/:contactId`, {
    config: write,
    schema: {
      tags, security, summary: 'Update an address book contact (Zoom)',
      description: 'Changes the fields given; `phone_numbers`, `emails` and `consumer_ids` replace their lists; a custom field value that is empty clears it. The contact must keep a display name and a phone or email.',
      params: ContactParams, body: ContactPatchBody, response: { ...noContent('Contact updated.'), ...errors(404) },
    },
  }, async (request, reply) => {
    const params = request.params as Static<typeof ContactParams>;
    const book = await context.book(request.principal, params.addressBookId);
    const current = await context.contactInBook(request.principal, book, params.contactId);
    const input = contactInputOf(request.body as Static<typeof ContactPatchBody>, await context.fields(request.principal), region, current);
    await contacts.patch(request.principal, current.id, input, undefined, { requires: ZOOM_REQUIRES });
    return reply.status(204).send();
  });

  scope.delete(`${base}/:contactId`, {
    config: write,
    schema: { tags, security, summary: 'Delete an address book contact (Zoom)', params: ContactParams, response: { ...noContent('Contact deleted.'), ...errors(404) } },
  }, async (request, reply) => {
    const params = request.params as Static<typeof ContactParams>;
    const book = await context.book(request.principal, params.addressBookId);
    const current = await context.contactInBook(request.principal, book, params.contactId);
    await contacts.delete(request.principal, current.id);
    return reply.status(204).send();
  });
}

/** A repeated or comma-separated filter as a list; more than 10 values is Zoom's 400 / 300. */
function filterValues(raw: string | string[] | undefined, label: string): string[] | undefined {
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (values.length === 0) return undefined;
  if (values.length > MAX_FILTER_VALUES) throw zoomError(400, ZOOM.invalidField, `Number of ${label} exceeds max limit of ${MAX_FILTER_VALUES}`);
  return values;
}
