import { useEffect, useState } from 'preact/hooks';
import { ApiError, post } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { ContactForm, bodyOf, draftOf, errorsByField, type ContactDraft } from '../components/contact-form.tsx';
import { Notice } from '../components/field.tsx';
import { useDirectory } from '../directory.ts';
import { navigate } from '../router.tsx';
import type { Contact } from '../types.ts';

/** A new contact: the contact form with the address book first; `?phone=` or `?email=` pre-fill it (from the screen pop). */
export function NewContactPage({ params }: PageProps) {
  const directory = useDirectory();
  const [draft, setDraft] = useState<ContactDraft>(draftOf(undefined, { phone: params.get('phone') ?? '', email: params.get('email') ?? '' }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const book = directory?.books.find((b) => b.is_default) ?? directory?.books[0];
    if (book && !draft.address_book_id) setDraft({ ...draft, address_book_id: book.id });
  }, [directory]);

  const save = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setError(null);
    try {
      const created = await post<Contact>('/v1/contacts', bodyOf(draft, directory?.fields ?? []));
      navigate(`/ui/contacts/${created.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.errors.length > 0) setErrors(errorsByField(e.errors));
      setError((e as Error).message);
    }
  };
  if (!directory) return <p>Loading…</p>;
  return (
    <form onSubmit={save} aria-label="New contact" noValidate>
      {error && <Notice kind="error">{error}</Notice>}
      <ContactForm draft={draft} onChange={setDraft} books={directory.books} fields={directory.fields} errors={errors} readOnly={false} bookFirst />
      <div class="actions">
        <button type="submit" class="primary">Save</button>
      </div>
    </form>
  );
}
