import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { Static } from 'typebox';
import { invalidField, validationError } from '../../core/errors.ts';
import type { Contact, ContactInput, Group, Messaging } from '../../core/types.ts';
import type { GroupInput } from '../../core/directory/group.service.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { CHANNELS, attributeValuesOf, msisdnToE164, type CreateBody } from './mapping.ts';
import { CreateContactBody, CreateGroupBody, type PatchOperation } from './schemas.ts';

/**
 * 8x8 PATCH bodies are JSON Patch (RFC 6902) over the resource as 8x8 shows it. The patch is
 * applied to that document (fast-json-patch), the result is checked against the create body's
 * limits, and what changed becomes a core change.
 */

type Op = Static<typeof PatchOperation>;

const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validContact = ajv.compile(CreateContactBody);
const validGroup = ajv.compile(CreateGroupBody);

/**
 * Applies the operations in order. 8x8's resources have every field, possibly empty, so a
 * `replace` of a field that is not set (e.g. `/lastName` of a contact without one) sets it, as
 * 8x8's own example expects, rather than failing as RFC 6902 would for a missing member.
 */
function applyOps<T extends object>(document: T, ops: Op[]): T {
  let doc = structuredClone(document);
  try {
    ops.forEach((op, index) => {
      const absent = op.op === 'replace' && safeGet(doc, op.path) === undefined && safeGet(doc, op.path.replace(/\/[^/]*$/, '')) !== undefined;
      doc = jsonpatch.applyOperation(doc, { ...op, op: absent ? 'add' : op.op } as Operation, true, true, true, index).newDocument;
    });
  } catch (error) {
    // fast-json-patch's errors (a failed test, a missing path, ...) name the operation by index.
    const e = error as { message?: string; index?: number };
    throw invalidField(e.index === undefined ? 'body' : `body[${e.index}]`, (e.message ?? 'cannot be applied').split('\n')[0]!);
  }
  // An operation on the root (path "") may leave no object at all: null, an array, or nothing (a `from` naming nothing).
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalidField('body', 'the patched document must remain an object');
  return doc;
}

function safeGet(doc: unknown, pointer: string): unknown {
  try {
    return pointer === '' ? doc : jsonpatch.getValueByPointer(doc, pointer);
  } catch {
    return undefined;
  }
}

/** The editable document of a contact: the create body's fields, groups by id. */
function editableContact(contact: Contact, groupSeqs: Map<string, number>, addresses: Record<string, string>): Record<string, unknown> {
  const doc: Record<string, unknown> = { addresses: { ...addresses }, customAttributes: { ...contact.custom_fields } };
  if (contact.first_name !== null) doc.firstName = contact.first_name;
  if (contact.last_name !== null) doc.lastName = contact.last_name;
  if (contact.external_id !== null) doc.externalId = contact.external_id;
  if (contact.country !== null) doc.country = contact.country;
  const groups = contact.group_ids.map((id) => groupSeqs.get(id)).filter((s): s is number => s !== undefined);
  if (groups.length > 0) doc.groups = groups.map((id) => ({ id }));
  return doc;
}

export interface ContactPatchResult {
  input: ContactInput;
  /** Group ids (integers) the patched document names, to be resolved by the caller. */
  groupSeqs: number[] | undefined;
}

/**
 * The core change a JSON Patch makes to a contact. `addresses` is the contact's wire addresses;
 * `groupSeqs` maps the contact's group ids to their integer ids.
 */
