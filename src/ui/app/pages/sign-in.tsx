import { useState } from 'preact/hooks';
import { ApiError, call, session } from '../api.ts';
import { Field, Notice } from '../components/field.tsx';
import type { Me } from '../types.ts';

/** The key is checked against GET /v1/me and kept in sessionStorage only. */
export function SignIn(props: { onSignedIn: (me: Me) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const { body } = await call<Me>('GET', '/v1/me', undefined, {}, key.trim());
      session.remember(key.trim());
      props.onSignedIn(body);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? 'That key is unknown or revoked.' : `Could not sign in: ${(e as Error).message}`);
    }
  };
  return (
    <main class="page sign-in">
      <h1>Sign in to contactd</h1>
      <form onSubmit={submit}>
        <Field label="API key" type="password" value={key} onInput={setKey} required autoFocus error={error ?? undefined} />
        <p class="hint">The key stays in this tab only, and is forgotten when you sign out or close it.</p>
        <button type="submit" class="primary">Sign in</button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
    </main>
  );
}
