import { indexEntriesOf } from '../contacts/contact-index.ts';
import { newId, nowIso } from '../clock.ts';
import { assertMayWriteType } from '../permissions.ts';
import { decodeCursor } from '../cursor.ts';
import { DomainError } from '../errors.ts';
import { recordChange } from '../journal/journal.ts';
import type { Store } from '../ports.ts';
import type { Contact, Group, Page, Principal } from '../types.ts';

export interface GroupInput {
  name: string;
  description?: string | null;
  is_blocklist?: boolean;
}

/** Groups of contacts; a group marked `is_blocklist` is a block list. */
export class GroupService {
  constructor(private readonly store: Store) {}

  async create(actor: Principal, input: GroupInput): Promise<Group> {
    return this.store.transaction(async (tx) => {
      await assertNameFree(tx, actor.accountId, input.name);
      const now = nowIso();
      const group = await tx.groups.insert({
        id: newId(),
        account_id: actor.accountId,
        name: input.name,
        description: input.description ?? null,
        is_blocklist: input.is_blocklist ?? false,
        created_at: now,
        updated_at: now,
      });
      recordChange(tx, actor, 'group', 'created', null, group);
      return group;
    });
  }

  async get(actor: Principal, id: string): Promise<Group> {
    return findGroupOrThrow(this.store, actor.accountId, id);
  }

  /** By the integer id that 8x8 shows. */
  async getBySeq(actor: Principal, seq: number): Promise<Group> {
    const group = await this.store.groups.findBySeq(actor.accountId, seq);
    if (!group) throw new DomainError('group_not_found', `no group with id ${seq}`);
    return group;
  }

  async list(actor: Principal, limit: number, cursor?: string): Promise<Page<Group>> {
    return this.store.groups.list(actor.accountId, { limit, afterSeq: decodeCursor(cursor) });
  }

  async update(actor: Principal, id: string, patch: Partial<GroupInput>): Promise<Group> {
    return this.store.transaction(async (tx) => {
      const group = await findGroupOrThrow(tx, actor.accountId, id);
      if (patch.name !== undefined && patch.name !== group.name) await assertNameFree(tx, actor.accountId, patch.name);
      const updated = await tx.groups.update({
        ...group,
        name: patch.name ?? group.name,
        description: patch.description === undefined ? group.description : patch.description,
        is_blocklist: patch.is_blocklist ?? group.is_blocklist,
        updated_at: nowIso(),
      });
      recordChange(tx, actor, 'group', 'updated', group, updated);
      return updated;
    });
  }

  /** Deletes the group and takes it off every member's `group_ids`. */
  async delete(actor: Principal, id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const group = await findGroupOrThrow(tx, actor.accountId, id);
      for (const contactId of await tx.groups.memberContactIds(actor.accountId, id)) {
        await changeMembership(tx, actor, contactId, (ids) => ids.filter((g) => g !== id), { anyType: true });
      }
      await tx.groups.delete(actor.accountId, id);
      recordChange(tx, actor, 'group', 'deleted', group, null);
    });
  }

  async addMember(actor: Principal, groupId: string, contactId: string): Promise<Contact> {
    return this.store.transaction(async (tx) => {
      await findGroupOrThrow(tx, actor.accountId, groupId);
      return changeMembership(tx, actor, contactId, (ids) => (ids.includes(groupId) ? ids : [...ids, groupId]));
    });
  }

  async removeMember(actor: Principal, groupId: string, contactId: string): Promise<Contact> {
    return this.store.transaction(async (tx) => {
      await findGroupOrThrow(tx, actor.accountId, groupId);
      return changeMembership(tx, actor, contactId, (ids) => ids.filter((g) => g !== groupId));
    });
  }

  /** The account's block list (see findOrCreateBlockList), created on first use. */
  async blockList(actor: Principal): Promise<Group> {
    return this.store.transaction((tx) => findOrCreateBlockList(tx, actor));
  }

  /** These groups of the account (unknown ids are left out) with how many contacts each holds. */
  async withMemberCounts(actor: Principal, ids: string[]): Promise<{ group: Group; members: number }[]> {
    const groups = await this.store.groups.findMany(actor.accountId, [...new Set(ids)]);
    return Promise.all(groups.map(async (group) => ({ group, members: await this.store.groups.countMembers(actor.accountId, group.id) })));
  }

  /** A numbered page of groups whose name contains `nameContains` (ignoring case), with member counts and the total. */
  async search(actor: Principal, query: { nameContains?: string }, page: { limit: number; offset: number }): Promise<{ items: { group: Group; members: number }[]; total: number }> {
    const found = await this.store.groups.search(actor.accountId, query, page);
    const items = await Promise.all(found.items.map(async (group) => ({ group, members: await this.store.groups.countMembers(actor.accountId, group.id) })));
    return { items, total: found.total };
  }

  /** Adds (or removes) every one of these contacts, in one transaction: an unknown one changes nothing. */
  async changeMembers(actor: Principal, groupId: string, contactIds: string[], change: 'add' | 'remove'): Promise<void> {
    await this.store.transaction(async (tx) => {
      await findGroupOrThrow(tx, actor.accountId, groupId);
      for (const contactId of [...new Set(contactIds)].sort()) {
        await changeMembership(tx, actor, contactId, (ids) => (change === 'remove' ? ids.filter((g) => g !== groupId) : ids.includes(groupId) ? ids : [...ids, groupId]));
      }
    });
  }
}

