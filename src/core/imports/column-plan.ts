import { FieldErrors } from '../errors.ts';
import type { CustomField } from '../types.ts';
import type { ColumnPlan } from './import.types.ts';
import { matchHeader, normalizeHeader } from './known-headers.ts';
import { parseTarget } from './mapping-targets.ts';

/** A custom field key the job may define (the rule of `POST /v1/custom-fields`). */
const NEW_FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Where each column goes: the caller's mapping first, then the header of a known export, then a
 * native field name; else nowhere. A mapping naming a target that does not exist, or a column
 * the file does not have, refuses the whole request (400, `mapping.<column>`): a typo must not
 * silently drop a column of a million rows.
 */
export function planColumns(headers: string[], mapping: Record<string, string | null> | undefined, fields: CustomField[]): ColumnPlan[] {
  const errors = new FieldErrors();
  const known = new Set(fields.map((f) => f.key));
  const entries = Object.entries(mapping ?? {});
  for (const [column, target] of entries) {
    if (!headers.some((h) => sameColumn(h, column))) errors.add(`mapping.${column}`, `is not a column of the file (its columns: ${headers.slice(0, 30).join(', ')})`);
    if (target === null) continue;
    if (typeof target !== 'string') {
      errors.add(`mapping.${column}`, 'must be a target (a string) or null');
      continue;
    }
    const problem = targetProblem(target, known);
    if (problem) errors.add(`mapping.${column}`, problem);
  }
  errors.throwIfAny();
  return headers.map((column) => {
    // The exact header first; a hand-written mapping may differ in case or spacing.
    const mapped = entries.find(([key]) => key === column) ?? entries.find(([key]) => sameColumn(column, key));
    if (mapped) return { column, target: mapped[1], source: 'mapping', samples: [] };
    const match = matchHeader(column);
    if (!match || (match.target !== null && targetProblem(match.target, known))) return { column, target: null, source: 'none', samples: [] };
    return { column, target: match.target, source: match.source, samples: [] };
  });
}

function sameColumn(header: string, key: string): boolean {
  return header === key || normalizeHeader(header) === normalizeHeader(key);
}

/** Why a target cannot be used, or null when it can. */
export function targetProblem(target: string, knownKeys: Set<string>): string | null {
  const parsed = parseTarget(target);
  if ('problem' in parsed) return parsed.problem;
  if (parsed.kind === 'custom' && !knownKeys.has(parsed.key) && !NEW_FIELD_KEY.test(parsed.key)) {
    return `custom_fields.${parsed.key}: a new custom field's key is lower_snake_case (a-z, 0-9, _), starting with a letter`;
  }
  return null;
}

/** The keys of custom fields the columns feed that the account does not define. */
export function undefinedCustomKeys(columns: ColumnPlan[], fields: CustomField[]): Map<string, number[]> {
  const known = new Set(fields.map((f) => f.key));
  const keys = new Map<string, number[]>();
  columns.forEach((c, index) => {
    const parsed = c.target === null ? null : parseTarget(c.target);
    if (parsed && !('problem' in parsed) && parsed.kind === 'custom' && !known.has(parsed.key)) keys.set(parsed.key, [...(keys.get(parsed.key) ?? []), index]);
  });
  return keys;
}
