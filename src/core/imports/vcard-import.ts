import { splitLine, toReadableLine, unescapeText, unfoldLines } from '../../formats/vcard/content-line.ts';
import { parseVCard, splitVCards, type SplitCard } from '../../formats/vcard/index.ts';
import { decodeText } from '../../formats/text-decoding.ts';
import { invalidField } from '../errors.ts';
import { fieldTypesOf, type FieldType } from './field-types.ts';
import type { ByteSource, ColumnPlan, FieldToDefine, ImportContactInput, ImportOptions, ImportPlan, ImportReadContext, ImportRow, RowError, TextEncoding } from './import.types.ts';
import { schemaErrorsOf } from './row-check.ts';
import { TypeInference } from './type-inference.ts';
import { VcardMapping } from './vcard-mapping.ts';

const SAMPLE_CARDS = 1000;
const SAMPLE_CHARS = 256 * 1024;

/**
 * What each property feeds, for the plan's columns. N and the messaging properties feed several
 * fields, which the target lists; the properties the codec keeps verbatim (PHOTO, ADR, NOTE, ...)
 * are not imported and show no target.
 */
const TARGET_OF: Record<string, string> = {
  FN: 'display_name', N: 'last_name, first_name, salutation', ORG: 'company', TITLE: 'role', TEL: 'phone_numbers', EMAIL: 'emails',
  IMPP: 'messaging', 'X-SOCIALPROFILE': 'messaging', CATEGORIES: 'groups', 'X-CONTACTD-TYPE': 'type',
};
/** Google's vCards list its system groups among the user's categories (its CSV marks them with `*`). */
const GOOGLE_SYSTEM_GROUPS = new Set(['myContacts', 'starred']);
const NOT_COLUMNS = new Set(['BEGIN', 'END', 'VERSION', 'PRODID', 'REV', 'X-ABLABEL']);

/** The properties seen in the first cards (as columns, with samples) and the custom fields they define. */
export async function planVcard(source: ByteSource, encoding: TextEncoding, options: ImportOptions, ctx: ImportReadContext): Promise<ImportPlan> {
  const mapping = new VcardMapping(options, ctx);
  const columns = new Map<string, ColumnPlan>();
  const fieldsToDefine = new Map<string, FieldToDefine>();
  const known = new Set(ctx.customFields.map((f) => f.key));
  const inferences = new Map<string, TypeInference>();
  for (const { parsed } of mapping.mapped.values()) if (parsed.kind === 'custom' && !known.has(parsed.key)) inferences.set(parsed.key, new TypeInference());
  let chars = 0;
  let cards = 0;
  for await (const card of splitVCards(decodeText(source(), encoding))) {
    cards++;
    chars += card.text.length;
    for (const line of unfoldLines(card.text)) {
      const content = splitLine(line);
      if (content === null || NOT_COLUMNS.has(content.name)) continue;
      const column = columns.get(content.name) ?? { column: content.name, ...targetOf(content.name, content.params, mapping), samples: [] };
      columns.set(content.name, column);
      const value = unescapeText(splitLine(toReadableLine(content))?.value ?? content.value).trim();
      if (column.samples.length < 3 && value !== '' && value.length <= 200) column.samples.push(value);
    }
    for (const [property, values] of mapping.valuesOf(card.text)) {
      const { parsed } = mapping.mapped.get(property)!;
      if (parsed.kind === 'custom') inferences.get(parsed.key)?.add(values.join('\n'));
    }
    for (const field of parseVCard(mapping.strip(card.text), { customFields: ctx.customFields, defaultRegion: ctx.defaultRegion, defineFields: true }).fieldsToDefine) {
      // A pick list needs its options, which a card does not carry: the field is defined as text.
      if (!fieldsToDefine.has(field.key)) fieldsToDefine.set(field.key, field.data_type === 'pick_list' ? { key: field.key, data_type: 'string' } : field);
    }
    if (cards >= SAMPLE_CARDS || chars >= SAMPLE_CHARS) break;
  }
  if (cards === 0) throw invalidField('file', 'holds no card: a vCard file has BEGIN:VCARD ... END:VCARD blocks');
  for (const [key, inference] of inferences) fieldsToDefine.set(key, { key, data_type: inference.dataType });
  return { format: 'vcard', encoding, delimiter: null, columns: [...columns.values()], fieldsToDefine: [...fieldsToDefine.values()] };
}

