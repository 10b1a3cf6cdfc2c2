import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ContactMatchQuery } from '../../core/contacts/contact.service.ts';
import type { UpsertOutcome, UpsertPolicy } from '../../core/contacts/contact-upsert.ts';
import { DomainError, invalidField } from '../../core/errors.ts';
import type { Services } from '../../core/services.ts';
import type { AddressBook, Principal } from '../../core/types.ts';
import { failureOfDomain, type ApptotoFailure } from './errors.ts';
import { assertEnvelope, prepareCreates, preparePuts } from './items.ts';
import { createRequestOf, putRequestOf, toApptotoBook, toApptotoContact } from './mapping.ts';
import { BooksAnswer, BooksQuery, CreateBody, DEFAULT_PAGE_SIZE, ListAnswer, ListQuery, PutBody, WriteAnswer, errors, security, tags, writeErrors } from './schemas.ts';

const read = { platformScope: 'contacts:read' as const };
const write = { platformScope: 'contacts:write' as const };

/**
 * The rules Apptoto's pages state, selected from the core: a POST creates (an external id already
 * held is refused), needs a book and a name; a PUT creates or changes. Apptoto contacts are custom
 * contacts: directory users and queues stay read-only here, whatever the key.
 */
const POST_RULES: UpsertPolicy = { mode: 'create', bookRequiredToCreate: true, nameRequired: true, writableTypes: ['custom'] };
const PUT_RULES: UpsertPolicy = { mode: 'upsert', bookRequiredToCreate: true, nameRequired: true, writableTypes: ['custom'] };

/** POST/PUT/GET /contacts and GET /address_books of Apptoto's API v1. */
export function registerApptotoRoutes(scope: FastifyInstance, services: Services): void {
  const { contacts, addressBooks } = services;

  /** Each book looked up once per answer. */
  const booksOf = (principal: Principal) => {
    const seen = new Map<string, Promise<AddressBook>>();
    return (id: string) => {
      if (!seen.has(id)) seen.set(id, addressBooks.get(principal, id));
      return seen.get(id)!;
    };
  };

  const render = async (principal: Principal, outcomes: UpsertOutcome[], wireFields: ((path: string) => string)[]) => {
    const book = booksOf(principal);
    return Promise.all(outcomes.map(async (o, i) => {
      if ('contact' in o) return toApptotoContact(o.contact, await book(o.contact.address_book_id));
      return failureOfDomain(o.error, wireFields[i]);
    }));
  };

  scope.post('/contacts', {
    config: write,
    attachValidation: true,
    schema: {
      tags, security, summary: 'Create contacts (Apptoto)',
      description: 'Creates each contact in the address book it names (`address_book` is created when missing). Each item succeeds or fails on its own: the answer holds, in order, the contact or the item\'s failure `{status, code, message, fields}`. An `external_id` already held in the account is refused (409, duplicate_external_id).',
      body: CreateBody,
      response: { 200: { ...WriteAnswer, description: 'One entry per item, in order: at least one was written.' }, ...writeErrors() },
    },
  }, async (request, reply) => {
    const { requests, wireFields } = prepareCreates(assertEnvelope(request.body), createRequestOf);
    const outcomes = await contacts.upsertMany(request.principal, requests, POST_RULES);
    return answerWrite(reply, await render(request.principal, outcomes, wireFields));
  });

  scope.put('/contacts', {
    config: write,
    attachValidation: true,
    schema: {
      tags, security, summary: 'Create or update contacts (Apptoto)',
      description: 'Each item is matched on `id`, else on `external_id`; without a match it is created (it then needs an address book and a name). Fields given are changed, others kept; `phone_numbers`, `email_addresses` and `custom_data` given replace the stored ones whole; `add_phone`, `add_email` (and `phone`, `email`) add one. A contact never moves between address books. Each item succeeds or fails on its own.',
      body: PutBody,
      response: { 200: { ...WriteAnswer, description: 'One entry per item, in order: at least one was written.' }, ...writeErrors() },
    },
  }, async (request, reply) => {
    const { requests, wireFields } = preparePuts(assertEnvelope(request.body), putRequestOf);
    const outcomes = await contacts.upsertMany(request.principal, requests, PUT_RULES);
    return answerWrite(reply, await render(request.principal, outcomes, wireFields));
  });

  scope.get('/contacts', {
    config: read,
    schema: {
      tags, security, summary: 'List contacts (Apptoto)',
      description: `Live contacts of every address book, oldest first, filtered by every parameter given; \`page\` (1 based) and \`page_size\` (default ${DEFAULT_PAGE_SIZE}).`,
      querystring: ListQuery,
      response: { 200: { ...ListAnswer, description: 'A page of contacts.' }, ...errors(404) },
    },
  }, async (request) => {
    const query = request.query as ListQuery;
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? DEFAULT_PAGE_SIZE;
    const match: ContactMatchQuery = {};
    if (query.address_book_id !== undefined) match.addressBookId = (await addressBooks.getBySeq(request.principal, query.address_book_id)).id;
    if (query.external_id !== undefined) match.externalId = query.external_id;
    if (query.email_address !== undefined) match.email = query.email_address.trim();
    if (query.phone_number !== undefined) match.phone = query.phone_number;
    const { items, total } = await contacts.listWithTotal(request.principal, match, { limit: pageSize, offset: (page - 1) * pageSize }).catch((error: unknown) => {
      if (error instanceof DomainError && error.fieldErrors.some((f) => f.path === 'phone')) throw invalidField('phone_number', `"${query.phone_number}" is not a phone number`);
      throw error;
    });
    const book = booksOf(request.principal);
    return { contacts: await Promise.all(items.map(async (c) => toApptotoContact(c, await book(c.address_book_id)))), page, page_size: pageSize, total_count: total };
  });

  scope.get('/address_books', {
    config: read,
    schema: {
      tags, security, summary: 'List address books (Apptoto)',
      description: 'Every address book of the account, with the phone and email types its type allows.',
      querystring: BooksQuery,
      response: { 200: { ...BooksAnswer, description: 'The account\'s address books.' }, ...errors() },
    },
  }, async (request) => {
    const books: AddressBook[] = [];
    let cursor: string | undefined;
    do {
      const page = await addressBooks.list(request.principal, 500, cursor);
      books.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { address_books: books.map(toApptotoBook) };
  });
}

type Entry = Awaited<ReturnType<typeof toApptotoContact>> | ApptotoFailure;

/**
 * 200 with every item's entry when at least one was written. When none was, the request failed:
 * its status is the items' own (400 when they differ), its body the first failure's error, with
 * every item's failure beside it, so that a one-contact request that fails reads as a failure.
 */
function answerWrite(reply: FastifyReply, entries: Entry[]) {
  const failures = entries.filter((e): e is ApptotoFailure => 'code' in e);
  if (failures.length < entries.length) return { contacts: entries };
  const statuses = new Set(failures.map((f) => f.status));
  const first = failures[0]!;
  reply.status(statuses.size === 1 ? first.status : 400);
  return { code: first.code, message: failures.length === 1 ? first.message : `none of the ${failures.length} contacts was written; first: ${first.message}`, ...(first.fields ? { fields: first.fields } : {}), contacts: failures };
}
