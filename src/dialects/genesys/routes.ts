import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { Services } from '../../core/services.ts';
import { createInputOf, matchQueryOf, patchInputOf, toGwsContact } from './mapping.ts';
import { ContactAnswer, CreateAnswer, CreateBody, IdParams, ListAnswer, ListQuery, MAX_LIST, OkAnswer, UpdateBody, errors, security, tags } from './schemas.ts';

const read = { platformScope: 'contacts:read' as const };
const write = { platformScope: 'contacts:write' as const };

/**
 * GWS writes act on Custom contacts only; users and queues are read-only whatever the key.
 * The core enforces it (WritePolicy); this dialect selects it.
 */
const GWS_WRITES = { writableTypes: ['custom'] as const };
/** GWS's `name` is the whole name: a rename keeps the first and last names the contact has in step (core name-parts.ts). */
const GWS_CHANGES = { ...GWS_WRITES, renameSetsNameParts: true };

/** The /contacts routes of GWS 8.5 (genesys-gws-contacts-api.txt). */
export function registerGenesysRoutes(scope: FastifyInstance, services: Services): void {
  const contacts = services.contacts;

  scope.get('/contacts', {
    config: read,
    schema: {
      tags, security, summary: 'List contacts (GWS)',
      description: 'Every contact of the account: custom contacts, users and queues. Any attribute filters the list (AND); `type` ignores case; `filterName=NamesOrPhoneNumberMatches` with `filterParameters`. '
        + `At most ${MAX_LIST} contacts per answer: \`totalCount\` says how many match; ask again with \`offset\` for the rest.`,
      querystring: ListQuery,
      response: { 200: { ...ListAnswer, description: 'The matching contacts, oldest first.' }, ...errors() },
    },
  }, async (request) => {
    const query = request.query as Static<typeof ListQuery>;
    const { items, total } = await contacts.listWithTotal(request.principal, matchQueryOf(query), { limit: query.limit ?? MAX_LIST, offset: query.offset ?? 0 });
    return { statusCode: 0, totalCount: total, contacts: items.map(toGwsContact) };
  });

  scope.post('/contacts', {
    config: write,
    schema: {
      tags, security, summary: 'Create a Custom contact (GWS)',
      description: 'Creates a contact of "custom" type in the account\'s default address book. Needs a contacts:write key (Contact Center Admin).',
      body: CreateBody,
      response: { 200: { ...CreateAnswer, description: 'The new contact\'s id and path.' }, ...errors(409) },
    },
  }, async (request) => {
    const { contact } = await contacts.create(request.principal, createInputOf(request.body as Static<typeof CreateBody>), GWS_WRITES);
    return { statusCode: 0, id: contact.id, path: `/contacts/${contact.id}` };
  });

  scope.get('/contacts/:id', {
    config: read,
    schema: {
      tags, security, summary: 'Get a contact (GWS)', params: IdParams,
      response: { 200: { ...ContactAnswer, description: 'The contact.' }, ...errors(404) },
    },
  }, async (request) => {
    const contact = await contacts.get(request.principal, (request.params as { id: string }).id);
    return { statusCode: 0, contact: toGwsContact(contact) };
  });

  scope.put('/contacts/:id', {
    config: write,
    schema: {
      tags, security, summary: 'Change a Custom contact (GWS)',
      description: 'Changes the attributes given; other types are read-only (403, statusCode 3).',
      params: IdParams, body: UpdateBody,
      response: { 200: { ...OkAnswer, description: 'Changed.' }, ...errors(404, 409) },
    },
  }, async (request) => {
    const patch = patchInputOf(request.body as Static<typeof UpdateBody>);
    await contacts.patch(request.principal, (request.params as { id: string }).id, patch, undefined, GWS_CHANGES);
    return { statusCode: 0 };
  });

  scope.delete('/contacts/:id', {
    config: write,
    schema: {
      tags, security, summary: 'Remove a Custom contact (GWS)',
      description: 'Other types are read-only (403, statusCode 3).',
      params: IdParams,
      response: { 200: { ...OkAnswer, description: 'Removed.' }, ...errors(404) },
    },
  }, async (request) => {
    await contacts.delete(request.principal, (request.params as { id: string }).id, undefined, GWS_WRITES);
    return { statusCode: 0 };
  });
}