export function contactPatchOf(contact: Contact, addresses: Record<string, string>, groupSeqs: Map<string, number>, ops: Op[]): ContactPatchResult {
  for (const [i, op] of ops.entries()) {
    if (/^\/(id|createdAt)(\/|$)/.test(op.path)) throw invalidField(`body[${i}].path`, `${op.path} cannot be changed`);
  }
  const before = editableContact(contact, groupSeqs, addresses);
  const after = applyOps(before, ops) as Record<string, unknown>;
  // The document's groups are shown as group objects; only their ids matter.
  if (Array.isArray(after.groups)) after.groups = after.groups.map((g) => (g !== null && typeof g === 'object' ? { id: (g as { id?: unknown }).id } : g));
  if (Array.isArray(after.groups) && after.groups.length === 0) delete after.groups;
  if (!validContact(after)) throw validationError(fieldErrorsOf(validContact.errors ?? [], 'body'));
  const body = after as unknown as CreateBody;
  const input: ContactInput = {};
  for (const [wire, core] of [['firstName', 'first_name'], ['lastName', 'last_name'], ['externalId', 'external_id'], ['country', 'country']] as const) {
    if (body[wire] !== before[wire]) input[core] = body[wire] ?? null;
  }
  const was = before.addresses as Record<string, string>;
  const now = body.addresses as Record<string, string | undefined>;
  if (now.msisdn !== was.msisdn) {
    const old = was.msisdn === undefined ? undefined : `+${was.msisdn}`;
    const primary = now.msisdn ? [{ number: msisdnToE164(now.msisdn, body.country), type: 'mobile', is_primary: true }] : [];
    const others = contact.phone_numbers.filter((p) => p.e164 !== old && !primary.some((q) => q.number === p.e164)).map((p) => ({ ...p, is_primary: false }));
    input.phone_numbers = [...primary, ...others];
  }
  if (now.email !== was.email) {
    const others = contact.emails.filter((e) => e.address !== was.email).map((e) => ({ ...e, is_primary: false }));
    input.emails = now.email ? [{ address: now.email, is_primary: true }, ...others] : others;
  }
  if (CHANNELS.some(([field]) => now[field] !== was[field])) {
    const channels = new Set<string>(CHANNELS.map(([, c]) => c));
    const kept: Messaging[] = contact.messaging.filter((m) => !channels.has(m.channel));
    input.messaging = [...kept, ...CHANNELS.filter(([field]) => now[field]).map(([field, channel]) => ({ channel, handle: now[field]! }))];
  }
  const addressCount = (input.phone_numbers ?? contact.phone_numbers).length + (input.emails ?? contact.emails).length + (input.messaging ?? contact.messaging).length;
  if (addressCount === 0) throw invalidField('addresses', 'at least one address should be provided');
  // Only what the patch changed is written (a merge patch, key by key): values it left alone keep
  // their stored type, such as a number field set through the native API.
  const attributes = attributeValuesOf(body.customAttributes ?? {})!;
  const shown = (before.customAttributes ?? {}) as Record<string, unknown>;
  const changed: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(attributes)) if (!(key in shown) || String(shown[key]) !== value) changed[key] = value;
  for (const key of Object.keys(shown)) if (!(key in attributes)) changed[key] = null;
  if (Object.keys(changed).length > 0) input.custom_fields = changed;
  const groupsBefore = JSON.stringify(before.groups ?? []);
  const groupSeqList = (body.groups ?? []).map((g) => g.id);
  return { input, groupSeqs: JSON.stringify(body.groups ?? []) === groupsBefore ? undefined : groupSeqList };
}

const GROUP_FIELDS = ['name', 'description', 'isBlacklist'];

/**
 * A group's JSON Patch: paths name fields in any case (the file's example says `/isblacklist`)
 * and `"true"` / `"false"` are read as booleans (its example sends `"value": "true"`).
 */
export function groupPatchOf(group: Group, ops: Op[]): Partial<GroupInput> {
  const normalized = ops.map((op, i) => {
    const fix = (pointer: string | undefined, field: string) => {
      if (pointer === undefined) return undefined;
      const [, first, ...rest] = pointer.split('/');
      const known = GROUP_FIELDS.find((f) => f.toLowerCase() === (first ?? '').toLowerCase());
      if (!known || rest.length > 0) throw invalidField(`body[${i}].${field}`, `must be /name, /description or /isBlacklist`);
      return `/${known}`;
    };
    const path = fix(op.path, 'path')!;
    const value = path === '/isBlacklist' && typeof op.value === 'string' && /^(true|false)$/i.test(op.value) ? op.value.toLowerCase() === 'true' : op.value;
    return { ...op, path, ...(op.from !== undefined ? { from: fix(op.from, 'from') } : {}), ...(op.op === 'remove' || op.value === undefined ? {} : { value }) };
  });
  const before: Record<string, unknown> = { name: group.name, isBlacklist: group.is_blocklist, ...(group.description !== null ? { description: group.description } : {}) };
  const after = applyOps(before, normalized);
  if (!validGroup(after)) throw validationError(fieldErrorsOf(validGroup.errors ?? [], 'body'));
  const doc = after as Static<typeof CreateGroupBody>;
  return { name: doc.name, description: doc.description ?? null, is_blocklist: doc.isBlacklist ?? false };
}
