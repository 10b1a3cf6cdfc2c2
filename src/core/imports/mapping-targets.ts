import { CONTACT_TEXT_FIELDS, type ContactTextField } from '../types.ts';

/**
 * A mapping target, parsed. The grammar (what `options.mapping` and `ColumnPlan.target` hold):
 *
 *   first_name, company, ... (a text field)      type (the contact type)
 *   phone_numbers            each value a number, typed by a phone_numbers.type column if any
 *   phone_numbers.type  .extension  .label       apply to the phone_numbers columns
 *   phone_numbers[type=mobile]                   each value a number of that type
 *   phone_numbers[2]  phone_numbers[2].type  .extension  .label   (numbered slots)
 *   emails  emails.type  emails[type=work]  emails[2]  emails[2].type
 *   messaging[whatsapp] (cell = handle)  messaging.channel + messaging.handle  messaging[2].channel ...
 *   custom_fields.<key>                          groups  groups[split=;]
 *
 * A cell may hold several values separated by ` ::: ` (Google's export): several numbers,
 * emails, handles or groups. A numbered slot's type, extension and label apply to each of its values.
 */
export type Target =
  | { kind: 'text'; field: ContactTextField }
  | { kind: 'type' }
  | { kind: 'phone'; slot: number | null; part: 'number' | 'type' | 'extension' | 'label'; fixedType?: string }
  | { kind: 'email'; slot: number | null; part: 'address' | 'type'; fixedType?: string }
  | { kind: 'messaging'; slot: number | null; part: 'channel' | 'handle'; fixedChannel?: string }
  | { kind: 'custom'; key: string }
  | { kind: 'groups'; separator: string };

/** The separator of several values in one cell, as Google Contacts writes them. */
export const MULTI_VALUE_SEPARATOR = ' ::: ';

const TEXT_FIELDS = new Set<string>(CONTACT_TEXT_FIELDS);
const LIST = /^(phone_numbers|emails|messaging)(?:\[([^\]]+)\])?(?:\.([a-z]+))?$/;
const PARTS = { phone_numbers: ['number', 'type', 'extension', 'label'], emails: ['address', 'type'], messaging: ['channel', 'handle'] } as const;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$/;

/** The target a string names, or a sentence saying why it names none. */
export function parseTarget(text: string): Target | { problem: string } {
  const target = text.trim();
  if (TEXT_FIELDS.has(target)) return { kind: 'text', field: target as ContactTextField };
  if (target === 'type') return { kind: 'type' };
  if (target === 'groups') return { kind: 'groups', separator: MULTI_VALUE_SEPARATOR };
  const split = /^groups\[split=(.{1,5})\]$/.exec(target);
  if (split) return { kind: 'groups', separator: split[1]! };
  if (target.startsWith('custom_fields.')) {
    const key = target.slice('custom_fields.'.length);
    return key === '' ? { problem: 'names no custom field key' } : { kind: 'custom', key };
  }
  const list = LIST.exec(target);
  if (list) return listTarget(list[1] as keyof typeof PARTS, list[2], list[3]);
  return { problem: `"${text}" is not a field: use a contact field (first_name, company, ...), phone_numbers[type=mobile], emails[type=work], messaging[whatsapp], custom_fields.<key> or groups` };
}

function listTarget(list: keyof typeof PARTS, bracket: string | undefined, part: string | undefined): Target | { problem: string } {
  const parts: readonly string[] = PARTS[list];
  if (part !== undefined && !parts.includes(part)) return { problem: `${list} has no part "${part}" (${parts.join(', ')})` };
  const slot = bracket !== undefined && /^[1-9]\d{0,2}$/.test(bracket) ? Number(bracket) : null;
  if (bracket !== undefined && slot === null) {
    // A fixed type (or channel) applies to the values of this one column: no separate parts.
    if (part !== undefined) return { problem: `${list}[${bracket}] takes no part; number the slot instead (${list}[2].${part})` };
    const fixed = list === 'messaging' ? bracket : /^type=(.+)$/.exec(bracket)?.[1];
    if (fixed === undefined || !LABEL.test(fixed)) return { problem: list === 'messaging' ? `messaging[${bracket}]: name a channel, as messaging[whatsapp]` : `${list}[${bracket}]: write ${list}[type=mobile] or ${list}[2]` };
    const value = fixed.toLowerCase();
    if (list === 'phone_numbers') return { kind: 'phone', slot: null, part: 'number', fixedType: value };
    if (list === 'emails') return { kind: 'email', slot: null, part: 'address', fixedType: value };
    return { kind: 'messaging', slot: null, part: 'handle', fixedChannel: value };
  }
  if (list === 'phone_numbers') return { kind: 'phone', slot, part: (part ?? 'number') as 'number' };
  if (list === 'emails') return { kind: 'email', slot, part: (part ?? 'address') as 'address' };
  if (slot === null && part === undefined) return { problem: 'messaging: name the channel (messaging[whatsapp]), or give messaging.channel and messaging.handle columns' };
  return { kind: 'messaging', slot, part: (part ?? 'handle') as 'handle' };
}

/** Splits a cell holding several values; empty pieces are dropped. */
export function splitValues(cell: string, separator = MULTI_VALUE_SEPARATOR): string[] {
  if (!cell.includes(separator)) {
    const value = cell.trim();
    return value === '' ? [] : [value];
  }
  return cell.split(separator).map((v) => v.trim()).filter((v) => v !== '');
}
