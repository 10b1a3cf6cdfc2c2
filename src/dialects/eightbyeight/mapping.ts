import type { Static } from 'typebox';
import type { BatchItemResult, BatchJob } from '../../core/batch-jobs/batch-job.types.ts';
import { invalidField } from '../../core/errors.ts';
import { toE164 } from '../../core/phones.ts';
import type { Contact, ContactInput, Group, Messaging } from '../../core/types.ts';
import type { BatchJob as WireBatchJob } from './batch.schemas.ts';
import { MSISDN_MESSAGE } from './messages.ts';
import type { Addresses, Contact as WireContact, CreateContactBody, Group as WireGroup } from './schemas.ts';

/** The translations of the 8x8 dialect: wire -> core input, core contact, group and job -> wire. */

type WireContact = Static<typeof WireContact>;
type WireGroup = Static<typeof WireGroup>;
type WireAddresses = Static<typeof Addresses>;
export type CreateBody = Static<typeof CreateContactBody>;

/** 8x8's messaging addresses and the core's channel names for them. */
export const CHANNELS = [
  ['weChatUserId', 'wechat'],
  ['facebookUserId', 'facebook'],
  ['zaloId', 'zalo'],
  ['lineId', 'line'],
  ['kakaoTalkId', 'kakaotalk'],
] as const satisfies readonly (readonly [keyof WireAddresses, string])[];

/** A group with how many contacts it holds. */
export interface CountedGroup {
  group: Group;
  members: number;
}

export function toWireGroup({ group, members }: CountedGroup): WireGroup {
  const wire: WireGroup = { id: group.seq, contacts: members, createdAt: group.created_at, name: group.name, isBlacklist: group.is_blocklist };
  if (group.description !== null) wire.description = group.description;
  return wire;
}

/** `groups` only when the contact is in one (the file's schema wants at least one item). */
export function toWireContact(contact: Contact, groups: Map<string, CountedGroup>): WireContact {
  const wire: WireContact = { id: contact.seq, createdAt: contact.created_at, addresses: toWireAddresses(contact), customAttributes: { ...contact.custom_fields } };
  if (contact.first_name !== null) wire.firstName = contact.first_name;
  if (contact.last_name !== null) wire.lastName = contact.last_name;
  if (contact.external_id !== null) wire.externalId = contact.external_id;
  if (contact.country !== null) wire.country = contact.country;
  const wireGroups = contact.group_ids.map((id) => groups.get(id)).filter((g): g is CountedGroup => g !== undefined).map(toWireGroup);
  if (wireGroups.length > 0) wire.groups = wireGroups;
  return wire;
}

function toWireAddresses(contact: Contact): WireAddresses {
  const addresses: WireAddresses = {};
  const phone = contact.phone_numbers.find((p) => p.is_primary) ?? contact.phone_numbers[0];
  if (phone) addresses.msisdn = phone.e164.slice(1);
  const email = contact.emails.find((e) => e.is_primary) ?? contact.emails[0];
  if (email) addresses.email = email.address;
  for (const [field, channel] of CHANNELS) {
    const handle = contact.messaging.find((m) => m.channel === channel);
    if (handle) addresses[field] = handle.handle;
  }
  return addresses;
}

/**
 * An msisdn in E.164. With a `+`, international. Otherwise, with a country, national in that
 * country when it can be (else international digits); without one, international digits.
 */
export function msisdnToE164(msisdn: string, country: string | undefined): string {
  const digits = msisdn.replace(/^\+/, '');
  // An international number's region plays no part in reading it.
  const e164 = msisdn.startsWith('+') || country === undefined ? toE164(`+${digits}`, 'US') : toE164(digits, country.toUpperCase());
  if (e164 === null) throw invalidField('msisdn', MSISDN_MESSAGE);
  return e164;
}

/** Free-form attribute values as the string custom fields they become. */
export function attributeValuesOf(attributes: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (attributes === undefined) return undefined;
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)]));
}

/** The create body as core input; `groupIds` are the core ids of `body.groups`. */
export function createInputOf(body: CreateBody, groupIds: string[]): ContactInput {
  const a = body.addresses;
  const messaging: Messaging[] = CHANNELS.filter(([field]) => nonEmpty(a[field])).map(([field, channel]) => ({ channel, handle: a[field]! }));
  const input: ContactInput = {
    phone_numbers: nonEmpty(a.msisdn) ? [{ number: msisdnToE164(a.msisdn!, body.country), type: 'mobile' }] : [],
    emails: nonEmpty(a.email) ? [{ address: a.email! }] : [],
    messaging,
    group_ids: groupIds,
  };
  if (input.phone_numbers!.length + input.emails!.length + messaging.length === 0) throw invalidField('addresses', 'at least one address should be provided');
  if (body.firstName !== undefined) input.first_name = body.firstName;
  if (body.lastName !== undefined) input.last_name = body.lastName;
  if (body.externalId !== undefined) input.external_id = body.externalId;
  if (body.country !== undefined) input.country = body.country;
  const custom = attributeValuesOf(body.customAttributes);
  if (custom !== undefined) input.custom_fields = custom;
  return input;
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

const WIRE_TYPE = { create_contacts: 'createContacts', delete_contacts: 'deleteContacts', copy_group_members: 'copyContacts', move_group_members: 'moveContacts', delete_groups: 'deleteGroups' } as const;
export const CORE_KIND = Object.fromEntries(Object.entries(WIRE_TYPE).map(([k, v]) => [v, k])) as Record<(typeof WIRE_TYPE)[keyof typeof WIRE_TYPE], BatchJob['kind']>;
const WIRE_STATUS = { queued: 'queued', in_progress: 'inProgress', completed: 'completed', failed: 'failed', stopped: 'stopped', timeout: 'timeout' } as const;

/** A job as 8x8 shows it; `results` only when asked for one job. */
export function toWireJob(job: BatchJob, results?: BatchItemResult[], errorOf?: (code: string, message: string) => { code: number; message: string }): Static<typeof WireBatchJob> {
  const wire: Static<typeof WireBatchJob> = {
    id: job.id,
    type: WIRE_TYPE[job.kind],
    status: WIRE_STATUS[job.status],
    createdAt: job.created_at,
    totalRows: job.total,
    processedRows: job.processed,
    insertedRows: job.succeeded,
    errorRows: job.failed,
  };
  if (job.kind === 'create_contacts') {
    wire.duplicatedRows = job.merged;
    if (typeof job.payload.fileName === 'string') wire.fileName = job.payload.fileName;
    wire.fileType = job.payload.fileType === 'xls' ? 'xls' : 'csv';
    wire.contactGroups = typeof job.payload.groupCount === 'number' ? job.payload.groupCount : 0;
  }
  if (results) {
    wire.results = results.map((r) => ({
      item: r.index,
      status: r.status,
      ...(r.ref_seq !== null ? { id: r.ref_seq } : {}),
      ...(r.code !== null ? { error: errorOf ? errorOf(r.code, r.message ?? '') : { code: 1000, message: r.message ?? '' } } : {}),
    }));
  }
  return wire;
}

/** Core field paths in errors, as 8x8 names them. */
export function wireFieldOf(path: string): string {
  if (path.startsWith('phone_numbers')) return 'msisdn';
  if (path.startsWith('emails')) return 'email';
  if (path.startsWith('custom_fields.')) return `customAttributes.${path.slice('custom_fields.'.length)}`;
  return { first_name: 'firstName', last_name: 'lastName', external_id: 'externalId', group_ids: 'groups' }[path] ?? path;
}
