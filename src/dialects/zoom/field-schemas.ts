import { Type } from 'typebox';
import { pageAnswer, zoomId } from './schemas.ts';

/** Custom fields and a contact's custom fields, as Zoom spells them. */

export const ZOOM_DATA_TYPES = ['string', 'number', 'boolean', 'email', 'phone', 'percent', 'currency', 'dateTime', 'pick_list'] as const;
export type ZoomDataType = (typeof ZOOM_DATA_TYPES)[number];

/** Zoom's display switches of a custom field, kept as the core field's flags. */
export const FIELD_FLAGS = ['use_as_routing_profile_parameter', 'use_as_external_url_parameter', 'show_in_transferred_calls', 'show_in_inbound_notification', 'show_in_profile_tab'] as const;

const dataType = Type.Enum([...ZOOM_DATA_TYPES], {
  description: 'The field\'s data type: string, number, boolean, email, phone (E.164), percent, currency, dateTime (unix timestamp, seconds), pick_list. Another: 400, code 2108.',
  examples: ['pick_list'],
});
const flagSchemas = Object.fromEntries(FIELD_FLAGS.map((f) => [f, Type.Optional(Type.Boolean({ description: `Zoom's \`${f}\` switch.` }))])) as Record<(typeof FIELD_FLAGS)[number], ReturnType<typeof Type.Optional<ReturnType<typeof Type.Boolean>>>>;

const bodyFields = {
  custom_field_name: Type.String({ minLength: 1, maxLength: 30, description: 'The field\'s name, unique in the account (taken: 400, code 2107).', examples: ['Preferred Contact Method'] }),
  custom_field_description: Type.Optional(Type.String({ maxLength: 200, description: 'The field\'s description.' })),
  data_type: dataType,
  default_value: Type.Optional(Type.String({ maxLength: 512, description: 'A default value, in the field\'s type (else 400, code 2109; a pick_list default must be one of its values, else 2115).', examples: ['phone'] })),
  pick_list_values: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { maxItems: 250, description: 'The values of a pick_list (only for pick_list).', examples: [['phone', 'email']] })),
  address_book_ids: Type.Optional(Type.Array(Type.String({ maxLength: 36 }), { maxItems: 50, description: 'Address books associated with the field (unknown: 404, code 2006).' })),
  ...flagSchemas,
};

export const FieldCreateBody = Type.Object(bodyFields, {
  additionalProperties: false,
  examples: [{ custom_field_name: 'Preferred Contact Method', data_type: 'pick_list', pick_list_values: ['phone', 'email'], default_value: 'phone' }],
});
/** The file makes `custom_field_name` and `data_type` required on PATCH too. */
export const FieldPatchBody = Type.Object(bodyFields, { additionalProperties: false, examples: [{ custom_field_name: 'Preferred Contact Method', data_type: 'string' }] });

export const ZoomField = Type.Object(
  {
    custom_field_id: Type.String({ maxLength: 36, description: 'The custom field\'s ID.', examples: ['7381d210-360e-4fbd-86e4-33eb7109b084'] }),
    custom_field_name: Type.String({ maxLength: 30, description: 'The field\'s name.' }),
    custom_field_description: Type.Optional(Type.String({ maxLength: 200 })),
    data_type: dataType,
    default_value: Type.Optional(Type.String({ maxLength: 512 })),
    pick_list_values: Type.Optional(Type.Array(Type.String({ maxLength: 512 }), { maxItems: 250 })),
    address_books: Type.Optional(
      Type.Array(Type.Object({ address_book_id: Type.String({ maxLength: 36 }), address_book_name: Type.String({ maxLength: 100 }) }), { maxItems: 50, description: 'The address books associated with the field.' }),
    ),
    ...flagSchemas,
  },
  { examples: [{ custom_field_id: '7381d210-360e-4fbd-86e4-33eb7109b084', custom_field_name: 'Preferred Contact Method', data_type: 'pick_list', pick_list_values: ['phone', 'email'] }] },
);
export const FieldParams = Type.Object({ customFieldId: Type.String({ minLength: 1, maxLength: 36, description: 'The custom field\'s ID.' }) });
export const FieldList = pageAnswer({ custom_fields: Type.Array(ZoomField, { description: 'The account\'s custom fields, oldest first.' }) });

export const ContactFieldValue = Type.Object({
  custom_field_id: Type.String({ maxLength: 36 }),
  custom_field_name: Type.String({ maxLength: 30 }),
  data_type: dataType,
  custom_field_value: Type.Optional(Type.String({ maxLength: 512, description: 'The contact\'s value, as text (dateTime: unix seconds).' })),
  outdated: Type.Boolean({ description: 'True when the stored value no longer fits the field\'s type (the type changed after it was set).' }),
});
export const ContactFieldList = Type.Object({
  next_page_token: Type.Optional(Type.String({ maxLength: 100 })),
  page_size: Type.Integer({ minimum: 1, maximum: 300 }),
  custom_fields: Type.Array(ContactFieldValue, { description: 'The custom fields the contact has a value for.' }),
});
export const ContactIdParams = Type.Object({ contactId: zoomId('The contact\'s ID.') });
