import { useEffect, useState } from 'preact/hooks';
import { call, session } from './api.ts';
import { Link, navigate, useLocation } from './router.tsx';
import type { Me, Scope } from './types.ts';
import { SignIn } from './pages/sign-in.tsx';
import { PopPage } from './pages/pop.tsx';
import { ContactsPage } from './pages/contacts.tsx';
import { ContactPage } from './pages/contact.tsx';
import { NewContactPage } from './pages/new-contact.tsx';
import { DuplicatesPage } from './pages/duplicates.tsx';
import { ImportPage } from './pages/import.tsx';
import { AddressBooksPage } from './pages/address-books.tsx';
import { CustomFieldsPage } from './pages/custom-fields.tsx';
import { GroupsPage } from './pages/groups.tsx';
import { ApiKeysPage } from './pages/api-keys.tsx';
import { WebhooksPage } from './pages/webhooks.tsx';

export interface PageProps {
  me: Me;
  params: URLSearchParams;
}

export const can = (me: Me, scope: Scope) => me.scopes.includes(scope);

interface Route {
  path: string;
  title: string;
  scope: Scope;
  page: (props: PageProps) => preact.JSX.Element;
  /** Not in the navigation (reached from another page). */
  hidden?: boolean;
}

const ROUTES: Route[] = [
  { path: '/ui/pop', title: 'Screen pop', scope: 'contacts:read', page: PopPage },
  { path: '/ui/contacts', title: 'Contacts', scope: 'contacts:read', page: ContactsPage },
  { path: '/ui/contacts/new', title: 'New contact', scope: 'contacts:write', page: NewContactPage },
  { path: '/ui/duplicates', title: 'Duplicates', scope: 'contacts:read', page: DuplicatesPage },
  { path: '/ui/import', title: 'Import', scope: 'contacts:read', page: ImportPage },
  { path: '/ui/address-books', title: 'Address books', scope: 'contacts:read', page: AddressBooksPage },
  { path: '/ui/custom-fields', title: 'Custom fields', scope: 'contacts:read', page: CustomFieldsPage },
  { path: '/ui/groups', title: 'Groups', scope: 'contacts:read', page: GroupsPage },
  { path: '/ui/api-keys', title: 'API keys', scope: 'admin', page: ApiKeysPage },
  { path: '/ui/webhooks', title: 'Webhooks', scope: 'admin', page: WebhooksPage },
];

/** The console: sign in, then one page per path, showing only what the key's scopes allow. */
export function App() {
  const { path, params } = useLocation();
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(session.key() !== null);

  useEffect(() => {
    if (!session.key()) return;
    call<Me>('GET', '/v1/me')
      .then((a) => setMe(a.body))
      .catch(() => session.forget())
      .finally(() => setChecking(false));
  }, []);

  if (checking) return <main class="page"><p>Loading…</p></main>;
  if (!me) return <SignIn onSignedIn={setMe} />;

  const route = ROUTES.find((r) => r.path === path);
  const contactId = /^\/ui\/contacts\/([^/]+)$/.exec(path)?.[1];
  let content: preact.JSX.Element;
  let title: string;
  if (route && can(me, route.scope)) {
    const Page = route.page;
    [content, title] = [<Page me={me} params={params} key={route.path} />, route.title];
  }
  else if (contactId && !route) [content, title] = [<ContactPage me={me} params={params} id={decodeURIComponent(contactId)} key={contactId} />, 'Contact'];
  else if (path === '/ui' || path === '/') {
    navigate('/ui/contacts', true);
    return null;
  } else [content, title] = [<p>{route ? 'This API key may not open this page.' : 'No such page.'}</p>, route ? route.title : 'Not found'];
  document.title = `${title} · contactd`;

  const signOut = () => {
    session.forget();
    setMe(null);
  };
  return (
    <div class="shell">
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <span class="brand">contactd</span>
        <nav aria-label="Console">
          <ul>
            {ROUTES.filter((r) => !r.hidden && can(me, r.scope)).map((r) => (
              <li key={r.path}>
                <Link href={r.path} aria-current={r.path === path ? 'page' : undefined}>{r.title}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="sign-out" onClick={signOut}>Sign out</button>
      </header>
      <main id="main" class="page">
        {contactId && !route ? content : <><h1>{title}</h1>{content}</>}
      </main>
    </div>
  );
}
