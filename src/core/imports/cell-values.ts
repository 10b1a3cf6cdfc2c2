import { normalizeCustomFieldValue } from '../contacts/custom-field-values.ts';
import { CONTACT_TYPES, type ContactType, type CustomField } from '../types.ts';
import { isIsoDate, toUtcDateTime } from '../values.ts';

/** How the exports name kinds of phone numbers, in the core's words (it keeps any short word). */
const PHONE_TYPES: Record<string, string> = {
  mobile: 'mobile', cell: 'mobile', cellular: 'mobile', 'mobile phone': 'mobile', iphone: 'mobile',
  work: 'work', business: 'work', office: 'work',
  home: 'home', personal: 'home',
  main: 'main', primary: 'main', 'company main': 'main',
  fax: 'fax', 'work fax': 'fax', 'home fax': 'fax', 'business fax': 'fax', 'other fax': 'fax',
  pager: 'pager', other: 'other',
};
const EMAIL_TYPES: Record<string, string> = { work: 'work', business: 'work', home: 'home', personal: 'home', other: 'other' };

/**
 * A type cell as the core's type: known names mapped (`Work Fax` -> fax), another single word kept
 * in lower case, and a longer custom label (`Google Voice`) kept as the label of an `other` entry.
 * Google marks the primary entry's type with `* `; the core makes the first entry primary anyway.
 */
export function typeOfCell(cell: string, kind: 'phone' | 'email'): { type: string; label?: string } {
  const text = cell.trim().replace(/^\*\s*/, '');
  const key = text.toLowerCase().replace(/\s+/g, ' ');
  const known = (kind === 'phone' ? PHONE_TYPES : EMAIL_TYPES)[key];
  if (known) return { type: known };
  if (/^[a-z][a-z0-9_-]{0,39}$/i.test(text)) return { type: key };
  return kind === 'phone' && text !== '' ? { type: 'other', label: text.slice(0, 100) } : { type: 'other' };
}

/** `+1 425 555 0100 ext. 12` / `... x12`: the number and its extension apart (the core keeps them apart). */
export function splitExtension(cell: string): { number: string; extension?: string } {
  const match = /^(.*?\d)\s*(?:,|;|#|x|ext\.?|extension)\s*(\d{1,10})$/i.exec(cell.trim());
  return match ? { number: match[1]!, extension: match[2]! } : { number: cell.trim() };
}

export function contactTypeOfCell(cell: string): ContactType | null {
  const key = cell.trim().toLowerCase();
  return (CONTACT_TYPES as readonly string[]).includes(key) ? (key as ContactType) : null;
}

/**
 * A cell as a custom field's value: the text read for the field's type (numbers with a decimal
 * comma as European Excel writes them, yes/no and 1/0 for booleans, a date-time with a space for
 * the T), then the core's own check of the value (options, lengths, formats).
 */
export function customValueOfCell(field: Pick<CustomField, 'data_type' | 'options'>, cell: string, region: string): { value: string | number | boolean } | { problem: string } {
  const text = cell.trim();
  let value: string | number | boolean | null = text;
  switch (field.data_type) {
    case 'number':
    case 'currency':
    case 'percent':
      value = numberOfText(text.replace(/^[$€£¥]\s*|\s*[$€£¥%]$/g, ''));
      if (value === null) return { problem: `"${text}" is not a number` };
      break;
    case 'boolean':
      value = booleanOfText(text);
      if (value === null) return { problem: `"${text}" is not true or false (yes/no, 1/0)` };
      break;
    case 'datetime':
      value = dateTimeOfText(text) ?? text;
      break;
  }
  const checked = normalizeCustomFieldValue(field, value, region);
  return typeof checked === 'object' ? { problem: `"${text}" ${checked.problem}` } : { value: checked };
}

export function numberOfText(text: string): number | null {
  const plain = withoutGrouping(text);
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(plain)) return null;
  const value = Number(plain);
  return Number.isFinite(value) ? value : null;
}

/**
 * A number as spreadsheets write it, in plain form: `3,5` and `1.234,50` (European), `1,234.50`
 * and `1,234,567` (English). A lone `1,234` is read the European way (1.234), a lone `1.234` as
 * written: only a form that says which it is loses its grouping.
 */
function withoutGrouping(text: string): string {
  if (/^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(text) || /^[+-]?\d{1,3}(\.\d{3}){2,}$/.test(text)) return text.replace(/\./g, '').replace(',', '.');
  if (/^[+-]?\d{1,3}(,\d{3})+\.\d+$/.test(text) || /^[+-]?\d{1,3}(,\d{3}){2,}$/.test(text)) return text.replace(/,/g, '');
  if (/^[+-]?\d+,\d+$/.test(text)) return text.replace(',', '.');
  return text;
}

/** Spellings of true and false in the spreadsheets people export from (Excel writes WAHR/FALSCH, VRAI/FAUX in German and French). */
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'ja', 'wahr', 'oui', 'vrai', 'si', 'sí']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'nein', 'falsch', 'non', 'faux']);

export function booleanOfText(text: string): boolean | null {
  const key = text.toLowerCase();
  if (TRUE_WORDS.has(key)) return true;
  if (FALSE_WORDS.has(key)) return false;
  return null;
}

/** An ISO date-time with an offset, `T` or a space between date and time; null otherwise. */
export function dateTimeOfText(text: string): string | null {
  return toUtcDateTime(text.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2'));
}

export { isIsoDate };
