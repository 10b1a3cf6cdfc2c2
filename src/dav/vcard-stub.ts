import type { CustomField, Contact, ContactInput } from '../core/types.ts';

/**
 * A stand-in for src/formats/vcard until the codec lands on main: the same signatures, the few
 * properties the CardDAV tests need. Removed when the codec is merged.
 */
export interface CardExtras { uid: string | null; properties: string[] }
export interface CardContext { groupNames: Map<string, string>; customFields: CustomField[] }
export interface CardReadContext { customFields: CustomField[]; defaultRegion: string }
export interface ParsedCard { input: ContactInput; groupNames: string[]; extras: CardExtras; errors: { property: string; code: string; message: string }[] }

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/,/g, '\\,').replace(/;/g, '\\;');
const unesc = (v: string) => v.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

export function contactToVCard(contact: Contact, ctx: CardContext, version: '3.0' | '4.0', extras?: CardExtras): string {
  const lines = ['BEGIN:VCARD', `VERSION:${version}`, `UID:${extras?.uid ?? contact.id}`, `FN:${esc(contact.display_name ?? '')}`];
  lines.push(`N:${[contact.last_name, contact.first_name, '', contact.salutation, ''].map((p) => esc(p ?? '')).join(';')}`);
  if (contact.company) lines.push(`ORG:${esc(contact.company)}`);
  if (contact.role) lines.push(`TITLE:${esc(contact.role)}`);
  for (const p of contact.phone_numbers) lines.push(version === '4.0' ? `TEL;VALUE=uri;TYPE=${p.type}:tel:${p.e164}` : `TEL;TYPE=${p.type.toUpperCase()}:${p.e164}`);
  for (const e of contact.emails) lines.push(`EMAIL;TYPE=${version === '4.0' ? e.type : e.type.toUpperCase()}:${e.address}`);
  const groups = contact.group_ids.map((g) => ctx.groupNames.get(g)).filter((n): n is string => n !== undefined);
  if (groups.length > 0) lines.push(`CATEGORIES:${groups.map(esc).join(',')}`);
  lines.push(...(extras?.properties ?? []), 'END:VCARD');
  return lines.map(fold).join('\r\n') + '\r\n';
}

export function contactToJCard(contact: Contact, ctx: CardContext, extras?: CardExtras): unknown[] {
  const props: unknown[] = [['version', {}, 'text', '4.0'], ['uid', {}, 'text', extras?.uid ?? contact.id], ['fn', {}, 'text', contact.display_name ?? '']];
  props.push(['n', {}, 'text', [contact.last_name ?? '', contact.first_name ?? '', '', contact.salutation ?? '', '']]);
  for (const p of contact.phone_numbers) props.push(['tel', { type: p.type }, 'uri', `tel:${p.e164}`]);
  for (const e of contact.emails) props.push(['email', { type: e.type }, 'text', e.address]);
  if (contact.company) props.push(['org', {}, 'text', contact.company]);
  void ctx;
  return ['vcard', props];
}

export function parseVCard(text: string, ctx: CardReadContext): ParsedCard {
  void ctx;
  const lines = text.replace(/\r\n/g, '\n').replace(/\n[ \t]/g, '').split('\n').filter((l) => l.trim() !== '');
  const input: ContactInput = {};
  const groupNames: string[] = [];
  const extras: CardExtras = { uid: null, properties: [] };
  const errors: ParsedCard['errors'] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [head, value] = [line.slice(0, colon), line.slice(colon + 1)];
    const [nameWithGroup, ...params] = head.split(';');
    const name = nameWithGroup!.replace(/^.*\./, '').toUpperCase();
    const type = params.map((p) => p.replace(/^TYPE=/i, '').toLowerCase()).join(',').split(',').find((t) => ['cell', 'mobile', 'work', 'home', 'fax', 'main', 'pager', 'other'].includes(t));
    switch (name) {
      case 'BEGIN': case 'END': case 'VERSION': case 'PRODID': break;
      case 'UID': extras.uid = value; break;
      case 'FN': input.display_name = unesc(value); break;
      case 'N': {
        const [last, first, , prefix] = value.split(/(?<!\\);/).map(unesc);
        if (last) input.last_name = last;
        if (first) input.first_name = first;
        if (prefix) input.salutation = prefix;
        break;
      }
      case 'ORG': input.company = unesc(value.split(/(?<!\\);/)[0]!); break;
      case 'TITLE': input.role = unesc(value); break;
      case 'TEL': (input.phone_numbers ??= []).push({ number: value.replace(/^tel:/i, ''), type: type === 'cell' ? 'mobile' : (type ?? 'other') }); break;
      case 'EMAIL': (input.emails ??= []).push({ address: value, type: type === 'home' ? 'home' : type === 'work' ? 'work' : 'other' }); break;
      case 'CATEGORIES': groupNames.push(...value.split(/(?<!\\),/).map(unesc)); break;
      default: extras.properties.push(line);
    }
  }
  return { input, groupNames, extras, errors };
}

function fold(line: string): string {
  if (line.length <= 75) return line;
  const parts: string[] = [];
  for (let i = 0; i < line.length; i += 74) parts.push(line.slice(i, i + 74));
  return parts.join('\r\n ');
}
