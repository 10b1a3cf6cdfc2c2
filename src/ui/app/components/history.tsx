import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api.ts';
import { Link } from '../router.tsx';
import type { Change } from '../types.ts';

const show = (value: unknown) => (value === null || value === undefined ? '(empty)' : typeof value === 'string' ? value : JSON.stringify(value));

/** A contact's history: who (key, API), when, and each field from what to what; a merge can be taken back here. */
export function History(props: { contactId: string; refresh: number; canUnmerge: boolean; onUnmerged: (text: string) => void }) {
  const [changes, setChanges] = useState<Change[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ data: Change[] }>(`/v1/contacts/${props.contactId}/history?limit=100`)
      .then((page) => setChanges(page.data))
      .catch((e) => setError((e as Error).message));
  }, [props.contactId, props.refresh]);

  const unmerge = async (sourceId: string) => {
    try {
      await post(`/v1/contacts/${props.contactId}/unmerge`, { source_id: sourceId });
      props.onUnmerged('Unmerged.');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="history-title" class="history">
      <h2 id="history-title">History</h2>
      {error && <p role="alert">{error}</p>}
      <ol>
        {changes.map((change) => {
          const sources = change.action === 'merged' && Array.isArray(change.meta.source_ids) ? (change.meta.source_ids as string[]) : [];
          return (
            <li key={change.position}>
              <p>
                <strong>{change.action}</strong> <time dateTime={change.at}>{new Date(change.at).toLocaleString()}</time> through {change.actor.surface}
                {change.actor.key_id ? ` by key ${change.actor.key_id.slice(0, 8)}` : ''}
              </p>
              {change.fields && (
                <ul>
                  {Object.entries(change.fields).map(([field, { before, after }]) => (
                    <li key={field}>
                      {field}: {show(before)} → {show(after)}
                    </li>
                  ))}
                </ul>
              )}
              {sources.map((source) => (
                <p key={source}>
                  Merged in <Link href={`/ui/contacts/${source}`}>{source.slice(0, 8)}</Link>{' '}
                  {props.canUnmerge && <button type="button" onClick={() => unmerge(source)}>Unmerge</button>}
                </p>
              ))}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
