import type { FieldErrors } from '../errors.ts';
import { toE164 } from '../phones.ts';
import type { CustomField, CustomFieldValues } from '../types.ts';
import { isEmail, isHttpUrl, isIsoDate, toUtcDateTime } from '../values.ts';

const MAX_STRING = 4000;

/**
 * Checks each value against its field's data type and returns the values as stored
 * (phones in E.164, date-times in UTC). Unknown keys and mismatches go to `errors`.
 */
export function normalizeCustomFieldValues(
  values: Record<string, unknown>,
  fields: Map<string, Pick<CustomField, 'data_type' | 'options'>>,
  region: string,
  errors: FieldErrors,
  pathPrefix = 'custom_fields',
): CustomFieldValues {
  const result: CustomFieldValues = {};
  for (const [key, value] of Object.entries(values)) {
    const path = `${pathPrefix}.${key}`;
    const field = fields.get(key);
    if (!field) {
      errors.add(path, 'is not a custom field of this account');
      continue;
    }
    const stored = normalizeValue(field, value, region);
    if (typeof stored === 'object') errors.add(path, stored.problem);
    else result[key] = stored;
  }
  return result;
}

type Normalized = string | number | boolean | { problem: string };

/** One value checked against its field's type: the value as stored, or why it does not fit. */
export function normalizeCustomFieldValue(field: Pick<CustomField, 'data_type' | 'options'>, value: unknown, region: string): Normalized {
  return normalizeValue(field, value, region);
}

function normalizeValue(field: Pick<CustomField, 'data_type' | 'options'>, value: unknown, region: string): Normalized {
  switch (field.data_type) {
    case 'string':
      return typeof value === 'string' && value.length <= MAX_STRING ? value : { problem: `must be a string of at most ${MAX_STRING} characters` };
    case 'number':
    case 'currency':
    case 'percent':
      return typeof value === 'number' && Number.isFinite(value) ? value : { problem: `must be a number (${field.data_type})` };
    case 'boolean':
      return typeof value === 'boolean' ? value : { problem: 'must be true or false' };
    case 'date':
      return typeof value === 'string' && isIsoDate(value) ? value : { problem: 'must be a date as YYYY-MM-DD' };
    case 'datetime': {
      const utc = typeof value === 'string' ? toUtcDateTime(value) : null;
      return utc ?? { problem: 'must be an ISO 8601 date-time with a time zone offset' };
    }
    case 'email':
      return typeof value === 'string' && isEmail(value) ? value : { problem: 'must be an email address' };
    case 'phone': {
      const e164 = typeof value === 'string' ? toE164(value, region) : null;
      return e164 ?? { problem: 'must be a phone number' };
    }
    case 'url':
      return typeof value === 'string' && isHttpUrl(value) ? value : { problem: 'must be an http or https URL' };
    case 'pick_list':
      return typeof value === 'string' && (field.options ?? []).includes(value)
        ? value
        : { problem: `must be one of: ${(field.options ?? []).join(', ')}` };
  }
}
