import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, del, get, query } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, Notice, Select } from '../components/field.tsx';
import { WindowedTable } from '../components/windowed-table.tsx';
import { useDirectory } from '../directory.ts';
import { download } from '../download.ts';
import { Link } from '../router.tsx';
import { nameOf, type Contact } from '../types.ts';


const PAGE = 200;

interface Filter {
  q: string;
  address_book_id: string;
  group_id: string;
  type: string;
}

/** Contacts: search and filters, cursor pages loaded as the table scrolls, selection and bulk actions. */
export function ContactsPage({ me }: PageProps) {
  const directory = useDirectory();
  const [filter, setFilter] = useState<Filter>({ q: '', address_book_id: '', group_id: '', type: '' });
  const [typed, setTyped] = useState('');
  const [rows, setRows] = useState<Contact[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const loading = useRef(false);
  const searchBox = useRef<HTMLDivElement>(null);
  const writer = can(me, 'contacts:write');

  const listPath = (f: Filter, after?: string | null, limit = PAGE) => `/v1/contacts${query({ q: f.q, address_book_id: f.address_book_id, group_id: f.group_id, type: f.type, limit, cursor: after })}`;

  // A new filter starts a new generation: pages still arriving for an older filter are dropped.
  const generation = useRef(0);
  const loadMore = useCallback(async (reset = false) => {
    if (reset) generation.current++;
    else if (loading.current || cursor === null) return;
    const mine = generation.current;
    loading.current = true;
    try {
      const page = await get<{ data: Contact[]; next_cursor: string | null }>(listPath(filter, reset ? undefined : cursor));
      if (mine !== generation.current) return;
      setRows((old) => (reset ? page.data : [...old, ...page.data]));
      setCursor(page.next_cursor);
    } catch (e) {
      setNotice({ kind: 'error', text: (e as Error).message });
    } finally {
      if (mine === generation.current) loading.current = false;
    }
  }, [filter, cursor]);

  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
    setCursor(undefined);
    void loadMore(true);
  }, [filter]);

  // "/" focuses the search box, as on GitHub and Gmail.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key !== '/' || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      event.preventDefault();
      searchBox.current?.querySelector('input')?.focus();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  /** The ids the bulk action applies to: the selection, or every contact matching the filter. */
  const targetIds = async (): Promise<string[]> => {
    if (!allMatching) return [...selected];
    const ids: string[] = [];
    let after: string | null | undefined;
    do {
      const page = await get<{ data: Contact[]; next_cursor: string | null }>(listPath(filter, after, 500));
      ids.push(...page.data.map((c) => c.id));
      after = page.next_cursor;
    } while (after);
    return ids;
  };

  const bulk = async (label: string, each: (id: string) => Promise<unknown>) => {
    const ids = await targetIds();
    let failed = 0;
    for (const id of ids) await each(id).catch(() => failed++);
    setNotice(failed ? { kind: 'error', text: `${label}: ${ids.length - failed} done, ${failed} failed.` } : { kind: 'success', text: `${label}: ${ids.length} contacts.` });
    setFilter({ ...filter });
  };

  const [groupId, setGroupId] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const groups = directory?.groups ?? [];
  const blockList = groups.find((g) => g.is_blocklist);
  const count = allMatching ? 'all matching' : String(selected.size);
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
    setAllMatching(false);
  };

  return (
    <div>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ ...filter, q: typed });
        }}
      >
        <div ref={searchBox}>
          <Field label="Search contacts" type="search" value={typed} onInput={setTyped} placeholder="Name, number or email (press /)" />
        </div>
        <button type="submit">Search</button>
        <Select label="Address book" value={filter.address_book_id} onChange={(v) => setFilter({ ...filter, address_book_id: v })} options={[{ value: '', label: 'All' }, ...(directory?.books ?? []).map((b) => ({ value: b.id, label: b.name }))]} />
        <Select label="Group" value={filter.group_id} onChange={(v) => setFilter({ ...filter, group_id: v })} options={[{ value: '', label: 'All' }, ...groups.map((g) => ({ value: g.id, label: g.name }))]} />
        <Select label="Type" value={filter.type} onChange={(v) => setFilter({ ...filter, type: v })} options={[{ value: '', label: 'All' }, { value: 'custom', label: 'Contacts' }, { value: 'user', label: 'Users' }, { value: 'queue', label: 'Queues' }]} />
      </form>

      <div class="toolbar" role="group" aria-label="Bulk actions">
        <label class="check">
          <input type="checkbox" checked={allMatching} onChange={(e) => setAllMatching((e.currentTarget as HTMLInputElement).checked)} />
          Select all matching the filter
        </label>
        <span>{count} selected</span>
        {writer && (
          <>
            <Select label="Bulk group" value={groupId} onChange={setGroupId} options={[{ value: '', label: 'Choose a group' }, ...groups.map((g) => ({ value: g.id, label: g.name }))]} />
            <button type="button" disabled={!groupId || (!allMatching && selected.size === 0)} onClick={() => bulk('Added to group', (id) => call('PUT', `/v1/groups/${groupId}/members/${id}`))}>Add to group</button>
            <button type="button" disabled={!groupId || (!allMatching && selected.size === 0)} onClick={() => bulk('Removed from group', (id) => call('DELETE', `/v1/groups/${groupId}/members/${id}`))}>Remove from group</button>
            <button type="button" disabled={!blockList || (!allMatching && selected.size === 0)} title={blockList ? `Adds to ${blockList.name}` : 'Make a group a block list first'} onClick={() => bulk('Moved to block list', (id) => call('PUT', `/v1/groups/${blockList!.id}/members/${id}`))}>Move to block list</button>
            <button type="button" class="danger" disabled={!allMatching && selected.size === 0} onClick={() => setConfirmDelete(true)}>Delete</button>
            <Link href="/ui/contacts/new" class="button">New contact</Link>
          </>
        )}
        {(['csv', 'vcard', 'ndjson'] as const).map((format) => (
          <button type="button" key={format} onClick={() => download(`/v1/contacts/export${query({ format, q: filter.q, address_book_id: filter.address_book_id, group_id: filter.group_id, type: filter.type })}`, `contacts.${format === 'vcard' ? 'vcf' : format}`).catch((e) => setNotice({ kind: 'error', text: `Export: ${(e as Error).message}` }))}>
            Export {format === 'vcard' ? 'vCard' : format.toUpperCase()}
          </button>
        ))}
      </div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}

      <WindowedTable
        label="Contacts"
        columns={['Select', 'Name', 'Company', 'Phone', 'Email']}
        rows={rows}
        total={cursor === null ? rows.length : undefined}
        rowKey={(c) => c.id}
        onNearEnd={() => void loadMore()}
        renderCells={(c) => [
          <input type="checkbox" aria-label={`Select ${nameOf(c)}`} checked={allMatching || selected.has(c.id)} onChange={(e) => toggle(c.id, (e.currentTarget as HTMLInputElement).checked)} />,
          <Link href={`/ui/contacts/${c.id}`}>{nameOf(c)}</Link>,
          c.company ?? '',
          c.phone_numbers[0]?.number ?? '',
          c.emails[0]?.address ?? '',
        ]}
      />
      <p class="hint">{rows.length} shown{cursor === null ? '' : ', more load as you scroll'}.</p>

      {confirmDelete && (
        <Dialog title="Delete contacts?" onClose={() => setConfirmDelete(false)}>
          <p>{allMatching ? 'Every contact matching the filter' : `${selected.size} contacts`} will be deleted. Each stays restorable from its page for the retention period.</p>
          <button
            type="button"
            class="danger"
            onClick={async () => {
              setConfirmDelete(false);
              await bulk('Deleted', (id) => del(`/v1/contacts/${id}`)).catch((e) => setNotice({ kind: 'error', text: e instanceof ApiError ? e.message : String(e) }));
            }}
          >
            Delete them
          </button>
        </Dialog>
      )}
    </div>
  );
}
