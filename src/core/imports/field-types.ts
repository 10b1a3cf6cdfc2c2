import type { CustomField } from '../types.ts';
import type { ImportPlan, ImportReadContext } from './import.types.ts';

/** What reading a value needs of its custom field. */
export type FieldType = Pick<CustomField, 'data_type' | 'options'>;

/** The account's fields, plus those the plan defines before the first row is written. */
export function fieldTypesOf(ctx: ImportReadContext, plan: ImportPlan): Map<string, FieldType> {
  const types = new Map<string, FieldType>(ctx.customFields.map((f) => [f.key, f]));
  for (const f of plan.fieldsToDefine) if (!types.has(f.key)) types.set(f.key, { data_type: f.data_type, options: null });
  return types;
}
