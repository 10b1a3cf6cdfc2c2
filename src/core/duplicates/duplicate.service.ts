import { invalidField } from '../errors.ts';
import type { DuplicateAfter, DuplicateReason, Store } from '../ports.ts';
import type { Contact, Page, Principal } from '../types.ts';

/** The reasons in the order a walk through the pairs takes them. */
export const DUPLICATE_REASONS: readonly DuplicateReason[] = ['phone', 'email', 'name_company'];

/** Two live contacts that may be one person, and what they share. Nothing merges them but a person. */
export interface DuplicatePair {
  reason: DuplicateReason;
  /** The shared E.164 number, lower-case email, or lower-case "name / company". */
  value: string;
  contacts: [Contact, Contact];
}

interface Position extends DuplicateAfter {
  reason: DuplicateReason;
}

/** Candidate duplicates of an account: pairs sharing a phone, an email, or a name and company. */
export class DuplicateService {
  constructor(private readonly store: Store) {}

  /** A page of pairs, by phone first, then email, then name and company; each pair once per reason. */
  async list(actor: Principal, query: { addressBookId?: string }, limit: number, cursor?: string): Promise<Page<DuplicatePair>> {
    let position = decodePosition(cursor);
    const found: { reason: DuplicateReason; value: string[]; aId: string; bId: string; aSeq: number; bSeq: number }[] = [];
    for (const reason of DUPLICATE_REASONS.slice(position ? DUPLICATE_REASONS.indexOf(position.reason) : 0)) {
      const after = position?.reason === reason ? position : undefined;
      // One more than asked for: whether a next page exists.
      const pairs = await this.store.duplicates.pairs(actor.accountId, reason, after, limit + 1 - found.length, query.addressBookId);
      found.push(...pairs.map((p) => ({ ...p, reason })));
      if (found.length > limit) break;
      position = undefined;
    }
    const page = found.slice(0, limit);
    const contacts = new Map((await this.store.contacts.findMany(actor.accountId, page.flatMap((p) => [p.aId, p.bId]))).map((c) => [c.id, c]));
    const items = page.flatMap((p) => {
      const [a, b] = [contacts.get(p.aId), contacts.get(p.bId)];
      return a && b ? [{ reason: p.reason, value: p.value.join(' / '), contacts: [a, b] as [Contact, Contact] }] : [];
    });
    const last = page.at(-1);
    return { items, nextCursor: found.length > limit && last ? encodePosition({ reason: last.reason, value: last.value, aSeq: last.aSeq, bSeq: last.bSeq }) : null };
  }
}

function encodePosition(p: Position): string {
  return Buffer.from(JSON.stringify({ r: p.reason, v: p.value, a: p.aSeq, b: p.bSeq })).toString('base64url');
}

function decodePosition(cursor: string | undefined): Position | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const { r, v, a, b } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const isSeq = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
    if (DUPLICATE_REASONS.includes(r as DuplicateReason) && Array.isArray(v) && v.length <= 2 && v.every((s) => typeof s === 'string') && isSeq(a) && isSeq(b)) {
      return { reason: r as DuplicateReason, value: v as string[], aSeq: a, bSeq: b };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidField('cursor', 'is not a cursor this API returned');
}
