import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { DomainError, isItemFailure, isUnavailable } from '../../core/errors.ts';
import type { CreateOptions } from '../../core/contacts/contact.service.ts';
import type { WritePolicy } from '../../core/permissions.ts';
import type { Services } from '../../core/services.ts';
import type { AddressBook } from '../../core/types.ts';
import { objectOrArray } from './body-shapes.ts';
import { domainFailureOf } from './errors.ts';
import { bookNameOf, createInputOf, patchInputOf, toKoreContact } from './mapping.ts';
import {
  BulkAnswer, BulkDeleteBody, BulkUpdateArrayBody, BulkUpdateBody, ContactParams, CreateArrayBody, CreateBody, DEFAULT_LIMIT, KoreContact, ListAnswer, ListQuery,
  StreamParams, UpdateBody, errors, security, tags,
} from './schemas.ts';

const read = { platformScope: 'contacts:read' as const };
const write = { platformScope: 'contacts:write' as const };

/**
 * Kore's rule, selected from the core: "will prevent the same number from being associated with
 * different or identical names" within a stream; duplicate names are allowed.
 */
export const KORE_CREATE: CreateOptions = { duplicateRule: { policy: 'reject', scope: 'book' }, writableTypes: ['custom'] };

/**
 * Writes reach only live custom contacts of the request's stream (others: 404). A stream that has
 * no book yet has no contacts: every id is unknown there.
 */
export function koreWrites(book: AddressBook | undefined, id: string): WritePolicy {
  if (!book) throw new DomainError('contact_not_found', `no contact with id ${id}`);
  return { writableTypes: ['custom'], addressBookId: book.id, activeOnly: true };
}

export const streamOf = (request: FastifyRequest) => (request.params as { streamId: string }).streamId;
const bookNameOfRequest = (request: FastifyRequest) => bookNameOf(streamOf(request));

/** The stream's address book as a create names it: made, with a `reject` duplicate policy, in the create's transaction. */
export function streamBookByName(request: FastifyRequest): NonNullable<CreateOptions['bookByName']> {
  const streamId = streamOf(request);
  return { name: bookNameOf(streamId), defaults: { duplicate_policy: 'reject', description: `Kore.ai AgentAssist contacts of stream ${streamId}` } };
}

const createShapes = objectOrArray(CreateBody, CreateArrayBody);
const bulkUpdateShapes = objectOrArray(BulkUpdateBody, BulkUpdateArrayBody);

/** The stream's book if it exists: reads and changes never create one. */
function existingStreamBook(services: Services, request: FastifyRequest): Promise<AddressBook | undefined> {
  return services.addressBooks.findByName(request.principal, bookNameOfRequest(request));
}

