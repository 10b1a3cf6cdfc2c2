import ICAL from 'ical.js';
import type { Contact } from '../../core/types.ts';
import { escapeText, foldLine, splitLine, unfoldLines } from './content-line.ts';
import { DATA_TYPE_PARAM, TEXT_FIELD_PROPS, TYPE_PROP, keyOfProp, propNameOf, textOfCustomValue } from './contactd-props.ts';
import { mediaLineFor } from './inline-media.ts';
import { writeImpp } from './messaging.ts';
import { writePhoneValue } from './phone-value.ts';
import { matchingShadow, shadowsOf } from './shadows.ts';
import { typeParamsOf } from './tel-types.ts';
import type { CardContext, CardExtras, VCardVersion } from './types.ts';

type JCardProperty = [string, Record<string, string | string[]>, string, ...unknown[]];

const PRODID = '-//contactd//vCard//EN';

/** The contact as one vCard (CRLF lines, folded at 75 octets), its extras given back verbatim. */
export function contactToVCard(contact: Contact, ctx: CardContext, version: VCardVersion, extras?: CardExtras): string {
  const { properties, verbatim } = cardParts(contact, ctx, version, extras);
  // ical.js prints the values; folding is ours, as its own can put more than 75 octets on a line.
  const printed = unfoldLines(new ICAL.Component(['vcard', properties, []]).toString()).map((line) => (version === '4.0' ? withUriValue(line) : line));
  const lines = [...printed.slice(0, -1), ...verbatim, printed[printed.length - 1]!];
  return lines.map((line) => `${foldLine(line)}\r\n`).join('');
}

/** The contact as jCard (RFC 7095): the vCard 4.0 data model; extras that ical.js cannot read are left out. */
export function contactToJCard(contact: Contact, ctx: CardContext, extras?: CardExtras): unknown[] {
  const { properties, verbatim } = cardParts(contact, ctx, '4.0', extras);
  const more: unknown[] = [];
  for (const line of verbatim) {
    try {
      more.push(ICAL.Property.fromString(line, ICAL.design.vcard).toJSON());
    } catch {
      // A line ical.js cannot read has no jCard form; the vCard forms still carry it.
    }
  }
  return ['vcard', [...properties, ...more]];
}

