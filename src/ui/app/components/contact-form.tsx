import { useState } from 'preact/hooks';
import type { FieldError } from '../api.ts';
import type { AddressBook, Contact, CustomField } from '../types.ts';
import { Checkbox, Field, Select } from './field.tsx';

const TEXT_FIELDS = [
  ['display_name', 'Display name'],
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['company', 'Company'],
] as const;

export interface ContactDraft {
  display_name: string;
  first_name: string;
  last_name: string;
  company: string;
  phone: string;
  email: string;
  address_book_id: string;
  custom: Record<string, string | boolean>;
}

export function draftOf(contact: Partial<Contact> | undefined, defaults: Partial<ContactDraft> = {}): ContactDraft {
  const custom: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(contact?.custom_fields ?? {})) custom[key] = typeof value === 'boolean' ? value : String(value);
  return {
    display_name: contact?.display_name ?? '',
    first_name: contact?.first_name ?? '',
    last_name: contact?.last_name ?? '',
    company: contact?.company ?? '',
    phone: contact?.phone_numbers?.[0]?.number ?? '',
    email: contact?.emails?.[0]?.address ?? '',
    address_book_id: contact?.address_book_id ?? '',
    custom,
    ...defaults,
  };
}

/** The API body for a draft: the first phone and email are the form's, the others are kept as they were. */
export function bodyOf(draft: ContactDraft, fields: CustomField[], original?: Contact): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key] of TEXT_FIELDS) body[key] = draft[key].trim() === '' ? null : draft[key].trim();
  const keepPhones = (original?.phone_numbers ?? []).slice(1).map((p) => ({ number: p.number, type: p.type }));
  const keepEmails = (original?.emails ?? []).slice(1).map((e) => ({ address: e.address, type: e.type }));
  const firstPhone = original?.phone_numbers?.[0];
  const firstEmail = original?.emails?.[0];
  body.phone_numbers = [...(draft.phone.trim() ? [{ number: draft.phone.trim(), type: firstPhone?.type ?? 'mobile' }] : []), ...keepPhones];
  body.emails = [...(draft.email.trim() ? [{ address: draft.email.trim(), type: firstEmail?.type ?? 'work' }] : []), ...keepEmails];
  if (draft.address_book_id) body.address_book_id = draft.address_book_id;
  const custom: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = draft.custom[field.key];
    if (raw === undefined || raw === '') {
      if (original && field.key in original.custom_fields) custom[field.key] = null;
      continue;
    }
    custom[field.key] = valueOf(field, raw);
  }
  if (Object.keys(custom).length > 0) body.custom_fields = custom;
  if (!original) {
    for (const key of Object.keys(body)) if (body[key] === null) delete body[key];
    if (body.custom_fields) body.custom_fields = Object.fromEntries(Object.entries(body.custom_fields as object).filter(([, v]) => v !== null));
  }
  return body;
}

function valueOf(field: CustomField, raw: string | boolean): unknown {
  if (field.data_type === 'boolean') return raw === true;
  if (['number', 'currency', 'percent'].includes(field.data_type) && typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (field.data_type === 'datetime' && typeof raw === 'string' && !Number.isNaN(Date.parse(raw))) return new Date(raw).toISOString();
  return raw;
}

/** Which form field an API error path belongs to: `phone_numbers[0].number` is the Phone field. */
export function errorsByField(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) {
    const path = error.path.replace(/^\//, '').replace(/\//g, '.');
    const field = path.startsWith('phone_numbers')
      ? 'phone'
      : path.startsWith('emails')
        ? 'email'
        : path.startsWith('custom_fields.')
          ? `custom.${path.slice('custom_fields.'.length).split(/[.[]/)[0]}`
          : path.split(/[.[]/)[0]!;
    byField[field] = byField[field] ? `${byField[field]}; ${error.message}` : error.message;
  }
  return byField;
}

const INPUT_TYPES: Record<string, string> = { number: 'number', currency: 'number', percent: 'number', date: 'date', datetime: 'datetime-local', email: 'email', phone: 'tel', url: 'url' };

interface Props {
  draft: ContactDraft;
  onChange: (draft: ContactDraft) => void;
  books: AddressBook[];
  fields: CustomField[];
  errors: Record<string, string>;
  readOnly: boolean;
  /** The address book is chosen first on a new contact. */
  bookFirst?: boolean;
}

/** The contact's fields, one labelled input each, with the API's errors beside them. */
export function ContactForm({ draft, onChange, books, fields, errors, readOnly, bookFirst }: Props) {
  const set = (patch: Partial<ContactDraft>) => onChange({ ...draft, ...patch });
  const book = (
    <Select
      label="Address book"
      value={draft.address_book_id}
      disabled={readOnly}
      error={errors.address_book_id}
      onChange={(v) => set({ address_book_id: v })}
      options={books.map((b) => ({ value: b.id, label: b.is_default ? `${b.name} (default)` : b.name }))}
    />
  );
  return (
    <div class="form-grid">
      {bookFirst && book}
      {TEXT_FIELDS.map(([key, label]) => (
        <Field key={key} label={label} value={draft[key]} readOnly={readOnly} error={errors[key]} onInput={(v) => set({ [key]: v })} />
      ))}
      <Field label="Phone" type="tel" value={draft.phone} readOnly={readOnly} error={errors.phone} onInput={(v) => set({ phone: v })} />
      <Field label="Email" type="email" value={draft.email} readOnly={readOnly} error={errors.email} onInput={(v) => set({ email: v })} />
      {fields.map((field) => {
        const label = field.label || field.key;
        const value = draft.custom[field.key];
        const setValue = (v: string | boolean) => set({ custom: { ...draft.custom, [field.key]: v } });
        const error = errors[`custom.${field.key}`];
        if (field.data_type === 'boolean') return <Checkbox key={field.key} label={label} checked={value === true} onChange={readOnly ? () => {} : setValue} />;
        if (field.data_type === 'pick_list') {
          return <Select key={field.key} label={label} value={String(value ?? '')} disabled={readOnly} error={error} onChange={setValue} options={[{ value: '', label: '—' }, ...(field.options ?? []).map((o) => ({ value: o, label: o }))]} />;
        }
        const shown = field.data_type === 'datetime' && typeof value === 'string' && value.endsWith('Z') ? value.slice(0, 16) : String(value ?? '');
        return <Field key={field.key} label={label} type={INPUT_TYPES[field.data_type] ?? 'text'} value={shown} readOnly={readOnly} error={error} onInput={setValue} />;
      })}
      {!bookFirst && book}
    </div>
  );
}
