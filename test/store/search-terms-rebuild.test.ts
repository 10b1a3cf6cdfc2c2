import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { MIGRATIONS } from '../../src/store/migrate.ts';
import { rebuildSearchTerms } from '../../src/store/search-terms.rebuild.ts';
import type { Database } from '../../src/store/tables.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { engines } from '../support/engines.ts';

/**
 * Issue 9: "contacts written before messaging handles were indexed are found by those handles. A
 * migration rebuilds the search terms, in chunks, on both engines." An old row is simulated by
 * deleting a contact's handle term with SQL; migration 005's rebuild must bring it back.
 */
for (const engine of engines) {
  describe(`search terms rebuild (migration 005) on ${engine.name}`, () => {
    let api: TestApi;
    let db: Kysely<Database>;
    const found = async (q: string) => (await api.call('GET', `/v1/contacts?q=${encodeURIComponent(q)}`)).body.data.map((c: { id: string }) => c.id);
    before(async () => {
      api = await startApi(engine);
      db = api.db.handle.db;
    });
    after(() => api.close());

    const seqOf = async (id: string) => Number((await db.selectFrom('contacts').select('seq').where('id', '=', id).executeTakeFirstOrThrow()).seq);

    test('migration 005, run on a database holding a contact without its handle term, makes it findable by the handle', async () => {
      const handle = `Mig.Handle_${randomUUID().slice(0, 8)}`;
      const contact = await api.createContact({ display_name: 'Mira Migrated', messaging: [{ channel: 'wechat', handle }] });
      await db.deleteFrom('contact_terms').where('contact_seq', '=', await seqOf(contact.id)).where('term', '=', handle.toLowerCase()).execute();
      assert.deepEqual(await found(handle), [], 'an old row: not found by its handle');
      // As on a database migrated before 005 existed, when 005 runs there (listed, so it runs on start).
      const migration = MIGRATIONS['005-rebuild-search-terms'];
      assert.ok(migration, 'migration 005 is listed');
      await migration.up(db, engine.name);
      assert.deepEqual(await found(handle), [contact.id]);
    });

    test('a contact whose handle term is missing (written before handles were terms) is found by its handle after the rebuild; in chunks of 2', async () => {
      const handle = `Old.Handle_${randomUUID().slice(0, 8)}`;
      const others = [];
      for (let i = 0; i < 5; i++) others.push(await api.createContact({ display_name: `Other ${i}`, phone_numbers: [{ number: uniquePhone() }] }));
      const old = await api.createContact({ display_name: 'Olga Oldrow', messaging: [{ channel: 'whatsapp', handle }] });
      const inactive = await api.createContact({ display_name: 'Gone Person', messaging: [{ channel: 'telegram', handle: `gone_${randomUUID().slice(0, 8)}` }] });
      assert.equal((await api.call('DELETE', `/v1/contacts/${inactive.id}`)).status, 204);
      assert.deepEqual(await found(handle), [old.id], 'found while its term is there');

      await db.deleteFrom('contact_terms').where('contact_seq', '=', await seqOf(old.id)).where('term', '=', handle.toLowerCase()).execute();
      // A term no write would make (an older word splitting, say) is dropped by the rebuild too.
      await db.insertInto('contact_terms').values({ account_id: api.accountId, contact_seq: await seqOf(others[2].id), term: 'zzstaleterm' }).execute();
      assert.deepEqual(await found(handle), [], 'an old row: not found by its handle');
      assert.deepEqual(await found('zzstaleterm'), [others[2].id]);

      const contacts = Number((await db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const report = await rebuildSearchTerms(db, engine.name, 2);
      assert.deepEqual(report, { contacts, rewritten: 2 }, 'every contact read, only the two that differed written');
      assert.deepEqual(await found(handle), [old.id]);
      assert.deepEqual(await found(handle.slice(0, 6)), [old.id], 'by prefix too');
      assert.deepEqual(await found('zzstaleterm'), []);
      assert.deepEqual(await found('Olga'), [old.id], 'its other terms are kept');
      assert.deepEqual(await rebuildSearchTerms(db, engine.name, 1000), { contacts, rewritten: 0 }, 'an up-to-date database is only read');
    });
  });
}
