import { phoneSearchDigits, toE164 } from '../phones.ts';
import type { CardEntry } from './card.types.ts';
import type { Collation, TextMatch } from './card-query.ts';

/**
 * A card's values of one property, as a vCard would hold them, for addressbook-query: the
 * contact's fields for those the core models, the kept properties' values for the others.
 */
export function cardValuesOf(entry: CardEntry, property: string): string[] {
  const { contact, card } = entry;
  const name = property.toUpperCase();
  const present = (values: (string | null | undefined)[]) => values.filter((v): v is string => v !== null && v !== undefined && v !== '');
  switch (name) {
    case 'FN':
      return present([contact.display_name]);
    case 'N': {
      const parts = [contact.last_name, contact.first_name, null, contact.salutation, null];
      return parts.some((p) => p) ? [parts.map((p) => p ?? '').join(';')] : [];
    }
    case 'EMAIL':
      return contact.emails.map((e) => e.address);
    case 'TEL':
      return contact.phone_numbers.map((p) => p.e164);
    case 'ORG':
      return present([contact.company]);
    case 'TITLE':
      return present([contact.role]);
    case 'UID':
      return [card?.uid ?? contact.id];
  }
  return (card?.properties ?? []).filter((line) => propertyNameOf(line) === name).map(valueOf);
}

/** Whether one value passes a text-match (negation is the caller's). TEL compares numbers, not text. */
export function textMatches(property: string, value: string, match: TextMatch, region: string): boolean {
  if (property.toUpperCase() === 'TEL' && /\d/.test(match.text) && !/[a-z]/i.test(match.text)) return phoneMatches(value, match, region);
  const [text, wanted] = [fold(value, match.collation), fold(match.text, match.collation)];
  switch (match.matchType) {
    case 'equals':
      return text === wanted;
    case 'contains':
      return text.includes(wanted);
    case 'starts-with':
      return text.startsWith(wanted);
    case 'ends-with':
      return text.endsWith(wanted);
  }
}

/**
 * "651-111-2222" finds "+16511112222": equals compares the normalized numbers; the other match
 * types compare digits, with and without the country code.
 */
function phoneMatches(e164: string, match: TextMatch, region: string): boolean {
  const wanted = match.text.replace(/\D/g, '');
  if (match.matchType === 'equals') return toE164(match.text, region) === e164 || phoneSearchDigits(e164).includes(wanted);
  return phoneSearchDigits(e164).some((digits) => {
    if (match.matchType === 'contains') return digits.includes(wanted);
    if (match.matchType === 'starts-with') return digits.startsWith(wanted);
    return digits.endsWith(wanted);
  });
}

/** RFC 4790 collations: i;octet compares as is, i;ascii-casemap folds A-Z, i;unicode-casemap folds every letter (RFC 5051, approximated by NFKD and lower case). */
function fold(text: string, collation: Collation): string {
  if (collation === 'i;octet') return text;
  if (collation === 'i;ascii-casemap') return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return text.normalize('NFKD').toUpperCase().toLowerCase();
}

/** `item1.NICKNAME;TYPE=x:Value` -> NICKNAME. */
function propertyNameOf(line: string): string {
  const head = /^([A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)/.exec(line);
  return head ? head[2]!.toUpperCase() : '';
}

/** The value after the first colon outside quotes, with vCard escapes undone. */
function valueOf(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return line.slice(i + 1).replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, '\n');
  }
  return '';
}