function cardParts(contact: Contact, ctx: CardContext, version: VCardVersion, extras?: CardExtras): { properties: JCardProperty[]; verbatim: string[] } {
  const { shadows, others: kept } = shadowsOf(extras?.properties ?? []);
  const others = kept.filter((line) => isWritableExtra(line, ctx));
  const verbatim: string[] = [];
  const properties: JCardProperty[] = [
    ['version', {}, 'text', version],
    ['prodid', {}, 'unknown', PRODID],
    ['uid', {}, 'text', extras?.uid ?? contact.id],
    ['fn', {}, 'text', contact.display_name ?? fallbackName(contact)],
  ];
  /** Emits a generated property, or the client's own line for it when that line says the same. */
  const emit = (key: string, property: JCardProperty) => {
    const shadow = matchingShadow(shadows, key);
    if (shadow !== null) verbatim.push(shadow);
    else properties.push(property);
  };
  const names = [contact.last_name ?? '', contact.first_name ?? '', '', contact.salutation ?? '', ''];
  if (version === '3.0' || names.some((n) => n !== '')) emit(`N:${names[0]};${names[1]};${names[3]}`, ['n', {}, 'text', names]);
  if (contact.company !== null) emit(`ORG:${contact.company}`, ['org', {}, 'text', [contact.company]]);
  if (contact.role !== null) properties.push(['title', {}, 'text', contact.role]);

  const groupsTaken = new Set(others.map((line) => splitLine(line)?.group?.toLowerCase()).filter((g) => g !== undefined && g !== null));
  let item = 0;
  const nextGroup = () => {
    do item++;
    while (groupsTaken.has(`item${item}`));
    return `item${item}`;
  };
  for (const phone of contact.phone_numbers) {
    const params: Record<string, string | string[]> = {};
    const types = typeParamsOf(phone.type);
    if (types === null) params['x-contactd-type'] = phone.type;
    const typeList = [...(types ?? [])];
    if (version === '3.0' && phone.is_primary) typeList.push('pref');
    if (version === '4.0' && phone.is_primary) params.pref = '1';
    if (typeList.length > 0) params.type = typeList.length === 1 ? typeList[0]! : typeList;
    const value = writePhoneValue(phone.e164, phone.extension, version);
    if (phone.label !== null) {
      const group = nextGroup();
      properties.push(['tel', { ...params, group }, version === '4.0' ? 'uri' : 'phone-number', value]);
      properties.push(['x-ablabel', { group }, 'unknown', escapeText(phone.label)]);
    } else {
      properties.push(['tel', params, version === '4.0' ? 'uri' : 'phone-number', value]);
    }
  }
  for (const email of contact.emails) {
    const params: Record<string, string | string[]> = {};
    const typeList = [email.type];
    if (version === '3.0' && email.is_primary) typeList.push('pref');
    if (version === '4.0' && email.is_primary) params.pref = '1';
    if (/^[a-z0-9-]+$/i.test(email.type)) params.type = typeList.length === 1 ? typeList[0]! : typeList;
    else params['x-contactd-type'] = email.type;
    properties.push(['email', params, 'text', email.address]);
  }
  for (const handle of contact.messaging) {
    const { params, value } = writeImpp(handle);
    emit(`IMPP:${handle.channel}:${handle.handle}`, ['impp', params, 'uri', value]);
  }
  const groupNames = contact.group_ids.map((id) => ctx.groupNames.get(id)).filter((n): n is string => n !== undefined);
  if (groupNames.length > 0) properties.push(['categories', {}, 'text', ...groupNames]);
  for (const field of TEXT_FIELD_PROPS) {
    const value = contact[field];
    if (value !== null) properties.push([propNameOf(field).toLowerCase(), {}, 'unknown', escapeText(value)]);
  }
  if (contact.type !== 'custom') properties.push([TYPE_PROP.toLowerCase(), {}, 'unknown', contact.type]);
  const fields = new Map(ctx.customFields.map((f) => [f.key, f]));
  for (const [key, value] of Object.entries(contact.custom_fields)) {
    const dataType = fields.get(key)?.data_type ?? (typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string');
    properties.push([propNameOf(key).toLowerCase(), { [DATA_TYPE_PARAM.toLowerCase()]: dataType }, 'unknown', escapeText(textOfCustomValue(value))]);
  }
  properties.push(['rev', {}, version === '4.0' ? 'timestamp' : 'date-time', contact.updated_at.replace(/\.\d+Z$/, 'Z')]);
  return { properties, verbatim: [...verbatim, ...others.map((line) => mediaLineFor(line, version))] };
}

/**
 * RFC 6350 §6.4.1: a TEL value is text unless `VALUE=uri` says otherwise, and ical.js leaves the
 * parameter out (it takes uri as the default): a strict client would read `tel:+1...` as text.
 */
function withUriValue(line: string): string {
  const match = /^((?:[A-Za-z0-9-]+\.)?TEL)([;:])/i.exec(line);
  if (!match || /;VALUE=/i.test(line.slice(0, line.indexOf(':')))) return line;
  return `${match[1]};VALUE=uri${match[2]}${line.slice(match[0].length)}`;
}

/** Properties contactd writes from the contact itself: an extra of one of these names would say it twice. */
const GENERATED = new Set(['BEGIN', 'END', 'VERSION', 'PRODID', 'REV', 'UID', 'FN', 'TEL', 'EMAIL', 'TITLE', 'CATEGORIES']);

/**
 * Extras are stored by other adapters and may not be what the reader kept: a line is written back
 * only when it is one content line, and not one of the properties generated from the contact
 * (contactd's own X-CONTACTD- properties included, unless it names a field the account lacks).
 */
function isWritableExtra(raw: string, ctx: CardContext): boolean {
  if (/[\r\n]/.test(raw)) return false;
  const line = splitLine(raw);
  if (line === null || GENERATED.has(line.name)) return false;
  const key = keyOfProp(line.name);
  if (key === null) return true;
  return !ctx.customFields.some((f) => f.key === key) && !TEXT_FIELD_PROPS.some((f) => propNameOf(f) === line.name) && line.name !== TYPE_PROP;
}

/** FN is required: a contact without a display name shows its company, email or number. */
function fallbackName(contact: Contact): string {
  return contact.company ?? contact.emails[0]?.address ?? contact.phone_numbers[0]?.e164 ?? '';
}
