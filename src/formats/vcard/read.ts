import ICAL from 'ical.js';
import { toE164 } from '../../core/phones.ts';
import type { CustomField, EmailInput, Messaging, PhoneInput } from '../../core/types.ts';
import { isEmail } from '../../core/values.ts';
import { paramValue, paramValues, splitLine, toReadableLine, unescapeText, unfoldLines, type ContentLine } from './content-line.ts';
import { DATA_TYPE_PARAM, TEXT_FIELD_PROPS, TYPE_PROP, customValueOf, dataTypeOf, keyOfProp, propNameOf } from './contactd-props.ts';
import { isWrittenAsOurs, readImpp, readSocialProfile } from './messaging.ts';
import { readPhoneValue } from './phone-value.ts';
import { structuredValue } from './shadows.ts';
import { readLabel, typeOfParams } from './tel-types.ts';
import type { CardReadContext, ParsedCard } from './types.ts';

/** A PHOTO kept in the extras is at most 1 MB decoded: base64 takes 4 characters per 3 bytes. */
const MAX_PHOTO_CHARS = Math.ceil((1024 * 1024 * 4) / 3) + 200;

/** Lines the reader consumes without keeping: they describe the file, not the contact. */
const DROPPED = new Set(['BEGIN', 'END', 'VERSION', 'PRODID', 'REV']);

const TEXT_FIELD_OF_PROP = new Map<string, (typeof TEXT_FIELD_PROPS)[number]>(TEXT_FIELD_PROPS.map((f) => [propNameOf(f), f]));
const CONTACT_TYPES = new Set(['custom', 'user', 'queue']);

/**
 * One card read into the core's create shape. Google's, Apple's and Outlook's exports (3.0 and
 * 2.1) and vCard 4.0 are all read; what the core does not model is kept verbatim in the extras.
 * A property that cannot be read is reported in `errors` and left out of the input.
 */
export function parseVCard(text: string, ctx: CardReadContext): ParsedCard {
  const parsed: ParsedCard = { input: {}, groupNames: [], extras: { uid: null, properties: [] }, errors: [], fieldsToDefine: [] };
  const raw = unfoldLines(text);
  const begin = raw.findIndex((l) => /^BEGIN:VCARD\s*$/i.test(l));
  const end = raw.findIndex((l, i) => i > begin && /^END:VCARD\s*$/i.test(l));
  if (begin < 0 || end < 0) {
    parsed.errors.push({ property: 'VCARD', code: 'malformed_record', message: 'the card has no BEGIN:VCARD ... END:VCARD' });
    return parsed;
  }
  const legacy = raw.slice(begin + 1, end).some((l) => /^VERSION:\s*2\.1\s*$/i.test(l));
  const lines = raw.slice(begin + 1, end).map((l) => {
    const line = splitLine(l);
    // A 2.1 line is kept as 3.0 writes it (TYPE=, no quoted-printable): the cards written back are 3.0 or 4.0.
    return { raw: legacy && line !== null ? toReadableLine(line) : l, line };
  });
  const labels = labelsByGroup(lines.map((l) => l.line));
  const modelledGroups = new Set<string>();
  const reader = new CardReader(parsed, ctx, labels);
  for (const { raw: rawLine, line } of lines) {
    if (line === null || DROPPED.has(line.name) || line.name === 'X-ABLABEL') continue;
    const kept = reader.read(line, rawLine);
    if (!kept && line.group !== null) modelledGroups.add(line.group.toLowerCase());
  }
  // An item's label goes with it: dropped with a modelled TEL or EMAIL, kept with a kept URL or ADR.
  for (const { raw: rawLine, line } of lines) {
    if (line?.name === 'X-ABLABEL' && !(line.group !== null && modelledGroups.has(line.group.toLowerCase()))) parsed.extras.properties.push(rawLine);
  }
  reader.finish();
  return parsed;
}

function labelsByGroup(lines: (ContentLine | null)[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const line of lines) {
    if (line?.name === 'X-ABLABEL' && line.group !== null) labels.set(line.group.toLowerCase(), unescapeText(line.value).trim());
  }
  return labels;
}

class CardReader {
  private readonly phones: PhoneInput[] = [];
  private readonly emails: EmailInput[] = [];
  private readonly messaging: Messaging[] = [];
  private readonly custom: Record<string, unknown> = {};
  private readonly fields: Map<string, CustomField>;

  constructor(
    private readonly card: ParsedCard,
    private readonly ctx: CardReadContext,
    private readonly labels: Map<string, string>,
  ) {
    this.fields = new Map(ctx.customFields.map((f) => [f.key, f]));
  }

