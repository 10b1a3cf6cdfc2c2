import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { CreateContactItem } from '../../core/batch-jobs/batch-job-work.ts';
import { DomainError, invalidField } from '../../core/errors.ts';
import { CODE, failureOf } from './errors.ts';
import { CHANNELS, createInputOf, type CreateBody } from './mapping.ts';
import { CreateContactBody } from './schemas.ts';

/**
 * The rows of a createContacts batch file as create items: one mapping for both readers
 * (`csv.ts`, `xlsx.ts`), which hand it each row as text by column name. Columns are the create
 * body's fields (`msisdn`, `firstName`, `lastName`, `externalId`, `country`, `email`,
 * `weChatUserId`, `facebookUserId`, `zaloId`, `lineId`, `kakaoTalkId`, in any case); any other
 * column is a custom attribute. A row that is not a valid contact becomes a failed item with the
 * 8x8 code, and the other rows go on.
 */

const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validCreate = ajv.compile(CreateContactBody);

const TOP = ['firstName', 'lastName', 'externalId', 'country'] as const;
const ADDRESS = ['msisdn', 'email', ...CHANNELS.map(([field]) => field)] as const;
const KNOWN = new Map<string, string>([...TOP, ...ADDRESS].map((f) => [f.toLowerCase(), f]));

export const MAX_ROWS = 100_000;

/** One data row: its text by column name. */
export type UploadRecord = Record<string, string>;

export function tooManyRows(): DomainError {
  return invalidField('file', `at most ${MAX_ROWS} rows`);
}

export function createItemOf(record: UploadRecord, groupIds: string[]): CreateContactItem {
  const body: Record<string, unknown> = { addresses: {} };
  const attributes: Record<string, string> = {};
  for (const [column, raw] of Object.entries(record)) {
    const value = (raw ?? '').trim();
    if (value === '' || column === '') continue;
    if (value.includes('\u0000') || column.includes('\u0000')) return { error: { code: String(CODE.invalidParameter), message: `Invalid parameter: ${column} must not contain NUL characters` } };
    const field = KNOWN.get(column.trim().toLowerCase());
    if (field === undefined) attributes[column.trim()] = value;
    else if ((ADDRESS as readonly string[]).includes(field)) (body.addresses as Record<string, string>)[field] = value;
    else body[field] = value;
  }
  if (Object.keys(attributes).length > 0) body.customAttributes = attributes;
  if (!validCreate(body)) return { error: errorOf({ validation: validCreate.errors ?? [], validationContext: 'body' }) };
  try {
    return { input: createInputOf(body as unknown as CreateBody, groupIds) };
  } catch (error) {
    if (error instanceof DomainError) return { error: errorOf(error) };
    throw error;
  }
}

function errorOf(error: unknown): { code: string; message: string } {
  const failure = failureOf(error);
  return { code: String(failure.code), message: failure.message };
}

