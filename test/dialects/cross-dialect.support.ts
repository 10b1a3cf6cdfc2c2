import assert from 'node:assert/strict';
import type { Response, TestApi } from '../support/api.ts';

/** What every writer and reader of the cross-dialect test shares. */
export interface Shared {
  api: TestApi;
  call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  stream: string;
  /** The native view of the Kore.ai stream's book and of the account's default book. */
  streamBook: { id: string; name: string };
  defaultBook: { id: string; name: string };
  /** HTTP Basic with the account id and the admin key (Genesys, Apptoto). */
  basic: Record<string, string>;
  /** Kore.ai's `auth` JWT and `accountId` headers. */
  kore(): Promise<Record<string, string>>;
}

export interface NewPerson {
  first: string;
  last: string;
  /** Two unique numbers in E.164; a platform that takes one number uses the first. */
  phones: string[];
  email: string;
}

/** A contact a writer made: its core id, and the phones and emails it gave (as it wrote them). */
export interface Written {
  id: string;
  phones: string[];
  emails: string[];
}

/** What a reader shows of a contact: its numbers (any format) and email addresses. */
export interface Seen {
  phones: string[];
  emails: string[];
}

export interface Dialect {
  name: string;
  write(shared: Shared, person: NewPerson): Promise<Written>;
  /** The contact as this API shows it, found with this API's own list or lookup; null when not found. */
  read(shared: Shared, native: NativeContact): Promise<Seen | null>;
  shows: { phones: 'all' | 'primary'; emails: 'all' | 'primary' | 'none' };
  /** `stream`: lists the Kore.ai stream's book only. */
  booksOnly?: 'stream';
}

interface NativeContact {
  id: string;
  display_name: string;
  address_book_id: string;
  phone_numbers: { e164: string; is_primary: boolean }[];
  emails: { address: string }[];
}

