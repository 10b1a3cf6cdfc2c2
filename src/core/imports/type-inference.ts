import type { CustomFieldType } from '../types.ts';
import { isEmail } from '../values.ts';
import { dateTimeOfText, isIsoDate, numberOfText } from './cell-values.ts';

/** Values looked at per column: enough to be sure, few enough that the plan reads little of a big file. */
export const INFERENCE_SAMPLE = 1000;

type Candidate = 'number' | 'boolean' | 'date' | 'datetime' | 'email' | 'url' | 'phone';
const ORDER: Candidate[] = ['number', 'boolean', 'date', 'datetime', 'email', 'url', 'phone'];

/**
 * The data type of a custom field the file brings, from its first non-empty values: the narrowest
 * type every value fits (number, boolean, date, datetime, email, url, phone in E.164), else string. A number written with a leading zero (`00123`) or more
 * digits than a double holds is an identifier, not a number: reading it as one would lose digits.
 */
export class TypeInference {
  private candidates = new Set<Candidate>(ORDER);
  private seen = 0;

  /** `typedValues`: the file types its values (NDJSON), so only strings' own forms (dates) are read from text. */
  constructor(private readonly typedValues = false) {}

  get satisfied(): boolean {
    return this.seen >= INFERENCE_SAMPLE || this.candidates.size === 0;
  }

  add(value: unknown): void {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || this.seen >= INFERENCE_SAMPLE) return;
    this.seen++;
    for (const candidate of [...this.candidates]) if (!fits(candidate, value, this.typedValues)) this.candidates.delete(candidate);
  }

  get dataType(): CustomFieldType {
    if (this.seen === 0) return 'string';
    return ORDER.find((c) => this.candidates.has(c)) ?? 'string';
  }
}

function fits(candidate: Candidate, value: unknown, typedValues: boolean): boolean {
  if (typeof value === 'number') return candidate === 'number';
  if (typeof value === 'boolean') return candidate === 'boolean';
  if (typeof value !== 'string') return false;
  const text = value.trim();
  switch (candidate) {
    // A JSON string is text even when it looks like a number or a boolean: the file said so.
    // A leading `+` is a phone number's, not a number's (`+442071234567`).
    case 'number':
      return !typedValues && numberOfText(text) !== null && !/^\+|^-?0\d/.test(text) && text.replace(/\D/g, '').length <= 15;
    case 'boolean':
      return !typedValues && /^(true|false)$/i.test(text);
    case 'date':
      return isIsoDate(text);
    case 'datetime':
      return dateTimeOfText(text) !== null;
    // As exports write these types' values: an address, a web address, a number in E.164.
    case 'email':
      return isEmail(text);
    case 'url':
      return /^https?:\/\/[^\s/]+\.[^\s]*$/i.test(text);
    case 'phone':
      return /^\+[1-9]\d{6,14}$/.test(text);
  }
}
