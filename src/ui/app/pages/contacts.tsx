import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get, query } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, Notice, Select } from '../components/field.tsx';
import { WindowedTable } from '../components/windowed-table.tsx';
import { useDirectory } from '../directory.ts';
import { download } from '../download.ts';
import { runBulk, summaryOf, type BulkAction, type SetFilter } from '../bulk.ts';
import { Link } from '../router.tsx';
import { nameOf, type Contact } from '../types.ts';

const PAGE = 200;

type Filter = SetFilter;

/** Contacts: search and filters, cursor pages loaded as the table scrolls, selection and bulk actions. */
export function ContactsPage({ me }: PageProps) {
  const [directoryVersion, setDirectoryVersion] = useState(0);
  const directory = useDirectory(directoryVersion);
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

  /** The action on the selection, or on every contact matching the filter (the server pages that set). */
  const [running, setRunning] = useState<string | null>(null);
  const bulk = async (label: string, action: BulkAction, group?: string) => {
    setRunning(`${label}…`);
    try {
      const target = allMatching ? { filter } : { ids: [...selected] };
      const totals = await runBulk(action, group, target, (t) => setRunning(`${label}: ${t.matched} contacts so far…`));
      setNotice({ kind: totals.failed > 0 ? 'error' : 'success', text: summaryOf(label, totals) });
    } catch (e) {
      setNotice({ kind: 'error', text: `${label}: ${(e as Error).message}` });
    } finally {
      setRunning(null);
      if (action === 'block') setDirectoryVersion((v) => v + 1);
      setFilter({ ...filter });
    }
  };

  const [groupId, setGroupId] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const groups = directory?.groups ?? [];
  const blockList = groups.find((g) => g.is_blocklist);
  const count = allMatching ? 'all matching' : String(selected.size);
  const none = running !== null || (!allMatching && selected.size === 0);
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
            <button type="button" disabled={!groupId || none} onClick={() => bulk('Added to group', 'add_to_group', groupId)}>Add to group</button>
            <button type="button" disabled={!groupId || none} onClick={() => bulk('Removed from group', 'remove_from_group', groupId)}>Remove from group</button>
            <button type="button" disabled={none} title={blockList ? `Adds to ${blockList.name}` : 'Makes the block list "Blacklist" first'} onClick={() => bulk('Moved to block list', 'block')}>Move to block list</button>
            <button type="button" class="danger" disabled={none} onClick={() => setConfirmDelete(true)}>Delete</button>
            <Link href="/ui/contacts/new" class="button">New contact</Link>
          </>
        )}
        {(['csv', 'vcard', 'ndjson'] as const).map((format) => (
          <button type="button" key={format} onClick={() => download(`/v1/contacts/export${query({ format, q: filter.q, address_book_id: filter.address_book_id, group_id: filter.group_id, type: filter.type })}`, `contacts.${format === 'vcard' ? 'vcf' : format}`).catch((e) => setNotice({ kind: 'error', text: `Export: ${(e as Error).message}` }))}>
            Export {format === 'vcard' ? 'vCard' : format.toUpperCase()}
          </button>
        ))}
      </div>
      {running && <p role="status" class="hint">{running}</p>}
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
            onClick={() => {
              setConfirmDelete(false);
              void bulk('Deleted', 'delete');
            }}
          >
            Delete them
          </button>
        </Dialog>
      )}
    </div>
  );
}
