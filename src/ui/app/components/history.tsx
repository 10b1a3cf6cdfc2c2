import { useEffect, useState } from 'preact/hooks';
import { get, post, query } from '../api.ts';
import { useDirectory, type Directory } from '../directory.ts';
import { Link } from '../router.tsx';
import type { Change } from '../types.ts';

/** A field's value as people read it: numbers and addresses with their types, books and groups by name. */
function show(field: string, value: unknown, directory: Directory | null): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return '(empty)';
  const list = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  switch (field) {
    case 'phone_numbers':
      return list.map((p) => `${p.e164 ?? p.number}${p.extension ? ` ext. ${p.extension}` : ''} (${p.type})`).join(', ');
    case 'emails':
      return list.map((e) => `${e.address} (${e.type})`).join(', ');
    case 'messaging':
      return list.map((m) => `${m.channel}: ${m.handle}`).join(', ');
    case 'group_ids':
      return (value as string[]).map((id) => directory?.groups.find((g) => g.id === id)?.name ?? id).join(', ');
    case 'address_book_id':
      return directory?.books.find((b) => b.id === value)?.name ?? String(value);
    case 'custom_fields': {
      const entries = Object.entries(value as Record<string, unknown>);
      const labelOf = (key: string) => directory?.fields.find((f) => f.key === key)?.label || key;
      return entries.length === 0 ? '(empty)' : entries.map(([key, v]) => `${labelOf(key)}: ${String(v)}`).join(', ');
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

const PAGE = 50;

/** A contact's history: who (key, API), when, and each field from what to what; a merge can be taken back here. */
export function History(props: { contactId: string; refresh: number; canUnmerge: boolean; onUnmerged: (text: string) => void }) {
  const directory = useDirectory(props.refresh);
  const [changes, setChanges] = useState<Change[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (after: string | null) =>
    get<{ data: Change[]; next_cursor: string | null }>(`/v1/contacts/${props.contactId}/history${query({ limit: PAGE, cursor: after })}`)
      .then((page) => {
        setChanges((old) => (after ? [...old, ...page.data] : page.data));
        setCursor(page.next_cursor);
      })
      .catch((e) => setError((e as Error).message));
  useEffect(() => void load(null), [props.contactId, props.refresh]);

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
                      {field}: {show(field, before, directory)} → {show(field, after, directory)}
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
      {cursor && <button type="button" onClick={() => void load(cursor)}>Older changes</button>}
    </section>
  );
}
