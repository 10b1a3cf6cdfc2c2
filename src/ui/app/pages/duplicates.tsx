import { useEffect, useState } from 'preact/hooks';
import { get, post, query } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { Notice, Select } from '../components/field.tsx';
import { useDirectory, type Directory } from '../directory.ts';
import { Link } from '../router.tsx';
import { nameOf, type Contact } from '../types.ts';

interface Pair {
  reason: 'phone' | 'email' | 'name_company';
  value: string;
  contacts: [Contact, Contact];
}

const REASONS = { phone: 'Same phone', email: 'Same email', name_company: 'Same name and company' };

interface CompareField {
  /** The contact field, or `custom_fields.<key>`: what `fields_from_source` names. */
  key: string;
  label: string;
  /** Whether either contact's value can be kept (lists are unioned by the merge instead). */
  scalar: boolean;
  text: (c: Contact, d: Directory | null) => string;
}

const text = (key: string) => (c: Contact) => String(c[key] ?? '');

/** The fields compared side by side: every text field, the lists, and each custom field of the account. */
function fieldsOf(directory: Directory | null): CompareField[] {
  return [
    { key: 'display_name', label: 'Display name', scalar: true, text: text('display_name') },
    { key: 'first_name', label: 'First name', scalar: true, text: text('first_name') },
    { key: 'last_name', label: 'Last name', scalar: true, text: text('last_name') },
    { key: 'company', label: 'Company', scalar: true, text: text('company') },
    { key: 'account_number', label: 'Account number', scalar: true, text: text('account_number') },
    { key: 'role', label: 'Role', scalar: true, text: text('role') },
    { key: 'location', label: 'Location', scalar: true, text: text('location') },
    { key: 'salutation', label: 'Salutation', scalar: true, text: text('salutation') },
    { key: 'timezone', label: 'Time zone', scalar: true, text: text('timezone') },
    { key: 'country', label: 'Country', scalar: true, text: text('country') },
    ...(directory?.fields ?? []).map((f) => ({
      key: `custom_fields.${f.key}`, label: f.label || f.key, scalar: true, text: (c: Contact) => (c.custom_fields[f.key] === undefined ? '' : String(c.custom_fields[f.key])),
    })),
    { key: 'phone_numbers', label: 'Phones', scalar: false, text: (c) => c.phone_numbers.map((p) => p.e164).join(', ') },
    { key: 'emails', label: 'Emails', scalar: false, text: (c) => c.emails.map((e) => e.address.toLowerCase()).join(', ') },
    { key: 'messaging', label: 'Messaging', scalar: false, text: (c) => ((c.messaging as { channel: string; handle: string }[] | undefined) ?? []).map((m) => `${m.channel}: ${m.handle}`).join(', ') },
    { key: 'group_ids', label: 'Groups', scalar: false, text: (c, d) => c.group_ids.map((id) => d?.groups.find((g) => g.id === id)?.name ?? id).join(', ') },
    { key: 'external_id', label: 'External id', scalar: false, text: text('external_id') },
    { key: 'address_book_id', label: 'Address book', scalar: false, text: (c, d) => d?.books.find((b) => b.id === c.address_book_id)?.name ?? c.address_book_id },
    { key: 'created_at', label: 'Created', scalar: false, text: (c) => new Date(c.created_at).toLocaleDateString() },
  ];
}