function targetOf(name: string, params: [string, string][], mapping: VcardMapping): Pick<ColumnPlan, 'target' | 'source'> {
  if (mapping.ignored.has(name)) return { target: null, source: 'mapping' };
  const mapped = mapping.mapped.get(name);
  if (mapped) return { target: mapped.target, source: 'mapping' };
  const known = TARGET_OF[name];
  if (known) return { target: known, source: 'native' };
  if (name.startsWith('X-CONTACTD-')) {
    const key = name.slice('X-CONTACTD-'.length).toLowerCase().replace(/-/g, '_');
    return { target: params.some(([p]) => p === 'X-DATA-TYPE') ? `custom_fields.${key}` : key, source: 'native' };
  }
  return { target: null, source: 'none' };
}

/** Every card as a row, numbered by its ordinal in the file; `raw` is the card's text. */
export async function* readVcardRows(source: ByteSource, plan: ImportPlan, options: ImportOptions, ctx: ImportReadContext): AsyncIterable<ImportRow> {
  const mapping = new VcardMapping(options, ctx);
  const region = options.default_region ?? ctx.defaultRegion;
  const fields = fieldTypesOf(ctx, plan);
  for await (const card of splitVCards(decodeText(source(), plan.encoding))) yield rowOfCard(card, mapping, { region, ctx, fields });
}

export async function countVcardRows(source: ByteSource, plan: ImportPlan): Promise<number> {
  let count = 0;
  for await (const _ of splitVCards(decodeText(source(), plan.encoding))) count++;
  return count;
}

function rowOfCard(card: SplitCard, mapping: VcardMapping, { region, ctx, fields }: { region: string; ctx: ImportReadContext; fields: Map<string, FieldType> }): ImportRow {
  const row = card.ordinal;
  const columnOf = (path: string) => mapping.propertyOf(path) ?? propertyOf(path);
  if (card.oversized) {
    return { row, input: null, errors: [{ row, column: null, code: 'malformed_record', message: 'the card is larger than 4 MB' }], raw: card.text.slice(0, 1000), columnOf };
  }
  const parsed = parseVCard(mapping.strip(card.text), { customFields: ctx.customFields, defaultRegion: region, defineFields: true });
  // Photos are not imported, so one too large to keep is no reason to refuse the contact.
  const errors: RowError[] = parsed.errors.filter((e) => e.code !== 'too_large').map((e) => ({ row, column: e.property === 'VCARD' ? null : e.property, code: e.code, message: e.message }));
  const groupNames = parsed.groupNames.filter((name) => !GOOGLE_SYSTEM_GROUPS.has(name));
  const input: ImportContactInput = groupNames.length > 0 ? { ...parsed.input, group_names: groupNames } : { ...parsed.input };
  errors.push(...mapping.apply(row, card.text, input, fields, region));
  if (errors.length === 0 && Object.values(input).every((v) => v === null || v === undefined)) {
    errors.push({ row, column: null, code: 'empty_row', message: 'the card holds no contact field' });
  }
  if (errors.length === 0) errors.push(...schemaErrorsOf(row, input, columnOf));
  return { row, input, errors, raw: card.text, columnOf };
}

/** The property an input path came from. */
function propertyOf(path: string): string | null {
  const head = /^[^.[]+/.exec(path)?.[0] ?? '';
  const byField: Record<string, string> = {
    display_name: 'FN', first_name: 'N', last_name: 'N', salutation: 'N', company: 'ORG', role: 'TITLE',
    phone_numbers: 'TEL', emails: 'EMAIL', messaging: 'IMPP', group_names: 'CATEGORIES', type: 'X-CONTACTD-TYPE',
  };
  if (byField[head]) return byField[head];
  if (head === 'custom_fields') {
    const key = path.slice('custom_fields.'.length).split(/[.[]/)[0] ?? '';
    return key === '' ? null : `X-CONTACTD-${key.toUpperCase().replace(/_/g, '-')}`;
  }
  return head === '' ? null : `X-CONTACTD-${head.toUpperCase().replace(/_/g, '-')}`;
}
