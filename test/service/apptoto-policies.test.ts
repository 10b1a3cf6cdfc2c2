/** Core rules the Apptoto dialect selects (src/core/contacts/contact-upsert.ts), tested once through the services on every engine. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { UpsertPolicy } from '../../src/core/contacts/contact-upsert.ts';
import { DomainError } from '../../src/core/errors.ts';
import type { Contact, Principal } from '../../src/core/types.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

const PUT: UpsertPolicy = { mode: 'upsert', writableTypes: ['custom'] };
const POST: UpsertPolicy = { mode: 'create', bookRequiredToCreate: true, nameRequired: true, writableTypes: ['custom'] };
const failsWith = (code: string, path?: string) => (e: unknown) =>
  e instanceof DomainError && e.code === code && (path === undefined || e.fieldErrors.some((f) => f.path === path));

for (const engine of engines) {
  describe(`Apptoto upsert policies on ${engine.name}`, () => {
    let api: TestApi;
    let admin: Principal;
    const contacts = () => api.app.services.contacts;
    const books = () => api.app.services.addressBooks;
    before(async () => {
      api = await startApi(engine);
      admin = api.admin;
      await api.app.services.customFields.create(admin, { key: 'tier', data_type: 'string' });
      await api.app.services.customFields.create(admin, { key: 'visits', data_type: 'number' });
    });
    after(() => api.close());

    test('upsert by seq: plain fields given are patched, the others kept; phones, emails and custom values given are replaced whole', async () => {
      const book = await books().findOrCreateByName(admin, `Patch ${randomUUID()}`);
      const [p1, p2, p3] = [uniquePhone(), uniquePhone(), uniquePhone()];
      const { contact } = await contacts().upsert(admin, {
        book: { seq: book.seq },
        input: { first_name: 'Fred', last_name: 'Smith', company: 'Acme', phone_numbers: [{ number: p1 }, { number: p2, is_primary: true }], emails: [{ address: 'fred@example.com' }], custom_fields: { tier: 'gold', visits: 3 } },
      }, PUT);
      const { contact: changed, created } = await contacts().upsert(admin, { key: { seq: contact.seq }, input: { last_name: 'Smyth', phone_numbers: [{ number: p3 }], custom_fields: { visits: 4 } } }, PUT);
      assert.equal(created, false);
      assert.equal(changed.id, contact.id);
      assert.equal(changed.first_name, 'Fred');
      assert.equal(changed.last_name, 'Smyth');
      assert.equal(changed.display_name, 'Fred Smyth', 'a derived display name follows the names');
      assert.equal(changed.company, 'Acme');
      assert.deepEqual(changed.phone_numbers.map((p) => p.e164), [p3]);
      assert.deepEqual(changed.emails.map((e) => e.address), ['fred@example.com'], 'not given: kept');
      assert.deepEqual(changed.custom_fields, { visits: 4 }, 'custom values replaced whole, not merged key by key');
      const emptied = (await contacts().upsert(admin, { key: { seq: contact.seq }, input: { emails: [], custom_fields: {} } }, PUT)).contact;
      assert.deepEqual(emptied.emails, []);
      assert.deepEqual(emptied.custom_fields, {});
      assert.deepEqual(emptied.phone_numbers.map((p) => p.e164), [p3]);
    });

    test('add phones and emails are appended to the stored ones; an added primary becomes the only primary', async () => {
      const book = await books().findOrCreateByName(admin, `Add ${randomUUID()}`);
      const [p1, p2] = [uniquePhone(), uniquePhone()];
      const { contact } = await contacts().upsert(admin, { book: { seq: book.seq }, input: { display_name: 'Adder', phone_numbers: [{ number: p1 }] } }, PUT);
      const changed = (await contacts().upsert(admin, { key: { seq: contact.seq }, input: {}, add: { phones: [{ number: p2, is_primary: true }], emails: [{ address: 'add@example.com' }] } }, PUT)).contact;
      assert.deepEqual(changed.phone_numbers.map((p) => [p.e164, p.is_primary]), [[p1, false], [p2, true]]);
      assert.deepEqual(changed.emails.map((e) => e.address), ['add@example.com']);
    });

    test('upsert by external id creates when missing and changes when present; create mode refuses a held external id', async () => {
      const externalId = `ext-${randomUUID()}`;
      const book = await books().findOrCreateByName(admin, `Ext ${randomUUID()}`);
      const first = await contacts().upsert(admin, { key: { externalId }, book: { seq: book.seq }, input: { display_name: 'First' } }, PUT);
      assert.equal(first.created, true);
      assert.equal(first.contact.external_id, externalId);
      const second = await contacts().upsert(admin, { key: { externalId }, input: { display_name: 'Second' } }, PUT);
      assert.equal(second.created, false);
      assert.equal(second.contact.id, first.contact.id);
      assert.equal(second.contact.display_name, 'Second');
      await assert.rejects(contacts().upsert(admin, { book: { seq: book.seq }, input: { display_name: 'Again', external_id: externalId } }, POST), failsWith('duplicate_external_id', 'external_id'));
    });

    test('external id is unique across the account: racing creates, and racing upserts, leave one contact', async () => {
      for (const policy of [POST, PUT]) {
        const externalId = `race-${randomUUID()}`;
        const bookName = `Race ${randomUUID()}`;
        const attempts = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) => contacts().upsert(admin, { key: policy === PUT ? { externalId } : {}, book: { name: bookName }, input: { display_name: `Racer ${i}`, external_id: externalId } }, policy)),
        );
        const found = await contacts().list(admin, { externalId }, 10);
        assert.equal(found.items.length, 1, `${policy.mode}: one contact`);
        const succeeded = attempts.filter((a) => a.status === 'fulfilled');
        if (policy === PUT) assert.equal(succeeded.length, 6, 'every upsert succeeds: one creates, the others change it');
        else {
          assert.equal(succeeded.length, 1, 'one create wins');
          for (const a of attempts) if (a.status === 'rejected') assert.ok(failsWith('duplicate_external_id')(a.reason));
        }
        const named = (await books().list(admin, 500)).items.filter((b) => b.name === bookName);
        assert.equal(named.length, 1, 'racing callers get one book');
      }
    });

    test('a contact never moves between books: a PUT naming another book is refused and changes nothing', async () => {
      const home = await books().findOrCreateByName(admin, `Home ${randomUUID()}`);
      const other = await books().findOrCreateByName(admin, `Other ${randomUUID()}`);
      const externalId = `stay-${randomUUID()}`;
      const { contact } = await contacts().upsert(admin, { key: { externalId }, book: { seq: home.seq }, input: { display_name: 'Stays' } }, PUT);
      await assert.rejects(contacts().upsert(admin, { key: { externalId }, book: { seq: other.seq }, input: { display_name: 'Moved' } }, PUT), failsWith('validation_failed', 'address_book_id'));
      await assert.rejects(contacts().upsert(admin, { key: { seq: contact.seq }, book: { name: other.name }, input: { display_name: 'Moved' } }, PUT), failsWith('validation_failed', 'address_book'));
      const missingName = `Nowhere ${randomUUID()}`;
      await assert.rejects(contacts().upsert(admin, { key: { seq: contact.seq }, book: { name: missingName }, input: {} }, PUT), failsWith('validation_failed', 'address_book'));
      assert.equal((await api.app.services.addressBooks.list(admin, 500)).items.some((b) => b.name === missingName), false, 'an update does not create books');
      const again = await contacts().get(admin, contact.id);
      assert.equal(again.address_book_id, home.id);
      assert.equal(again.display_name, 'Stays');
      const same = await contacts().upsert(admin, { key: { seq: contact.seq }, book: { seq: home.seq, name: home.name }, input: { display_name: 'Same book' } }, PUT);
      assert.equal(same.contact.display_name, 'Same book', 'naming its own book is fine');
    });

    test('unknown ids, another account\'s ids, ids taken by another contact', async () => {
      await assert.rejects(contacts().upsert(admin, { key: { seq: 987654321 }, input: { display_name: 'x' } }, PUT), failsWith('contact_not_found'));
      const other = await api.otherAccount();
      const otherAdmin = (await api.app.services.accounts.authenticate(other.key))!;
      const theirs = (await contacts().upsert(otherAdmin, { input: { display_name: 'Theirs', external_id: 'shared-ext' } }, PUT)).contact;
      await assert.rejects(contacts().upsert(admin, { key: { seq: theirs.seq }, input: { display_name: 'Mine now' } }, PUT), failsWith('contact_not_found'));
      const mine = await contacts().upsert(admin, { key: { externalId: 'shared-ext' }, input: { display_name: 'Mine' } }, PUT);
      assert.equal(mine.created, true, 'external ids are per account');
      assert.equal((await contacts().get(otherAdmin, theirs.id)).display_name, 'Theirs');
      const b = (await contacts().upsert(admin, { input: { display_name: 'B', external_id: `b-${randomUUID()}` } }, PUT)).contact;
      await assert.rejects(contacts().upsert(admin, { key: { seq: b.seq }, input: { external_id: 'shared-ext' } }, PUT), failsWith('duplicate_external_id'));
      await assert.rejects(contacts().upsert(admin, { book: { seq: 987654321 }, input: { display_name: 'x' } }, POST), failsWith('address_book_not_found', 'address_book_id'));
    });

    test('create policy: a book and a name are required; users and queues are not written; the default book otherwise', async () => {
      await assert.rejects(contacts().upsert(admin, { input: { display_name: 'No book' } }, POST), failsWith('validation_failed', 'address_book'));
      const book = await books().findOrCreateByName(admin, `Named ${randomUUID()}`);
      await assert.rejects(contacts().upsert(admin, { book: { seq: book.seq }, input: { company: 'No name' } }, POST), failsWith('validation_failed', 'display_name'));
      await assert.rejects(contacts().upsert(admin, { book: { seq: book.seq }, input: { display_name: 'Q', type: 'queue' } }, POST), failsWith('forbidden'));
      const user = (await contacts().create(admin, { type: 'user', display_name: 'Agent' })).contact;
      await assert.rejects(contacts().upsert(admin, { key: { seq: user.seq }, input: { display_name: 'Hijacked' } }, PUT), failsWith('forbidden'));
      const defaulted = await contacts().upsert(admin, { input: { display_name: 'Default book' } }, PUT);
      assert.equal((await books().get(admin, defaulted.contact.address_book_id)).is_default, true);
    });

    test('upsertMany: batches changing the same contacts in opposite orders wait for each other instead of deadlocking', async () => {
      const people: Contact[] = [];
      for (let i = 0; i < 30; i++) {
        const book = await books().findOrCreateByName(admin, `Order ${i} ${randomUUID()}`);
        people.push((await contacts().upsert(admin, { book: { seq: book.seq }, input: { display_name: `P${i}` } }, PUT)).contact);
      }
      const rounds = 16;
      const batch = (round: number) => {
        const order = round % 2 === 0 ? people : [...people].reverse();
        return contacts().upsertMany(admin, order.map((p) => ({ key: { seq: p.seq }, input: { company: `r${round}` } })), PUT);
      };
      const results = await Promise.all(Array.from({ length: rounds }, (_, round) => batch(round)));
      for (const outcomes of results) assert.ok(outcomes.every((o) => 'contact' in o), JSON.stringify(outcomes));
      assert.equal((await contacts().get(admin, people[0]!.id)).version, 1 + rounds);
    });

    test('upsertMany: each item on its own; a failed item undoes its own writes, a book it created included', async () => {
      const good = `Good ${randomUUID()}`;
      const doomed = `Doomed ${randomUUID()}`;
      const results = await contacts().upsertMany(admin, [
        { book: { name: good }, input: { display_name: 'One', phone_numbers: [{ number: uniquePhone() }] } },
        { book: { name: doomed }, input: { display_name: 'Bad phone', phone_numbers: [{ number: 'not a phone' }] } },
        new DomainError('validation_failed', 'refused by the caller'),
        { book: { name: good }, input: { display_name: 'Two', custom_fields: { tier: 'silver' } } },
        { book: { name: good }, input: { display_name: 'Bad custom', custom_fields: { undefined_field: 1 } } },
      ], POST);
      assert.deepEqual(results.map((r) => ('contact' in r ? 'ok' : r.error.code)), ['ok', 'validation_failed', 'validation_failed', 'ok', 'validation_failed']);
      const names = (await books().list(admin, 500)).items.map((b) => b.name);
      assert.ok(names.includes(good));
      assert.ok(!names.includes(doomed), 'the failed item\'s new book was undone');
      const goodBook = (await books().list(admin, 500)).items.find((b) => b.name === good)!;
      const inGood = await contacts().list(admin, { addressBookId: goodBook.id }, 10);
      assert.deepEqual(inGood.items.map((c) => c.display_name), ['One', 'Two']);
    });
  });
}
