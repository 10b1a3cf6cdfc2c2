import { toE164 } from '../phones.ts';
import type { Messaging, PhoneInput, EmailInput } from '../types.ts';
import { isEmail } from '../values.ts';
import { contactTypeOfCell, customValueOfCell, splitExtension, typeOfCell } from './cell-values.ts';
import { bindColumns, type BoundColumns, type Slot } from './column-slots.ts';
import type { FieldType } from './field-types.ts';
import type { ColumnPlan, ImportContactInput, ImportRow, RowError } from './import.types.ts';
import { splitValues } from './mapping-targets.ts';
import { columnLookup, schemaErrorsOf } from './row-check.ts';

/** One row being mapped: the input so far, its errors, and which column each input path came from. */
interface Draft {
  row: number;
  cells: string[];
  input: ImportContactInput;
  errors: RowError[];
  paths: Map<string, string>;
}

/**
 * Turns CSV records into contacts by a plan's columns. Values are trimmed; empty cells give
 * nothing; a value that cannot be stored is a RowError naming its column, and the row is refused
 * whole (its other values are still mapped, so that the report shows every problem at once).
 */
export class CsvRowMapper {
  private readonly bound: BoundColumns;

  constructor(columns: ColumnPlan[], private readonly fields: Map<string, FieldType>, private readonly region: string) {
    this.bound = bindColumns(columns);
  }

  /** The record as a row; null when every cell is empty (a blank line is not a row). */
  map(row: number, cells: string[], headerLength: number): ImportRow | null {
    if (cells.every((c) => c.trim() === '')) return null;
    const d: Draft = { row, cells, input: {}, errors: [], paths: new Map() };
    if (cells.length > headerLength && cells.slice(headerLength).some((c) => c.trim() !== '')) {
      d.errors.push({ row, column: null, code: 'malformed_record', message: `the row has ${cells.length} cells, the header ${headerLength}: a delimiter or quote is probably out of place` });
    }
    this.mapScalars(d);
    this.mapPhones(d);
    this.mapEmails(d);
    this.mapMessaging(d);
    const columnOf = columnLookup(d.paths);
    if (d.errors.length === 0 && Object.keys(d.input).length === 0) {
      d.errors.push({ row, column: null, code: 'empty_row', message: 'no cell of this row maps to a contact field' });
    }
    if (d.errors.length === 0) d.errors.push(...schemaErrorsOf(row, d.input, columnOf));
    return { row, input: d.input, errors: d.errors, raw: cells, columnOf };
  }

  private mapScalars(d: Draft): void {
    for (const c of this.bound.text) {
      const value = cellOf(d, c.index);
      if (value === '' || c.target.kind !== 'text' || d.input[c.target.field] !== undefined) continue;
      d.input[c.target.field] = value;
      d.paths.set(c.target.field, c.column);
    }
    for (const c of this.bound.type) {
      const value = cellOf(d, c.index);
      if (value === '' || d.input.type !== undefined) continue;
      const type = contactTypeOfCell(value);
      if (type === null) d.errors.push({ row: d.row, column: c.column, code: 'invalid_value', message: `"${value}" is not a contact type (custom, user or queue)` });
      else {
        d.input.type = type;
        d.paths.set('type', c.column);
      }
    }
    for (const c of this.bound.custom) {
      const value = cellOf(d, c.index);
      if (value === '' || c.target.kind !== 'custom') continue;
      const field = this.fields.get(c.target.key);
      const path = `custom_fields.${c.target.key}`;
      if (!field) {
        d.errors.push({ row: d.row, column: c.column, code: 'unknown_field', message: `${path} is not a custom field of this account` });
        continue;
      }
      const coerced = customValueOfCell(field, value, this.region);
      if ('problem' in coerced) d.errors.push({ row: d.row, column: c.column, code: 'invalid_value', message: `${path}: ${coerced.problem}` });
      else {
        (d.input.custom_fields ??= {})[c.target.key] = coerced.value;
        d.paths.set(path, c.column);
      }
    }
    for (const c of this.bound.groups) {
      if (c.target.kind !== 'groups') continue;
      // Google lists its system groups with a star (`* myContacts`, `* starred`): they are not the user's.
      const names = splitValues(cellOf(d, c.index), c.target.separator).filter((n) => !n.startsWith('*'));
      if (names.length === 0) continue;
      const known = (d.input.group_names ??= []);
      for (const name of names) if (!known.includes(name)) known.push(name);
      if (!d.paths.has('group_names')) d.paths.set('group_names', c.column);
    }
  }

