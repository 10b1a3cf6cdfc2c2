import { splitLine, toReadableLine, unescapeText, unfoldLines } from '../../formats/vcard/content-line.ts';
import { FieldErrors } from '../errors.ts';
import type { ContactTextField } from '../types.ts';
import { customValueOfCell } from './cell-values.ts';
import { targetProblem } from './column-plan.ts';
import type { FieldType } from './field-types.ts';
import type { ImportContactInput, ImportOptions, ImportReadContext, RowError } from './import.types.ts';
import { parseTarget } from './mapping-targets.ts';

type ScalarTarget = { kind: 'text'; field: ContactTextField } | { kind: 'custom'; key: string };

/**
 * The caller's mapping for cards: a property mapped to null is not read; a property mapped to a
 * text field or a custom field (`NOTE` -> `custom_fields.notes`) is taken from the card and its
 * text written there. Lists (phones, emails) are read by the card's own properties only.
 */
export class VcardMapping {
  readonly ignored = new Set<string>();
  readonly mapped = new Map<string, { target: string; parsed: ScalarTarget }>();

  constructor(options: ImportOptions, ctx: ImportReadContext) {
    const errors = new FieldErrors();
    const known = new Set(ctx.customFields.map((f) => f.key));
    for (const [property, target] of Object.entries(options.mapping ?? {})) {
      const name = property.trim().toUpperCase();
      if (target === null) {
        this.ignored.add(name);
        continue;
      }
      const parsed = typeof target === 'string' ? parseTarget(target) : { problem: 'must be a target (a string) or null' };
      const problem = 'problem' in parsed ? parsed.problem : targetProblem(target, known);
      if (problem) errors.add(`mapping.${property}`, problem);
      else if (!('problem' in parsed) && (parsed.kind === 'text' || parsed.kind === 'custom')) this.mapped.set(name, { target, parsed });
      else errors.add(`mapping.${property}`, 'a vCard property can go to a text field or a custom field (phones, emails and groups are read from their own properties), or be ignored (null)');
    }
    errors.throwIfAny();
  }

  /** The card without the properties the mapping takes away from the codec. */
  strip(text: string): string {
    if (this.ignored.size === 0 && this.mapped.size === 0) return text;
    return unfoldLines(text)
      .filter((line) => {
        const name = splitLine(line)?.name ?? '';
        return !this.ignored.has(name) && !this.mapped.has(name);
      })
      .join('\r\n');
  }

  /** The text values of the mapped properties in a card, by property. */
  valuesOf(text: string): Map<string, string[]> {
    const values = new Map<string, string[]>();
    if (this.mapped.size === 0) return values;
    for (const line of unfoldLines(text)) {
      const content = splitLine(line);
      if (content === null || !this.mapped.has(content.name)) continue;
      const value = unescapeText(splitLine(toReadableLine(content))?.value ?? content.value).trim();
      if (value !== '') values.set(content.name, [...(values.get(content.name) ?? []), value]);
    }
    return values;
  }

  /** Writes the mapped properties' values into the card's input; a value that does not fit its field is an error. */
  apply(row: number, text: string, input: ImportContactInput, fields: Map<string, FieldType>, region: string): RowError[] {
    const errors: RowError[] = [];
    for (const [property, values] of this.valuesOf(text)) {
      const { parsed } = this.mapped.get(property)!;
      const joined = values.join('\n');
      if (parsed.kind === 'text') {
        input[parsed.field] = joined; // the caller asked for it: it wins over what the card's own property gave
        continue;
      }
      const field = fields.get(parsed.key);
      const typed = field ? customValueOfCell(field, joined, region) : { problem: 'is not a custom field of this account' };
      if ('problem' in typed) errors.push({ row, column: property, code: field ? 'invalid_value' : 'unknown_field', message: `custom_fields.${parsed.key}: ${typed.problem}` });
      else (input.custom_fields ??= {})[parsed.key] = typed.value;
    }
    return errors;
  }

  /** The property a mapped input path came from, or null when no mapping feeds it. */
  propertyOf(path: string): string | null {
    for (const [property, { parsed }] of this.mapped) {
      if (parsed.kind === 'text' && path === parsed.field) return property;
      if (parsed.kind === 'custom' && path === `custom_fields.${parsed.key}`) return property;
    }
    return null;
  }
}