/** Candidate pairs from GET /v1/duplicates: a person compares, picks the survivor and what to keep, and merges. */
export function DuplicatesPage({ me }: PageProps) {
  const directory = useDirectory();
  const [pairs, setPairs] = useState<Pair[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [book, setBook] = useState('');
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string; survivor?: string; source?: string } | null>(null);

  const load = async (after: string | null = null) => {
    const page = await get<{ data: Pair[]; next_cursor: string | null }>(`/v1/duplicates${query({ address_book_id: book, limit: 20, cursor: after })}`);
    setPairs((old) => (after ? [...old, ...page.data] : page.data));
    setCursor(page.next_cursor);
  };
  useEffect(() => void load().catch((e) => setNotice({ kind: 'error', text: (e as Error).message })), [book]);

  const merged = async (survivor: Contact, source: Contact) => {
    setNotice({ kind: 'success', text: `Merged ${nameOf(source)} into ${nameOf(survivor)}.`, survivor: survivor.id, source: source.id });
    await load();
  };

  return (
    <div>
      <p class="hint">Pairs of contacts that share a phone, an email, or a name and company. Nothing is merged until you choose to, and every merge can be undone.</p>
      <Select label="Address book" value={book} onChange={setBook} options={[{ value: '', label: 'All' }, ...(directory?.books ?? []).map((b) => ({ value: b.id, label: b.name }))]} />
      {notice && (
        <Notice kind={notice.kind}>
          {notice.text}
          {notice.survivor && notice.source && (
            <>
              {' '}
              <Link href={`/ui/contacts/${notice.survivor}`}>Open the survivor</Link> to see its history or unmerge.
            </>
          )}
        </Notice>
      )}
      {pairs.length === 0 && <p>No candidate duplicates.</p>}
      <ul class="pairs" aria-label="Candidate pairs">
        {pairs.map((pair) => (
          <PairCard key={`${pair.reason}:${pair.value}:${pair.contacts[0].id}:${pair.contacts[1].id}`} pair={pair} directory={directory} canMerge={can(me, 'contacts:write')} onMerged={merged} onError={(text) => setNotice({ kind: 'error', text })} />
        ))}
      </ul>
      {cursor && <button type="button" onClick={() => load(cursor)}>More pairs</button>}
    </div>
  );
}

function PairCard({ pair, directory, canMerge, onMerged, onError }: { pair: Pair; directory: Directory | null; canMerge: boolean; onMerged: (survivor: Contact, source: Contact) => void; onError: (text: string) => void }) {
  const [a, b] = pair.contacts;
  const [survivorIndex, setSurvivorIndex] = useState(0);
  const [keep, setKeep] = useState<Record<string, 0 | 1>>({});
  // Differing fields first: they are what the person must decide.
  const rows = fieldsOf(directory).map((f) => ({ ...f, values: [f.text(a, directory), f.text(b, directory)] as const })).sort((x, y) => Number(x.values[0] === x.values[1]) - Number(y.values[0] === y.values[1]));
  const name = `pair-${a.id}-${b.id}`;
  // Two contacts of one name are told apart by when each was made.
  const sameName = nameOf(a) === nameOf(b);
  const called = (c: Contact) => (sameName ? `${nameOf(c)} (created ${new Date(c.created_at).toLocaleString()})` : nameOf(c));

  const merge = async () => {
    const survivor = pair.contacts[survivorIndex]!;
    const source = pair.contacts[1 - survivorIndex]!;
    try {
      // What the person chose to keep from the other contact is part of the merge, so an unmerge takes it back too.
      const fromSource = Object.entries(keep).filter(([, from]) => from !== survivorIndex).map(([key]) => key);
      await post<Contact>(`/v1/contacts/${survivor.id}/merge`, { source_ids: [source.id], ...(fromSource.length > 0 ? { fields_from_source: fromSource } : {}) });
      onMerged(survivor, source);
    } catch (e) {
      onError((e as Error).message);
    }
  };

  return (
    <li class="pair card">
      <h2>{REASONS[pair.reason]}: {pair.value}</h2>
      <table>
        <caption class="visually-hidden">{nameOf(a)} and {nameOf(b)}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            {[a, b].map((c, i) => (
              <th scope="col" key={c.id}>
                <Link href={`/ui/contacts/${c.id}`}>{nameOf(c)}</Link>
                {canMerge && (
                  <label class="check">
                    <input type="radio" name={name} checked={survivorIndex === i} onChange={() => setSurvivorIndex(i)} /> Keep {called(c)} as survivor
                  </label>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const differs = row.values[0] !== row.values[1];
            return (
              <tr key={row.key} class={differs ? 'differs' : ''}>
                <th scope="row">{row.label}{differs ? ' (differs)' : ''}</th>
                {row.values.map((value, i) => (
                  <td key={i}>
                    {canMerge && differs && row.scalar ? (
                      <label class="check">
                        <input type="radio" name={`${name}-${row.key}`} checked={(keep[row.key] ?? survivorIndex) === i} onChange={() => setKeep({ ...keep, [row.key]: i as 0 | 1 })} />
                        {value || '(empty)'}
                      </label>
                    ) : (
                      value
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {canMerge && <button type="button" class="primary" onClick={merge}>Merge {called(pair.contacts[1 - survivorIndex]!)} into {called(pair.contacts[survivorIndex]!)}</button>}
    </li>
  );
}