  /** Reads one line; true when it went to the extras. */
  read(line: ContentLine, raw: string): boolean {
    const input = this.card.input;
    switch (line.name) {
      case 'FN':
        input.display_name = emptyToNull(this.text(line));
        return false;
      case 'N': {
        const parts = structuredValue(line) ?? [];
        input.last_name = emptyToNull(parts[0]);
        input.first_name = emptyToNull(parts[1]);
        input.salutation = emptyToNull(parts[3]);
        // Middle names and suffixes have no field: the client's line is kept and written back.
        return (parts[2] ?? '') !== '' || (parts[4] ?? '') !== '' ? this.keep(raw) : false;
      }
      case 'ORG': {
        const parts = structuredValue(line) ?? [];
        input.company = emptyToNull(parts[0]);
        return parts.slice(1).some((p) => p !== '') ? this.keep(raw) : false;
      }
      case 'TITLE':
        input.role = emptyToNull(this.text(line));
        return false;
      case 'UID':
        this.card.extras.uid = emptyToNull(line.value.trim());
        return false;
      case 'TEL':
        return this.readPhone(line);
      case 'EMAIL':
        return this.readEmail(line);
      case 'IMPP':
      case 'X-SOCIALPROFILE': {
        const handle = line.name === 'IMPP' ? readImpp(line, line.value) : readSocialProfile(line, line.value);
        if (handle !== null) this.messaging.push(handle);
        // The client's own spelling (Apple's parameters, X-SOCIALPROFILE) is kept to be written back.
        return handle !== null && isWrittenAsOurs(line, handle) ? false : this.keep(raw);
      }
      case 'CATEGORIES':
        for (const name of this.values(line)) {
          const trimmed = name.trim();
          // Google Contacts marks every contact of the account with "myContacts": it is no group.
          if (trimmed === 'myContacts') continue;
          if (trimmed !== '' && !this.card.groupNames.includes(trimmed)) this.card.groupNames.push(trimmed);
        }
        return false;
      case 'PHOTO':
        if (raw.length > MAX_PHOTO_CHARS) {
          this.card.errors.push({ property: 'PHOTO', code: 'too_large', message: 'the photo is larger than 1 MB and was not kept' });
          return false;
        }
        return this.keep(raw);
      default:
        return line.name.startsWith('X-CONTACTD-') ? this.readContactd(line, raw) : this.keep(raw);
    }
  }

  finish(): void {
    const input = this.card.input;
    if (this.phones.length > 0) input.phone_numbers = this.phones;
    if (this.emails.length > 0) input.emails = this.emails;
    if (this.messaging.length > 0) input.messaging = this.messaging;
    if (Object.keys(this.custom).length > 0) input.custom_fields = this.custom;
  }

  private keep(raw: string): true {
    this.card.extras.properties.push(raw);
    return true;
  }

  private readPhone(line: ContentLine): boolean {
    const { number, extension } = readPhoneValue(line.value);
    if (toE164(number, this.ctx.defaultRegion) === null) {
      this.card.errors.push({ property: 'TEL', code: 'invalid_phone', message: `"${line.value}" is not a phone number` });
      return false;
    }
    const { type, label, primary } = this.kindOf(line);
    this.phones.push({ number, type: type ?? 'other', label, extension, is_primary: primary || undefined });
    return false;
  }

  private readEmail(line: ContentLine): boolean {
    const address = line.value.trim().replace(/^mailto:/i, '');
    if (!isEmail(address)) {
      this.card.errors.push({ property: 'EMAIL', code: 'invalid_email', message: `"${line.value}" is not an email address` });
      return false;
    }
    const { type, label, primary } = this.kindOf(line);
    this.emails.push({ address, type: type ?? label?.toLowerCase() ?? 'other', is_primary: primary || undefined });
    return false;
  }

  /** The type and label of a TEL or EMAIL: its item's X-ABLabel first, then TYPE, then ours. */
  private kindOf(line: ContentLine): { type: string | null; label: string | null; primary: boolean } {
    const reading = typeOfParams(paramValues(line, 'TYPE'), paramValue(line, 'PREF'));
    let type = reading.type;
    let label: string | null = null;
    const itemLabel = line.group !== null ? this.labels.get(line.group.toLowerCase()) : undefined;
    if (itemLabel) {
      const fromLabel = readLabel(itemLabel);
      if ('type' in fromLabel) type = fromLabel.type;
      else label = fromLabel.label;
    }
    const ours = paramValue(line, 'X-CONTACTD-TYPE');
    if (ours !== null && ours !== '') type = ours;
    return { type, label, primary: reading.primary };
  }

  private readContactd(line: ContentLine, raw: string): boolean {
    const isCustom = paramValue(line, DATA_TYPE_PARAM) !== null;
    const field = TEXT_FIELD_OF_PROP.get(line.name);
    if (!isCustom && field !== undefined) {
      this.card.input[field] = emptyToNull(unescapeText(line.value));
      return false;
    }
    if (!isCustom && line.name === TYPE_PROP) {
      const type = line.value.trim().toLowerCase();
      if (CONTACT_TYPES.has(type)) this.card.input.type = type as 'custom' | 'user' | 'queue';
      else this.card.errors.push({ property: line.name, code: 'invalid_value', message: `"${line.value}" is not a contact type (custom, user, queue)` });
      return false;
    }
    const key = keyOfProp(line.name)!;
    const text = unescapeText(line.value);
    const defined = this.fields.get(key);
    if (defined === undefined && !this.ctx.defineFields) return this.keep(raw);
    const dataType = defined?.data_type ?? dataTypeOf(paramValue(line, DATA_TYPE_PARAM));
    const typed = customValueOf({ data_type: dataType }, text);
    if ('problem' in typed) {
      this.card.errors.push({ property: line.name, code: 'invalid_value', message: `${key}: ${typed.problem}` });
      return false;
    }
    this.custom[key] = typed.value;
    if (defined === undefined && !this.card.fieldsToDefine.some((f) => f.key === key)) this.card.fieldsToDefine.push({ key, data_type: dataType });
    return false;
  }

  private text(line: ContentLine): string {
    return this.values(line).join(',');
  }

  private values(line: ContentLine): string[] {
    try {
      return ICAL.Property.fromString(toReadableLine(line), ICAL.design.vcard3).getValues().map(String);
    } catch {
      return [unescapeText(line.value)];
    }
  }
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value.trim();
}
