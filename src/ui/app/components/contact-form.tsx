import { useState } from 'preact/hooks';
import type { FieldError } from '../api.ts';
import { localInputOf, type AddressBook, type Contact, type CustomField } from '../types.ts';
import { Checkbox, Field, Select } from './field.tsx';

const TEXT_FIELDS = [
  ['display_name', 'Display name'],
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['company', 'Company'],
  ['account_number', 'Account number'],
  ['external_id', 'External id'],
  ['role', 'Role'],
  ['location', 'Location'],
] as const;
type TextKey = (typeof TEXT_FIELDS)[number][0];

const PHONE_TYPES = ['mobile', 'work', 'home', 'main', 'fax', 'other'];
const EMAIL_TYPES = ['work', 'home', 'other'];

/** A phone as the form edits it: number, type, label and extension; its primary flag rides along unchanged. */
export interface PhoneDraft {
  number: string;
  type: string;
  label?: string | null;
  extension?: string | null;
  is_primary?: boolean;
}

export interface EmailDraft {
  address: string;
  type: string;
  is_primary?: boolean;
}

export type ContactDraft = Record<TextKey, string> & {
  /** The first is the field labelled Phone (always shown, perhaps empty); the others are Number 2, 3, … */
  phones: PhoneDraft[];
  /** The first is the field labelled Email; the others are Address 2, 3, … */
  emails: EmailDraft[];
  address_book_id: string;
  custom: Record<string, string | boolean>;
  /** Shown, not edited here (a save leaves them as they are). */
  messaging?: { channel: string; handle: string }[];
};

export function draftOf(contact: Partial<Contact> | undefined, prefill: { phone?: string; email?: string } = {}): ContactDraft {
  const custom: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(contact?.custom_fields ?? {})) custom[key] = typeof value === 'boolean' ? value : String(value);
  const text = Object.fromEntries(TEXT_FIELDS.map(([key]) => [key, (contact?.[key] as string | null | undefined) ?? ''])) as Record<TextKey, string>;
  const phones: PhoneDraft[] = (contact?.phone_numbers ?? []).map((p) => ({ number: p.number, type: p.type, label: p.label ?? null, extension: p.extension ?? null, is_primary: p.is_primary }));
  const emails: EmailDraft[] = (contact?.emails ?? []).map((e) => ({ address: e.address, type: e.type, is_primary: e.is_primary }));
  if (phones.length === 0) phones.push({ number: prefill.phone ?? '', type: 'mobile' });
  if (emails.length === 0) emails.push({ address: prefill.email ?? '', type: 'work' });
  const messaging = (contact?.messaging as { channel: string; handle: string }[] | undefined) ?? [];
  return { ...text, phones, emails, address_book_id: contact?.address_book_id ?? '', custom, messaging };
}

/** The API body for a draft: every phone and email the form holds, with what it does not edit kept as it was. */
export function bodyOf(draft: ContactDraft, fields: CustomField[], original?: Contact): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key] of TEXT_FIELDS) body[key] = draft[key].trim() === '' ? null : draft[key].trim();
  body.phone_numbers = draft.phones.filter((p) => p.number.trim() !== '').map((p) => ({
    number: p.number.trim(), type: p.type, ...(p.label?.trim() ? { label: p.label.trim() } : {}), ...(p.extension?.trim() ? { extension: p.extension.trim() } : {}), ...(p.is_primary ? { is_primary: true } : {}),
  }));
  body.emails = draft.emails.filter((e) => e.address.trim() !== '').map((e) => ({ address: e.address.trim(), type: e.type, ...(e.is_primary ? { is_primary: true } : {}) }));
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

/**
 * Which form field an API error path belongs to: `phone_numbers[1].number` is the second number's
 * field (`phone.1`), `emails[0].address` the Email field (`email.0`).
 */
