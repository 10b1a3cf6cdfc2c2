import type { FastifyReply } from 'fastify';
import { invalidField, validationError } from '../../core/errors.ts';
import type { ContactQuery } from '../../core/contacts/contact-queries.ts';
import type { Contact, ContactInput } from '../../core/types.ts';
import type { HttpContext } from '../context.ts';
import { problemOf } from '../problems.ts';
import { IdParams, answer, errorResponses } from '../schemas/common.ts';
import { ContactListQuery, ExternalIdParams, LookupQuery } from '../schemas/contact.schema.ts';
import { Type } from 'typebox';

const tags = ['Contacts'];
const read = { scope: 'contacts:read' as const };
const write = { scope: 'contacts:write' as const };
const contactRef = Type.Ref('Contact');

/** Native contact routes: CRUD, upsert by external id, merge and unmerge, batch, list and lookup. */
export function registerContactRoutes({ app, services, validateBody }: HttpContext): void {
  const contacts = services.contacts;
  const checkBatchItem = validateBody('ContactCreate');

  app.post('/v1/contacts', {
    config: write,
    schema: {
      tags, summary: 'Create a contact', description: 'In a `merge` book a contact sharing a phone or email is merged into the existing one (200).',
      body: Type.Ref('ContactCreate'),
      response: { 201: answer(contactRef, 'The new contact.'), 200: answer(contactRef, 'Merged into the existing contact that shares an address (merge books).'), ...errorResponses(409) },
    },
  }, async (request, reply) => {
    const { contact, outcome } = await contacts.create(request.principal, request.body as ContactInput);
    return sendContact(reply, contact, outcome === 'created' ? 201 : 200);
  });

  app.get('/v1/contacts', {
    config: read,
    schema: { tags, summary: 'List contacts', querystring: ContactListQuery, response: { 200: answer(Type.Ref('ContactPage'), 'A page of contacts.'), ...errorResponses() } },
  }, async (request) => {
    const { limit = 50, cursor, status } = request.query as Record<string, any>;
    if (status === 'deleted') {
      const deleted = await contacts.listDeleted(request.principal, limit, cursor);
      return { data: deleted.items, next_cursor: deleted.nextCursor };
    }
    const page = await contacts.list(request.principal, contactQueryOf(request.query as Record<string, any>), limit, cursor);
    return { data: page.items, next_cursor: page.nextCursor };
  });

  app.post('/v1/contacts/batch', {
    config: write,
    schema: {
      tags, summary: 'Create up to 1000 contacts', description: 'Each item succeeds or fails on its own; `status` is the HTTP status it alone would have had.',
      body: Type.Ref('BatchRequest'), response: { 200: answer(Type.Ref('BatchResult'), 'One result per item, in order.'), ...errorResponses() },
    },
  }, async (request) => {
    const items = (request.body as { contacts: unknown[] }).contacts.map((item) => {
      const errors = checkBatchItem(item);
      return errors.length === 0 ? (item as ContactInput) : validationError(errors);
    });
    const results = (await contacts.createMany(request.principal, items)).map((outcome, index) => {
      if ('contact' in outcome) return { index, status: outcome.outcome === 'created' ? 201 : 200, contact: outcome.contact };
      const problem = problemOf(outcome.error, request.id);
      return { index, status: problem.status, error: problem };
    });
    return { results };
  });

  app.get('/v1/contacts/:id', {
    config: read,
    schema: { tags, summary: 'Get a contact', description: 'Merged contacts stay readable here.', params: IdParams, response: { 200: answer(contactRef, 'The contact; its version is also the ETag.'), ...errorResponses(404) } },
  }, async (request, reply) => sendContact(reply, await contacts.get(request.principal, (request.params as { id: string }).id), 200));

  app.patch('/v1/contacts/:id', {
    config: write,
    schema: {
      tags, summary: 'Change a contact (JSON merge patch)', description: 'Send `If-Match` with the version (or ETag) you read to get 412 instead of overwriting a newer change.',
      params: IdParams, body: Type.Ref('ContactPatch'),
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 100 })) }),
      response: { 200: answer(contactRef, 'The changed contact.'), ...errorResponses(404, 409, 412) },
    },
  }, async (request, reply) => {
    const contact = await contacts.patch(request.principal, (request.params as { id: string }).id, request.body as ContactInput, ifMatchOf(request.headers['if-match']));
    return sendContact(reply, contact, 200);
  });

  app.delete('/v1/contacts/:id', {
    config: write,
    schema: {
      tags, summary: 'Delete a contact',
      description:
        'The contact becomes a tombstone for `DELETED_RETENTION_DAYS` (default 30): gone from lookups, lists, searches and duplicate rules, and restorable with `POST /v1/contacts/{id}/restore`. ' +
        'With `purge=true` (admin scope; GDPR erasure) it is removed at once, live or deleted, and its personal data is erased from the journal.',
      params: IdParams,
      querystring: Type.Object({ purge: Type.Optional(Type.Boolean({ description: 'Erase now, for good (admin).' })) }),
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 100 })) }),
      response: { 204: Type.Null({ description: 'Deleted.' }), ...errorResponses(404, 412) },
    },
  }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    if ((request.query as { purge?: boolean }).purge === true) await contacts.purge(request.principal, id);
    else await contacts.delete(request.principal, id, ifMatchOf(request.headers['if-match']));
    return reply.status(204).send();
  });

  app.post('/v1/contacts/:id/restore', {
    config: write,
    schema: {
      tags, summary: 'Restore a deleted contact',
      description:
        'Brings a tombstone back as it was, in its address book (the default one if that book was deleted) and its groups that still exist. ' +
        '409 naming the holder (`existing_contact_id`) when another contact now holds its external id, or one of its numbers in a `reject` book. ' +
        'A contact deleted through Kore.ai (a soft delete: status `inactive`) is made active again the same way.',
      params: IdParams,
      response: { 200: answer(contactRef, 'The restored contact.'), ...errorResponses(404, 409) },
    },
  }, async (request, reply) => sendContact(reply, await contacts.restore(request.principal, (request.params as { id: string }).id), 200));

  app.put('/v1/contacts/by-external-id/:external_id', {
    config: write,
    schema: {
      tags, summary: 'Create or replace a contact by external id', description: '201 when created, 200 when replaced; racing callers leave one contact.',
      params: ExternalIdParams, body: Type.Ref('ContactCreate'), response: { 201: answer(contactRef, 'Created.'), 200: answer(contactRef, 'Replaced.'), ...errorResponses(409) },
    },
  }, async (request, reply) => {
    const externalId = (request.params as { external_id: string }).external_id;
    const body = request.body as ContactInput;
    if (body.external_id != null && body.external_id !== externalId) throw invalidField('external_id', 'must match the external id in the path');
    const { contact, created } = await contacts.putByExternalId(request.principal, externalId, body);
    return sendContact(reply, contact, created ? 201 : 200);
  });

  app.post('/v1/contacts/:id/merge', {
    config: write,
    schema: {
      tags, summary: 'Merge contacts into this one', description: 'Each source keeps its record with `status: merged` and `merged_into`. This contact keeps its own values but for `fields_from_source`; sources fill its empty fields; phones, emails, handles, custom values and groups are unioned.',
      params: IdParams, body: Type.Ref('MergeRequest'), response: { 200: answer(contactRef, 'The surviving contact.'), ...errorResponses(404, 409) },
    },
  }, async (request, reply) => {
    const { source_ids, fields_from_source } = request.body as { source_ids: string[]; fields_from_source?: string[] };
    return sendContact(reply, await contacts.merge(request.principal, (request.params as { id: string }).id, source_ids, fields_from_source), 200);
  });

  app.post('/v1/contacts/:id/unmerge', {
    config: write,
    schema: {
      tags, summary: 'Take a merge back',
      description: 'The source becomes an active contact again with what it held before the merge, and this contact loses the values that came only from that source. '
        + 'Values edited here since the merge stay, listed in `not_restored`. 409 `not_merged_into` when the source is not merged into this contact; '
        + '409 `duplicate_contact` or `duplicate_external_id` (with `existing_contact_id`) when another contact now holds what the source would take back.',
      params: IdParams, body: Type.Ref('UnmergeRequest'), response: { 200: answer(Type.Ref('UnmergeResult'), 'Both contacts as the unmerge left them.'), ...errorResponses(404, 409) },
    },
  }, async (request) => {
    const { source_id } = request.body as { source_id: string };
    return contacts.unmerge(request.principal, (request.params as { id: string }).id, source_id);
  });

  app.get('/v1/lookup', {
    config: read,
    schema: {
      tags: ['Lookup'], summary: 'Find who is calling (screen pop)', description: 'By `phone` in any format or `email` (case-insensitive), across the account\'s books.',
      querystring: LookupQuery, response: { 200: answer(Type.Ref('LookupResult'), 'The matching contacts.'), ...errorResponses() },
    },
  }, async (request) => ({ matches: await contacts.lookup(request.principal, request.query as { phone?: string; email?: string }) }));
}

/** The list filters of a query string (`GET /v1/contacts`, and the export's subset) as the core takes them. */
export function contactQueryOf(query: Record<string, any>): ContactQuery {
  const { address_book_id, type, status, phone, email, external_id, group_id, q, updated_since } = query;
  return { addressBookId: address_book_id, type, status, phone, email, externalId: external_id, groupId: group_id, q, updatedSince: updated_since && new Date(updated_since).toISOString() };
}

function sendContact(reply: FastifyReply, contact: Contact, status: number): FastifyReply {
  return reply.status(status).header('etag', `"${contact.version}"`).send(contact);
}

/** `If-Match: 3`, `"3"` or `W/"3"`; `*` matches any version. */
function ifMatchOf(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw invalidField('If-Match', 'must be the contact\'s version or ETag');
  return Number(match[1]);
}

