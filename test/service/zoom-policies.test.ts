/** Core rules the Zoom dialect selects (units, named custom fields, contact requirements), tested once through the services on every engine. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DomainError, type ErrorCode } from '../../src/core/errors.ts';
import type { Principal } from '../../src/core/types.ts';
import { openDatabase } from '../../src/store/engine.ts';
import * as initial from '../../src/store/migrations/001-initial.ts';
import * as analyzeOften from '../../src/store/migrations/002-analyze-often.ts';
import * as units from '../../src/store/migrations/003-units.ts';
import { createPrivateSchema, engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';

const failsWith = (code: ErrorCode, path?: string) => (e: unknown) => e instanceof DomainError && e.code === code && (path === undefined || e.fieldErrors.some((f) => f.path === path));
const ZOOM_REQUIRES = { displayName: true, phoneOrEmail: true };

for (const engine of engines) {
  describe(`Zoom core policies on ${engine.name}`, () => {
    let api: TestApi;
    let admin: Principal;
    before(async () => {
      api = await startApi(engine);
      admin = api.admin;
    });
    after(() => api.close());

    test('migration 003 gives every existing account a default unit holding its existing books', async () => {
      const { db, close } = await bareDatabase(engine.name);
      try {
        await initial.up(db, engine.name);
        await analyzeOften.up(db, engine.name);
        const now = new Date().toISOString();
        for (const id of ['acc-1', 'acc-2']) {
          await db.insertInto('accounts').values({ id, name: id, created_at: now }).execute();
          await db.insertInto('address_books').values({ id: `${id}-book`, account_id: id, name: 'Default', description: null, duplicate_policy: 'allow', is_default: 1, created_at: now, updated_at: now }).execute();
        }
        await units.up(db, engine.name);
        const rows = await db.selectFrom('units').selectAll().orderBy('account_id').execute();
        assert.deepEqual(rows.map((r: any) => [r.account_id, r.name, Number(r.is_default)]), [['acc-1', 'Default', 1], ['acc-2', 'Default', 1]]);
        const books = await db.selectFrom('address_books').select(['account_id', 'unit_id']).orderBy('account_id').execute();
        assert.deepEqual(books.map((b: any) => b.unit_id), rows.map((r: any) => r.id));
        const field = await db.selectFrom('custom_fields').selectAll().execute();
        assert.deepEqual(field, []);
      } finally {
        await close();
      }
    });

    test('Decision: every account has a default unit (made with the account); a book without unit_id goes there, an unknown unit is unit_not_found', async () => {
      const { units: unitService, addressBooks } = api.app.services;
      const list = await unitService.list(admin, 10);
      const defaults = list.items.filter((u) => u.is_default);
      assert.equal(defaults.length, 1);
      const book = await addressBooks.create(admin, { name: `b ${randomUUID()}` });
      assert.equal(book.unit_id, defaults[0]!.id);
      const defaultBook = (await addressBooks.list(admin, 10)).items.find((b) => b.is_default)!;
      assert.equal(defaultBook.unit_id, defaults[0]!.id);
      await assert.rejects(addressBooks.create(admin, { name: `b ${randomUUID()}`, unit_id: randomUUID() }), failsWith('unit_not_found'));
      const other = await api.otherAccount();
      const otherPrincipal = (await api.app.services.accounts.authenticate(other.key))!;
      await assert.rejects(addressBooks.create(otherPrincipal, { name: 'x', unit_id: defaults[0]!.id }), failsWith('unit_not_found'), 'another tenant\'s unit is unknown');
    });

    test('an account without a default unit (made before units, or by hand) gets one on first use, once, however many race', async () => {
      const { units: unitService, addressBooks } = api.app.services;
      const other = await api.otherAccount();
      const principal = (await api.app.services.accounts.authenticate(other.key))!;
      const made = (await unitService.list(principal, 10)).items[0]!;
      const books = (await addressBooks.list(principal, 10)).items;
      await api.db.store.transaction(async (tx) => {
        await tx.units.moveBooks(principal.accountId, made.id, 'none');
        await tx.units.delete(principal.accountId, made.id);
      });
      const created = await Promise.all([0, 1, 2].map((i) => addressBooks.create(principal, { name: `first use ${i}` })));
      const units = (await unitService.list(principal, 10)).items;
      assert.equal(units.length, 1);
      assert.ok(units[0]!.is_default && units[0]!.id !== made.id);
      assert.deepEqual(created.map((b) => b.unit_id), [units[0]!.id, units[0]!.id, units[0]!.id]);
      assert.equal(books.length, 1);
      await assert.rejects(
        api.db.store.units.insert({ id: randomUUID(), account_id: principal.accountId, name: 'second default', description: null, is_default: true, created_at: units[0]!.created_at, updated_at: units[0]!.created_at }),
        failsWith('duplicate_unit'),
        'the database allows one default unit per account',
      );
    });

    test('units: the default unit cannot be deleted; a deleted unit\'s books, contacts and all, move to the default unit', async () => {
      const { units: unitService, addressBooks, contacts } = api.app.services;
      const defaultUnit = (await unitService.list(admin, 10)).items.find((u) => u.is_default)!;
      await assert.rejects(unitService.delete(admin, defaultUnit.id), failsWith('default_unit'));
      const unit = await unitService.create(admin, { name: `u ${randomUUID()}` });
      const book = await addressBooks.create(admin, { name: `b ${randomUUID()}`, unit_id: unit.id });
      const contact = (await contacts.create(admin, { display_name: 'Kept', address_book_id: book.id })).contact;
      assert.equal((await unitService.listBooks(admin, unit.id, 10)).total, 1);
      await unitService.delete(admin, unit.id);
      await assert.rejects(unitService.get(admin, unit.id), failsWith('unit_not_found'));
      assert.equal((await addressBooks.get(admin, book.id)).unit_id, defaultUnit.id);
      assert.equal((await contacts.get(admin, contact.id)).address_book_id, book.id);
    });

    test('units: two racing creates of one name leave one unit and refuse the other (duplicate_unit)', async () => {
      const name = `race ${randomUUID()}`;
      const results = await Promise.allSettled([0, 1, 2].map(() => api.app.services.units.create(admin, { name })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(failsWith('duplicate_unit')(r.reason), String(r.reason));
      assert.equal((await api.app.services.units.list(admin, 300)).items.filter((u) => u.name === name).length, 1);
    });

    test('named custom fields: names unique even when racing; key derived from the name; a native field shows its label as its name', async () => {
      const fields = api.app.services.customFields;
      const name = `Preferred Contact ${randomUUID().slice(0, 8)}`;
      const results = await Promise.allSettled([0, 1, 2].map(() => fields.createNamed(admin, { name, data_type: 'string' })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(failsWith('duplicate_custom_field')(r.reason), String(r.reason));
      const made = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<any>).value;
      assert.match(made.key, /^preferred_contact_[a-z0-9_]+$/);
      assert.equal(made.name, name);

      const native = await fields.create(admin, { key: `native_${randomUUID().slice(0, 8)}`, label: 'Native label', data_type: 'number' });
      assert.equal(native.name, 'Native label');
      await assert.rejects(fields.createNamed(admin, { name: 'Native label', data_type: 'string' }), failsWith('duplicate_custom_field'));
      const bare = await fields.create(admin, { key: `bare_${randomUUID().slice(0, 8)}`, data_type: 'string' });
      assert.equal(bare.name, bare.key);
    });

    test('custom field update keeps id and key (values stay attached), refuses a taken name, checks the default against the type and the books', async () => {
      const fields = api.app.services.customFields;
      const field = await fields.createNamed(admin, { name: `Tier ${randomUUID().slice(0, 8)}`, data_type: 'pick_list', options: ['gold', 'silver'], default_value: 'gold' });
      const other = await fields.createNamed(admin, { name: `Other ${randomUUID().slice(0, 8)}`, data_type: 'string' });
      const contact = (await api.app.services.contacts.create(admin, { display_name: 'V', custom_fields: { [field.key]: 'silver' } })).contact;
      await assert.rejects(fields.update(admin, field.id, { name: other.name }), failsWith('duplicate_custom_field'));
      await assert.rejects(fields.update(admin, field.id, { default_value: 'bronze' }), failsWith('validation_failed', 'default_value'));
      await assert.rejects(fields.update(admin, field.id, { address_book_ids: [randomUUID()] }), failsWith('address_book_not_found'));
      const renamed = await fields.update(admin, field.id, { name: `Level ${randomUUID().slice(0, 8)}`, options: ['gold', 'silver', 'bronze'], default_value: 'bronze', flags: { show_in_profile_tab: true } });
      assert.deepEqual([renamed.id, renamed.key, renamed.default_value, renamed.flags], [field.id, field.key, 'bronze', { show_in_profile_tab: true }]);
      assert.deepEqual(await fields.getById(admin, field.id), { ...renamed, seq: field.seq });
      assert.equal((await api.app.services.contacts.get(admin, contact.id)).custom_fields[field.key], 'silver');
      await assert.rejects(fields.createNamed(admin, { name: `N ${randomUUID()}`, data_type: 'number', default_value: 'ten' }), failsWith('validation_failed', 'default_value'));
    });

    test('requirements: display name and a phone or email, on create, on PATCH (the merged contact) and in batches', async () => {
      const contacts = api.app.services.contacts;
      await assert.rejects(contacts.create(admin, { phone_numbers: [{ number: uniquePhone() }] }, { requires: ZOOM_REQUIRES }), failsWith('validation_failed', 'display_name'));
      await assert.rejects(contacts.create(admin, { display_name: 'No address' }, { requires: ZOOM_REQUIRES }), failsWith('validation_failed', 'phone_numbers'));
      const made = (await contacts.create(admin, { display_name: 'Ok', emails: [{ address: 'ok@example.com' }] }, { requires: ZOOM_REQUIRES })).contact;
      await assert.rejects(contacts.patch(admin, made.id, { emails: [] }, undefined, { requires: ZOOM_REQUIRES }), failsWith('validation_failed', 'phone_numbers'));
      await assert.rejects(contacts.patch(admin, made.id, { display_name: null }, undefined, { requires: ZOOM_REQUIRES }), failsWith('validation_failed', 'display_name'));
      assert.equal((await contacts.patch(admin, made.id, { emails: [], phone_numbers: [{ number: uniquePhone() }] }, undefined, { requires: ZOOM_REQUIRES })).emails.length, 0);
      const batch = await contacts.createMany(admin, [{ display_name: 'x' }, { display_name: 'y', phone_numbers: [{ number: uniquePhone() }] }], { requires: ZOOM_REQUIRES });
      assert.ok('error' in batch[0]! && failsWith('validation_failed', 'phone_numbers')(batch[0].error));
      assert.ok('contact' in batch[1]!);
    });

    test('deleteMany removes every listed contact of the book or none; listPageWithTotal matches phone and email lists', async () => {
      const contacts = api.app.services.contacts;
      const book = await api.app.services.addressBooks.create(admin, { name: `b ${randomUUID()}` });
      const phone = uniquePhone();
      const a = (await contacts.create(admin, { display_name: 'A', address_book_id: book.id, phone_numbers: [{ number: phone }] })).contact;
      const b = (await contacts.create(admin, { display_name: 'B', address_book_id: book.id, emails: [{ address: `B.${randomUUID()}@Example.com` }] })).contact;
      const elsewhere = (await contacts.create(admin, { display_name: 'C' })).contact;
      const ids = async (query: Parameters<typeof contacts.listPageWithTotal>[1]) => (await contacts.listPageWithTotal(admin, { addressBookId: book.id, ...query }, 10)).items.map((c) => c.id);
      assert.deepEqual(await ids({ phonesAnyOf: [phone.replace('+1', '')] }), [a.id]);
      assert.deepEqual(await ids({ emailsAnyOf: ['nobody@example.com', b.emails[0]!.address.toUpperCase()] }), [b.id]);
      assert.deepEqual(await ids({ emailsAnyOf: [] }), []);
      const page = await contacts.listPageWithTotal(admin, { addressBookId: book.id }, 1);
      assert.deepEqual([page.items.map((c) => c.id), page.total, page.nextCursor !== null], [[a.id], 2, true]);
      await assert.rejects(contacts.listPageWithTotal(admin, { phonesAnyOf: ['not a phone'] }, 10), failsWith('validation_failed', 'phone_numbers[0]'));

      await assert.rejects(contacts.deleteMany(admin, [a.id, elsewhere.id], book.id), failsWith('contact_not_found'));
      assert.equal((await ids({})).length, 2, 'nothing was deleted');
      await contacts.deleteMany(admin, [a.id, b.id, a.id], book.id);
      assert.deepEqual(await ids({}), []);
      assert.equal((await contacts.get(admin, elsewhere.id)).id, elsewhere.id);
    });
  });
}

/** A database without any migration, to run migrations one by one. */
async function bareDatabase(engine: 'sqlite' | 'postgres') {
  if (engine === 'sqlite') {
    const handle = openDatabase(`sqlite::memory:`);
    return { db: handle.db as any, close: () => handle.close() };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const { schema, drop } = await createPrivateSchema(url, 'm');
  const handle = openDatabase(url, { searchPath: schema });
  return {
    db: handle.db as any,
    async close() {
      await handle.close();
      await drop();
    },
  };
}
