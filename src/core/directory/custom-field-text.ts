import { normalizeCustomFieldValue } from '../contacts/custom-field-values.ts';
import type { CustomField } from '../types.ts';

/**
 * Custom field values for platforms that send and show every value as text (Zoom's
 * `custom_field_value`): the typed value a text stands for, and the text of a stored value.
 * Date-times travel as unix timestamps in seconds (or ISO 8601), numbers and booleans as their
 * usual spelling. Whether the typed value then fits the field (a pick_list option, a phone
 * number) is the core's usual check.
 */
export function valueFromText(field: Pick<CustomField, 'data_type'>, text: string): { value: string | number | boolean } | { problem: string } {
  const trimmed = text.trim();
  switch (field.data_type) {
    case 'number':
    case 'currency':
    case 'percent':
      return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) ? { value: Number(trimmed) } : { problem: `"${text}" is not a number` };
    case 'boolean':
      if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true' };
      return { problem: `"${text}" is not true or false` };
    case 'datetime': {
      if (/^-?\d{1,12}$/.test(trimmed)) {
        const date = new Date(Number(trimmed) * 1000);
        return Number.isNaN(date.getTime()) ? { problem: `"${text}" is not a unix timestamp` } : { value: date.toISOString() };
      }
      return { value: trimmed };
    }
    default:
      return { value: text };
  }
}

/** The text of a stored value: date-times as unix seconds, the rest as written. */
export function textOfValue(field: Pick<CustomField, 'data_type'>, value: string | number | boolean): string {
  if (field.data_type === 'datetime' && typeof value === 'string') {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return String(Math.floor(ms / 1000));
  }
  return String(value);
}

/** True when a stored value no longer fits its field (its type or options changed since it was set). */
export function isOutdated(field: Pick<CustomField, 'data_type' | 'options'>, value: unknown, region: string): boolean {
  const checked = normalizeCustomFieldValue(field, value, region);
  return typeof checked === 'object';
}
