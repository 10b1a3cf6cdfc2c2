import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { Services } from '../../core/services.ts';
import type { Principal } from '../../core/types.ts';
import { errors } from './batch.schemas.ts';
import { toWireGroup } from './mapping.ts';
import { groupPatchOf } from './patch.ts';
import { integerId, pageFields, pageOf, routeConfig } from './present.ts';
import { AccountParams, ContactIdList, CreateGroupBody, Group, GroupList, GroupParams, GroupQuery, PatchBody, security, tags } from './schemas.ts';

const BASE = '/api/v1/accounts/:accountId/groups';

/** Groups API: search, create, get, change (JSON Patch), delete, add and remove members. */
export function registerGroupRoutes(scope: FastifyInstance, services: Services): void {
  const { groups, contacts } = services;

  async function groupOf(actor: Principal, raw: string) {
    return groups.getBySeq(actor, integerId(raw, 'group'));
  }
  async function present(actor: Principal, id: string) {
    const [counted] = await groups.withMemberCounts(actor, [id]);
    return toWireGroup(counted!);
  }

  scope.get(BASE, {
    config: routeConfig('contacts:read', [200, 400]),
    schema: {
      tags, security, summary: 'Search for groups (8x8)', params: AccountParams, querystring: GroupQuery,
      description: '`name` matches part of the name, ignoring case. Pages: `limit` (1 to 500, default 20) and `offset`, the page index from 0.',
      response: { 200: { ...GroupList, description: 'One page of groups, oldest first.' }, ...errors() },
    },
  }, async (request) => {
    const query = request.query as Static<typeof GroupQuery>;
    const { limit, offset, index } = pageOf(query);
    const nameContains = query.name?.trim();
    const [found, all] = await Promise.all([
      groups.search(request.principal, nameContains ? { nameContains } : {}, { limit, offset }),
      groups.search(request.principal, {}, { limit: 1, offset: 0 }),
    ]);
    return { items: found.items.map(toWireGroup), ...pageFields(index, limit, found.total, all.total) };
  });

  scope.post(BASE, {
    config: routeConfig('contacts:write', [201, 400, 409]),
    schema: {
      tags, security, summary: 'Create a group (8x8)', params: AccountParams, body: CreateGroupBody,
      response: { 201: { ...Group, description: 'Created.' }, ...errors(409) },
    },
  }, async (request, reply) => {
    const body = request.body as Static<typeof CreateGroupBody>;
    const group = await groups.create(request.principal, { name: body.name, description: body.description ?? null, is_blocklist: body.isBlacklist ?? false });
    reply.status(201);
    return toWireGroup({ group, members: 0 });
  });

  scope.get(`${BASE}/:groupId`, {
    config: routeConfig('contacts:read', [200, 404]),
    schema: { tags, security, summary: 'Get group information by id (8x8)', params: GroupParams, response: { 200: { ...Group, description: 'The group.' }, ...errors(404) } },
  }, async (request) => {
    const group = await groupOf(request.principal, (request.params as Static<typeof GroupParams>).groupId);
    return present(request.principal, group.id);
  });

  scope.delete(`${BASE}/:groupId`, {
    config: routeConfig('contacts:write', [204, 404]),
    schema: {
      tags, security, summary: 'Delete group (8x8)', params: GroupParams,
      description: 'Deletes the group; its contacts stay (use the deleteGroups batch with deleteContacts to delete them too).',
      response: { 204: { type: 'null', description: 'Deleted.' }, ...errors(404) },
    },
  }, async (request, reply) => {
    const group = await groupOf(request.principal, (request.params as Static<typeof GroupParams>).groupId);
    await groups.delete(request.principal, group.id);
    return reply.status(204).send();
  });

  scope.patch(`${BASE}/:groupId`, {
    config: routeConfig('contacts:write', [200, 400, 404, 409]),
    schema: {
      tags, security, summary: 'Update group information (8x8)', params: GroupParams, body: PatchBody,
      description: 'A JSON Patch over `name`, `description` and `isBlacklist`; paths match field names in any case (`/isblacklist`) and "true" / "false" are read as booleans.',
      response: { 200: { ...Group, description: 'The changed group.' }, ...errors(404, 409) },
    },
  }, async (request) => {
    const group = await groupOf(request.principal, (request.params as Static<typeof GroupParams>).groupId);
    await groups.update(request.principal, group.id, groupPatchOf(group, request.body as Static<typeof PatchBody>));
    return present(request.principal, group.id);
  });

  /** The core ids of contacts named by their integer ids; an unknown one is a 404 and nothing changes. */
  async function contactIdsOf(actor: Principal, seqs: number[]): Promise<string[]> {
    const ids: string[] = [];
    for (const seq of [...new Set(seqs)]) ids.push((await contacts.getBySeq(actor, seq)).id);
    return ids;
  }

  for (const [method, change, status] of [['post', 'add', 201], ['delete', 'remove', 200]] as const) {
    scope[method](`${BASE}/:groupId/contacts`, {
      config: routeConfig('contacts:write', [status, 404]),
      schema: {
        tags, security, params: GroupParams, body: ContactIdList,
        summary: change === 'add' ? 'Add contacts to a group (8x8)' : 'Remove contacts from a group (8x8)',
        description: 'All or nothing: an unknown contact id is a 404 and changes nothing.',
        response: { [status]: { ...Group, description: 'The group, with its new member count.' }, ...errors(404) },
      },
    }, async (request, reply) => {
      const group = await groupOf(request.principal, (request.params as Static<typeof GroupParams>).groupId);
      const ids = await contactIdsOf(request.principal, (request.body as Static<typeof ContactIdList>).contacts);
      await groups.changeMembers(request.principal, group.id, ids, change);
      reply.status(status);
      return present(request.principal, group.id);
    });
  }
}
