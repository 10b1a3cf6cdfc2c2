import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DomainError, validationError } from '../../core/errors.ts';
import type { UpsertRequest } from '../../core/contacts/contact-upsert.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { ContactCreateItem, ContactPutItem, Envelope, type CreateItem, type PutItem } from './schemas.ts';
import type { MappedItem } from './mapping.ts';

/**
 * A POST or PUT body is checked in two steps, so that one bad item does not sink the others:
 * the envelope as a whole (400 when it is not `{"contacts": [1..1000 items]}`), then each item
 * against its schema; a bad item becomes that item's failure. Bodies are read as sent (no type
 * coercion), as the native API does.
 */
const ajv = new Ajv.default({ coerceTypes: false, allErrors: true, useDefaults: false, removeAdditional: false, strict: false });
addFormats.default(ajv);
const checkEnvelope = ajv.compile(Envelope);
const checkCreate = ajv.compile(ContactCreateItem);
const checkPut = ajv.compile(ContactPutItem);

/** Throws a whole-request 400 unless the body is the envelope. */
export function assertEnvelope(body: unknown): unknown[] {
  if (!checkEnvelope(body)) throw validationError(fieldErrorsOf(checkEnvelope.errors ?? [], 'body'));
  return (body as { contacts: unknown[] }).contacts;
}

export interface PreparedItems {
  requests: (UpsertRequest | DomainError)[];
  wireFields: ((path: string) => string)[];
}

export function prepareCreates(items: unknown[], map: (item: CreateItem) => MappedItem): PreparedItems {
  return prepare(items, checkCreate, map);
}

export function preparePuts(items: unknown[], map: (item: PutItem) => MappedItem): PreparedItems {
  return prepare(items, checkPut, map);
}

function prepare<T>(items: unknown[], check: ValidateFunction, map: (item: T) => MappedItem): PreparedItems {
  const requests: (UpsertRequest | DomainError)[] = [];
  const wireFields: ((path: string) => string)[] = [];
  for (const item of items) {
    const same = (path: string) => path;
    if (!check(item)) {
      requests.push(validationError(fieldErrorsOf(check.errors ?? [], 'body').map((f) => ({ ...f, path: f.path === 'body' ? 'contact' : f.path }))));
      wireFields.push(same);
      continue;
    }
    try {
      const mapped = map(item as T);
      requests.push(mapped.request);
      wireFields.push(mapped.wireField);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      requests.push(error);
      wireFields.push(same);
    }
  }
  return { requests, wireFields };
}
