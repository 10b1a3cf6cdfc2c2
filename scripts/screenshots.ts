// Takes light and dark screenshots of every console page into docs/console/ (docs/console.md shows them).
// Needs Chromium at /usr/bin/chromium; runs on a throwaway SQLite database with sample data.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startApi, type TestApi } from '../test/support/api.ts';
import { launchBrowser, newPage, signIn, skipBrowser } from '../test/support/browser.ts';
import { engines } from '../test/support/engines.ts';

if (skipBrowser) {
  console.error(skipBrowser);
  process.exit(1);
}

async function seed(api: TestApi): Promise<{ janeId: string }> {
  const ok = async (method: 'POST' | 'PUT', url: string, body?: unknown) => {
    const res = await api.call(method, url, body);
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const support = await ok('POST', '/v1/address-books', { name: 'Support callers', description: 'Customers who call the help line', duplicate_policy: 'merge' });
  await ok('POST', '/v1/address-books', { name: 'Partners', duplicate_policy: 'reject' });
  await ok('POST', '/v1/custom-fields', { key: 'loyalty_tier', label: 'Loyalty tier', data_type: 'pick_list', options: ['gold', 'silver', 'bronze'] });
  await ok('POST', '/v1/custom-fields', { key: 'renewal', label: 'Renewal date', data_type: 'date' });
  const vip = await ok('POST', '/v1/groups', { name: 'VIP', description: 'Route to the senior queue' });
  await ok('POST', '/v1/groups', { name: 'Blocked callers', is_blocklist: true });
  const jane = await ok('POST', '/v1/contacts', {
    display_name: 'Jane Doe', first_name: 'Jane', last_name: 'Doe', company: 'Acme Corp', account_number: 'AC-1042',
    phone_numbers: [{ number: '+1 651 111 2222', type: 'mobile' }], emails: [{ address: 'jane@acme.example' }],
    custom_fields: { loyalty_tier: 'gold', renewal: '2027-03-01' }, group_ids: [vip.id],
  });
  await ok('POST', '/v1/contacts', { display_name: 'J. Doe', company: 'Acme', phone_numbers: [{ number: '651-111-2222' }] });
  const names = ['Amir Haddad', 'Bea Lindqvist', 'Chen Wei', 'Dara O\'Neill', 'Emeka Obi', 'Fatima Zahra', 'Goran Petrovic', 'Hana Sato', 'Ines Duarte', 'Jonas Berg'];
  for (const [i, name] of names.entries()) {
    await ok('POST', '/v1/contacts', { address_book_id: i % 2 ? support.id : undefined, display_name: name, company: i % 3 ? 'Northwind' : 'Contoso', phone_numbers: [{ number: `+1 612 555 01${String(i).padStart(2, '0')}` }], emails: [{ address: `${name.split(' ')[0]!.toLowerCase()}@example.com` }] });
  }
  await ok('POST', '/v1/contacts', { display_name: 'Chen Wei', company: 'northwind', emails: [{ address: 'wei.chen@example.org' }] });
  await api.call('PATCH', `/v1/contacts/${jane.id}`, { role: 'Head of purchasing' });
  await ok('POST', '/v1/webhooks', { url: 'https://crm.example.com/hooks/contactd', event_types: ['contact.*'], enabled: false });
  await ok('POST', '/v1/api-keys', { scopes: ['contacts:read'] });
  return { janeId: jane.id };
}

const api = await startApi(engines[0]!);
await api.app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(api.app.server.address() as { port: number }).port}`;
const { janeId } = await seed(api);
const { browser, close } = await launchBrowser();
const out = new URL('../docs/console/', import.meta.url);
mkdirSync(out, { recursive: true });

const pages: { name: string; path: string; width?: number }[] = [
  { name: 'pop', path: '/ui/pop?phone=%2B16511112222', width: 360 },
  { name: 'contacts', path: '/ui/contacts' },
  { name: 'contact', path: `/ui/contacts/${janeId}` },
  { name: 'new-contact', path: '/ui/contacts/new?phone=%2B16125550199' },
  { name: 'duplicates', path: '/ui/duplicates' },
  { name: 'import', path: '/ui/import' },
  { name: 'address-books', path: '/ui/address-books' },
  { name: 'custom-fields', path: '/ui/custom-fields' },
  { name: 'groups', path: '/ui/groups' },
  { name: 'api-keys', path: '/ui/api-keys' },
  { name: 'webhooks', path: '/ui/webhooks' },
];

async function shoot(page: Page, name: string, path: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${base}${path}`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: new URL(`${name}-${scheme}.png`, out).pathname, fullPage: true });
  }
}

const { page: signInPage } = await newPage(browser, { width: 1100, height: 720 });
await signInPage.goto(`${base}/ui/`);
for (const scheme of ['light', 'dark'] as const) {
  await signInPage.emulateMedia({ colorScheme: scheme });
  await signInPage.screenshot({ path: new URL(`sign-in-${scheme}.png`, out).pathname });
}
for (const { name, path, width } of pages) {
  const { page } = await newPage(browser, { width: width ?? 1100, height: width ? 740 : 720 });
  await signIn(page, base, api.keys.admin, path);
  await shoot(page, name, path);
  await page.close();
  console.log(`docs/console/${name}-{light,dark}.png`);
}
await close();
await api.close();
