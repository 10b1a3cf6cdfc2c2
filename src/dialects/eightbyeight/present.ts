import type { Services } from '../../core/services.ts';
import type { Contact, Principal } from '../../core/types.ts';
import { EightByEightError, CODE } from './errors.ts';
import { toWireContact, type CountedGroup } from './mapping.ts';

/** Shared pieces of the 8x8 routes: showing contacts with their groups, ids, pages, route config. */

/** The contacts as 8x8 shows them, each with its groups (id, member count, ...). */
export async function presentContacts(services: Services, actor: Principal, contacts: Contact[]) {
  const groups = await services.groups.withMemberCounts(actor, contacts.flatMap((c) => c.group_ids));
  const byId = new Map<string, CountedGroup>(groups.map((g) => [g.group.id, g]));
  return contacts.map((c) => toWireContact(c, byId));
}

/** An integer id from the path; anything else names no resource (404, code 1300). */
export function integerId(raw: string, what: 'contact' | 'group'): number {
  if (!/^\d{1,15}$/.test(raw)) throw new EightByEightError(404, CODE.notFound, `Unable to find ${what} with id ${raw.slice(0, 40)}`);
  return Number(raw);
}

/**
 * 8x8 pages (Decision): `offset` is the page index from 0, `limit` its size; `page` counts from 1.
 */
export function pageOf(query: { limit?: number; offset?: number }) {
  const limit = query.limit ?? 20;
  const index = query.offset ?? 0;
  return { limit, offset: index * limit, index };
}

export function pageFields(index: number, limit: number, totalFiltered: number, totalCount: number) {
  const totalPages = Math.ceil(totalFiltered / limit);
  return { page: index + 1, totalPages, totalCount, totalFiltered, hasPreviousPage: index > 0, hasNextPage: index + 1 < totalPages };
}

/**
 * Route config: the scope, and the statuses the file declares for the operation, from which a
 * refused accountId and an unknown id take their status (see errors.ts `eightByEight`).
 */
export function routeConfig(scope: 'contacts:read' | 'contacts:write', declared: number[]) {
  return {
    platformScope: scope,
    eightByEight: { refusal: declared.includes(400) ? 400 : 404, notFound: declared.includes(404) || !declared.includes(400) ? 404 : 400 } as { refusal: 400 | 404; notFound: 400 | 404 },
  };
}
