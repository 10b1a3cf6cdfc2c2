import type { BatchItemResult, BatchKind, BatchPayload } from './batch-job.types.ts';
import { ContactService, type DuplicateRule } from '../contacts/contact.service.ts';
import { DomainError, invalidField } from '../errors.ts';
import { GroupService } from '../directory/group.service.ts';
import { toE164 } from '../phones.ts';
import type { Store } from '../ports.ts';
import type { ContactInput, Principal } from '../types.ts';

/**
 * What each kind of batch job does, item by item. `prepare` turns a request into the job's fixed
 * payload when the job is accepted (so that a job resumed on another node does the same work);
 * `runItem` does one item inside the chunk's transaction and says what became of it.
 */

/** A create item: the contact to create, or the reason the caller's own checks refused its row. */
export type CreateContactItem = { input: ContactInput } | { error: { code: string; message: string } };
export type DeleteContactItem = { seq: number } | { phone: string };

export type BatchRequest =
  | { kind: 'create_contacts'; items: CreateContactItem[]; duplicateRule?: DuplicateRule; meta?: Record<string, string | number> }
  | { kind: 'delete_contacts'; seqs?: number[]; phones?: string[]; all?: boolean }
  | { kind: 'copy_group_members' | 'move_group_members'; fromGroupId: string; toGroupId: string }
  | { kind: 'delete_groups'; groupSeqs: number[]; deleteContacts: boolean };

export interface WorkContext {
  tx: Store;
  actor: Principal;
  contacts: ContactService;
  groups: GroupService;
  region: string;
}

type Outcome = Omit<BatchItemResult, 'index'>;

export function workContext(tx: Store, actor: Principal, region: string): WorkContext {
  return { tx, actor, region, contacts: new ContactService({ store: tx, defaultRegion: region }), groups: new GroupService(tx) };
}

/** The payload of a job accepted for this request: its items, fixed now, and its options. */
export async function preparePayload(ctx: WorkContext, request: BatchRequest): Promise<BatchPayload> {
  switch (request.kind) {
    case 'create_contacts':
      return { ...request.meta, items: request.items, ...(request.duplicateRule ? { duplicateRule: request.duplicateRule } : {}) };
    case 'delete_contacts': {
      if (request.all) return { items: (await allContactSeqs(ctx)).map((seq) => ({ seq })) };
      const items: DeleteContactItem[] = [...(request.seqs ?? []).map((seq) => ({ seq })), ...(request.phones ?? []).map((phone) => ({ phone }))];
      return { items };
    }
    case 'copy_group_members':
    case 'move_group_members': {
      await ctx.groups.get(ctx.actor, request.fromGroupId);
      await ctx.groups.get(ctx.actor, request.toGroupId);
      if (request.fromGroupId === request.toGroupId) throw invalidField('to', 'must be another group than from');
      return { items: await ctx.tx.groups.memberContactIds(ctx.actor.accountId, request.fromGroupId), from: request.fromGroupId, to: request.toGroupId };
    }
    case 'delete_groups':
      return { items: request.groupSeqs, deleteContacts: request.deleteContacts };
  }
}

export async function runItem(ctx: WorkContext, kind: BatchKind, payload: BatchPayload, item: unknown): Promise<Outcome> {
  switch (kind) {
    case 'create_contacts': {
      const it = item as CreateContactItem;
      if ('error' in it) return failed(it.error.code, it.error.message);
      // Jobs' rows carry free-form attributes (8x8 customAttributes): their keys become string fields.
      const options = { freeFormCustomFields: true, ...(payload.duplicateRule ? { duplicateRule: payload.duplicateRule as DuplicateRule } : {}) };
      const { contact, outcome } = await ctx.contacts.create(ctx.actor, it.input, options);
      return { status: outcome === 'merged' ? 'merged' : 'succeeded', ref: contact.id, ref_seq: contact.seq, code: null, message: null };
    }
    case 'delete_contacts': {
      const it = item as DeleteContactItem;
      const targets = 'seq' in it ? [await ctx.contacts.getBySeq(ctx.actor, it.seq)] : await holdersOf(ctx, it.phone);
      if (targets.length === 0) throw new DomainError('contact_not_found', `no contact holds ${(it as { phone: string }).phone}`);
      for (const contact of targets) await ctx.contacts.delete(ctx.actor, contact.id);
      return done(targets[0]!.id, targets[0]!.seq);
    }
    case 'copy_group_members':
    case 'move_group_members': {
      const contactId = item as string;
      const contact = await ctx.groups.addMember(ctx.actor, payload.to as string, contactId);
      if (kind === 'move_group_members') await ctx.groups.removeMember(ctx.actor, payload.from as string, contactId);
      return done(contact.id, contact.seq);
    }
    case 'delete_groups': {
      const group = await ctx.groups.getBySeq(ctx.actor, item as number);
      if (payload.deleteContacts) {
        for (const contactId of await ctx.tx.groups.memberContactIds(ctx.actor.accountId, group.id)) await ctx.contacts.delete(ctx.actor, contactId);
      }
      await ctx.groups.delete(ctx.actor, group.id);
      return done(group.id, group.seq);
    }
  }
}

function done(ref: string, refSeq: number): Outcome {
  return { status: 'succeeded', ref, ref_seq: refSeq, code: null, message: null };
}

export function failed(code: string, message: string): Outcome {
  return { status: 'failed', ref: null, ref_seq: null, code, message };
}

async function holdersOf(ctx: WorkContext, phone: string) {
  const e164 = toE164(phone, ctx.region);
  if (e164 === null) throw invalidField('msisdns', `"${phone}" is not a phone number`);
  return ctx.tx.contacts.lookup(ctx.actor.accountId, 'phone', e164, 1000);
}

async function allContactSeqs(ctx: WorkContext): Promise<number[]> {
  const seqs: number[] = [];
  let afterSeq: number | undefined;
  for (;;) {
    const page = await ctx.tx.contacts.list(ctx.actor.accountId, { status: 'active' }, { limit: 1000, ...(afterSeq === undefined ? {} : { afterSeq }) });
    seqs.push(...page.items.map((c) => c.seq));
    if (page.nextCursor === null || page.items.length === 0) return seqs;
    afterSeq = page.items[page.items.length - 1]!.seq;
  }
}
