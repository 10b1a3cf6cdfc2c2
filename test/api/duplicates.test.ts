import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { assertProblem, token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type Response, type TestApi } from '../support/api.ts';

/** `+1 (651) 111-2222` and `651-111-2222` forms of a +1651... number. */
const parenthesized = (e164: string) => `+1 (${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
const dashed = (e164: string) => `${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`;

const e164s = (c: { phone_numbers: { e164: string }[] }) => c.phone_numbers.map((p) => p.e164).sort();
const addresses = (c: { emails: { address: string }[] }) => c.emails.map((e) => e.address.toLowerCase()).sort();

for (const engine of engines) {
  describe(`duplicate policies on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    async function newBook(policy: 'allow' | 'reject' | 'merge'): Promise<string> {
      const res = await api.call('POST', '/v1/address-books', { name: `book ${randomUUID()}`, duplicate_policy: policy });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.duplicate_policy, policy);
      return res.body.id;
    }

    function create(body: Record<string, unknown>): Promise<Response> {
      return api.call('POST', '/v1/contacts', body);
    }

    async function createOk(body: Record<string, unknown>): Promise<any> {
      const res = await create(body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    }

    async function inBook(bookId: string, filter: Record<string, string> = {}): Promise<any[]> {
      const res = await api.call('GET', `/v1/contacts?${new URLSearchParams({ address_book_id: bookId, limit: '500', ...filter })}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.data;
    }

    test('a new address book allows duplicates by default', async () => {
      const res = await api.call('POST', '/v1/address-books', { name: `book ${randomUUID()}` });
      assert.equal(res.status, 201);
      assert.equal(res.body.duplicate_policy, 'allow');
    });

    test('an unknown duplicate_policy is a 400 naming it', async () => {
      const res = await api.call('POST', '/v1/address-books', { name: `book ${randomUUID()}`, duplicate_policy: 'ignore' });
      assertProblem(res, 400, 'validation_failed');
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === 'duplicate_policy'), JSON.stringify(res.body.errors));
    });

    describe('allow', () => {
      test('two contacts with the same phone and email are both created', async () => {
        const book = await newBook('allow');
        const phone = uniquePhone();
        const email = `same.${token()}@example.com`;
        const a = await createOk({ address_book_id: book, first_name: 'A', phone_numbers: [{ number: phone }], emails: [{ address: email }] });
        const b = await createOk({ address_book_id: book, first_name: 'B', phone_numbers: [{ number: dashed(phone) }], emails: [{ address: email.toUpperCase() }] });
        assert.notEqual(a.id, b.id);
        assert.deepEqual((await inBook(book, { phone })).map((c) => c.id), [a.id, b.id]);
      });
    });

    describe('reject', () => {
      test('a second contact with the same phone (in any format) is a 409 duplicate_contact naming the existing one', async () => {
        const book = await newBook('reject');
        const phone = uniquePhone();
        const existing = await createOk({ address_book_id: book, first_name: 'First', phone_numbers: [{ number: parenthesized(phone) }] });
        for (const number of [phone, dashed(phone), `1${phone.slice(2)}`]) {
          const res = await create({ address_book_id: book, first_name: 'Second', phone_numbers: [{ number: uniquePhone() }, { number }] });
          assertProblem(res, 409, 'duplicate_contact');
          assert.equal(res.body.existing_contact_id, existing.id);
        }
        assert.deepEqual((await inBook(book)).map((c) => c.id), [existing.id]);
      });

      test('a second contact with the same email, in another case, is a 409 duplicate_contact naming the existing one', async () => {
        const book = await newBook('reject');
        const email = `Case.${token()}@Example.com`;
        const existing = await createOk({ address_book_id: book, first_name: 'First', emails: [{ address: email }] });
        for (const address of [email, email.toLowerCase(), email.toUpperCase()]) {
          const res = await create({ address_book_id: book, first_name: 'Second', emails: [{ address }] });
          assertProblem(res, 409, 'duplicate_contact');
          assert.equal(res.body.existing_contact_id, existing.id);
        }
        assert.equal((await inBook(book)).length, 1);
      });

      test('the rule is per book: the same phone in another book, or different addresses, are fine', async () => {
        const book = await newBook('reject');
        const phone = uniquePhone();
        await createOk({ address_book_id: book, first_name: 'Here', phone_numbers: [{ number: phone }] });
        await createOk({ address_book_id: await newBook('reject'), first_name: 'There', phone_numbers: [{ number: phone }] });
        await createOk({ address_book_id: book, first_name: 'Other number', phone_numbers: [{ number: uniquePhone() }] });
        await createOk({ address_book_id: book, first_name: 'No addresses' });
        await createOk({ address_book_id: book, first_name: 'No addresses either' });
        assert.equal((await inBook(book)).length, 4);
      });

      test('20 concurrent creates of the same number leave exactly one contact: one 201 and 19 409s', async () => {
        const book = await newBook('reject');
        const phone = uniquePhone();
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) => create({ address_book_id: book, first_name: `Racer ${i}`, phone_numbers: [{ number: i % 2 ? phone : dashed(phone) }] })),
        );
        const created = answers.filter((a) => a.status === 201);
        const rejected = answers.filter((a) => a.status === 409);
        assert.equal(created.length, 1, `statuses ${answers.map((a) => a.status)}`);
        assert.equal(rejected.length, 19, `statuses ${answers.map((a) => a.status)}`);
        for (const r of rejected) {
          assertProblem(r, 409, 'duplicate_contact');
          assert.equal(r.body.existing_contact_id, created[0]!.body.id);
        }
        const listed = await inBook(book, { phone });
        assert.deepEqual(listed.map((c) => c.id), [created[0]!.body.id]);
        const lookup = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`);
        assert.deepEqual(lookup.body.matches.map((c: { id: string }) => c.id), [created[0]!.body.id]);
      });

      test('20 concurrent creates of the same email (varying case) leave exactly one contact', async () => {
        const book = await newBook('reject');
        const email = `race.${token()}@example.com`;
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) => create({ address_book_id: book, first_name: `Racer ${i}`, emails: [{ address: i % 2 ? email : email.toUpperCase() }] })),
        );
        assert.equal(answers.filter((a) => a.status === 201).length, 1, `statuses ${answers.map((a) => a.status)}`);
        assert.equal(answers.filter((a) => a.status === 409).length, 19);
        assert.equal((await inBook(book, { email })).length, 1);
      });

      test('a PUT by external id creating a contact that shares a phone is a 409 duplicate_contact too', async () => {
        const book = await newBook('reject');
        const phone = uniquePhone();
        const existing = await createOk({ address_book_id: book, first_name: 'First', phone_numbers: [{ number: phone }] });
        const url = `/v1/contacts/by-external-id/${encodeURIComponent(`dup-${randomUUID()}`)}`;
        const res = await api.call('PUT', url, { address_book_id: book, first_name: 'By PUT', phone_numbers: [{ number: dashed(phone) }] });
        assertProblem(res, 409, 'duplicate_contact');
        assert.equal(res.body.existing_contact_id, existing.id);
        assert.deepEqual((await inBook(book)).map((c) => c.id), [existing.id]);
      });

      test('racing POSTs and PUTs by external id of the same number leave exactly one contact', async () => {
        const book = await newBook('reject');
        const phone = uniquePhone();
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            i % 2
              ? create({ address_book_id: book, first_name: `Poster ${i}`, phone_numbers: [{ number: phone }] })
              : api.call('PUT', `/v1/contacts/by-external-id/${encodeURIComponent(`race-${i}-${randomUUID()}`)}`, { address_book_id: book, first_name: `Putter ${i}`, phone_numbers: [{ number: phone }] }),
          ),
        );
        const statuses = answers.map((a) => a.status);
        assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses}`);
        assert.equal(statuses.filter((s) => s === 409).length, 19, `statuses ${statuses}`);
        assert.equal((await inBook(book, { phone })).length, 1);
      });

      test('concurrent PATCHes adding one number to 10 contacts of the book: one 200, nine 409s', async () => {
        const book = await newBook('reject');
        const phone = uniquePhone();
        const contacts = [];
        for (let i = 0; i < 10; i++) contacts.push(await createOk({ address_book_id: book, first_name: `Patched ${i}` }));
        const answers = await Promise.all(contacts.map((c) => api.call('PATCH', `/v1/contacts/${c.id}`, { phone_numbers: [{ number: phone }] })));
        const statuses = answers.map((a) => a.status);
        assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses ${statuses}`);
        assert.equal(statuses.filter((s) => s === 409).length, 9, `statuses ${statuses}`);
        assert.equal((await inBook(book, { phone })).length, 1);
      });

      test('a PATCH adding a number another contact of the book holds is a 409', async () => {
        const book = await newBook('reject');
        const [p1, p2] = [uniquePhone(), uniquePhone()];
        const holder = await createOk({ address_book_id: book, first_name: 'Holder', phone_numbers: [{ number: p1 }] });
        const other = await createOk({ address_book_id: book, first_name: 'Other', phone_numbers: [{ number: p2 }] });
        const res = await api.call('PATCH', `/v1/contacts/${other.id}`, { phone_numbers: [{ number: p2 }, { number: dashed(p1) }] });
        assertProblem(res, 409, 'duplicate_contact');
        assert.equal(res.body.existing_contact_id, holder.id);
        const unchanged = await api.call('GET', `/v1/contacts/${other.id}`);
        assert.deepEqual(e164s(unchanged.body), [p2]);
        assert.equal(unchanged.body.version, 1);
        // Keeping its own number, or changing other fields, is not a duplicate of itself.
        const own = await api.call('PATCH', `/v1/contacts/${other.id}`, { role: 'Still fine', phone_numbers: [{ number: parenthesized(p2) }] });
        assert.equal(own.status, 200, JSON.stringify(own.body));
      });

      test('a PATCH adding an email another contact of the book holds is a 409', async () => {
        const book = await newBook('reject');
        const email = `held.${token()}@example.com`;
        const holder = await createOk({ address_book_id: book, first_name: 'Holder', emails: [{ address: email }] });
        const other = await createOk({ address_book_id: book, first_name: 'Other' });
        const res = await api.call('PATCH', `/v1/contacts/${other.id}`, { emails: [{ address: email.toUpperCase() }] });
        assertProblem(res, 409, 'duplicate_contact');
        assert.equal(res.body.existing_contact_id, holder.id);
      });

      test('moving a contact into a reject book holding its number is a 409', async () => {
        const book = await newBook('reject');
        const phone = uniquePhone();
        const holder = await createOk({ address_book_id: book, first_name: 'Holder', phone_numbers: [{ number: phone }] });
        const mover = await createOk({ address_book_id: await newBook('allow'), first_name: 'Mover', phone_numbers: [{ number: phone }] });
        const res = await api.call('PATCH', `/v1/contacts/${mover.id}`, { address_book_id: book });
        assertProblem(res, 409, 'duplicate_contact');
        assert.equal(res.body.existing_contact_id, holder.id);
      });
    });

    describe('merge', () => {
      test('a contact sharing a phone is merged into the existing one: 200 with the union of phones and emails', async () => {
        const book = await newBook('merge');
        const [shared, extra] = [uniquePhone(), uniquePhone()];
        const [e1, e2] = [`one.${token()}@example.com`, `two.${token()}@example.com`];
        const existing = await createOk({ address_book_id: book, first_name: 'Existing', phone_numbers: [{ number: shared, type: 'mobile' }], emails: [{ address: e1 }] });
        const res = await create({
          address_book_id: book,
          first_name: 'Newcomer',
          company: 'Filled In',
          phone_numbers: [{ number: dashed(shared) }, { number: extra, type: 'work' }],
          emails: [{ address: e2 }],
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.id, existing.id);
        assert.equal(res.body.status, 'active');
        assert.deepEqual(e164s(res.body), [shared, extra].sort());
        assert.deepEqual(addresses(res.body), [e1, e2].sort());
        assert.equal(res.body.first_name, 'Existing', 'the existing contact\'s values win');
        assert.equal(res.body.company, 'Filled In', 'the newcomer fills gaps');
        assert.equal(res.body.version, 2);
        assert.equal(res.headers.etag, '"2"');

        const read = await api.call('GET', `/v1/contacts/${existing.id}`);
        assert.deepEqual(read.body, res.body);
        assert.deepEqual((await inBook(book)).map((c) => c.id), [existing.id]);
        const byExtra = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(extra)}`);
        assert.deepEqual(byExtra.body.matches.map((c: { id: string }) => c.id), [existing.id]);
      });

      test('a contact sharing an email (in another case) is merged into the existing one', async () => {
        const book = await newBook('merge');
        const email = `Merge.${token()}@Example.com`;
        const phone = uniquePhone();
        const existing = await createOk({ address_book_id: book, first_name: 'Existing', emails: [{ address: email }] });
        const res = await create({ address_book_id: book, first_name: 'By mail', emails: [{ address: email.toLowerCase() }], phone_numbers: [{ number: phone }] });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.id, existing.id);
        assert.equal(res.body.emails.length, 1, 'the same address in another case is one address');
        assert.deepEqual(e164s(res.body), [phone]);
        assert.equal((await inBook(book)).length, 1);
      });

      test('a contact sharing nothing is created (201)', async () => {
        const book = await newBook('merge');
        await createOk({ address_book_id: book, first_name: 'One', phone_numbers: [{ number: uniquePhone() }] });
        await createOk({ address_book_id: book, first_name: 'Two', phone_numbers: [{ number: uniquePhone() }] });
        assert.equal((await inBook(book)).length, 2);
      });

      test('a contact matching two existing ones is a 409 and changes neither', async () => {
        const book = await newBook('merge');
        const [p1, p2] = [uniquePhone(), uniquePhone()];
        const email = `both.${token()}@example.com`;
        const a = await createOk({ address_book_id: book, first_name: 'A', phone_numbers: [{ number: p1 }] });
        const b = await createOk({ address_book_id: book, first_name: 'B', emails: [{ address: email }] });
        const res = await create({ address_book_id: book, first_name: 'Both', phone_numbers: [{ number: p1 }], emails: [{ address: email }] });
        assertProblem(res, 409);
        const res2 = await create({ address_book_id: book, first_name: 'Both', phone_numbers: [{ number: p1 }, { number: p2 }] });
        assert.equal(res2.status, 200, 'p2 is held by nobody, so only A matches');
        assert.equal(res2.body.id, a.id);
        assert.equal((await api.call('GET', `/v1/contacts/${b.id}`)).body.version, 1);
        assert.deepEqual((await inBook(book)).map((c) => c.id), [a.id, b.id]);
      });

      test('20 concurrent creates of the same number leave one contact: one 201, 19 200s, nothing lost', async () => {
        const book = await newBook('merge');
        const phone = uniquePhone();
        const emails = Array.from({ length: 20 }, (_, i) => `racer${i}.${token()}@example.com`);
        const answers = await Promise.all(
          emails.map((address, i) => create({ address_book_id: book, first_name: `Racer ${i}`, phone_numbers: [{ number: i % 2 ? phone : parenthesized(phone) }], emails: [{ address }] })),
        );
        const statuses = answers.map((a) => a.status);
        assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses} ${JSON.stringify(answers.find((a) => a.status >= 300)?.body)}`);
        assert.equal(statuses.filter((s) => s === 200).length, 19, `statuses ${statuses}`);
        const id = answers.find((a) => a.status === 201)!.body.id;
        assert.ok(answers.every((a) => a.body.id === id), 'every answer is the one contact');
        const listed = await inBook(book, { phone });
        assert.deepEqual(listed.map((c) => c.id), [id]);
        assert.equal((await inBook(book)).length, 1);
        const final = await api.call('GET', `/v1/contacts/${id}`);
        assert.deepEqual(e164s(final.body), [phone]);
        assert.deepEqual(addresses(final.body), [...emails].sort(), 'every racer\'s email was merged in');
        assert.equal(final.body.version, 20);
      });

      test('a PUT by external id creating a contact that shares a phone is merged into the existing one (200)', async () => {
        const book = await newBook('merge');
        const phone = uniquePhone();
        const email = `put.${token()}@example.com`;
        const existing = await createOk({ address_book_id: book, first_name: 'Existing', phone_numbers: [{ number: phone }] });
        const url = `/v1/contacts/by-external-id/${encodeURIComponent(`merge-${randomUUID()}`)}`;
        const res = await api.call('PUT', url, { address_book_id: book, first_name: 'By PUT', phone_numbers: [{ number: phone }], emails: [{ address: email }] });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.id, existing.id);
        assert.deepEqual(addresses(res.body), [email]);
        assert.equal((await inBook(book, { phone })).length, 1);
      });

      test('a PATCH adding a number another contact of a merge book holds is a 409', async () => {
        const book = await newBook('merge');
        const [p1, p2] = [uniquePhone(), uniquePhone()];
        await createOk({ address_book_id: book, first_name: 'Holder', phone_numbers: [{ number: p1 }] });
        const other = await createOk({ address_book_id: book, first_name: 'Other', phone_numbers: [{ number: p2 }] });
        assertProblem(await api.call('PATCH', `/v1/contacts/${other.id}`, { phone_numbers: [{ number: p1 }] }), 409);
      });
    });
  });
}