/** The contact routes of Kore.ai AgentAssist (koreai-agentassist-create-contact.txt, Kore contact-center API pages). */
export function registerKoreRoutes(scope: FastifyInstance, services: Services): void {
  const contacts = services.contacts;

  scope.get('', {
    config: read,
    schema: {
      tags, security, summary: 'Get all contacts (Kore.ai)', params: StreamParams, querystring: ListQuery,
      description: 'The ACTIVE contacts of the stream, oldest first; deleted (INACTIVE) contacts are not listed. `skip` and `limit` page through them.',
      response: { 200: { ...ListAnswer, description: 'One page of contacts and the totals.' }, ...errors() },
    },
  }, async (request) => {
    const { skip = 0, limit = DEFAULT_LIMIT } = request.query as Static<typeof ListQuery>;
    const book = await existingStreamBook(services, request);
    const { items, total } = book
      ? await contacts.listWithTotal(request.principal, { addressBookId: book.id }, { limit, offset: skip })
      : { items: [], total: 0 };
    return { results: items.map((c) => toKoreContact(c, streamOf(request))), skip, limit, hasMore: skip + items.length < total, totalPages: Math.ceil(total / limit), totalResults: total };
  });

  scope.post('', {
    config: write,
    validatorCompiler: createShapes.validatorCompiler,
    schema: {
      tags, security, summary: 'Create a contact (Kore.ai)', params: StreamParams, body: createShapes.body,
      description: 'One contact, or an array of them as Kore\'s docs send it (answered with an array, all created or none). Every field is required. Duplicate names are allowed; a number already held by another ACTIVE contact of the stream is refused (409). A refused create leaves nothing behind, not even the stream\'s book.',
      response: { 201: { ...Type.Union([KoreContact, Type.Array(KoreContact)]), description: 'The new contact; an array for an array body.' }, ...errors(409) },
    },
  }, async (request, reply) => {
    const body = request.body as Static<typeof CreateBody> | Static<typeof CreateArrayBody>;
    const options: CreateOptions = { ...KORE_CREATE, bookByName: streamBookByName(request) };
    if (!Array.isArray(body)) {
      const { contact } = await contacts.create(request.principal, createInputOf(body), options);
      return reply.status(201).send(toKoreContact(contact, streamOf(request)));
    }
    const created = await contacts.createAll(request.principal, body.map(createInputOf), options);
    return reply.status(201).send(created.map((c) => toKoreContact(c, streamOf(request))));
  });

  scope.put('/bulk-update', {
    config: write,
    validatorCompiler: bulkUpdateShapes.validatorCompiler,
    schema: {
      tags, security, summary: 'Update many contacts (Kore.ai)', body: bulkUpdateShapes.body, params: StreamParams,
      description: 'README Decision: `{"contacts": [{"id", ...fields}]}`, or the bare array `[{"id", ...fields}]`; each change succeeds or fails on its own, answered with the bulk-delete counters.',
      response: { 200: { ...BulkAnswer, description: 'What was changed and what was not.' }, ...errors() },
    },
  }, async (request) => {
    const book = await existingStreamBook(services, request);
    const body = request.body as Static<typeof BulkUpdateBody> | Static<typeof BulkUpdateArrayBody>;
    const items = Array.isArray(body) ? body : body.contacts;
    return bulk(items.map((i) => i.id), (id, i) => {
      const { id: _id, ...fields } = items[i]!;
      return contacts.patch(request.principal, id, patchInputOf(fields), undefined, koreWrites(book, id));
    });
  });

  scope.delete('/bulk-delete', {
    config: write,
    schema: {
      tags, security, summary: 'Bulk delete contacts (Kore.ai)', body: BulkDeleteBody, params: StreamParams,
      description: 'Deletes (makes INACTIVE) each contact named; unknown, other streams\' and already deleted ids are `failedRecords`.',
      response: { 200: { ...BulkAnswer, description: 'What was deleted and what was not.' }, ...errors() },
    },
  }, async (request) => {
    const book = await existingStreamBook(services, request);
    const { ids } = request.body as Static<typeof BulkDeleteBody>;
    return bulk(ids, async (id) => contacts.deactivate(request.principal, id, koreWrites(book, id)));
  });

  scope.put('/:id', {
    config: write,
    schema: {
      tags, security, summary: 'Update a contact (Kore.ai)', params: ContactParams, body: UpdateBody,
      description: 'Changes the fields given; `cellPhone`, when given, replaces the number (all three of its fields). A deleted contact cannot be changed (404).',
      response: { 200: { ...KoreContact, description: 'The contact as changed.' }, ...errors(404, 409) },
    },
  }, async (request) => {
    const book = await existingStreamBook(services, request);
    const { id } = request.params as Static<typeof ContactParams>;
    const contact = await contacts.patch(request.principal, id, patchInputOf(request.body as Static<typeof UpdateBody>), undefined, koreWrites(book, id));
    return toKoreContact(contact, streamOf(request));
  });

  scope.delete('/:id', {
    config: write,
    schema: {
      tags, security, summary: 'Delete a contact (Kore.ai)', params: ContactParams,
      description: 'A soft delete: the contact becomes INACTIVE, leaves the list and the lookup, and its number may be used again.',
      response: { 200: { ...KoreContact, description: 'The contact, now INACTIVE.' }, ...errors(404) },
    },
  }, async (request) => {
    const book = await existingStreamBook(services, request);
    const { id } = request.params as Static<typeof ContactParams>;
    return toKoreContact(await contacts.deactivate(request.principal, id, koreWrites(book, id)), streamOf(request));
  });
}

/** Runs one operation per id, each on its own; a domain refusal is that id's failure, anything else fails the request. */
async function bulk(ids: string[], operation: (id: string, index: number) => Promise<unknown>): Promise<Static<typeof BulkAnswer>> {
  const successfulRecords: { id: string }[] = [];
  const failedRecords: { id: string; msg: string; code: string }[] = [];
  for (const [index, id] of ids.entries()) {
    try {
      await operation(id, index);
      successfulRecords.push({ id });
    } catch (error) {
      // The database away: the request fails whole (503) if nothing was written yet, else this id alone.
      if (!isItemFailure(error) && !(isUnavailable(error) && successfulRecords.length > 0)) throw error;
      const { errors: [first] } = domainFailureOf(error as DomainError);
      failedRecords.push({ id, msg: first!.msg, code: first!.code });
    }
  }
  return { totalRequested: ids.length, successful: successfulRecords.length, failed: failedRecords.length, successfulRecords, failedRecords };
}
