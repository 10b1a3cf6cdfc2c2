import { useEffect, useState } from 'preact/hooks';
import { all, del, patch, post } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { FormDialog } from '../components/dialog.tsx';
import { Field, Notice, Select } from '../components/field.tsx';
import type { AddressBook } from '../types.ts';

const POLICIES = [
  { value: 'allow', label: 'Allow duplicates' },
  { value: 'reject', label: 'Reject duplicates' },
  { value: 'merge', label: 'Merge duplicates' },
];

/** Address books: list, create, edit, delete. */
export function AddressBooksPage({ me }: PageProps) {
  const [books, setBooks] = useState<AddressBook[]>([]);
  const [editing, setEditing] = useState<AddressBook | 'new' | null>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const load = () => all<AddressBook>('/v1/address-books').then(setBooks);
  useEffect(() => void load(), []);
  const writer = can(me, 'contacts:write');
  const remove = async (book: AddressBook) => {
    try {
      await del(`/v1/address-books/${book.id}`);
      setNotice({ kind: 'success', text: `Deleted ${book.name}.` });
      await load();
    } catch (e) {
      setNotice({ kind: 'error', text: (e as Error).message });
    }
  };
  return (
    <div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {writer && <button type="button" class="primary" onClick={() => setEditing('new')}>New address book</button>}
      <table class="list">
        <thead><tr><th scope="col">Name</th><th scope="col">Duplicates</th><th scope="col">Description</th>{writer && <th scope="col">Actions</th>}</tr></thead>
        <tbody>
          {books.map((b) => (
            <tr key={b.id}>
              <td>{b.name}{b.is_default ? ' (default)' : ''}</td>
              <td>{b.duplicate_policy}</td>
              <td>{b.description ?? ''}</td>
              {writer && (
                <td class="row-actions">
                  <button type="button" onClick={() => setEditing(b)}>Edit {b.name}</button>
                  {!b.is_default && <button type="button" class="danger" onClick={() => remove(b)}>Delete {b.name}</button>}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <BookDialog book={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void load(); }} />}
    </div>
  );
}

function BookDialog({ book, onClose, onSaved }: { book: AddressBook | null; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(book?.name ?? '');
  const [description, setDescription] = useState(book?.description ?? '');
  const [policy, setPolicy] = useState<string>(book?.duplicate_policy ?? 'allow');
  const save = async () => {
    const body = { name, description: description || null, duplicate_policy: policy };
    if (book) await patch(`/v1/address-books/${book.id}`, body);
    else await post('/v1/address-books', body);
    onSaved();
  };
  return (
    <FormDialog title={book ? `Edit ${book.name}` : 'New address book'} onClose={onClose} save={save}>
      <Field label="Name" value={name} onInput={setName} required autoFocus />
      <Field label="Description" value={description} onInput={setDescription} />
      <Select label="Duplicate policy" value={policy} onChange={setPolicy} options={POLICIES} />
    </FormDialog>
  );
}