export function errorsByField(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) {
    const path = error.path.replace(/^\//, '').replace(/\//g, '.');
    const list = /^(phone_numbers|emails)(?:\[(\d+)\]|\.(\d+))?/.exec(path);
    const field = list
      ? `${list[1] === 'phone_numbers' ? 'phone' : 'email'}.${list[2] ?? list[3] ?? '0'}`
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

/** The type choices for a list entry: the usual ones, and the entry's own if it is another. */
const typeOptions = (types: string[], current: string) => [...new Set([...types, current])].map((t) => ({ value: t, label: t }));

/**
 * The contact's fields, one labelled input each, with the API's errors beside them. The first
 * phone and email are labelled Phone and Email; further ones Number 2 and Address 2, so that each
 * label names one field.
 */
export function ContactForm({ draft, onChange, books, fields, errors, readOnly, bookFirst }: Props) {
  const set = (patch: Partial<ContactDraft>) => onChange({ ...draft, ...patch });
  const setPhone = (i: number, patch: Partial<PhoneDraft>) => set({ phones: draft.phones.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  const setEmail = (i: number, patch: Partial<EmailDraft>) => set({ emails: draft.emails.map((e, j) => (j === i ? { ...e, ...patch } : e)) });
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
    <div>
      <div class="form-grid">
        {bookFirst && book}
        {TEXT_FIELDS.map(([key, label]) => (
          <Field key={key} label={label} value={draft[key]} readOnly={readOnly} error={errors[key]} onInput={(v) => set({ [key]: v } as Partial<ContactDraft>)} />
        ))}
      </div>
      <div class="entries-grid">
        <fieldset class="entries">
          <legend>Numbers</legend>
          {draft.phones.map((p, i) => (
            <div class="entry" key={i}>
              <Field label={i === 0 ? 'Phone' : `Number ${i + 1}`} type="tel" value={p.number} readOnly={readOnly} error={errors[`phone.${i}`]} onInput={(v) => setPhone(i, { number: v })} />
              <Select label={<>Type<span class="visually-hidden"> of number {i + 1}</span></>} value={p.type} disabled={readOnly} onChange={(v) => setPhone(i, { type: v })} options={typeOptions(PHONE_TYPES, p.type)} />
              <Field label={<>Label<span class="visually-hidden"> of number {i + 1}</span></>} value={p.label ?? ''} readOnly={readOnly} onInput={(v) => setPhone(i, { label: v })} />
              <Field label={<>Ext.<span class="visually-hidden"> of number {i + 1}</span></>} value={p.extension ?? ''} readOnly={readOnly} onInput={(v) => setPhone(i, { extension: v })} />
              {!readOnly && i > 0 && <button type="button" class="link" onClick={() => set({ phones: draft.phones.filter((_, j) => j !== i) })}>Remove number {i + 1}</button>}
            </div>
          ))}
          {!readOnly && <button type="button" onClick={() => set({ phones: [...draft.phones, { number: '', type: 'mobile' }] })}>Add a number</button>}
        </fieldset>
        <fieldset class="entries">
          <legend>Addresses</legend>
          {draft.emails.map((e, i) => (
            <div class="entry" key={i}>
              <Field label={i === 0 ? 'Email' : `Address ${i + 1}`} type="email" value={e.address} readOnly={readOnly} error={errors[`email.${i}`]} onInput={(v) => setEmail(i, { address: v })} />
              <Select label={<>Type<span class="visually-hidden"> of address {i + 1}</span></>} value={e.type} disabled={readOnly} onChange={(v) => setEmail(i, { type: v })} options={typeOptions(EMAIL_TYPES, e.type)} />
              {!readOnly && i > 0 && <button type="button" class="link" onClick={() => set({ emails: draft.emails.filter((_, j) => j !== i) })}>Remove address {i + 1}</button>}
            </div>
          ))}
          {!readOnly && <button type="button" onClick={() => set({ emails: [...draft.emails, { address: '', type: 'work' }] })}>Add an address</button>}
        </fieldset>
      </div>
      {(draft.messaging?.length ?? 0) > 0 && (
        <div class="field">
          <span class="label">Messaging</span>
          <ul class="plain-list">{draft.messaging!.map((m) => <li key={`${m.channel}:${m.handle}`}>{m.channel}: {m.handle}</li>)}</ul>
        </div>
      )}
      <div class="form-grid">
        {fields.map((field) => {
          const label = field.label || field.key;
          const value = draft.custom[field.key];
          const setValue = (v: string | boolean) => set({ custom: { ...draft.custom, [field.key]: v } });
          const error = errors[`custom.${field.key}`];
          if (field.data_type === 'boolean') return <Checkbox key={field.key} label={label} checked={value === true} disabled={readOnly} onChange={setValue} />;
          if (field.data_type === 'pick_list') {
            return <Select key={field.key} label={label} value={String(value ?? '')} disabled={readOnly} error={error} onChange={setValue} options={[{ value: '', label: '—' }, ...(field.options ?? []).map((o) => ({ value: o, label: o }))]} />;
          }
          // A stored date-time is UTC; the input shows and reads local time (valueOf turns it back).
          const shown = field.data_type === 'datetime' && typeof value === 'string' && value.endsWith('Z') ? localInputOf(value) : String(value ?? '');
          return <Field key={field.key} label={label} type={INPUT_TYPES[field.data_type] ?? 'text'} value={shown} readOnly={readOnly} error={error} onInput={setValue} />;
        })}
        {!bookFirst && book}
      </div>
    </div>
  );
}
