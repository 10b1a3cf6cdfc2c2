import { paramValue, paramValues, splitLine, unescapeText, type ContentLine } from './content-line.ts';
import { readPhoneValue } from './phone-value.ts';
import { readLabel, typeOfParams } from './tel-types.ts';

/**
 * TEL and EMAIL lines as a client spelled them, kept when writing ours would change them: Apple's
 * built-in labels (`item1.X-ABLabel:_$!<Mobile>!$_`, which the core reads as a type), a number
 * written the client's way (`(651) 555-0101`). Each is written back with its item's label lines
 * in place of the generated line while the contact still holds the same number (or address) with
 * the same type, label, extension and preference; otherwise it is dropped (see shadows.ts).
 */

export interface ItemKind {
  type: string | null;
  label: string | null;
  primary: boolean;
}

/** The type and label of a TEL or EMAIL: its item's X-ABLabel first, then TYPE, then contactd's own parameter. */
export function kindOfItem(line: ContentLine, labels: Map<string, string>): ItemKind {
  const reading = typeOfParams(paramValues(line, 'TYPE'), paramValue(line, 'PREF'));
  let type = reading.type;
  let label: string | null = null;
  const itemLabel = line.group !== null ? labels.get(line.group.toLowerCase()) : undefined;
  if (itemLabel) {
    const fromLabel = readLabel(itemLabel);
    if ('type' in fromLabel) type = fromLabel.type;
    else label = fromLabel.label;
  }
  const ours = paramValue(line, 'X-CONTACTD-TYPE');
  if (ours !== null && ours !== '') type = ours;
  return { type, label, primary: reading.primary };
}

/** X-ABLabel values by lower-case item group. */
export function labelsByGroup(lines: (ContentLine | null)[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const line of lines) {
    if (line?.name === 'X-ABLABEL' && line.group !== null) labels.set(line.group.toLowerCase(), unescapeText(line.value).trim());
  }
  return labels;
}

/**
 * True when the client's TEL or EMAIL line says something our line for it would not: an Apple
 * built-in label, or a number in national form (`(651) 555-0101`), which E.164 would show with a
 * country code the user never typed. An international number is written back in E.164: only its
 * separators change.
 */
export function isWorthKeeping(line: ContentLine, labels: Map<string, string>): boolean {
  const label = line.group !== null ? labels.get(line.group.toLowerCase()) : undefined;
  if (label !== undefined && /^_\$!<.+>!\$_$/.test(label)) return true;
  return line.name === 'TEL' && !line.value.trim().replace(/^tel:/i, '').startsWith('+');
}

export interface ItemShadow {
  name: 'TEL' | 'EMAIL';
  /** Digits of the number (TEL) or the lower-case address (EMAIL). */
  value: string;
  extension: string | null;
  kind: ItemKind;
  /** The line and its item's label lines, verbatim. */
  lines: string[];
  used: boolean;
}

/** The TEL and EMAIL shadows among the extras, with their label lines; the lines they take are returned apart. */
export function itemShadowsOf(raws: string[]): { shadows: ItemShadow[]; taken: Set<string> } {
  const parsed = raws.map((raw) => ({ raw, line: splitLine(raw) }));
  const labels = labelsByGroup(parsed.map((p) => p.line));
  const shadows: ItemShadow[] = [];
  const taken = new Set<string>();
  for (const { raw, line } of parsed) {
    if (line === null || (line.name !== 'TEL' && line.name !== 'EMAIL')) continue;
    const group = line.group?.toLowerCase() ?? null;
    const labelLines = group === null ? [] : parsed.filter((p) => p.line?.name === 'X-ABLABEL' && p.line.group?.toLowerCase() === group).map((p) => p.raw);
    const { number, extension } = line.name === 'TEL' ? readPhoneValue(line.value) : { number: line.value.trim().replace(/^mailto:/i, '').toLowerCase(), extension: null };
    shadows.push({ name: line.name, value: line.name === 'TEL' ? number.replace(/\D/g, '') : number, extension, kind: kindOfItem(line, labels), lines: [raw, ...labelLines], used: false });
    taken.add(raw);
    for (const l of labelLines) taken.add(l);
  }
  return { shadows, taken };
}

/**
 * The client's lines for a phone, taken so that they are used once; null when none says the same.
 * A line without `pref` fits a primary phone too: the core makes the first number primary when the card says nothing.
 */
export function matchingPhoneShadow(shadows: ItemShadow[], phone: { e164: string; type: string; label: string | null; extension: string | null; is_primary: boolean }): string[] | null {
  const digits = phone.e164.slice(1);
  const found = shadows.find(
    (s) =>
      !s.used && s.name === 'TEL' && s.value.length >= 7 && digits.endsWith(s.value) && s.extension === phone.extension &&
      (s.kind.type ?? 'other') === phone.type && s.kind.label === phone.label && (!s.kind.primary || phone.is_primary),
  );
  if (!found) return null;
  found.used = true;
  return found.lines;
}

export function matchingEmailShadow(shadows: ItemShadow[], email: { address: string; type: string; is_primary: boolean }): string[] | null {
  const found = shadows.find(
    (s) => !s.used && s.name === 'EMAIL' && s.value === email.address.toLowerCase() && (s.kind.type ?? s.kind.label?.toLowerCase() ?? 'other') === email.type && (!s.kind.primary || email.is_primary),
  );
  if (!found) return null;
  found.used = true;
  return found.lines;
}
