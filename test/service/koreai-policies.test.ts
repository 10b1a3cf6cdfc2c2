/** Core rules the Kore.ai dialect selects, tested once through the services on every engine. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DomainError } from '../../src/core/errors.ts';
import type { Principal } from '../../src/core/types.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

const codeIs = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;
const REJECT_IN_BOOK = { duplicateRule: { policy: 'reject', scope: 'book' } } as const;

for (const engine of engines) {
  describe(`Kore.ai core policies on ${engine.name}`, () => {
    let api: TestApi;
    let admin: Principal;
    before(async () => {
      api = await startApi(engine);
      admin = api.admin;
    });
    after(() => api.close());

    test('deactivate: status inactive, record kept, gone from lookup, lists and duplicate checks; its number may be used again', async () => {
      const { contacts, addressBooks } = api.app.services;
      const book = await addressBooks.findOrCreateByName(admin, `stream ${Math.random()}`, { duplicate_policy: 'reject' });
      const phone = uniquePhone();
      const first = (await contacts.create(admin, { first_name: 'A', phone_numbers: [{ number: phone }], address_book_id: book.id }, REJECT_IN_BOOK)).contact;
      await assert.rejects(contacts.create(admin, { first_name: 'B', phone_numbers: [{ number: phone }], address_book_id: book.id }, REJECT_IN_BOOK), codeIs('duplicate_contact'));

      const gone = await contacts.deactivate(admin, first.id);
      assert.equal(gone.status, 'inactive');
      assert.equal(gone.version, first.version + 1);
      assert.equal((await contacts.get(admin, first.id)).status, 'inactive', 'the record stays');
      assert.deepEqual(await contacts.lookup(admin, { phone }), [], 'hidden from the lookup');
      assert.equal((await contacts.listWithTotal(admin, { addressBookId: book.id }, { limit: 10, offset: 0 })).total, 0);
      const again = (await contacts.create(admin, { first_name: 'C', phone_numbers: [{ number: phone }], address_book_id: book.id }, REJECT_IN_BOOK)).contact;
      assert.deepEqual((await contacts.lookup(admin, { phone })).map((c) => c.id), [again.id]);
      await assert.rejects(contacts.deactivate(admin, first.id), codeIs('contact_not_active'), 'only a live contact can be deactivated');
    });

    test('createAll with bookByName: every contact or none, the named book made in the same transaction; a refused item is named by extra.item', async () => {
      const { contacts, addressBooks } = api.app.services;
      const name = `stream ${Math.random()}`;
      const options = { ...REJECT_IN_BOOK, bookByName: { name, defaults: { duplicate_policy: 'reject' as const } } };
      const phone = uniquePhone();
      await assert.rejects(
        contacts.createAll(admin, [{ first_name: 'A', phone_numbers: [{ number: phone }] }, { first_name: 'B', phone_numbers: [{ number: phone }] }], options),
        (e: unknown) => codeIs('duplicate_contact')(e) && (e as DomainError).extra.item === 1,
      );
      await assert.rejects(contacts.create(admin, { first_name: 'C', phone_numbers: [{ number: 'not a phone' }] }, options), codeIs('validation_failed'));
      assert.equal(await addressBooks.findByName(admin, name), undefined, 'no book left behind');
      const made = await contacts.createAll(admin, [{ first_name: 'A', phone_numbers: [{ number: phone }] }, { first_name: 'B', phone_numbers: [{ number: uniquePhone() }] }], options);
      const book = await addressBooks.findByName(admin, name);
      assert.equal(book?.duplicate_policy, 'reject');
      assert.deepEqual(made.map((c) => [c.first_name, c.address_book_id]), [['A', book!.id], ['B', book!.id]]);
    });

    test('WritePolicy activeOnly: an inactive contact cannot be patched or deactivated; without it the native patch still can', async () => {
      const { contacts } = api.app.services;
      const contact = (await contacts.create(admin, { first_name: 'Soon gone' })).contact;
      await contacts.deactivate(admin, contact.id);
      await assert.rejects(contacts.patch(admin, contact.id, { first_name: 'Back' }, undefined, { activeOnly: true }), codeIs('contact_not_active'));
      assert.equal((await contacts.get(admin, contact.id)).first_name, 'Soon gone');
      assert.equal((await contacts.patch(admin, contact.id, { first_name: 'Native' })).first_name, 'Native');
    });

    test('WritePolicy addressBookId: a contact of another book is not found for patch and deactivate, and stays untouched', async () => {
      const { contacts, addressBooks } = api.app.services;
      const mine = await addressBooks.findOrCreateByName(admin, `stream mine ${Math.random()}`);
      const theirs = await addressBooks.findOrCreateByName(admin, `stream theirs ${Math.random()}`);
      const contact = (await contacts.create(admin, { first_name: 'Theirs', address_book_id: theirs.id })).contact;
      await assert.rejects(contacts.patch(admin, contact.id, { first_name: 'Taken' }, undefined, { addressBookId: mine.id }), codeIs('contact_not_found'));
      await assert.rejects(contacts.deactivate(admin, contact.id, { addressBookId: mine.id }), codeIs('contact_not_found'));
      const stored = await contacts.get(admin, contact.id);
      assert.equal(stored.first_name, 'Theirs');
      assert.equal(stored.status, 'active');
      assert.equal((await contacts.deactivate(admin, contact.id, { addressBookId: theirs.id })).status, 'inactive');
    });

    test('findOrCreateByName: racing first calls make one book; defaults shape only a new book', async () => {
      const { addressBooks } = api.app.services;
      const name = `agentassist:race-${Math.random()}`;
      const books = await Promise.all(Array.from({ length: 8 }, () => addressBooks.findOrCreateByName(admin, name, { duplicate_policy: 'reject' })));
      assert.equal(new Set(books.map((b) => b.id)).size, 1);
      assert.equal(books[0]!.duplicate_policy, 'reject');
      const existing = await addressBooks.create(admin, { name: `plain ${Math.random()}` });
      assert.equal((await addressBooks.findOrCreateByName(admin, existing.name, { duplicate_policy: 'reject' })).duplicate_policy, 'allow');
    });

    test('racing creates of one number into a reject-in-book rule leave one contact; a patch onto a held number is refused', async () => {
      const { contacts, addressBooks } = api.app.services;
      const book = await addressBooks.findOrCreateByName(admin, `stream race ${Math.random()}`, { duplicate_policy: 'reject' });
      const phone = uniquePhone();
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) =>
        contacts.create(admin, { first_name: `R${i}`, phone_numbers: [{ number: phone }], address_book_id: book.id }, REJECT_IN_BOOK)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(codeIs('duplicate_contact')(r.reason));
      const other = (await contacts.create(admin, { first_name: 'Other', phone_numbers: [{ number: uniquePhone() }], address_book_id: book.id }, REJECT_IN_BOOK)).contact;
      await assert.rejects(contacts.patch(admin, other.id, { phone_numbers: [{ number: phone }] }), codeIs('duplicate_contact'));
    });
  });
}
