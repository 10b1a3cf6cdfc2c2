import { CUSTOM_FIELD_TYPES, type ContactTextField, type CustomField, type CustomFieldType } from '../../core/types.ts';
import { valueFromText } from '../../core/directory/custom-field-text.ts';

/**
 * contactd's own properties: `X-CONTACTD-<KEY>` for custom fields and for the contact fields
 * vCard has no property for. Custom field keys are lower_snake_case and vCard names cannot hold
 * `_`, so a key is written upper case with `-` and read back by turning `-` into `_`: the mapping
 * is one to one. A custom field also carries `X-DATA-TYPE`, which tells it apart from the fields
 * below when a key happens to spell one of them, and lets an import define a field it lacks.
 */
export const PREFIX = 'X-CONTACTD-';
export const DATA_TYPE_PARAM = 'X-DATA-TYPE';

/** Contact fields written as `X-CONTACTD-<FIELD>`; names, company and role have vCard properties. */
export const TEXT_FIELD_PROPS = ['external_id', 'location', 'timezone', 'account_number', 'country', 'user_name', 'employee_id'] as const satisfies readonly ContactTextField[];
export const TYPE_PROP = `${PREFIX}TYPE`;

export function propNameOf(key: string): string {
  return PREFIX + key.toUpperCase().replace(/_/g, '-');
}

/** The key a property names (`X-CONTACTD-CUSTOMER-NO` -> `customer_no`), or null for another property. */
export function keyOfProp(name: string): string | null {
  if (!name.startsWith(PREFIX) || name.length === PREFIX.length) return null;
  return name.slice(PREFIX.length).toLowerCase().replace(/-/g, '_');
}

/** A stored value as vCard text (date-times stay ISO 8601: people read cards). */
export function textOfCustomValue(value: string | number | boolean): string {
  return String(value);
}

/** The typed value of a custom field's text, or why it does not fit the field's type. */
export function customValueOf(field: Pick<CustomField, 'data_type'>, text: string): { value: string | number | boolean } | { problem: string } {
  if (field.data_type === 'datetime') return { value: text.trim() };
  return valueFromText(field, text);
}

export function dataTypeOf(text: string | null): CustomFieldType {
  const wanted = text?.toLowerCase();
  return (CUSTOM_FIELD_TYPES as readonly string[]).includes(wanted ?? '') ? (wanted as CustomFieldType) : 'string';
}
