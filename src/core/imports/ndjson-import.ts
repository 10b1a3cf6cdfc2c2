import { CONTACT_CREATE_KEYS } from '../../formats/contact-create-check.ts';
import { parseNdjsonLine, readNdjsonLines, type NdjsonLine } from '../../formats/ndjson.ts';
import { decodeText } from '../../formats/text-decoding.ts';
import { FieldErrors, invalidField } from '../errors.ts';
import { toE164 } from '../phones.ts';
import { isEmail } from '../values.ts';
import type { ByteSource, ColumnPlan, ImportContactInput, ImportOptions, ImportPlan, ImportReadContext, ImportRow, RowError, TextEncoding } from './import.types.ts';
import { schemaErrorsOf } from './row-check.ts';
import { TypeInference } from './type-inference.ts';

/** Keys of a contact as the API answers it that a create does not take: an export's lines carry them. */
const READ_ONLY_KEYS = new Set(['id', 'seq', 'account_id', 'status', 'merged_into', 'version', 'created_at', 'updated_at', 'deleted_at']);
const SAMPLE_LINES = 1000;

/** The keys seen in the first lines (as columns) and the types of custom fields the account lacks. */
export async function planNdjson(source: ByteSource, encoding: TextEncoding, options: ImportOptions, ctx: ImportReadContext): Promise<ImportPlan> {
  const errors = new FieldErrors();
  for (const [key, target] of Object.entries(options.mapping ?? {})) {
    if (target !== null && target !== key) errors.add(`mapping.${key}`, 'an NDJSON line is a contact in the native shape: a key can only be ignored (null)');
  }
  errors.throwIfAny();
  const known = new Set(ctx.customFields.map((f) => f.key));
  const columns = new Map<string, ColumnPlan>();
  const inferences = new Map<string, TypeInference>();
  let lines = 0;
  for await (const { text } of readNdjsonLines(decodeText(source(), encoding))) {
    const parsed = parseNdjsonLine(text);
    if (!('value' in parsed) || !isObject(parsed.value)) continue;
    const sampling = lines++ < SAMPLE_LINES;
    for (const [key, value] of Object.entries(parsed.value)) {
      if (sampling && !columns.has(key)) columns.set(key, { column: key, ...targetOf(key, options), samples: [] });
      const samples = columns.get(key)?.samples;
      if (sampling && samples && samples.length < 3 && value !== null && value !== '') samples.push(typeof value === 'string' ? value : JSON.stringify(value).slice(0, 200));
    }
    const custom = parsed.value.custom_fields;
    if (isObject(custom)) {
      for (const [key, value] of Object.entries(custom)) {
        if (known.has(key) || !/^[a-z][a-z0-9_]{0,63}$/.test(key)) continue;
        if (!inferences.has(key)) inferences.set(key, new TypeInference());
        inferences.get(key)!.add(value);
      }
    }
    if (!sampling && [...inferences.values()].every((i) => i.satisfied)) break;
  }
  if (lines === 0 && columns.size === 0) await assertNotEmpty(source, encoding);
  return { format: 'ndjson', encoding, delimiter: null, columns: [...columns.values()], fieldsToDefine: [...inferences].map(([key, i]) => ({ key, data_type: i.dataType })) };
}

function targetOf(key: string, options: ImportOptions): Pick<ColumnPlan, 'target' | 'source'> {
  if (options.mapping && Object.hasOwn(options.mapping, key)) return { target: options.mapping[key] ?? null, source: 'mapping' };
  if (READ_ONLY_KEYS.has(key)) return { target: null, source: 'native' };
  return CONTACT_CREATE_KEYS.has(key) || key === 'groups' ? { target: key, source: 'native' } : { target: null, source: 'none' };
}

async function assertNotEmpty(source: ByteSource, encoding: TextEncoding): Promise<void> {
  for await (const _ of readNdjsonLines(decodeText(source(), encoding))) return;
  throw invalidField('file', 'is empty: an NDJSON file has one contact (a JSON object) per line');
}

/** Every non-blank line as a row, numbered by its line in the file. */
export async function* readNdjsonRows(source: ByteSource, plan: ImportPlan, options: ImportOptions, ctx: ImportReadContext): AsyncIterable<ImportRow> {
  const ignored = new Set(plan.columns.filter((c) => c.source === 'mapping' && c.target === null).map((c) => c.column));
  for (const key of Object.entries(options.mapping ?? {}).filter(([, t]) => t === null).map(([k]) => k)) ignored.add(key);
  const region = options.default_region ?? ctx.defaultRegion;
  for await (const line of readNdjsonLines(decodeText(source(), plan.encoding))) yield rowOfLine(line, ignored, region);
}

export async function countNdjsonRows(source: ByteSource, plan: ImportPlan): Promise<number> {
  let count = 0;
  for await (const _ of readNdjsonLines(decodeText(source(), plan.encoding))) count++;
  return count;
}

function rowOfLine(line: NdjsonLine, ignored: Set<string>, region: string): ImportRow {
  const row = line.line;
  const columnOf = (path: string): string | null => /^[^.[]+/.exec(path)?.[0] ?? null;
  const refuse = (message: string): ImportRow => ({ row, input: null, errors: [{ row, column: null, code: 'malformed_record', message }], raw: line.text, columnOf });
  if (line.tooLong) return refuse('the line is longer than 1 MiB');
  const parsed = parseNdjsonLine(line.text);
  if (!('value' in parsed)) return refuse(parsed.malformed);
  if (!isObject(parsed.value)) return refuse('the line is not a JSON object');
  const errors: RowError[] = [];
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed.value)) {
    // Assigning `__proto__` would set the body's prototype, not a key the schema sees.
    if (key === '__proto__') errors.push({ row, column: key, code: 'invalid_value', message: '__proto__ is not a known field' });
    else if (!READ_ONLY_KEYS.has(key) && !ignored.has(key)) body[key] = value;
  }
  const input = body as ImportContactInput;
  if ('groups' in body) {
    const groups = body.groups;
    delete body.groups;
    // Group ids belong to the account the file came from; the names are what carries over.
    delete body.group_ids;
    if (Array.isArray(groups) && groups.every((g) => typeof g === 'string')) input.group_names = [...new Set(groups.map((g) => g.trim()).filter((g) => g !== ''))];
    else errors.push({ row, column: 'groups', code: 'invalid_value', message: 'groups must be a list of group names' });
  }
  dropDerivedKeys(body);
  errors.push(...schemaErrorsOf(row, input, columnOf));
  if (errors.length === 0) errors.push(...addressErrors(row, input, region));
  return { row, input, errors, raw: line.text, columnOf };
}

/** What an exported contact's phones and emails carry beside what a create takes (`e164`, `is_primary` stays). */
function dropDerivedKeys(body: Record<string, unknown>): void {
  if (Array.isArray(body.phone_numbers)) for (const p of body.phone_numbers) if (isObject(p)) delete p.e164;
}

function addressErrors(row: number, input: ImportContactInput, region: string): RowError[] {
  const errors: RowError[] = [];
  for (const p of input.phone_numbers ?? []) if (toE164(p.number, region) === null) errors.push({ row, column: 'phone_numbers', code: 'invalid_phone', message: `"${p.number}" is not a phone number` });
  for (const e of input.emails ?? []) if (!isEmail(e.address.trim())) errors.push({ row, column: 'emails', code: 'invalid_email', message: `"${e.address}" is not an email address` });
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
