import { useEffect, useState } from 'preact/hooks';
import { all, del, post } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, Notice, Select } from '../components/field.tsx';
import type { CustomField } from '../types.ts';

const TYPES = ['string', 'number', 'boolean', 'date', 'datetime', 'email', 'phone', 'url', 'currency', 'percent', 'pick_list'];

/** Custom fields: list, define, delete (the API has no edit of a definition: delete and define again). */
export function CustomFieldsPage({ me }: PageProps) {
  const [fields, setFields] = useState<CustomField[]>([]);
  const [creating, setCreating] = useState(false);
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
  return (
    <div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {writer && <button type="button" class="primary" onClick={() => setCreating(true)}>New custom field</button>}
      <table class="list">
        <thead><tr><th scope="col">Key</th><th scope="col">Label</th><th scope="col">Type</th><th scope="col">Options</th>{writer && <th scope="col">Actions</th>}</tr></thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.id}>
              <td><code>{f.key}</code></td>
              <td>{f.label ?? ''}</td>
              <td>{f.data_type}</td>
              <td>{(f.options ?? []).join(', ')}</td>
              {writer && <td class="row-actions"><button type="button" class="danger" onClick={() => remove(f)}>Delete {f.key}</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
      {creating && <FieldDialog onClose={() => setCreating(false)} onSaved={() => { setCreating(false); void load(); }} />}
    </div>
  );
}

function FieldDialog({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState('string');
  const [options, setOptions] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await post('/v1/custom-fields', { key, label: label || null, data_type: type, ...(type === 'pick_list' ? { options: options.split(',').map((o) => o.trim()).filter(Boolean) } : {}) });
      onSaved();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog title="New custom field" onClose={onClose}>
      <form onSubmit={save}>
        <Field label="Key" value={key} onInput={setKey} required autoFocus placeholder="loyalty_tier" />
        <Field label="Label" value={label} onInput={setLabel} />
        <Select label="Data type" value={type} onChange={setType} options={TYPES.map((t) => ({ value: t, label: t }))} />
        {type === 'pick_list' && <Field label="Options (comma-separated)" value={options} onInput={setOptions} />}
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" class="primary">Save</button>
      </form>
    </Dialog>
  );
}
