import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { apptoto, assertItemFailure } from './support.ts';

/**
 * docs/dialects/apptoto.md: "50 numbers and 50 addresses per contact". apptoto-create-contacts.txt
 * gives two ways to send numbers ("phone ... If the contact has multiple phone numbers then pass
 * the phone_numbers array instead"; "email ... pass the email_address array instead") and the PUT
 * adds with `add_phone` / `add_email` (README: plain fields patched, lists replaced whole). The
 * limit counts what the contact would hold, whichever fields brought it, repeats counted once.
 */
for (const engine of engines) {
  describe(`Apptoto per-contact limits on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof apptoto>;
    const phones = (n: number) => Array.from({ length: n }, () => uniquePhone());
    const emails = (n: number) => Array.from({ length: n }, (_, i) => `limit-${i}-${randomUUID().slice(0, 8)}@example.com`);
    const nativeOf = async (externalId: string) => (await api.call('GET', `/v1/contacts?external_id=${encodeURIComponent(externalId)}`)).body.data;
    before(async () => {
      api = await startApi(engine);
      call = apptoto(api);
    });
    after(() => api.close());

    test('POST: 50 phone_numbers plus a different phone is 51 numbers, refused (400 naming phone_numbers); the same number in another format is one', async () => {
      const fifty = phones(50);
      const externalId = `lim-${randomUUID()}`;
      const over = await call('POST', '/contacts', {
        contacts: [{ address_book: 'Limits', name: 'Too Many', external_id: externalId, phone: uniquePhone(), phone_numbers: fifty.map((number) => ({ number })) }],
      });
      assertItemFailure(over.body.contacts[0], 400, 'validation_failed', 'phone_numbers');
      assert.deepEqual(await nativeOf(externalId), [], 'nothing written');

      // +1651... sent again as 651-... national: one number after reading, so 50 in all.
      const national = fifty[0]!.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '$1-$2-$3');
      const ok = await call('POST', '/contacts', {
        contacts: [{ address_book: 'Limits', name: 'Just Enough', external_id: externalId, phone: national, phone_numbers: fifty.map((number) => ({ number })) }],
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.contacts[0].phone_numbers.length, 50);
    });

    test('POST: 50 email_addresses plus a different email is refused (400 naming email_addresses); the same address in other case is one', async () => {
      const fifty = emails(50);
      const over = await call('POST', '/contacts', {
        contacts: [{ address_book: 'Limits', name: 'Too Many Mails', email: `other-${randomUUID()}@example.com`, email_addresses: fifty.map((address) => ({ address })) }],
      });
      assertItemFailure(over.body.contacts[0], 400, 'validation_failed', 'email_addresses');
      const ok = await call('POST', '/contacts', {
        contacts: [{ address_book: 'Limits', name: 'Enough Mails', email: fifty[3]!.toUpperCase(), email_addresses: fifty.map((address) => ({ address })) }],
      });
      assert.equal(ok.body.contacts[0].email_addresses.length, 50, JSON.stringify(ok.body));
    });

    test('PUT: add_phone onto a contact holding 50 numbers is refused and the contact keeps its 50; add_email likewise', async () => {
      const externalId = `lim-${randomUUID()}`;
      const created = await call('POST', '/contacts', {
        contacts: [{ address_book: 'Limits', name: 'Full House', external_id: externalId, phone_numbers: phones(50).map((number) => ({ number })), email_addresses: emails(50).map((address) => ({ address })) }],
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const addPhone = await call('PUT', '/contacts', { contacts: [{ external_id: externalId, add_phone: uniquePhone() }] });
      assertItemFailure(addPhone.body.contacts[0], 400, 'validation_failed', 'phone_numbers');
      const addEmail = await call('PUT', '/contacts', { contacts: [{ external_id: externalId, add_email: `more-${randomUUID()}@example.com` }] });
      assertItemFailure(addEmail.body.contacts[0], 400, 'validation_failed', 'email_addresses');
      const [native] = await nativeOf(externalId);
      assert.deepEqual([native.phone_numbers.length, native.emails.length, native.version], [50, 50, 1]);
      // Replacing the whole list (README: "phone_numbers ... replaced whole") is how to change a full contact.
      const replaced = await call('PUT', '/contacts', { contacts: [{ external_id: externalId, phone_numbers: [{ number: uniquePhone() }] }] });
      assert.equal(replaced.body.contacts[0].phone_numbers.length, 1, JSON.stringify(replaced.body));
    });
  });
}
