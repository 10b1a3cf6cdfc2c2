import { newId, nowIso } from '../clock.ts';
import { normalizeCustomFieldValue } from '../contacts/custom-field-values.ts';
import { DomainError, FieldErrors, invalidField } from '../errors.ts';
import { recordChange } from '../journal/journal.ts';
import type { Store } from '../ports.ts';
import type { CustomField, CustomFieldType, Principal } from '../types.ts';

export interface CustomFieldInput {
  key: string;
  label?: string | null;
  data_type: CustomFieldType;
  group?: string | null;
  options?: string[] | null;
  description?: string | null;
  /** Must fit the data type (a pick_list default must be one of its options). */
  default_value?: string | number | boolean | null;
  /** Books the field is shown in; each must be one of the account's. */
  address_book_ids?: string[];
  flags?: Record<string, boolean>;
}

/**
 * What the native API may change in a definition. `key` and `data_type` may only repeat the
 * current value: values already stored on contacts are keyed and typed by them.
 */
export type CustomFieldPatch = Partial<Pick<CustomFieldInput, 'key' | 'data_type' | 'label' | 'group' | 'options'>>;

/** A field defined by its name (Zoom): the key is derived from the name. */
export type NamedFieldInput = Omit<CustomFieldInput, 'key' | 'label'> & { name: string };

/** The most custom fields an account may define (Zoom's limit, code 2110). */
export const MAX_CUSTOM_FIELDS = 4096;

/**
 * The account's typed custom fields, against which contact values are checked. A field's `name`
 * is its label, else its key; fields defined by name keep names unique in the account.
 */
export class CustomFieldService {
  constructor(
    private readonly store: Store,
    /** Where national phone numbers in values are read (DEFAULT_REGION). */
    readonly region = 'US',
  ) {}

  async create(actor: Principal, input: CustomFieldInput): Promise<CustomField> {
    checkOptions(input.data_type, input.options ?? null);
    return this.store.transaction(async (tx) => {
      if (await tx.customFields.findByKey(actor.accountId, input.key)) {
        throw new DomainError('duplicate_custom_field', `a custom field with key "${input.key}" already exists`);
      }
      return this.insert(tx, actor, input);
    });
  }

