import { useEffect, useState } from 'preact/hooks';
import { all, del, patch, post } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { FormDialog } from '../components/dialog.tsx';
import { Field, Notice, Select } from '../components/field.tsx';
import type { CustomField } from '../types.ts';

const TYPES = ['string', 'number', 'boolean', 'date', 'datetime', 'email', 'phone', 'url', 'currency', 'percent', 'pick_list'];

/** Custom fields: list, define, edit (label, group, a pick list's options; the key and type stay), delete. */
export function CustomFieldsPage({ me }: PageProps) {
  const [fields, setFields] = useState<CustomField[]>([]);
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const load = () => all<CustomField>('/v1/custom-fields').then(setFields);
  useEffect(() => void load(), []);
  const writer = can(me, 'contacts:write');
  const remove = async (field: CustomField) => {
    try {
      await del(`/v1/custom-fields/${field.key}`);
      setNotice({ kind: 'success', text: `Deleted ${field.key}.` });
      await load();
    } catch (e) {
      setNotice({ kind: 'error', text: (e as Error).message });
    }
  };
  const saved = (text: string) => {
    setEditing(null);
    setNotice({ kind: 'success', text });
    void load();
  };
  return (
    <div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {writer && <button type="button" class="primary" onClick={() => setEditing('new')}>New custom field</button>}
      <table class="list">
        <thead><tr><th scope="col">Key</th><th scope="col">Label</th><th scope="col">Type</th><th scope="col">Group</th><th scope="col">Options</th>{writer && <th scope="col">Actions</th>}</tr></thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.id}>
              <td><code>{f.key}</code></td>
              <td>{f.label ?? ''}</td>
              <td>{f.data_type}</td>
              <td>{f.group ?? ''}</td>
              <td>{(f.options ?? []).join(', ')}</td>
              {writer && (
                <td class="row-actions">
                  <button type="button" onClick={() => setEditing(f)}>Edit {f.key}</button>
                  <button type="button" class="danger" onClick={() => remove(f)}>Delete {f.key}</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <FieldDialog field={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={saved} />}
    </div>
  );
}

const optionsOf = (text: string) => text.split(',').map((o) => o.trim()).filter(Boolean);

/** Defines a field, or edits one: then the key and the type are shown but cannot change (the API refuses it). */
function FieldDialog({ field, onClose, onSaved }: { field: CustomField | null; onClose: () => void; onSaved: (text: string) => void }) {
  const [key, setKey] = useState(field?.key ?? '');
  const [label, setLabel] = useState(field?.label ?? '');
  const [group, setGroup] = useState(field?.group ?? '');
  const [type, setType] = useState(field?.data_type ?? 'string');
  const [options, setOptions] = useState((field?.options ?? []).join(', '));
  const save = async () => {
    const body = { label: label || null, group: group || null, ...(type === 'pick_list' ? { options: optionsOf(options) } : {}) };
    if (field) await patch(`/v1/custom-fields/${field.key}`, body);
    else await post('/v1/custom-fields', { key, data_type: type, ...body });
    onSaved(field ? `Saved ${field.key}.` : `Defined ${key}.`);
  };
  return (
    <FormDialog title={field ? `Edit ${field.key}` : 'New custom field'} onClose={onClose} save={save}>
      <Field label="Key" value={key} onInput={setKey} required readOnly={field !== null} autoFocus={field === null} placeholder="loyalty_tier" />
      <Field label="Label" value={label} onInput={setLabel} autoFocus={field !== null} />
      <Field label="Group" value={group} onInput={setGroup} />
      <Select label="Data type" value={type} onChange={setType} disabled={field !== null} options={TYPES.map((t) => ({ value: t, label: t }))} />
      {type === 'pick_list' && <Field label="Options (comma-separated)" value={options} onInput={setOptions} />}
      {field && <p class="hint">The key and the data type cannot change: values on contacts are stored under them.</p>}
    </FormDialog>
  );
}
