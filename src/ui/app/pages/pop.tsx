import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, patch, query } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, Notice } from '../components/field.tsx';
import { useDirectory, type Directory } from '../directory.ts';
import { Link, navigate } from '../router.tsx';
import { emailInputOf, nameOf, phoneInputOf, type Contact } from '../types.ts';

const isEmail = (text: string) => text.includes('@');

/** Screen pop: who is calling, by phone or email; deep links `?phone=` and `?email=` look up at once. */
export function PopPage({ me, params }: PageProps) {
  const initial = params.get('phone') ?? params.get('email') ?? '';
  const [text, setText] = useState(initial);
  const [searched, setSearched] = useState<string | null>(null);
  const [matches, setMatches] = useState<Contact[]>([]);
  const [picked, setPicked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const directory = useDirectory();

  const lookUp = async (value: string) => {
    const key = value.trim();
    if (key === '') return;
    setError(null);
    try {
      const { matches } = await get<{ matches: Contact[] }>(`/v1/lookup${query(isEmail(key) ? { email: key } : { phone: key })}`);
      setMatches(matches);
      setPicked(matches.length === 1 ? matches[0]!.id : null);
      setSearched(key);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setSearched(null);
    }
  };
  useEffect(() => {
    if (initial) void lookUp(initial);
  }, [initial]);

  const shown = picked ? matches.filter((m) => m.id === picked) : matches;
  const writer = can(me, 'contacts:write');
  return (
    <div class="pop">
      <form
        class="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void lookUp(text);
        }}
      >
        <Field label="Phone or email" value={text} onInput={setText} autoFocus />
        <button type="submit" class="primary">Look up</button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {searched !== null && matches.length === 0 && (
        <section aria-label="No match">
          <p>No contact has {searched}.</p>
          {writer && (
            <div class="actions">
              <button type="button" class="primary" onClick={() => navigate(`/ui/contacts/new${query(isEmail(searched) ? { email: searched } : { phone: searched })}`)}>New contact</button>
              <button type="button" onClick={() => setAdding(true)}>Add to existing contact</button>
            </div>
          )}
        </section>
      )}
      {matches.length > 1 && (
        <p role="status">{picked ? <button type="button" onClick={() => setPicked(null)}>Show all {matches.length} matches</button> : `${matches.length} contacts match: pick one.`}</p>
      )}
      {shown.length > 0 && (
        <ul class="cards" aria-label="Matches">
          {shown.map((c) => <PopCard key={c.id} contact={c} searched={searched ?? ''} directory={directory} onPick={matches.length > 1 && !picked ? () => setPicked(c.id) : undefined} />)}
        </ul>
      )}
      {adding && searched && <AddToExisting value={searched} onClose={() => setAdding(false)} />}
    </div>
  );
}

function PopCard({ contact, searched, directory, onPick }: { contact: Contact; searched: string; directory: Directory | null; onPick?: (() => void) | undefined }) {
  const digits = searched.replace(/\D/g, '');
  const isMatch = (value: string) => (isEmail(searched) ? value.toLowerCase() === searched.toLowerCase() : digits !== '' && value.replace(/\D/g, '').endsWith(digits.slice(-10)));
  const book = directory?.books.find((b) => b.id === contact.address_book_id);
  const blocked = directory?.groups.filter((g) => g.is_blocklist && contact.group_ids.includes(g.id)) ?? [];
  const customs = Object.entries(contact.custom_fields).slice(0, 4);
  return (
    <li class="card">
      <h2><Link href={`/ui/contacts/${contact.id}`}>{nameOf(contact)}</Link></h2>
      {blocked.length > 0 && <p class="badge badge-danger">Blocked ({blocked.map((g) => g.name).join(', ')})</p>}
      <dl class="facts">
        {[...contact.phone_numbers.map((p) => ['Phone', p.number] as const), ...contact.emails.map((e) => ['Email', e.address] as const)].map(([label, value], i) => (
          <div key={i}>
            <dt>{label}</dt>
            <dd>{isMatch(value) ? <mark>{value}</mark> : value}</dd>
          </div>
        ))}
        {contact.company && <div><dt>Company</dt><dd>{contact.company}</dd></div>}
        {contact.account_number && <div><dt>Account number</dt><dd>{contact.account_number}</dd></div>}
        <div><dt>Address book</dt><dd>{book?.name ?? contact.address_book_id}</dd></div>
        {blocked.length === 0 && <div><dt>Block list</dt><dd>Not blocked</dd></div>}
        {customs.map(([key, value]) => (
          <div key={key}>
            <dt>{directory?.fields.find((f) => f.key === key)?.label ?? key}</dt>
            <dd>{String(value)}</dd>
          </div>
        ))}
      </dl>
      {onPick && <button type="button" onClick={onPick}>Pick {nameOf(contact)}</button>}
    </li>
  );
}

/** Search, then pick: the number or address is added to the picked contact. */
function AddToExisting({ value, onClose }: { value: string; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Contact[]>([]);
  const [error, setError] = useState<string | null>(null);
  const search = async (e: Event) => {
    e.preventDefault();
    setFound((await get<{ data: Contact[] }>(`/v1/contacts${query({ q, limit: 20 })}`)).data);
  };
  const add = async (picked: Contact) => {
    try {
      // Read again: the list may be older than the contact, and the lists are sent back whole.
      const contact = await get<Contact>(`/v1/contacts/${picked.id}`);
      const body = isEmail(value)
        ? { emails: [...contact.emails.map(emailInputOf), { address: value, type: 'work' }] }
        : { phone_numbers: [...contact.phone_numbers.map(phoneInputOf), { number: value, type: 'mobile' }] };
      await patch(`/v1/contacts/${contact.id}`, body, { 'if-match': String(contact.version) });
      navigate(`/ui/contacts/${contact.id}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Dialog title={`Add ${value} to a contact`} onClose={onClose}>
      <form class="inline-form" role="search" onSubmit={search}>
        <Field label="Search contacts" value={q} onInput={setQ} autoFocus />
        <button type="submit">Search</button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      <ul class="plain-list">
        {found.map((c) => (
          <li key={c.id}>
            <span>{nameOf(c)}{c.company ? ` · ${c.company}` : ''}</span>
            <button type="button" onClick={() => add(c)}>Add to {nameOf(c)}</button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
