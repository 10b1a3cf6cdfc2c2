import { newId, nowIso } from './clock.ts';
import { DomainError, FieldErrors } from './errors.ts';
import type { Store } from './ports.ts';
import type { CustomField, CustomFieldType, Principal } from './types.ts';

export interface CustomFieldInput {
  key: string;
  label?: string | null;
  data_type: CustomFieldType;
  group?: string | null;
  options?: string[] | null;
}

/** The account's typed custom fields, against which contact values are checked. */
export class CustomFieldService {
  constructor(private readonly store: Store) {}

  async create(actor: Principal, input: CustomFieldInput): Promise<CustomField> {
    checkOptions(input.data_type, input.options ?? null);
    return this.store.transaction(async (tx) => {
      if (await tx.customFields.findByKey(actor.accountId, input.key)) {
        throw new DomainError('duplicate_custom_field', `a custom field with key "${input.key}" already exists`);
      }
      const now = nowIso();
      return tx.customFields.insert({
        id: newId(),
        account_id: actor.accountId,
        key: input.key,
        label: input.label ?? null,
        data_type: input.data_type,
        group: input.group ?? null,
        options: input.data_type === 'pick_list' ? [...new Set(input.options ?? [])] : null,
        created_at: now,
        updated_at: now,
      });
    });
  }

  async list(actor: Principal): Promise<CustomField[]> {
    return this.store.customFields.listAll(actor.accountId);
  }

  async get(actor: Principal, key: string): Promise<CustomField> {
    const field = await this.store.customFields.findByKey(actor.accountId, key);
    if (!field) throw new DomainError('custom_field_not_found', `no custom field with key ${key}`);
    return field;
  }

  /**
   * Removes the definition. Values already stored on contacts stay in their records (nothing
   * written is lost) but can no longer be set until a field of that key is defined again.
   */
  async delete(actor: Principal, key: string): Promise<void> {
    await this.get(actor, key);
    await this.store.customFields.delete(actor.accountId, key);
  }

  /**
   * Defines every key not yet defined as a `string` field, for platforms whose contacts carry
   * free-form attributes (8x8 `customAttributes`). Racing callers define each key once.
   */
  async ensureStringFields(actor: Principal, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const known = new Set((await this.store.customFields.listAll(actor.accountId)).map((f) => f.key));
    const missing = [...new Set(keys)].filter((k) => !known.has(k));
    if (missing.length === 0) return;
    await this.store.transaction(async (tx) => {
      for (const key of missing.sort()) {
        await tx.lock(`custom-field:${actor.accountId}:${key}`);
        if (await tx.customFields.findByKey(actor.accountId, key)) continue;
        const now = nowIso();
        await tx.customFields.insert({ id: newId(), account_id: actor.accountId, key, label: null, data_type: 'string', group: null, options: null, created_at: now, updated_at: now });
      }
    });
  }
}

function checkOptions(type: CustomFieldType, options: string[] | null): void {
  const errors = new FieldErrors();
  if (type === 'pick_list' && (options === null || options.length === 0)) errors.add('options', 'a pick_list needs at least one option');
  if (type !== 'pick_list' && options !== null && options.length > 0) errors.add('options', 'only a pick_list takes options');
  errors.throwIfAny();
}
