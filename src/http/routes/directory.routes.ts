import { Type } from 'typebox';
import type { HttpContext } from '../context.ts';
import type { AddressBookInput } from '../../core/directory/address-book.service.ts';
import type { CustomFieldInput, CustomFieldPatch } from '../../core/directory/custom-field.service.ts';
import type { GroupInput } from '../../core/directory/group.service.ts';
import { IdParams, PageQuery, answer, errorResponses } from '../schemas/common.ts';
import { DeleteBookQuery, MemberParams } from '../schemas/directory.schema.ts';

const read = { scope: 'contacts:read' as const };
const write = { scope: 'contacts:write' as const };
const pageQuery = Type.Object(PageQuery);
const deleted = { 204: Type.Null({ description: 'Done; no body.' }) };
type Id = { id: string };

/** Address books, custom fields and groups (with membership). */
export function registerDirectoryRoutes({ app, services }: HttpContext): void {
  const books = services.addressBooks;
  let tags = ['Address books'];
  const book = Type.Ref('AddressBook');

  app.post('/v1/address-books', { config: write, schema: { tags, summary: 'Create an address book', body: Type.Ref('AddressBookCreate'), response: { 201: answer(book, 'Created.'), ...errorResponses(409) } } },
    async (request, reply) => reply.status(201).send(await books.create(request.principal, request.body as AddressBookInput)));
  app.get('/v1/address-books', { config: read, schema: { tags, summary: 'List address books', querystring: pageQuery, response: { 200: answer(Type.Ref('AddressBookPage'), 'A page.'), ...errorResponses() } } },
    async (request) => {
      const { limit = 50, cursor } = request.query as { limit?: number; cursor?: string };
      const page = await books.list(request.principal, limit, cursor);
      return { data: page.items, next_cursor: page.nextCursor };
    });
  app.get('/v1/address-books/:id', { config: read, schema: { tags, summary: 'Get an address book', params: IdParams, response: { 200: answer(book, 'Found.'), ...errorResponses(404) } } },
    async (request) => books.get(request.principal, (request.params as Id).id));
  app.patch('/v1/address-books/:id', { config: write, schema: { tags, summary: 'Change an address book', params: IdParams, body: Type.Ref('AddressBookPatch'), response: { 200: answer(book, 'The changed address book.'), ...errorResponses(404, 409) } } },
    async (request) => books.update(request.principal, (request.params as Id).id, request.body as Partial<AddressBookInput>));
  app.delete('/v1/address-books/:id', {
    config: write,
    schema: { tags, summary: 'Delete an address book', description: 'Refuses (409) a book holding contacts unless `force=true`.', params: IdParams, querystring: DeleteBookQuery, response: { ...deleted, ...errorResponses(404, 409) } },
  }, async (request, reply) => {
    await books.delete(request.principal, (request.params as Id).id, (request.query as { force?: boolean }).force === true);
    return reply.status(204).send();
  });

  tags = ['Custom fields'];
  const fields = services.customFields;
  const field = Type.Ref('CustomField');
  app.post('/v1/custom-fields', { config: write, schema: { tags, summary: 'Define a custom field', body: Type.Ref('CustomFieldCreate'), response: { 201: answer(field, 'Created.'), ...errorResponses(409) } } },
    async (request, reply) => reply.status(201).send(await fields.create(request.principal, request.body as CustomFieldInput)));
  app.get('/v1/custom-fields', { config: read, schema: { tags, summary: 'List custom fields', response: { 200: answer(Type.Ref('CustomFieldList'), 'A page.'), ...errorResponses() } } },
    async (request) => ({ data: await fields.list(request.principal), next_cursor: null }));
  app.get('/v1/custom-fields/:key', { config: read, schema: { tags, summary: 'Get a custom field', params: Type.Object({ key: Type.String() }), response: { 200: answer(field, 'Found.'), ...errorResponses(404) } } },
    async (request) => fields.get(request.principal, (request.params as { key: string }).key));
  app.patch('/v1/custom-fields/:key', {
    config: write,
    schema: {
      tags, summary: 'Change a custom field',
      description: 'Changes the label, group and (a pick_list\'s) options. The key and the data type cannot change: a different value is a 400 naming it. Values already stored on contacts stay as they are.',
      params: Type.Object({ key: Type.String() }), body: Type.Ref('CustomFieldPatch'), response: { 200: answer(field, 'The changed field.'), ...errorResponses(404) },
    },
  }, async (request) => fields.updateByKey(request.principal, (request.params as { key: string }).key, request.body as CustomFieldPatch));
  app.delete('/v1/custom-fields/:key', {
    config: write,
    schema: { tags, summary: 'Delete a custom field', description: 'Values already stored stay in the contacts\' records.', params: Type.Object({ key: Type.String() }), response: { ...deleted, ...errorResponses(404) } },
  }, async (request, reply) => {
    await fields.delete(request.principal, (request.params as { key: string }).key);
    return reply.status(204).send();
  });

  tags = ['Groups'];
  const groups = services.groups;
  const group = Type.Ref('Group');
  app.post('/v1/groups', { config: write, schema: { tags, summary: 'Create a group', body: Type.Ref('GroupCreate'), response: { 201: answer(group, 'Created.'), ...errorResponses(409) } } },
    async (request, reply) => reply.status(201).send(await groups.create(request.principal, request.body as GroupInput)));
  app.get('/v1/groups', { config: read, schema: { tags, summary: 'List groups', querystring: pageQuery, response: { 200: answer(Type.Ref('GroupPage'), 'A page.'), ...errorResponses() } } },
    async (request) => {
      const { limit = 50, cursor } = request.query as { limit?: number; cursor?: string };
      const page = await groups.list(request.principal, limit, cursor);
      return { data: page.items, next_cursor: page.nextCursor };
    });
  app.get('/v1/groups/:id', { config: read, schema: { tags, summary: 'Get a group', params: IdParams, response: { 200: answer(group, 'Found.'), ...errorResponses(404) } } },
    async (request) => groups.get(request.principal, (request.params as Id).id));
  app.patch('/v1/groups/:id', { config: write, schema: { tags, summary: 'Change a group', params: IdParams, body: Type.Ref('GroupPatch'), response: { 200: answer(group, 'The changed group.'), ...errorResponses(404, 409) } } },
    async (request) => groups.update(request.principal, (request.params as Id).id, request.body as Partial<GroupInput>));
  app.delete('/v1/groups/:id', { config: write, schema: { tags, summary: 'Delete a group', description: 'Members stay; they leave the group.', params: IdParams, response: { ...deleted, ...errorResponses(404) } } },
    async (request, reply) => {
      await groups.delete(request.principal, (request.params as Id).id);
      return reply.status(204).send();
    });
  app.put('/v1/groups/:id/members/:contactId', { config: write, schema: { tags, summary: 'Add a contact to a group', params: MemberParams, response: { ...deleted, ...errorResponses(404) } } },
    async (request, reply) => {
      const { id, contactId } = request.params as { id: string; contactId: string };
      await groups.addMember(request.principal, id, contactId);
      return reply.status(204).send();
    });
  app.delete('/v1/groups/:id/members/:contactId', { config: write, schema: { tags, summary: 'Remove a contact from a group', params: MemberParams, response: { ...deleted, ...errorResponses(404) } } },
    async (request, reply) => {
      const { id, contactId } = request.params as { id: string; contactId: string };
      await groups.removeMember(request.principal, id, contactId);
      return reply.status(204).send();
    });
}
