import { useEffect, useState } from 'preact/hooks';
import { all, del, patch, post } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { FormDialog } from '../components/dialog.tsx';
import { Checkbox, Field, Notice } from '../components/field.tsx';
import { Link } from '../router.tsx';
import type { Group } from '../types.ts';

/** Groups and block lists: list, create, edit, delete; a group's members are its filtered contact list. */
export function GroupsPage({ me }: PageProps) {
  const [groups, setGroups] = useState<Group[]>([]);
  const [editing, setEditing] = useState<Group | 'new' | null>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const load = () => all<Group>('/v1/groups').then(setGroups);
  useEffect(() => void load(), []);
  const writer = can(me, 'contacts:write');
  const remove = async (group: Group) => {
    try {
      await del(`/v1/groups/${group.id}`);
      setNotice({ kind: 'success', text: `Deleted ${group.name}.` });
      await load();
    } catch (e) {
      setNotice({ kind: 'error', text: (e as Error).message });
    }
  };
  return (
    <div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {writer && <button type="button" class="primary" onClick={() => setEditing('new')}>New group</button>}
      <table class="list">
        <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Description</th>{writer && <th scope="col">Actions</th>}</tr></thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.id}>
              <td>{g.name}</td>
              <td>{g.is_blocklist ? <span class="badge badge-danger">Block list</span> : 'Group'}</td>
              <td>{g.description ?? ''}</td>
              {writer && (
                <td class="row-actions">
                  <button type="button" onClick={() => setEditing(g)}>Edit {g.name}</button>
                  <button type="button" class="danger" onClick={() => remove(g)}>Delete {g.name}</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">A group's members: filter the <Link href="/ui/contacts">contacts</Link> by group.</p>
      {editing && <GroupDialog group={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void load(); }} />}
    </div>
  );
}

function GroupDialog({ group, onClose, onSaved }: { group: Group | null; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  const [blocklist, setBlocklist] = useState(group?.is_blocklist ?? false);
  const save = async () => {
    const body = { name, description: description || null, is_blocklist: blocklist };
    if (group) await patch(`/v1/groups/${group.id}`, body);
    else await post('/v1/groups', body);
    onSaved();
  };
  return (
    <FormDialog title={group ? `Edit ${group.name}` : 'New group'} onClose={onClose} save={save}>
      <Field label="Name" value={name} onInput={setName} required autoFocus />
      <Field label="Description" value={description} onInput={setDescription} />
      <Checkbox label="Block list (members are blocked callers)" checked={blocklist} onChange={setBlocklist} />
    </FormDialog>
  );
}
