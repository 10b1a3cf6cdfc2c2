/**
 * specs/README.md: "Every dialect maps onto the same core data: a contact created through one
 * platform's API is visible through the native API and through every other dialect that can show
 * it." Issue 4: "a contact created through any dialect is visible through the native API and
 * through every other dialect that lists its address book, with the same phones and emails. Test
 * that across all pairs."
 *
 * Every writer creates a contact with its own API; every reader then finds it with its own API
 * and must show the phones and emails the native API shows (as far as the platform's shape can:
 * 8x8 and Kore.ai show one primary number, Genesys and 8x8 one email, Kore.ai none). Genesys and 8x8 have no address
 * books and write into the account's default book; Zoom, Apptoto and Kore.ai write into the book
 * of one Kore.ai stream, which each of them can name, so that every pair that can meet does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toE164 } from '../../src/core/phones.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type Response, type TestApi } from '../support/api.ts';
import { token } from '../support/assertions.ts';
import { koreHeaders } from './koreai/support.ts';
import { basic } from './shared/basic-auth.ts';
import { dialects, type Shared, type Written } from './cross-dialect.support.ts';

for (const engine of engines) {
  describe(`cross-dialect visibility on ${engine.name}`, () => {
    let api: TestApi;
    let shared: Shared;

    before(async () => {
      api = await startApi(engine);
      const stream = `st-cross-${token()}`;
      const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<Response> =>
        api.call(method, url, body, headers ? { key: null, headers } : {});
      // The Kore.ai stream's book is made by the stream's first create, as a Kore client would.
      const first = await call('POST', `/agentassist/api/v1/public/${stream}/contacts`, { firstName: 'First', lastName: 'OfStream', salutation: 'Mr', cellPhone: { phoneNumber: uniquePhone().slice(2), countryCode: '+1', extension: '+' } }, await koreHeaders(api));
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const book = (await api.call('GET', '/v1/address-books?limit=100')).body.data.find((b: { name: string }) => b.name === `agentassist:${stream}`);
      const defaultBook = (await api.call('GET', '/v1/address-books?limit=100')).body.data.find((b: { is_default: boolean }) => b.is_default);
      assert.ok(book && defaultBook);
      shared = { api, call, stream, streamBook: book, defaultBook, basic: basic(api.accountId, api.keys.admin), kore: () => koreHeaders(api) };
    });
    after(() => api.close());

    for (const writer of dialects) {
      test(`a contact written through ${writer.name} is seen with the same phones and emails natively and through every dialect that lists its book`, async () => {
        const written: Written = await writer.write(shared, { first: 'Cross', last: `${writer.name.replace(/\W/g, '')}${token(4)}`, phones: [uniquePhone(), uniquePhone()], email: `${token()}@example.com` });
        const native = await api.call('GET', `/v1/contacts/${written.id}`);
        assert.equal(native.status, 200, JSON.stringify(native.body));
        const phones: string[] = native.body.phone_numbers.map((p: { e164: string }) => p.e164);
        const primaryPhone: string = native.body.phone_numbers.find((p: { is_primary: boolean }) => p.is_primary)?.e164;
        const emails: string[] = native.body.emails.map((e: { address: string }) => e.address.toLowerCase());
        const primaryEmails: string[] = native.body.emails.filter((e: { is_primary: boolean }) => e.is_primary).map((e: { address: string }) => e.address.toLowerCase());
        // What the writer was given is what the core holds.
        assert.deepEqual(phones, written.phones.map((p) => toE164(p, 'US')), `${writer.name}: phones in the core`);
        assert.deepEqual(emails, written.emails, `${writer.name}: emails in the core`);
        const inStreamBook = native.body.address_book_id === shared.streamBook.id;

        for (const reader of dialects) {
          if (reader.booksOnly === 'stream' && !inStreamBook) continue; // Kore.ai lists its stream's book only
          const seen = await reader.read(shared, native.body);
          assert.ok(seen, `${reader.name} does not show the contact written through ${writer.name}`);
          const seenPhones = seen.phones.map((p) => toE164(p, 'US'));
          if (reader.shows.phones === 'all') assert.deepEqual(seenPhones, phones, `${reader.name} shows the phones of a ${writer.name} contact`);
          else assert.deepEqual(seenPhones, [primaryPhone], `${reader.name} shows the primary phone of a ${writer.name} contact`);
          const seenEmails = seen.emails.map((e) => e.toLowerCase());
          if (reader.shows.emails === 'all') assert.deepEqual(seenEmails, emails, `${reader.name} shows the emails of a ${writer.name} contact`);
          else if (reader.shows.emails === 'primary') assert.deepEqual(seenEmails, primaryEmails, `${reader.name} shows the primary email of a ${writer.name} contact`);
        }
      });
    }
  });
}