  private mapPhones(d: Draft): void {
    const phones: PhoneInput[] = [];
    for (const slot of this.bound.phones) {
      const typeCell = partOf(d, slot, 'type');
      const kind = typeCell ? typeOfCell(typeCell.value, 'phone') : slot.fixed !== undefined ? { type: slot.fixed } : undefined;
      const label = partOf(d, slot, 'label');
      const extension = partOf(d, slot, 'extension');
      for (const { value, column } of valuesOf(d, slot)) {
        const split = splitExtension(value);
        if (toE164(split.number, this.region) === null) {
          d.errors.push({ row: d.row, column, code: 'invalid_phone', message: `"${value}" is not a phone number` });
          continue;
        }
        const path = `phone_numbers[${phones.length}]`;
        const phone: PhoneInput = { number: split.number };
        if (kind) phone.type = kind.type;
        const labelText = label?.value ?? kind?.label;
        if (labelText) phone.label = labelText;
        const ext = extension?.value ?? split.extension;
        if (ext) phone.extension = ext;
        phones.push(phone);
        d.paths.set(path, column);
        if (typeCell) d.paths.set(`${path}.type`, typeCell.column);
        if (label) d.paths.set(`${path}.label`, label.column);
        if (extension) d.paths.set(`${path}.extension`, extension.column);
      }
    }
    if (phones.length > 0) d.input.phone_numbers = phones;
  }

  private mapEmails(d: Draft): void {
    const emails: EmailInput[] = [];
    for (const slot of this.bound.emails) {
      const typeCell = partOf(d, slot, 'type');
      const type = typeCell ? typeOfCell(typeCell.value, 'email').type : slot.fixed;
      for (const { value, column } of valuesOf(d, slot)) {
        if (!isEmail(value)) {
          d.errors.push({ row: d.row, column, code: 'invalid_email', message: `"${value}" is not an email address` });
          continue;
        }
        const path = `emails[${emails.length}]`;
        emails.push(type === undefined ? { address: value } : { address: value, type });
        d.paths.set(path, column);
        if (typeCell) d.paths.set(`${path}.type`, typeCell.column);
      }
    }
    if (emails.length > 0) d.input.emails = emails;
  }

  private mapMessaging(d: Draft): void {
    const handles: Messaging[] = [];
    for (const slot of this.bound.messaging) {
      const channelCell = partOf(d, slot, 'channel');
      const channel = channelCell?.value.toLowerCase() ?? slot.fixed;
      for (const { value, column } of valuesOf(d, slot)) {
        if (channel === undefined) {
          d.errors.push({ row: d.row, column, code: 'invalid_value', message: `the handle "${value}" has no channel` });
          continue;
        }
        const path = `messaging[${handles.length}]`;
        handles.push({ channel, handle: value });
        d.paths.set(path, column);
        if (channelCell) d.paths.set(`${path}.channel`, channelCell.column);
      }
    }
    if (handles.length > 0) d.input.messaging = handles;
  }
}

/**
 * A cell's value, trimmed. A leading `'` before `=`, `+`, `-` or `@` is the guard exports put
 * against formula injection (`'+1 651 555 0101`): the value is what follows it.
 */
function cellOf(d: Draft, index: number): string {
  const value = (d.cells[index] ?? '').trim();
  return /^'+[=+\-@]/.test(value) ? value.slice(1) : value;
}

function partOf(d: Draft, slot: Slot, part: string): { value: string; column: string } | undefined {
  const column = slot.parts.get(part);
  const value = column ? cellOf(d, column.index) : '';
  return column && value !== '' ? { value, column: column.column } : undefined;
}

function valuesOf(d: Draft, slot: Slot): { value: string; column: string }[] {
  const values: { value: string; column: string }[] = [];
  for (const c of slot.values) {
    const cell = cellOf(d, c.index);
    if (cell === '') continue;
    for (const value of splitValues(cell)) values.push({ value, column: c.column });
  }
  return values;
}
