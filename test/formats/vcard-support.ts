import { readFileSync } from 'node:fs';
import { buildContactState } from '../../src/core/contacts/contact-state.ts';
import type { Contact, ContactInput, CustomField, CustomFieldType } from '../../src/core/types.ts';

/** A stored contact as the core builds it from an input (phones to E.164, primaries settled). */
export function storedContact(input: ContactInput, customFields: CustomField[], id = 'b7a4c1de-0000-4000-8000-000000000001'): Contact {
  const state = buildContactState({ address_book_id: 'book-1', ...input }, { region: 'US', customFields: new Map(customFields.map((f) => [f.key, f])) });
  return { ...state, seq: 1, id, account_id: 'acct-1', status: 'active', merged_into: null, version: 3, created_at: '2026-01-02T03:04:05.000Z', updated_at: '2026-01-02T03:04:05.678Z' };
}

export function customField(key: string, data_type: CustomFieldType, options: string[] | null = null): CustomField {
  return {
    seq: 1, id: `cf-${key}`, account_id: 'acct-1', key, label: null, data_type, group: null, options, name: key, description: null,
    default_value: null, address_book_ids: [], flags: {}, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
  };
}

/** One custom field of every data type. */
export const EVERY_TYPE_FIELDS: CustomField[] = [
  customField('customer_no', 'string'),
  customField('lifetime_value', 'number'),
  customField('is_vip', 'boolean'),
  customField('renewal_date', 'date'),
  customField('last_call_at', 'datetime'),
  customField('billing_email', 'email'),
  customField('backup_phone', 'phone'),
  customField('portal_url', 'url'),
  customField('balance', 'currency'),
  customField('discount', 'percent'),
  customField('tier', 'pick_list', ['gold', 'silver']),
];

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/vcard/${name}`, import.meta.url), 'utf8');
}

/** Every card of a fixture file, split on END:VCARD (the splitter has tests of its own). */
export function cardsOf(text: string): string[] {
  return text.split(/(?<=END:VCARD\r?\n)/).filter((c) => c.trim() !== '');
}
