import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { describeWithSpec } from '../../support/vendor-specs.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { ZOOM_SPEC, assertZoomError, newZoomBook, zoom } from './support.ts';

/**
 * README Decision: batch POST takes {"contacts": [<create body>]}, PATCH {"contacts": [{"contact_id", ...}]},
 * DELETE {"contact_ids": [...]}, each at most 300 items; POST and PATCH answer {"contacts": [...]} with one
 * entry per item (the contact, or {"code", "message"}), DELETE answers 204.
 */
for (const engine of engines) {
  describeWithSpec(ZOOM_SPEC, `Zoom contact batches on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof zoom>;
    let bookId: string;
    before(async () => {
      api = await startApi(engine);
      call = zoom(api);
      bookId = await newZoomBook(call);
    });
    after(() => api.close());

    test('batch POST: one entry per item in order; a bad item fails alone with its Zoom code', async () => {
      const phone = uniquePhone();
      const res = await call('POST', `/${bookId}/contacts/batch`, {
        contacts: [
          { display_name: 'First', phone_numbers: [phone] },
          { phone_numbers: [uniquePhone()] },
          { display_name: 'No address' },
          { display_name: 'Wrong type', phone_numbers: 'not a list' },
          { display_name: 'Unknown field', emails: ['u@example.com'], custom_fields: [{ custom_field_id: randomUUID(), custom_field_value: 'x' }] },
          { display_name: 'Last', emails: ['last@example.com'] },
        ],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const entries = res.body.contacts;
      assert.equal(entries.length, 6);
      assert.deepEqual([entries[0].display_name, entries[0].phone_numbers, entries[5].display_name], ['First', [phone], 'Last']);
      assert.deepEqual(entries.slice(1, 5).map((e: any) => e.code), [2104, 2102, 300, 2114]);
      const listed = (await call('GET', `/${bookId}/contacts`)).body.contacts.map((c: any) => c.contact_id);
      assert.deepEqual(listed, [entries[0].contact_id, entries[5].contact_id]);
      assert.equal((await api.call('GET', `/v1/contacts/${entries[5].contact_id}`)).body.address_book_id, bookId);
    });

    test('batch PATCH: each item by contact_id; unknown or other-book ids and bad changes fail alone (2101, 2102)', async () => {
      const a = (await call('POST', `/${bookId}/contacts`, { display_name: 'A', phone_numbers: [uniquePhone()] })).body;
      const b = (await call('POST', `/${bookId}/contacts`, { display_name: 'B', emails: ['b@example.com'] })).body;
      const elsewhere = (await call('POST', `/${await newZoomBook(call)}/contacts`, { display_name: 'E', emails: ['e@example.com'] })).body;
      const res = await call('PATCH', `/${bookId}/contacts/batch`, {
        contacts: [
          { contact_id: a.contact_id, company: 'Acme' },
          { contact_id: randomUUID(), company: 'x' },
          { contact_id: elsewhere.contact_id, company: 'x' },
          { contact_id: b.contact_id, emails: [] },
          { company: 'no id' },
        ],
      });
      assert.equal(res.status, 200);
      const entries = res.body.contacts;
      assert.equal(entries[0].company, 'Acme');
      assert.deepEqual(entries.slice(1).map((e: any) => e.code), [2101, 2101, 2102, 300]);
      assert.deepEqual((await call('GET', `/${bookId}/contacts/${b.contact_id}`)).body.emails, ['b@example.com']);
    });

    test('batch DELETE: 204 and every id gone; one unknown id is 404/2101 and deletes none', async () => {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await call('POST', `/${bookId}/contacts`, { display_name: `D${i}`, phone_numbers: [uniquePhone()] })).body.contact_id);
      assertZoomError(await call('DELETE', `/${bookId}/contacts/batch`, { contact_ids: [...ids, randomUUID()] }), 404, 2101);
      for (const id of ids) assert.equal((await call('GET', `/${bookId}/contacts/${id}`)).status, 200);
      const res = await call('DELETE', `/${bookId}/contacts/batch`, { contact_ids: ids });
      assert.equal(res.status, 204);
      for (const id of ids) assertZoomError(await call('GET', `/${bookId}/contacts/${id}`), 404, 2101);
    });

    test('each batch takes at most 300 items (301: 400/300, nothing written); an unknown book is 404/2001', async () => {
      const before = (await call('GET', `/${bookId}/contacts`)).body.total_records;
      const many = Array.from({ length: 301 }, (_, i) => ({ display_name: `M${i}`, emails: [`m${i}@example.com`] }));
      assertZoomError(await call('POST', `/${bookId}/contacts/batch`, { contacts: many }), 400, 300);
      assertZoomError(await call('PATCH', `/${bookId}/contacts/batch`, { contacts: many.map(() => ({ contact_id: randomUUID() })) }), 400, 300);
      assertZoomError(await call('DELETE', `/${bookId}/contacts/batch`, { contact_ids: many.map(() => randomUUID()) }), 400, 300);
      assertZoomError(await call('POST', `/${bookId}/contacts/batch`, { contacts: [] }), 400, 300);
      assertZoomError(await call('POST', `/${randomUUID()}/contacts/batch`, { contacts: [{ display_name: 'x', emails: ['x@example.com'] }] }), 404, 2001);
      assert.equal((await call('GET', `/${bookId}/contacts`)).body.total_records, before);
      const full = await call('POST', `/${bookId}/contacts/batch`, { contacts: many.slice(0, 300) });
      assert.equal(full.body.contacts.filter((c: any) => c.contact_id).length, 300);
    });
  });
}
