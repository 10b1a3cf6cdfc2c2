import type { CustomFieldType } from '../types.ts';
import { dateTimeOfText, isIsoDate, numberOfText } from './cell-values.ts';

/** Values looked at per column: enough to be sure, few enough that the plan reads little of a big file. */
export const INFERENCE_SAMPLE = 1000;

type Candidate = 'number' | 'boolean' | 'date' | 'datetime';
const ORDER: Candidate[] = ['number', 'boolean', 'date', 'datetime'];

/**
 * The data type of a custom field the file brings, from its first non-empty values: the narrowest
 * type every value fits, else string. A number written with a leading zero (`00123`) or more
 * digits than a double holds is an identifier, not a number: reading it as one would lose digits.
 */
export class TypeInference {
  private candidates = new Set<Candidate>(ORDER);
  private seen = 0;

  get satisfied(): boolean {
    return this.seen >= INFERENCE_SAMPLE || this.candidates.size === 0;
  }

  add(value: unknown): void {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || this.seen >= INFERENCE_SAMPLE) return;
    this.seen++;
    for (const candidate of [...this.candidates]) if (!fits(candidate, value)) this.candidates.delete(candidate);
  }

  get dataType(): CustomFieldType {
    if (this.seen === 0) return 'string';
    return ORDER.find((c) => this.candidates.has(c)) ?? 'string';
  }
}

function fits(candidate: Candidate, value: unknown): boolean {
  if (typeof value === 'number') return candidate === 'number';
  if (typeof value === 'boolean') return candidate === 'boolean';
  if (typeof value !== 'string') return false;
  const text = value.trim();
  switch (candidate) {
    case 'number':
      return numberOfText(text) !== null && !/^[+-]?0\d/.test(text) && text.replace(/\D/g, '').length <= 15;
    case 'boolean':
      return /^(true|false)$/i.test(text);
    case 'date':
      return isIsoDate(text);
    case 'datetime':
      return dateTimeOfText(text) !== null;
  }
}
