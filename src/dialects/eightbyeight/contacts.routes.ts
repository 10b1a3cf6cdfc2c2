import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { MERGE_ACROSS_ACCOUNT } from './rules.ts';
import { isItemFailure, undefinedIfRefused } from '../../core/errors.ts';
import type { Services } from '../../core/services.ts';
import type { Principal } from '../../core/types.ts';
import { errors } from './batch.schemas.ts';
import { CODE, EightByEightError, MSISDN_MESSAGE } from './errors.ts';
import { createInputOf, msisdnToE164, type CreateBody } from './mapping.ts';
import { contactPatchOf } from './patch.ts';
import { integerId, pageFields, pageOf, presentContacts, routeConfig } from './present.ts';
import { AccountParams, Contact, ContactList, ContactParams, ContactQuery, CreateContactBody, MSISDN_PATTERN, MsisdnParams, PatchBody, security, tags } from './schemas.ts';

const MSISDN = new RegExp(MSISDN_PATTERN);
const BASE = '/api/v1/accounts/:accountId/contacts';

/** Contacts API: search, create (merge on a shared address), get, change (JSON Patch), delete, block a number. */
export function registerContactRoutes(scope: FastifyInstance, services: Services): void {
  const { contacts, groups } = services;

  /** The core ids of groups named by their integer ids; an unknown one is a 400 (code 1300). */
  async function groupIdsOf(actor: Principal, seqs: number[]): Promise<string[]> {
    const ids: string[] = [];
    for (const seq of seqs) {
      try {
        ids.push((await groups.getBySeq(actor, seq)).id);
      } catch (error) {
        if (!isItemFailure(error)) throw error;
        throw new EightByEightError(400, CODE.notFound, `Unable to find group with id ${seq}`);
      }
    }
    return ids;
  }

  scope.get(BASE, {
    config: routeConfig('contacts:read', [200, 400]),
    schema: {
      tags, security, summary: 'Search contacts (8x8)', params: AccountParams, querystring: ContactQuery,
      description: '`query` matches name words, emails and phone digits as a prefix; `groupId` and `country` narrow the list. Pages: `limit` (1 to 500, default 20) and `offset`, the page index from 0.',
      response: { 200: { ...ContactList, description: 'One page of the account\'s contacts, oldest first.' }, ...errors() },
    },
  }, async (request) => {
    const query = request.query as Static<typeof ContactQuery>;
    const { limit, offset, index } = pageOf(query);
    const match: Parameters<typeof contacts.listWithTotal>[1] = {};
    if (query.query !== undefined && query.query.trim() !== '') match.q = query.query;
    if (query.country !== undefined) match.textEquals = [{ fields: ['country'], values: [query.country] }];
    let empty = false;
    if (query.groupId !== undefined) {
      const group = await groups.getBySeq(request.principal, query.groupId).catch(undefinedIfRefused);
      if (group) match.groupId = group.id;
      else empty = true;
    }
    const [found, all] = await Promise.all([
      empty ? { items: [], total: 0 } : contacts.listWithTotal(request.principal, match, { limit, offset }),
      contacts.listWithTotal(request.principal, {}, { limit: 1, offset: 0 }),
    ]);
    return { items: await presentContacts(services, request.principal, found.items), ...pageFields(index, limit, found.total, all.total) };
  });

  scope.post(BASE, {
    config: routeConfig('contacts:write', [200, 201, 400, 409]),
    schema: {
      tags, security, summary: 'Create contact (8x8)', params: AccountParams, body: CreateContactBody,
      description: 'Creates a contact in the account\'s default address book. If one existing contact of the account shares any of the given addresses, the data is merged into it (200); if several do, 409 (code 5001); otherwise 201.',
      response: {
        200: { ...Contact, description: 'Merged into the existing contact that shares an address.' },
        201: { ...Contact, description: 'Created.' },
        ...errors(409),
      },
    },
  }, async (request, reply) => {
    const body = request.body as CreateBody;
    const input = createInputOf(body, await groupIdsOf(request.principal, (body.groups ?? []).map((g) => g.id)));
    const { contact, outcome } = await contacts.create(request.principal, input, { duplicateRule: MERGE_ACROSS_ACCOUNT, writableTypes: ['custom'], freeFormCustomFields: true });
    reply.status(outcome === 'merged' ? 200 : 201);
    return (await presentContacts(services, request.principal, [contact]))[0];
  });

  scope.post(`${BASE}/blacklist/:msisdn`, {
    config: routeConfig('contacts:write', [200, 400, 401]),
    schema: {
      tags, security, summary: 'Blacklist msisdn (8x8)', params: MsisdnParams,
      description: 'Puts the contacts holding this number (or a new contact with only this number) into the account\'s block-list group (`isBlacklist: true`, named "Blacklist", created on first use). Any body is ignored. Answers the (first) blocked contact.',
      response: { 200: { ...Contact, description: 'Blocked; the contact, now in the block-list group.' }, ...errors() },
    },
  }, async (request) => {
    const { msisdn } = request.params as Static<typeof MsisdnParams>;
    if (!MSISDN.test(msisdn)) throw new EightByEightError(400, CODE.invalidMsisdn, MSISDN_MESSAGE);
    const { contacts: blocked } = await services.blockList.blockPhone(request.principal, msisdnToE164(msisdn, undefined));
    return (await presentContacts(services, request.principal, blocked.slice(0, 1)))[0];
  });

  scope.get(`${BASE}/:contactId`, {
    config: routeConfig('contacts:read', [200, 404]),
    schema: {
      tags, security, summary: 'Get contact information by id (8x8)', params: ContactParams,
      response: { 200: { ...Contact, description: 'The contact.' }, ...errors(404) },
    },
  }, async (request) => {
    const contact = await contacts.getBySeq(request.principal, integerId((request.params as Static<typeof ContactParams>).contactId, 'contact'));
    return (await presentContacts(services, request.principal, [contact]))[0];
  });

  scope.delete(`${BASE}/:contactId`, {
    config: routeConfig('contacts:write', [204]),
    schema: {
      tags, security, summary: 'Delete single contact (8x8)', params: ContactParams,
      response: { 204: { type: 'null', description: 'Deleted.' }, ...errors(404) },
    },
  }, async (request, reply) => {
    const contact = await contacts.getBySeq(request.principal, integerId((request.params as Static<typeof ContactParams>).contactId, 'contact'));
    // Directory users and queues are read-only here, as on PATCH.
    await contacts.delete(request.principal, contact.id, undefined, { writableTypes: ['custom'] });
    return reply.status(204).send();
  });

  scope.patch(`${BASE}/:contactId`, {
    config: routeConfig('contacts:write', [200, 400, 404]),
    schema: {
      tags, security, summary: 'Update contact information (8x8)', params: ContactParams, body: PatchBody,
      description: 'A JSON Patch over the contact as 8x8 shows it: e.g. `replace /firstName`, `add /addresses/lineId`, `remove /addresses/msisdn`, `add /customAttributes/Department`. The result must still be a valid contact with at least one address.',
      response: { 200: { ...Contact, description: 'The changed contact.' }, ...errors(404, 409) },
    },
  }, async (request) => {
    const actor = request.principal;
    const contact = await contacts.getBySeq(actor, integerId((request.params as Static<typeof ContactParams>).contactId, 'contact'));
    const [wire] = await presentContacts(services, actor, [contact]);
    const seqs = new Map((await groups.withMemberCounts(actor, contact.group_ids)).map((g) => [g.group.id, g.group.seq]));
    const { input, groupSeqs } = contactPatchOf(contact, wire!.addresses as Record<string, string>, seqs, request.body as Static<typeof PatchBody>);
    if (groupSeqs !== undefined) input.group_ids = await groupIdsOf(actor, groupSeqs);
    const changed = await contacts.patch(actor, contact.id, input, undefined, { writableTypes: ['custom'], freeFormCustomFields: true, accountDuplicates: MERGE_ACROSS_ACCOUNT });
    return (await presentContacts(services, actor, [changed]))[0];
  });

}
