import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, del, get, post } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { ContactForm, bodyOf, draftOf, errorsByField, type ContactDraft } from '../components/contact-form.tsx';
import { Notice } from '../components/field.tsx';
import { History } from '../components/history.tsx';
import { useDirectory } from '../directory.ts';
import { Link } from '../router.tsx';
import { nameOf, type Contact } from '../types.ts';

/** One contact: view and edit, its history, Restore when deleted, Unmerge when merged away. */
export function ContactPage({ me, id }: PageProps & { id: string }) {
  const directory = useDirectory();
  const [contact, setContact] = useState<Contact | null>(null);
  /** Why GET found nothing: deleted (restorable), purged, or no contact ever had this id. */
  const [gone, setGone] = useState<'deleted' | 'purged' | 'unknown' | null>(null);
  const [draft, setDraft] = useState<ContactDraft>(draftOf(undefined));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [stale, setStale] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);
  const writer = can(me, 'contacts:write');

  const load = async () => {
    setStale(false);
    setErrors({});
    try {
      const loaded = await get<Contact>(`/v1/contacts/${id}`);
      setContact(loaded);
      setDraft(draftOf(loaded));
      setGone(null);
    } catch (e) {
      // A deleted contact is gone from reads, but its history (and Restore) remain; an id that never was has none.
      if (e instanceof ApiError && e.status === 404) setGone(await whyGone(id));
      else setNotice({ kind: 'error', text: (e as Error).message });
    }
    setHistoryVersion((v) => v + 1);
  };
  useEffect(() => void load(), [id]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!contact || !directory) return;
    setErrors({});
    setNotice(null);
    const changes = bodyOf(draft, directory.fields, contact);
    // Nothing changed: no write, so no new version and no empty entry in the history.
    if (JSON.stringify(changes) === JSON.stringify(bodyOf(draftOf(contact), directory.fields, contact))) {
      setNotice({ kind: 'info', text: 'Nothing to save: no field changed.' });
      return;
    }
    try {
      const { body } = await call<Contact>('PATCH', `/v1/contacts/${id}`, changes, { 'if-match': `"${contact.version}"` });
      setContact(body);
      setDraft(draftOf(body));
      setNotice({ kind: 'success', text: 'Saved.' });
      setHistoryVersion((v) => v + 1);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) setStale(true);
      else if (e instanceof ApiError && e.errors.length > 0) {
        setErrors(errorsByField(e.errors));
        setNotice({ kind: 'error', text: 'Some fields need a fix.' });
      } else setNotice({ kind: 'error', text: (e as Error).message });
    }
  };

  const act = async (label: string, work: () => Promise<unknown>) => {
    try {
      await work();
      setNotice({ kind: 'success', text: label });
      await load();
    } catch (e) {
      setNotice({ kind: 'error', text: (e as Error).message });
    }
  };

  const title = contact ? nameOf(contact) : gone === 'deleted' ? 'Deleted contact' : gone === 'purged' ? 'Purged contact' : gone === 'unknown' ? 'No such contact' : 'Contact';
  const editable = writer && contact?.status === 'active';
  return (
    <div>
      <h1>{title}</h1>
      {contact && contact.status !== 'active' && <p class="badge">{contact.status}</p>}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {stale && (
        <Notice kind="error">
          Someone changed this contact since you opened it. <button type="button" onClick={load}>Reload</button>
        </Notice>
      )}
      {gone === 'unknown' && <p>No contact has this id. <Link href="/ui/contacts">Back to the contacts</Link></p>}
      {gone === 'purged' && <p>This contact was deleted and then purged: only its history remains, without its data.</p>}
      {gone === 'deleted' && (
        <section aria-label="Deleted">
          <p>This contact is deleted. It can be restored until the retention period ends.</p>
          {writer && <button type="button" class="primary" onClick={() => act('Restored.', () => post(`/v1/contacts/${id}/restore`))}>Restore</button>}
        </section>
      )}
      {contact?.status === 'merged' && contact.merged_into && (
        <section aria-label="Merged">
          <p>
            Merged into <Link href={`/ui/contacts/${contact.merged_into}`}>the surviving contact</Link>.
          </p>
          {writer && <button type="button" class="primary" onClick={() => act('Unmerged.', () => post(`/v1/contacts/${contact.merged_into}/unmerge`, { source_id: id }))}>Unmerge</button>}
        </section>
      )}
      {contact && directory && (
        <form onSubmit={save} aria-label="Contact" noValidate>
          <ContactForm draft={draft} onChange={setDraft} books={directory.books} fields={directory.fields} errors={errors} readOnly={!editable} />
          {editable && (
            <div class="actions">
              <button type="submit" class="primary">Save</button>
              <button type="button" class="danger" onClick={() => act('Deleted.', () => del(`/v1/contacts/${id}`))}>Delete</button>
            </div>
          )}
        </form>
      )}
      {gone !== 'unknown' && <History contactId={id} refresh={historyVersion} canUnmerge={writer} onUnmerged={(text) => act(text, async () => {})} />}
    </div>
  );
}

/** A contact that reads answer 404 for: its history says whether it was deleted or purged, or never existed. */
async function whyGone(id: string): Promise<'deleted' | 'purged' | 'unknown'> {
  try {
    const history = await get<{ data: { type: string }[] }>(`/v1/contacts/${id}/history?limit=1`);
    return history.data[0]?.type === 'contact.purged' ? 'purged' : 'deleted';
  } catch (e) {
    // Any other failure: as before this check, the page offers what a deleted contact gets.
    return e instanceof ApiError && e.status === 404 ? 'unknown' : 'deleted';
  }
}
