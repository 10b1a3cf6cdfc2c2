import { useEffect, useState } from 'preact/hooks';
import { all, del, get, patch, post } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { Dialog, FormDialog } from '../components/dialog.tsx';
import { Checkbox, Field, Notice } from '../components/field.tsx';
import { SecretDialog } from '../components/secret-dialog.tsx';
import { localInputOf } from '../types.ts';

interface Webhook {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
}

interface Delivery {
  event_id: string;
  type: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  at: string;
}

/** Webhooks (admin): endpoints and their event types, the delivery log, replay, and a new signing secret. */
export function WebhooksPage(_props: PageProps) {
  const [hooks, setHooks] = useState<Webhook[]>([]);
  const [creating, setCreating] = useState(false);
  const [log, setLog] = useState<Webhook | null>(null);
  const [secret, setSecret] = useState<{ secret: string; rotated: boolean } | null>(null);
  const [rotating, setRotating] = useState<Webhook | null>(null);
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const load = () => all<Webhook>('/v1/webhooks').then(setHooks);
  useEffect(() => void load(), []);
  const toggle = async (hook: Webhook) => {
    await patch(`/v1/webhooks/${hook.id}`, { enabled: !hook.enabled }).catch((e) => setNotice({ kind: 'error', text: (e as Error).message }));
    await load();
  };
  return (
    <div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <button type="button" class="primary" onClick={() => setCreating(true)}>New webhook</button>
      <table class="list">
        <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {hooks.map((h) => (
            <tr key={h.id}>
              <td>{h.url}</td>
              <td>{h.event_types.join(', ')}</td>
              <td>{h.enabled ? 'Enabled' : `Disabled${h.disabled_reason ? `: ${h.disabled_reason}` : ''}`}</td>
              <td class="row-actions">
                <button type="button" onClick={() => toggle(h)}>{h.enabled ? 'Disable' : 'Enable'} {h.url}</button>
                <button type="button" onClick={() => setLog(h)}>Deliveries of {h.url}</button>
                <button type="button" onClick={() => setRotating(h)}>Rotate secret of {h.url}</button>
                <button type="button" onClick={() => setEditing(h)}>Edit {h.url}</button>
                <button type="button" class="danger" onClick={() => setDeleting(h)}>Delete {h.url}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {creating && <NewWebhook onClose={() => setCreating(false)} onCreated={(s) => { setCreating(false); setSecret({ secret: s, rotated: false }); void load(); }} />}
      {editing && <EditWebhook hook={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); setNotice({ kind: 'success', text: 'Saved.' }); void load(); }} />}
      {deleting && <DeleteWebhook hook={deleting} onClose={() => setDeleting(null)} onDeleted={() => { setDeleting(null); setNotice({ kind: 'success', text: `Deleted ${deleting.url}.` }); void load(); }} />}
      {rotating && <RotateSecret hook={rotating} onClose={() => setRotating(null)} onRotated={(s) => { setRotating(null); setSecret({ secret: s, rotated: true }); }} />}
      {secret && (
        <SecretDialog
          title={secret.rotated ? 'New signing secret' : 'Signing secret'}
          intro={secret.rotated
            ? 'Copy the new secret now: it is shown this once. For 24 hours deliveries carry two signatures, by this secret and by the previous one, so the receiver can switch over.'
            : 'Keep this secret to verify signatures; it is shown this once.'}
          secret={secret.secret}
          valueLabel="Signing secret value"
          onClose={() => setSecret(null)}
        />
      )}
      {log && <Deliveries hook={log} onClose={() => setLog(null)} />}
    </div>
  );
}

/** Asks first: the receiver must learn the new secret within the 24 hours both are signed with. */
function RotateSecret({ hook, onClose, onRotated }: { hook: Webhook; onClose: () => void; onRotated: (secret: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const rotate = async () => {
    try {
      onRotated((await post<{ secret: string }>(`/v1/webhooks/${hook.id}/rotate-secret`)).secret);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog title="Rotate the signing secret?" onClose={onClose}>
      <p>{hook.url} gets a new signing secret. For 24 hours its deliveries are signed with both the new and the current secret; after that, only with the new one.</p>
      {error && <Notice kind="error">{error}</Notice>}
      <button type="button" class="primary" onClick={rotate}>Rotate secret</button>
    </Dialog>
  );
}

/** URL, event types and description; the secret is changed by Rotate secret, never here. */
function EditWebhook({ hook, onClose, onSaved }: { hook: Webhook; onClose: () => void; onSaved: () => void }) {
  const [url, setUrl] = useState(hook.url);
  const [types, setTypes] = useState(hook.event_types.join(', '));
  const [description, setDescription] = useState(hook.description ?? '');
  const save = async () => {
    await patch(`/v1/webhooks/${hook.id}`, { url, description: description.trim() === '' ? null : description, event_types: types.split(',').map((t) => t.trim()).filter(Boolean) });
    onSaved();
  };
  return (
    <FormDialog title={`Edit ${hook.url}`} onClose={onClose} save={save}>
      <Field label="URL" type="url" value={url} onInput={setUrl} required autoFocus />
      <Field label="Event types (comma-separated)" value={types} onInput={setTypes} />
      <Field label="Description" value={description} onInput={setDescription} />
    </FormDialog>
  );
}

/** Asks first: deliveries stop, and the endpoint's log goes with it. */
function DeleteWebhook({ hook, onClose, onDeleted }: { hook: Webhook; onClose: () => void; onDeleted: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    try {
      await del(`/v1/webhooks/${hook.id}`);
      onDeleted();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog title="Delete this webhook?" onClose={onClose}>
      <p>{hook.url} gets no more deliveries, and its delivery log is deleted with it. To pause deliveries instead, disable it.</p>
      {error && <Notice kind="error">{error}</Notice>}
      <button type="button" class="danger" onClick={remove}>Delete webhook</button>
    </Dialog>
  );
}

function NewWebhook({ onClose, onCreated }: { onClose: () => void; onCreated: (secret: string) => void }) {
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('contact.*');
  const [enabled, setEnabled] = useState(true);
  const save = async () => {
    const made = await post<{ secret: string }>('/v1/webhooks', { url, enabled, event_types: types.split(',').map((t) => t.trim()).filter(Boolean) });
    onCreated(made.secret);
  };
  return (
    <FormDialog title="New webhook" onClose={onClose} save={save}>
      <Field label="URL" type="url" value={url} onInput={setUrl} required autoFocus />
      <Field label="Event types (comma-separated)" value={types} onInput={setTypes} />
      <Checkbox label="Enabled" checked={enabled} onChange={setEnabled} />
    </FormDialog>
  );
}

function Deliveries({ hook, onClose }: { hook: Webhook; onClose: () => void }) {
  const [items, setItems] = useState<Delivery[]>([]);
  const [since, setSince] = useState(localInputOf(Date.now() - 86_400_000));
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => void get<{ data: Delivery[] }>(`/v1/webhooks/${hook.id}/deliveries?limit=100`).then((p) => setItems(p.data)), [hook.id]);
  const replay = async (e: Event) => {
    e.preventDefault();
    try {
      const answer = await post<{ from_position: number }>(`/v1/webhooks/${hook.id}/replay`, { since: new Date(since).toISOString() });
      setMessage(`Replay queued from position ${answer.from_position}.`);
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  return (
    <Dialog title={`Deliveries to ${hook.url}`} onClose={onClose}>
      <table class="list">
        <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Attempt</th><th scope="col">Result</th></tr></thead>
        <tbody>
          {items.map((d, i) => (
            <tr key={i}>
              <td>{new Date(d.at).toLocaleString()}</td>
              <td>{d.type}</td>
              <td>{d.attempt}</td>
              <td>{d.status_code ?? d.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && <p>No delivery yet.</p>}
      <form onSubmit={replay} class="inline-form">
        <Field label="Replay changes since" type="datetime-local" value={since} onInput={setSince} />
        <button type="submit">Replay</button>
      </form>
      {message && <p role="status">{message}</p>}
    </Dialog>
  );
}
