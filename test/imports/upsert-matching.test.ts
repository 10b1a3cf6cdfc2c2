/**
 * Upsert imports of rows without an external id (issue 11 §1, `mode: upsert`) through HTTP on
 * every engine: a row changes the one contact of the book sharing a phone (E.164) or an email
 * (any case), whatever the book's duplicate policy; several such contacts refuse the row
 * (`ambiguous_match`); the same person twice in one file ends as one contact; re-importing a file
 * changes nothing; two imports racing make one contact per person.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { finished, ndjson } from './jobs.support.ts';

const counts = (job: any) => ({ created: job.created, updated: job.updated, merged: job.merged, skipped: job.skipped, failed: job.failed });
const none = { created: 0, updated: 0, merged: 0, skipped: 0, failed: 0 };

for (const engine of engines) {
  describe(`upsert imports matching by phone or email on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine, { IMPORT_CHUNK_ROWS: '2' });
    });
    after(() => api.close());

    async function upsert(book: string, body: string, contentType = 'application/x-ndjson', extra: Record<string, unknown> = {}) {
      const options = encodeURIComponent(JSON.stringify({ address_book_id: book, mode: 'upsert', ...extra }));
      const res = await api.call('POST', `/v1/imports?options=${options}`, body, { headers: { 'content-type': contentType } });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      return finished(api, res.body.id);
    }
    const contactsOf = async (book: string) => (await api.call('GET', `/v1/contacts?address_book_id=${book}&limit=500`)).body.data as any[];
    const errorsOf = async (job: any) => (await api.call('GET', `/v1/imports/${job.id}/errors`)).body.data as any[];

    test('by external id the contact is found in whichever book holds it, and changed there (it does not move)', async () => {
      const [home, target] = [await api.newBook('allow'), await api.newBook('allow')];
      const externalId = `ext-${Date.now()}`;
      const held = await api.createContact({ address_book_id: home, display_name: 'Held Elsewhere', external_id: externalId });
      const job = await upsert(target, ndjson([{ display_name: 'Held Elsewhere', company: 'Moved Not', external_id: externalId }]));
      assert.deepEqual(counts(job), { ...none, updated: 1 }, JSON.stringify(await errorsOf(job)));
      const after = (await api.call('GET', `/v1/contacts/${held.id}`)).body;
      assert.deepEqual([after.company, after.address_book_id], ['Moved Not', home]);
      assert.deepEqual(await contactsOf(target), []);
    });

    test('a Google CSV whose rows name several labels, imported twice: the second time every row is skipped', async () => {
      const book = await api.newBook('allow');
      const tag = Date.now();
      const csv = ['First Name,Last Name,E-mail 1 - Value,Labels', `Al,Pha,al.${tag}@pha.example,Alpha ${tag} ::: * myContacts`, `Bea,Lee,bea.${tag}@lee.example,Zeta ${tag} ::: Alpha ${tag} ::: * myContacts`].join('\n') + '\n';
      assert.deepEqual(counts(await upsert(book, csv, 'text/csv')), { ...none, created: 2 });
      assert.deepEqual(counts(await upsert(book, csv, 'text/csv')), { ...none, skipped: 2 });
      assert.ok((await contactsOf(book)).every((c) => c.version === 1), 'no new version');
    });

    test('allow book: an Outlook CSV imported twice makes no duplicate; a national number and an email in other case match', async () => {
      const book = await api.newBook('allow');
      const [p1, p2] = [uniquePhone(), uniquePhone()];
      const national = `(${p2.slice(2, 5)}) ${p2.slice(5, 8)}-${p2.slice(8)}`;
      const mail = `ann.${Date.now()}@example.com`;
      const existing = await api.createContact({ address_book_id: book, display_name: 'Ann Old', emails: [{ address: mail }] });
      const csv = ['First Name,Last Name,Mobile Phone,E-mail Address', `Ann,Smith,,${mail.toUpperCase()}`, `Bo,Jones,${national},`, `Cy,Lee,${p1},`].join('\r\n') + '\r\n';
      const first = await upsert(book, csv, 'text/csv', { default_region: 'US' });
      assert.deepEqual(counts(first), { ...none, created: 2, updated: 1 });
      const again = await upsert(book, csv, 'text/csv', { default_region: 'US' });
      assert.deepEqual(counts(again), { ...none, skipped: 3 }, 'the same file again changes nothing');
      // The file's numbers written another way still name the same people.
      const other = await upsert(book, ndjson([{ first_name: 'Bo', last_name: 'Jones', company: 'Acme', phone_numbers: [{ number: p2 }] }]));
      assert.deepEqual(counts(other), { ...none, updated: 1 });
      const listed = await contactsOf(book);
      assert.equal(listed.length, 3);
      const ann = listed.find((c) => c.id === existing.id);
      assert.deepEqual([ann.first_name, ann.last_name, ann.version], ['Ann', 'Smith', 2]);
      assert.equal(listed.find((c) => c.phone_numbers[0]?.e164 === p2)?.company, 'Acme');
    });

    test('one file naming the same person twice (same phone, in one chunk and across chunks) ends as one contact', async () => {
      const book = await api.newBook('allow');
      const phone = uniquePhone();
      const mail = `sam.${Date.now()}@example.com`;
      const job = await upsert(book, ndjson([
        { display_name: 'Sam', phone_numbers: [{ number: phone }] },
        { display_name: 'Sam', phone_numbers: [{ number: phone }], emails: [{ address: mail }] },
        { display_name: 'Sam', phone_numbers: [{ number: phone }], emails: [{ address: mail }] },
        { display_name: 'Samantha', emails: [{ address: mail.toUpperCase() }], phone_numbers: [{ number: phone }] },
      ]));
      assert.deepEqual(counts(job), { ...none, created: 1, updated: 2, skipped: 1 });
      const listed = await contactsOf(book);
      assert.equal(listed.length, 1);
      assert.equal(listed[0].display_name, 'Samantha');
    });

    test('several contacts sharing the row\'s phone or email: the row is refused as ambiguous_match and nothing is written', async () => {
      const book = await api.newBook('allow');
      const [p, q] = [uniquePhone(), uniquePhone()];
      const mail = `amb.${Date.now()}@example.com`;
      const x = await api.createContact({ address_book_id: book, display_name: 'X', phone_numbers: [{ number: p }] });
      const y = await api.createContact({ address_book_id: book, display_name: 'Y', emails: [{ address: mail }] });
      const z = await api.createContact({ address_book_id: book, display_name: 'Z', phone_numbers: [{ number: q }] });
      const w = await api.createContact({ address_book_id: book, display_name: 'W', phone_numbers: [{ number: q }] });
      const job = await upsert(book, ndjson([
        { display_name: 'Both', phone_numbers: [{ number: p }], emails: [{ address: mail }], groups: [`Ambiguous ${Date.now()}`] },
        { display_name: 'Twin', phone_numbers: [{ number: q }] },
      ]));
      assert.deepEqual(counts(job), { ...none, failed: 2 });
      const errors = await errorsOf(job);
      assert.deepEqual(errors.map((e) => [e.row, e.code, e.column]), [[1, 'ambiguous_match', 'phone_numbers'], [2, 'ambiguous_match', 'phone_numbers']]);
      assert.match(errors[0].message, new RegExp(`\\(${x.id}, ${y.id}\\)`));
      assert.match(errors[1].message, new RegExp(`\\(${z.id}, ${w.id}\\)`));
      const listed = await contactsOf(book);
      assert.deepEqual(listed.map((c) => [c.display_name, c.version]).sort(), [['W', 1], ['X', 1], ['Y', 1], ['Z', 1]]);
    });

    test('reject book: the matched contact is updated (not skipped); an external id the book\'s rule refuses is a failed row', async () => {
      const book = await api.newBook('reject');
      const phone = uniquePhone();
      const held = await api.createContact({ address_book_id: book, display_name: 'Held', phone_numbers: [{ number: phone }] });
      const file = ndjson([{ display_name: 'Held Renamed', phone_numbers: [{ number: phone }], emails: [{ address: `held.${Date.now()}@example.com` }] }]);
      assert.deepEqual(counts(await upsert(book, file)), { ...none, updated: 1 });
      assert.deepEqual(counts(await upsert(book, file)), { ...none, skipped: 1 });
      const byExternal = await upsert(book, ndjson([{ external_id: `ext-${Date.now()}`, display_name: 'Other', phone_numbers: [{ number: phone }] }]));
      assert.deepEqual(counts(byExternal), { ...none, failed: 1 });
      assert.deepEqual((await errorsOf(byExternal)).map((e) => e.code), ['duplicate_contact']);
      const listed = await contactsOf(book);
      assert.deepEqual(listed.map((c) => [c.id, c.display_name, c.external_id, c.emails.length]), [[held.id, 'Held Renamed', null, 1]]);
    });

    test('merge book: the matched contact is updated like any other (counted updated); no merged-away record is made', async () => {
      const book = await api.newBook('merge');
      const phone = uniquePhone();
      const held = await api.createContact({ address_book_id: book, display_name: 'Mel', company: 'Old Co', phone_numbers: [{ number: phone }] });
      const file = ndjson([{ display_name: 'Mel', company: 'New Co', phone_numbers: [{ number: phone }] }]);
      assert.deepEqual(counts(await upsert(book, file)), { ...none, updated: 1 });
      assert.deepEqual(counts(await upsert(book, file)), { ...none, skipped: 1 });
      const after = await api.call('GET', `/v1/contacts/${held.id}`);
      assert.deepEqual([after.body.company, after.body.version], ['New Co', 2]);
      const history = await api.call('GET', `/v1/contacts/${held.id}/history`);
      assert.deepEqual(history.body.data.map((c: any) => c.type), ['contact.updated', 'contact.created']);
    });

    test('only the target book counts, and a row with neither phone nor email is a new contact', async () => {
      const [book, elsewhere] = [await api.newBook('allow'), await api.newBook('allow')];
      const phone = uniquePhone();
      await api.createContact({ address_book_id: elsewhere, display_name: 'Elsewhere', phone_numbers: [{ number: phone }] });
      const job = await upsert(book, ndjson([{ display_name: 'Here', phone_numbers: [{ number: phone }] }, { display_name: 'Nameless' }, { display_name: 'Nameless' }]));
      assert.deepEqual(counts(job), { ...none, created: 3 });
      assert.equal((await contactsOf(elsewhere))[0].display_name, 'Elsewhere');
    });

    test('two imports of the same file racing make one contact per person', async () => {
      const book = await api.newBook('allow');
      const rows = Array.from({ length: 24 }, (_, i) => ({ display_name: `Race ${i}`, phone_numbers: [{ number: uniquePhone() }] }));
      const options = encodeURIComponent(JSON.stringify({ address_book_id: book, mode: 'upsert' }));
      const started = await Promise.all([0, 1].map(() => api.call('POST', `/v1/imports?options=${options}`, ndjson(rows), { headers: { 'content-type': 'application/x-ndjson' } })));
      const jobs = await Promise.all(started.map((res) => finished(api, res.body.id)));
      assert.deepEqual(jobs.map((j) => j.failed), [0, 0]);
      assert.equal(jobs[0].created + jobs[1].created, 24, JSON.stringify(jobs.map(counts)));
      assert.equal(jobs[0].skipped + jobs[1].skipped, 24);
      const listed = await contactsOf(book);
      assert.equal(listed.length, 24);
      assert.equal(new Set(listed.map((c) => c.phone_numbers[0].e164)).size, 24);
    });
  });
}