export const BLOCK_LIST_NAME = 'Blacklist';

/**
 * The account's block-list group: its oldest group marked `is_blocklist`, else a new one named
 * "Blacklist" (or "Blacklist 2", ... when a plain group holds the name). Taken under a lock, so
 * racing callers make one group. Callers that go on to lock contacts take this lock first.
 */
export async function findOrCreateBlockList(tx: Store, actor: Principal): Promise<Group> {
  const accountId = actor.accountId;
  await tx.lock(`block-list:${accountId}`);
  for (let offset = 0; ; offset += 100) {
    const { items } = await tx.groups.search(accountId, {}, { limit: 100, offset });
    const found = items.find((g) => g.is_blocklist);
    if (found) return found;
    if (items.length < 100) break;
  }
  let name = BLOCK_LIST_NAME;
  for (let n = 2; await tx.groups.findByName(accountId, name); n++) name = `${BLOCK_LIST_NAME} ${n}`;
  const now = nowIso();
  const group = await tx.groups.insert({ id: newId(), account_id: accountId, name, description: null, is_blocklist: true, created_at: now, updated_at: now });
  recordChange(tx, actor, 'group', 'created', null, group);
  return group;
}

/** Rewrites a contact's group_ids; `anyType` lets a group's deletion reach agents and queues too. */
async function changeMembership(tx: Store, actor: Principal, contactId: string, change: (ids: string[]) => string[], options: { anyType?: boolean } = {}): Promise<Contact> {
  return (await rewriteGroupIds(tx, actor, contactId, change, options)).contact;
}

/**
 * Inside a transaction: applies `change` to the contact's group_ids under its lock, and journals
 * it when it changed anything (`changed` says whether it did). A contact of another account is
 * `contact_not_found`; an agent or queue needs an admin key unless `anyType`.
 */
export async function rewriteGroupIds(tx: Store, actor: Principal, contactId: string, change: (ids: string[]) => string[], options: { anyType?: boolean } = {}): Promise<{ contact: Contact; changed: boolean }> {
  await tx.lock(`contact:${contactId}`);
  const contact = await tx.contacts.find(actor.accountId, contactId);
  if (!contact) throw new DomainError('contact_not_found', `no contact with id ${contactId}`);
  if (!options.anyType) assertMayWriteType(actor, contact.type);
  const groupIds = change(contact.group_ids);
  if (groupIds.length === contact.group_ids.length && groupIds.every((g, i) => g === contact.group_ids[i])) return { contact, changed: false };
  const next: Contact = { ...contact, group_ids: groupIds, version: contact.version + 1, updated_at: nowIso() };
  // Only the groups change: the addresses and terms stay, and so are not written.
  const index = indexEntriesOf(contact);
  if (!(await tx.contacts.update({ contact: next, index }, { contact, index }))) throw new DomainError('version_mismatch', `contact ${contactId} was changed by another request; read it again`);
  recordChange(tx, actor, 'contact', 'updated', contact, next);
  return { contact: next, changed: true };
}

async function findGroupOrThrow(store: Store, accountId: string, id: string): Promise<Group> {
  const group = await store.groups.find(accountId, id);
  if (!group) throw new DomainError('group_not_found', `no group with id ${id}`);
  return group;
}

async function assertNameFree(tx: Store, accountId: string, name: string): Promise<void> {
  if (await tx.groups.findByName(accountId, name)) throw new DomainError('duplicate_group', `a group named "${name}" already exists`);
}