function ok(res: Response, status: number, what: string): any {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The core id of the contact holding this number, through the native screen pop. */
async function coreIdOf(shared: Shared, phone: string): Promise<string> {
  const matches = ok(await shared.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`), 200, 'native lookup').matches;
  assert.equal(matches.length, 1, `one contact holds ${phone}`);
  return matches[0].id;
}

const primaryPhoneOf = (c: NativeContact) => (c.phone_numbers.find((p) => p.is_primary) ?? c.phone_numbers[0])!.e164;

const native: Dialect = {
  name: 'native /v1',
  async write(shared, p) {
    const body = ok(await shared.call('POST', '/v1/contacts', { address_book_id: shared.streamBook.id, first_name: p.first, last_name: p.last, phone_numbers: p.phones.map((number) => ({ number })), emails: [{ address: p.email }] }), 201, 'native create');
    return { id: body.id, phones: p.phones, emails: [p.email] };
  },
  async read(shared, c) {
    const matches = ok(await shared.call('GET', `/v1/lookup?phone=${encodeURIComponent(primaryPhoneOf(c))}`), 200, 'native lookup').matches;
    const found = matches.find((m: { id: string }) => m.id === c.id);
    return found ? { phones: found.phone_numbers.map((p: { number: string }) => p.number), emails: found.emails.map((e: { address: string }) => e.address) } : null;
  },
  shows: { phones: 'all', emails: 'all' },
};

const genesys: Dialect = {
  name: 'Genesys GWS',
  async write(shared, p) {
    const body = ok(await shared.call('POST', '/genesys/api/v2/contacts', { name: `${p.first} ${p.last}`, type: 'Custom', phoneNumber: p.phones[0] }, shared.basic), 200, 'GWS create');
    return { id: body.id, phones: [p.phones[0]!], emails: [] };
  },
  async read(shared, c) {
    const body = ok(await shared.call('GET', `/genesys/api/v2/contacts?phoneNumber=${encodeURIComponent(primaryPhoneOf(c))}`, undefined, shared.basic), 200, 'GWS list');
    const found = body.contacts.find((g: { id: string }) => g.id === c.id);
    return found ? { phones: found.phoneNumbers.map((p: { phoneNumber: string }) => p.phoneNumber), emails: found.emailAddress ? [found.emailAddress] : [] } : null;
  },
  shows: { phones: 'all', emails: 'primary' },
};

const apptoto: Dialect = {
  name: 'Apptoto',
  async write(shared, p) {
    const body = ok(await shared.call('POST', '/apptoto/v1/contacts', { contacts: [{ address_book: shared.streamBook.name, first_name: p.first, last_name: p.last, phone_numbers: p.phones.map((number) => ({ number })), email_addresses: [{ address: p.email }] }] }, shared.basic), 200, 'Apptoto create');
    assert.equal(typeof body.contacts[0].id, 'number', JSON.stringify(body.contacts[0]));
    return { id: await coreIdOf(shared, p.phones[0]!), phones: p.phones, emails: [p.email] };
  },
  async read(shared, c) {
    const books = ok(await shared.call('GET', '/apptoto/v1/address_books', undefined, shared.basic), 200, 'Apptoto books').address_books;
    const book = books.find((b: { name: string }) => b.name === (c.address_book_id === shared.streamBook.id ? shared.streamBook.name : shared.defaultBook.name));
    const query = `address_book_id=${book.id}&phone_number=${encodeURIComponent(primaryPhoneOf(c))}`;
    const listed = ok(await shared.call('GET', `/apptoto/v1/contacts?${query}`, undefined, shared.basic), 200, 'Apptoto list').contacts;
    if (listed.length !== 1) return null;
    return { phones: listed[0].phone_numbers.map((p: { number: string }) => p.number), emails: listed[0].email_addresses.map((e: { address: string }) => e.address) };
  },
  shows: { phones: 'all', emails: 'all' },
};

const koreai: Dialect = {
  name: 'Kore.ai AgentAssist',
  async write(shared, p) {
    const cellPhone = { phoneNumber: p.phones[0]!.slice(2), countryCode: '+1', extension: '+' };
    const body = ok(await shared.call('POST', `/agentassist/api/v1/public/${shared.stream}/contacts`, { firstName: p.first, lastName: p.last, salutation: 'Ms', cellPhone }, await shared.kore()), 201, 'Kore.ai create');
    return { id: body.id, phones: [p.phones[0]!], emails: [] };
  },
  async read(shared, c) {
    // Kore.ai lists a stream whole, page by page: walk it.
    for (let skip = 0; ; skip += 100) {
      const page = ok(await shared.call('GET', `/agentassist/api/v1/public/${shared.stream}/contacts?skip=${skip}&limit=100`, undefined, await shared.kore()), 200, 'Kore.ai list');
      const found = page.results.find((k: { id: string }) => k.id === c.id);
      if (found) return { phones: found.cellPhone.phoneNumber === '' ? [] : [found.cellPhone.phoneNumber], emails: [] };
      if (!page.hasMore) return null;
    }
  },
  shows: { phones: 'primary', emails: 'none' },
  booksOnly: 'stream',
};

const zoom: Dialect = {
  name: 'Zoom Contact Center',
  async write(shared, p) {
    const body = ok(await shared.call('POST', `/zoom/v2/contact_center/address_books/${shared.streamBook.id}/contacts`, { display_name: `${p.first} ${p.last}`, first_name: p.first, last_name: p.last, phone_numbers: p.phones, emails: [p.email] }), 201, 'Zoom create');
    return { id: body.contact_id, phones: p.phones, emails: [p.email] };
  },
  async read(shared, c) {
    const listed = ok(await shared.call('GET', `/zoom/v2/contact_center/address_books/${c.address_book_id}/contacts?phone_numbers=${encodeURIComponent(primaryPhoneOf(c))}`), 200, 'Zoom list').contacts;
    const found = listed.find((z: { contact_id: string }) => z.contact_id === c.id);
    return found ? { phones: found.phone_numbers, emails: found.emails ?? [] } : null;
  },
  shows: { phones: 'all', emails: 'all' },
};

const eightByEight: Dialect = {
  name: '8x8 Connect',
  async write(shared, p) {
    const body = ok(await shared.call('POST', `/8x8/api/v1/accounts/${shared.api.accountId}/contacts`, { firstName: p.first, lastName: p.last, addresses: { msisdn: p.phones[0]!.slice(1), email: p.email } }), 201, '8x8 create');
    assert.equal(typeof body.id, 'number', JSON.stringify(body));
    return { id: await coreIdOf(shared, p.phones[0]!), phones: [p.phones[0]!], emails: [p.email] };
  },
  async read(shared, c) {
    const msisdn = primaryPhoneOf(c).slice(1);
    const listed = ok(await shared.call('GET', `/8x8/api/v1/accounts/${shared.api.accountId}/contacts?query=${msisdn}`), 200, '8x8 list').items;
    const found = listed.filter((e: { addresses: { msisdn?: string } }) => e.addresses.msisdn === msisdn);
    if (found.length !== 1) return null;
    return { phones: [`+${found[0].addresses.msisdn}`], emails: found[0].addresses.email ? [found[0].addresses.email] : [] };
  },
  shows: { phones: 'primary', emails: 'primary' },
};

export const dialects: Dialect[] = [native, zoom, genesys, eightByEight, apptoto, koreai];
