import type { Static } from 'typebox';
import type { NamedFieldInput } from '../../core/directory/custom-field.service.ts';
import { textOfValue, valueFromText } from '../../core/directory/custom-field-text.ts';
import type { CustomField } from '../../core/types.ts';
import { ZOOM, zoomError } from './errors.ts';
import { FIELD_FLAGS, type FieldCreateBody, type ZoomField } from './field-schemas.ts';
import { coreTypeOf, zoomTypeOf } from './mapping.ts';

/** Custom fields: Zoom's body -> the core's named field input, and a core field -> Zoom's shape. */

export function toZoomField(field: CustomField, bookNames: Map<string, string>): Static<typeof ZoomField> {
  const wire: Static<typeof ZoomField> = { custom_field_id: field.id, custom_field_name: field.name.slice(0, 30), data_type: zoomTypeOf(field.data_type) };
  if (field.description !== null) wire.custom_field_description = field.description.slice(0, 200);
  if (field.default_value !== null) wire.default_value = textOfValue(field, field.default_value).slice(0, 512);
  if (field.options !== null) wire.pick_list_values = field.options.slice(0, 250).map((o) => o.slice(0, 512));
  const books = field.address_book_ids.filter((id) => bookNames.has(id)).slice(0, 50);
  if (books.length > 0) wire.address_books = books.map((id) => ({ address_book_id: id, address_book_name: bookNames.get(id)!.slice(0, 100) }));
  for (const flag of FIELD_FLAGS) if (field.flags[flag] !== undefined) wire[flag] = field.flags[flag];
  return wire;
}

/**
 * A create or PATCH body as the core's input. Zoom's own checks of its body come first: a
 * default outside the pick list (2115), a name with spaces used as a URL parameter (2111),
 * values of a pick list on another type (300); the default's fit to the type is the core's
 * (2109).
 */
export function fieldInputOf(body: Static<typeof FieldCreateBody>, isPatch = false): NamedFieldInput {
  const name = body.custom_field_name.trim();
  if (name === '') throw zoomError(400, ZOOM.invalidField, 'Invalid field. custom_field_name must not be empty.');
  if (body.use_as_external_url_parameter === true && /\s/.test(name)) {
    throw zoomError(400, ZOOM.externalUrlNameSpaces, 'Custom field name cannot contain spaces when use_as_external_url_parameter is true.');
  }
  const dataType = coreTypeOf(body.data_type);
  if (body.pick_list_values !== undefined && body.pick_list_values.length > 0 && dataType !== 'pick_list') {
    throw zoomError(400, ZOOM.invalidField, 'Invalid field. pick_list_values is only valid when data_type is pick_list.');
  }
  // A PATCH of a pick_list may leave its values as they are.
  if (dataType === 'pick_list' && !isPatch && (body.pick_list_values ?? []).length === 0) throw zoomError(400, ZOOM.invalidField, 'Invalid field. A pick_list needs pick_list_values.');
  const input: NamedFieldInput = { name, data_type: dataType };
  if (body.custom_field_description !== undefined) input.description = body.custom_field_description;
  if (dataType === 'pick_list' && body.pick_list_values !== undefined) input.options = body.pick_list_values;
  if (body.default_value !== undefined && body.default_value !== '') {
    if (dataType === 'pick_list' && body.pick_list_values !== undefined && !body.pick_list_values.includes(body.default_value)) {
      throw zoomError(400, ZOOM.defaultNotInPickList, 'Invalid default value. The provided value is not in the list of supported picklist values.');
    }
    const parsed = valueFromText({ data_type: dataType }, body.default_value);
    if ('problem' in parsed) throw zoomError(400, ZOOM.defaultValueMismatch, `The default value format does not match the data type: ${parsed.problem}.`);
    input.default_value = parsed.value;
  } else if (body.default_value === '') {
    input.default_value = null;
  }
  if (body.address_book_ids !== undefined) input.address_book_ids = body.address_book_ids;
  const flags = Object.fromEntries(FIELD_FLAGS.filter((f) => body[f] !== undefined).map((f) => [f, body[f]!]));
  if (Object.keys(flags).length > 0) input.flags = flags;
  return input;
}