  /**
   * Defines a field by name: refused (`duplicate_custom_field`) when another field already has
   * that name, however many callers race (they queue on one lock per account, and the key derived
   * from the name is unique in the database too).
   */
  async createNamed(actor: Principal, input: NamedFieldInput): Promise<CustomField> {
    checkOptions(input.data_type, input.options ?? null);
    return this.store.transaction(async (tx) => {
      await tx.lock(`custom-field-names:${actor.accountId}`);
      const all = await tx.customFields.listAll(actor.accountId);
      assertNameFree(all, input.name);
      if (all.length >= MAX_CUSTOM_FIELDS) throw new DomainError('custom_field_limit', `an account may define at most ${MAX_CUSTOM_FIELDS} custom fields`);
      const { name, ...rest } = input;
      return this.insert(tx, actor, { ...rest, key: keyOfName(name, new Set(all.map((f) => f.key))), label: name });
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

  /** By the field's id (Zoom names fields by id). */
  async getById(actor: Principal, id: string): Promise<CustomField> {
    const field = (await this.store.customFields.listAll(actor.accountId)).find((f) => f.id === id);
    if (!field) throw new DomainError('custom_field_not_found', `no custom field with id ${id}`);
    return field;
  }

  /**
   * Changes a field's definition; its id and key stay, so values on contacts stay attached. A new
   * name must be free. Values stored before a change of type stay in the records as they were.
   */
  async update(actor: Principal, id: string, patch: Partial<NamedFieldInput>): Promise<CustomField> {
    return this.store.transaction(async (tx) => {
      await tx.lock(`custom-field-names:${actor.accountId}`);
      const all = await tx.customFields.listAll(actor.accountId);
      const field = all.find((f) => f.id === id);
      if (!field) throw new DomainError('custom_field_not_found', `no custom field with id ${id}`);
      if (patch.name !== undefined && patch.name !== field.name) assertNameFree(all, patch.name);
      const dataType = patch.data_type ?? field.data_type;
      const options = patch.options !== undefined ? patch.options : dataType === field.data_type ? field.options : null;
      checkOptions(dataType, options ?? null);
      const next: CustomField = {
        ...field,
        label: patch.name ?? field.label,
        name: patch.name ?? field.name,
        data_type: dataType,
        options: dataType === 'pick_list' ? [...new Set(options ?? [])] : null,
        description: patch.description === undefined ? field.description : patch.description,
        default_value: patch.default_value === undefined ? keptDefault(field, dataType, options ?? null) : patch.default_value,
        address_book_ids: patch.address_book_ids === undefined ? field.address_book_ids : await booksOrThrow(tx, actor.accountId, patch.address_book_ids),
        flags: patch.flags === undefined ? field.flags : { ...field.flags, ...patch.flags },
        updated_at: nowIso(),
      };
      next.default_value = this.checkedDefault(next, next.default_value);
      const updated = await tx.customFields.update(next);
      recordChange(tx, actor, 'custom_field', 'updated', field, updated);
      return updated;
    });
  }

  /**
   * Changes a definition named by its key (the native API): its label, group and, for a pick
   * list, its options. Values stored before an option was removed stay in the records; they are
   * checked again only when a contact's custom values are next written.
   */
  async updateByKey(actor: Principal, key: string, patch: CustomFieldPatch): Promise<CustomField> {
    return this.store.transaction(async (tx) => {
      const field = await tx.customFields.findByKey(actor.accountId, key);
      if (!field) throw new DomainError('custom_field_not_found', `no custom field with key ${key}`);
      const errors = new FieldErrors();
      if (patch.key !== undefined && patch.key !== field.key) errors.add('key', 'a custom field\'s key cannot change (delete the field and define a new one)');
      if (patch.data_type !== undefined && patch.data_type !== field.data_type) errors.add('data_type', 'a custom field\'s data type cannot change (delete the field and define a new one)');
      errors.throwIfAny();
      const options = patch.options === undefined ? field.options : patch.options;
      checkOptions(field.data_type, options);
      const label = patch.label === undefined ? field.label : patch.label;
      const next: CustomField = {
        ...field,
        label,
        name: label ?? field.key,
        group: patch.group === undefined ? field.group : patch.group,
        options: field.data_type === 'pick_list' ? [...new Set(options ?? [])] : null,
        default_value: keptDefault(field, field.data_type, options),
        updated_at: nowIso(),
      };
      const updated = await tx.customFields.update(next);
      recordChange(tx, actor, 'custom_field', 'updated', field, updated);
      return updated;
    });
  }

  /**
   * Removes the definition. Values already stored on contacts stay in their records (nothing
   * written is lost) but can no longer be set until a field of that key is defined again.
   */
  async delete(actor: Principal, key: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const field = await tx.customFields.findByKey(actor.accountId, key);
      if (!field) throw new DomainError('custom_field_not_found', `no custom field with key ${key}`);
      await tx.customFields.delete(actor.accountId, key);
      recordChange(tx, actor, 'custom_field', 'deleted', field, null);
    });
  }

  private async insert(tx: Store, actor: Principal, input: CustomFieldInput): Promise<CustomField> {
    const now = nowIso();
    const field: Omit<CustomField, 'seq'> = {
      id: newId(),
      account_id: actor.accountId,
      key: input.key,
      label: input.label ?? null,
      name: input.label ?? input.key,
      data_type: input.data_type,
      group: input.group ?? null,
      options: input.data_type === 'pick_list' ? [...new Set(input.options ?? [])] : null,
      description: input.description ?? null,
      default_value: null,
      address_book_ids: await booksOrThrow(tx, actor.accountId, input.address_book_ids ?? []),
      flags: input.flags ?? {},
      created_at: now,
      updated_at: now,
    };
    field.default_value = this.checkedDefault(field, input.default_value ?? null);
    const saved = await tx.customFields.insert(field);
    recordChange(tx, actor, 'custom_field', 'created', null, saved);
    return saved;
  }

  private checkedDefault(field: Omit<CustomField, 'seq'>, value: string | number | boolean | null): string | number | boolean | null {
    if (value === null) return null;
    const stored = normalizeCustomFieldValue(field, value, this.region);
    if (typeof stored === 'object') throw invalidField('default_value', stored.problem);
    return stored;
  }
}

function assertNameFree(fields: CustomField[], name: string): void {
  if (fields.some((f) => f.name === name)) throw new DomainError('duplicate_custom_field', `a custom field with this name already exists: ${name}`);
}

/** A lower_snake_case key for a name, unique among `taken` (a numeric suffix when needed). */
export function keyOfName(name: string, taken: Set<string>): string {
  let base = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 56);
  if (!/^[a-z]/.test(base)) base = `f_${base}`.replace(/_+$/, '');
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  return key;
}

async function booksOrThrow(tx: Store, accountId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const missing: string[] = [];
  for (const id of unique) if (!(await tx.addressBooks.find(accountId, id))) missing.push(id);
  if (missing.length > 0) throw new DomainError('address_book_not_found', `no address book with id ${missing.join(', ')}`, [], { address_book_ids: missing });
  return unique;
}

function checkOptions(type: CustomFieldType, options: string[] | null): void {
  const errors = new FieldErrors();
  if (type === 'pick_list' && (options === null || options.length === 0)) errors.add('options', 'a pick_list needs at least one option');
  if (type !== 'pick_list' && options !== null && options.length > 0) errors.add('options', 'only a pick_list takes options');
  errors.throwIfAny();
}

/**
 * Inside a write's transaction: defines each key the account has not defined as a `string`
 * field, for platforms whose contacts carry free-form attributes (8x8 `customAttributes`). Racing
 * writers define each key once; a write that fails undoes the fields it defined.
 */
export async function defineStringFieldsIn(tx: Store, actor: Principal, keys: string[]): Promise<CustomField[]> {
  const accountId = actor.accountId;
  const defined: CustomField[] = [];
  for (const key of [...new Set(keys)].sort()) {
    await tx.lock(`custom-field:${accountId}:${key}`);
    const found = await tx.customFields.findByKey(accountId, key);
    if (found) {
      defined.push(found);
      continue;
    }
    const now = nowIso();
    const field = await tx.customFields.insert({
      id: newId(), account_id: accountId, key, label: null, name: key, data_type: 'string', group: null, options: null,
      description: null, default_value: null, address_book_ids: [], flags: {}, created_at: now, updated_at: now,
    });
    recordChange(tx, actor, 'custom_field', 'created', null, field);
    defined.push(field);
  }
  return defined;
}

/** A stored default that a change of type or pick list leaves meaningless is dropped, not refused. */
function keptDefault(field: CustomField, dataType: CustomFieldType, options: string[] | null): CustomField['default_value'] {
  if (dataType !== field.data_type) return null;
  if (dataType === 'pick_list' && field.default_value !== null && !(options ?? []).includes(String(field.default_value))) return null;
  return field.default_value;
}
