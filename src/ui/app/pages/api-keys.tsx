import { useEffect, useState } from 'preact/hooks';
import { del, get, post } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { SecretDialog } from '../components/secret-dialog.tsx';
import { Checkbox, Notice } from '../components/field.tsx';
import type { Scope } from '../types.ts';

interface ApiKey {
  id: string;
  scopes: Scope[];
  created_at: string;
  revoked_at: string | null;
}

const SCOPES: Scope[] = ['contacts:read', 'contacts:write', 'admin'];

/** API keys (admin): create (the secret shown once, with a copy button), list, revoke. */
export function ApiKeysPage({ me }: PageProps) {
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [scopes, setScopes] = useState<Set<Scope>>(new Set(['contacts:read']));
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const load = () => get<{ data: ApiKey[] }>('/v1/api-keys').then((l) => setKeys(l.data));
  useEffect(() => void load(), []);

  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const made = await post<{ api_key: string }>('/v1/api-keys', { scopes: [...scopes] });
      setSecret(made.api_key);
      await load();
    } catch (err) {
      setNotice({ kind: 'error', text: (err as Error).message });
    }
  };
  const revoke = async (key: ApiKey) => {
    try {
      await del(`/v1/api-keys/${key.id}`);
      setNotice({ kind: 'success', text: `Revoked key ${key.id.slice(0, 8)}.` });
      await load();
    } catch (err) {
      setNotice({ kind: 'error', text: (err as Error).message });
    }
  };
  const toggle = (scope: Scope, on: boolean) => {
    const next = new Set(scopes);
    if (on) next.add(scope);
    else next.delete(scope);
    setScopes(next);
  };

  return (
    <div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <form onSubmit={create} aria-label="New API key" class="card">
        <fieldset>
          <legend>Scopes of the new key</legend>
          {SCOPES.map((s) => <Checkbox key={s} label={s} checked={scopes.has(s)} onChange={(on) => toggle(s, on)} />)}
        </fieldset>
        <button type="submit" class="primary" disabled={scopes.size === 0}>Create key</button>
      </form>
      <table class="list">
        <thead><tr><th scope="col">Key</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id}>
              <td><code>{k.id.slice(0, 8)}</code>{k.id === me.key_id ? ' (this session)' : ''}</td>
              <td>{k.scopes.join(', ')}</td>
              <td>{new Date(k.created_at).toLocaleString()}</td>
              <td>{k.revoked_at ? `Revoked ${new Date(k.revoked_at).toLocaleString()}` : 'Active'}</td>
              <td class="row-actions">{!k.revoked_at && k.id !== me.key_id && <button type="button" class="danger" onClick={() => revoke(k)}>Revoke {k.id.slice(0, 8)}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {secret && <SecretDialog title="New API key" intro="Copy the key now: it is shown this once and never again." secret={secret} valueLabel="New API key value" onClose={() => setSecret(null)} />}
    </div>
  );
}
