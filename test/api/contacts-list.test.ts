import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { assertNamesField, assertProblem, token } from '../support/assertions.ts';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type Response, type TestApi } from '../support/api.ts';

/** The ways a person writes a US E.164 number (+1NPANXXXXXX). */
function formatsOf(e164: string): string[] {
  const n = e164.slice(2);
  const [area, exchange, line] = [n.slice(0, 3), n.slice(3, 6), n.slice(6)];
  return [e164, `+1 (${area}) ${exchange}-${line}`, `1${n}`, `${area}-${exchange}-${line}`, `(${area}) ${exchange} ${line}`, `${area}.${exchange}.${line}`, n];
}

const ids = (page: { data: { id: string }[] }) => page.data.map((c) => c.id);

for (const engine of engines) {
  describe(`contact list and lookup on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    async function list(query: Record<string, string | number>): Promise<Response> {
      const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      return api.call('GET', `/v1/contacts?${search}`);
    }

    async function listIds(query: Record<string, string | number>): Promise<string[]> {
      const res = await list(query);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok('next_cursor' in res.body, 'a list answers next_cursor');
      return ids(res.body);
    }

    /** Every page of a list, following next_cursor. */
    async function allPages(query: Record<string, string | number>, between?: (pageNo: number) => Promise<void>): Promise<{ pages: string[][]; last: Response }> {
      const pages: string[][] = [];
      let cursor: string | null = null;
      let last: Response;
      do {
        last = await list({ ...query, ...(cursor ? { cursor } : {}) });
        assert.equal(last.status, 200, JSON.stringify(last.body));
        pages.push(ids(last.body));
        cursor = last.body.next_cursor;
        if (cursor !== null) assert.equal(typeof cursor, 'string');
        if (between && cursor !== null) await between(pages.length);
        assert.ok(pages.length < 100, 'paging ends');
      } while (cursor !== null);
      return { pages, last };
    }

    async function lookup(query: string): Promise<Response> {
      return api.call('GET', `/v1/lookup?${query}`);
    }

    describe('filters', () => {
      test('address_book_id lists only that book', async () => {
        const [a, b] = [await api.newBook(), await api.newBook()];
        const inA = [await api.createContact({ first_name: 'A1', address_book_id: a }), await api.createContact({ first_name: 'A2', address_book_id: a })];
        await api.createContact({ first_name: 'B1', address_book_id: b });
        assert.deepEqual(await listIds({ address_book_id: a }), inA.map((c) => c.id));
        assert.equal((await listIds({ address_book_id: b })).length, 1);
        assert.deepEqual(await listIds({ address_book_id: randomUUID() }), []);
      });

      test('type lists only that type', async () => {
        const book = await api.newBook();
        const custom = await api.createContact({ first_name: 'Customer', address_book_id: book });
        const user = await api.createContact({ display_name: 'Agent', type: 'user', address_book_id: book });
        const queue = await api.createContact({ display_name: 'Sales queue', type: 'queue', address_book_id: book });
        assert.deepEqual(await listIds({ address_book_id: book, type: 'user' }), [user.id]);
        assert.deepEqual(await listIds({ address_book_id: book, type: 'queue' }), [queue.id]);
        assert.deepEqual(await listIds({ address_book_id: book, type: 'custom' }), [custom.id]);
        assertNamesField(await list({ type: 'robot' }), 'type');
      });

      test('phone matches whatever format it was stored and asked in', async () => {
        const book = await api.newBook();
        const phone = uniquePhone();
        const stored = formatsOf(phone)[1]!; // +1 (651) 111-2222
        const c = await api.createContact({ first_name: 'Formatted', address_book_id: book, phone_numbers: [{ number: stored }] });
        await api.createContact({ first_name: 'Someone else', address_book_id: book, phone_numbers: [{ number: uniquePhone() }] });
        for (const asked of formatsOf(phone)) {
          assert.deepEqual(await listIds({ phone: asked }), [c.id], `phone=${asked}`);
        }
        const second = uniquePhone();
        const d = await api.createContact({ first_name: 'Dashed', address_book_id: book, phone_numbers: [{ number: formatsOf(second)[3]! }] });
        assert.deepEqual(await listIds({ phone: formatsOf(second)[1]! }), [d.id]);
        assert.deepEqual(await listIds({ phone: uniquePhone() }), []);
        assertNamesField(await list({ phone: 'not a phone' }), 'phone');
      });

      test('email matches case-insensitively', async () => {
        const local = `Mixed.Case.${token()}`;
        const c = await api.createContact({ first_name: 'Mail', emails: [{ address: `${local}@Example.COM`, type: 'work' }] });
        for (const asked of [`${local}@Example.COM`, `${local}@example.com`.toLowerCase(), `${local}@EXAMPLE.COM`.toUpperCase()]) {
          assert.deepEqual(await listIds({ email: asked }), [c.id], `email=${asked}`);
        }
        assert.deepEqual(await listIds({ email: `other.${token()}@example.com` }), []);
      });

      test('external_id lists the one contact holding it', async () => {
        const externalId = `ext-${randomUUID()}`;
        const c = await api.createContact({ first_name: 'External', external_id: externalId });
        await api.createContact({ first_name: 'Not external', external_id: `ext-${randomUUID()}` });
        assert.deepEqual(await listIds({ external_id: externalId }), [c.id]);
        assert.deepEqual(await listIds({ external_id: `ext-${randomUUID()}` }), []);
      });

      test('group_id lists the members, however they joined', async () => {
        const group = await api.call('POST', '/v1/groups', { name: `group ${randomUUID()}` });
        assert.equal(group.status, 201);
        const viaBody = await api.createContact({ first_name: 'Member by body', group_ids: [group.body.id] });
        const viaPut = await api.createContact({ first_name: 'Member by PUT' });
        await api.createContact({ first_name: 'Not a member' });
        const put = await api.call('PUT', `/v1/groups/${group.body.id}/members/${viaPut.id}`);
        assert.equal(put.status, 204);
        assert.deepEqual(await listIds({ group_id: group.body.id }), [viaBody.id, viaPut.id]);
        const removed = await api.call('DELETE', `/v1/groups/${group.body.id}/members/${viaBody.id}`);
        assert.equal(removed.status, 204);
        assert.deepEqual(await listIds({ group_id: group.body.id }), [viaPut.id]);
      });

      test('q is a prefix match on name words, company, email and phone digits', async () => {
        const book = await api.newBook();
        const [first, last, word, company] = [`Xav${token(6)}`, `Yor${token(6)}`, `Zed${token(6)}`, `Initech${token(6)}`];
        const email = `mailbox${token(6)}@example.com`;
        const phone = uniquePhone();
        const target = await api.createContact({
          address_book_id: book,
          first_name: first,
          last_name: last,
          display_name: `The ${word} Account`,
          company: `${company} Corp`,
          emails: [{ address: email }],
          phone_numbers: [{ number: formatsOf(phone)[1]! }],
        });
        const bystander = await api.createContact({ address_book_id: book, first_name: 'Bystander', company: 'Other Inc', phone_numbers: [{ number: '+1 612 555 0199' }] });
        const digits = phone.slice(1); // with country code: 1651...
        const national = phone.slice(2); // without: 651...
        const queries: [string, string][] = [
          ['first name prefix', first.slice(0, 6)],
          ['whole first name', first],
          ['last name prefix', last.slice(0, 5)],
          ['display name word', word.slice(0, 6)],
          ['company prefix', company.slice(0, 10)],
          ['email prefix', email.slice(0, 11)],
          ['whole email', email],
          ['phone digits with country code', digits],
          ['phone digits prefix with country code', digits.slice(0, 9)],
          ['phone digits without country code', national],
          ['phone digits prefix without country code', national.slice(0, 8)],
          ['lower-cased name', first.toLowerCase()],
          ['upper-cased company', company.toUpperCase()],
        ];
        for (const [what, q] of queries) {
          const found = await listIds({ address_book_id: book, q });
          assert.deepEqual(found, [target.id], `${what}: q=${q}`);
        }
        assert.deepEqual(await listIds({ address_book_id: book, q: 'Bysta' }), [bystander.id]);
        // Several words: each must begin a word of the contact (a full name, a company of two words).
        for (const q of [`${first} ${last}`, `${last.slice(0, 4)} ${first.slice(0, 4)}`, `  ${company} corp `, `${first}, ${company.slice(0, 8)}`]) {
          assert.deepEqual(await listIds({ address_book_id: book, q }), [target.id], `several words: q=${q}`);
        }
        assert.deepEqual(await listIds({ address_book_id: book, q: `${first} Bystander` }), [], 'every word must match');
        assert.deepEqual(await listIds({ address_book_id: book, q: `nothing${token()}` }), []);
        // Without the book filter the account-wide search finds it too.
        assert.ok((await listIds({ q: first })).includes(target.id));
      });

      test('updated_since lists contacts changed at or after that time', async () => {
        const book = await api.newBook();
        const older = await api.createContact({ first_name: 'Older', address_book_id: book });
        await sleep(20);
        const since = new Date().toISOString();
        await sleep(20);
        const newer = await api.createContact({ first_name: 'Newer', address_book_id: book });
        assert.deepEqual(await listIds({ address_book_id: book, updated_since: since }), [newer.id]);
        // The same instant written with an offset.
        const offset = new Date(Date.parse(since) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
        assert.deepEqual(await listIds({ address_book_id: book, updated_since: offset }), [newer.id]);
        const touched = await api.call('PATCH', `/v1/contacts/${older.id}`, { role: 'Touched' });
        assert.equal(touched.status, 200);
        assert.deepEqual(await listIds({ address_book_id: book, updated_since: since }), [older.id, newer.id]);
        assert.deepEqual(await listIds({ address_book_id: book, updated_since: new Date(Date.now() + 3600_000).toISOString() }), []);
        assertNamesField(await list({ updated_since: 'yesterday' }), 'updated_since');
      });

      test('filters combine', async () => {
        const book = await api.newBook();
        const phone = uniquePhone();
        const both = await api.createContact({ address_book_id: book, first_name: 'Both', phone_numbers: [{ number: phone }], emails: [{ address: `both.${token()}@example.com` }] });
        await api.createContact({ address_book_id: await api.newBook(), first_name: 'Elsewhere', phone_numbers: [{ number: phone }] });
        assert.equal((await listIds({ phone })).length, 2);
        assert.deepEqual(await listIds({ phone, address_book_id: book }), [both.id]);
        assert.deepEqual(await listIds({ phone, address_book_id: book, type: 'user' }), []);
      });

      test('another account sees none of these contacts', async () => {
        const phone = uniquePhone();
        await api.createContact({ first_name: 'Private', phone_numbers: [{ number: phone }] });
        const other = await api.otherAccount();
        const res = await api.call('GET', `/v1/contacts?phone=${encodeURIComponent(phone)}`, undefined, { key: other.key });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.data, []);
        const looked = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`, undefined, { key: other.key });
        assert.equal(looked.status, 200);
        assert.deepEqual(looked.body.matches, []);
      });
    });

    describe('paging', () => {
      test('limit defaults to 50 and may be up to 500; 0, 501 and non-numbers are a 400 naming limit', async () => {
        const book = await api.newBook();
        const made: string[] = [];
        for (let i = 0; i < 53; i++) made.push((await api.createContact({ first_name: `Bulk ${i}`, address_book_id: book })).id);
        const first = await list({ address_book_id: book });
        assert.equal(first.status, 200);
        assert.equal(first.body.data.length, 50);
        assert.equal(typeof first.body.next_cursor, 'string');
        const rest = await list({ address_book_id: book, cursor: first.body.next_cursor });
        assert.equal(rest.body.data.length, 3);
        assert.equal(rest.body.next_cursor, null);
        assert.deepEqual([...ids(first.body), ...ids(rest.body)], made);

        const max = await list({ address_book_id: book, limit: 500 });
        assert.equal(max.status, 200);
        assert.equal(max.body.data.length, 53);
        assert.equal(max.body.next_cursor, null);
        assertNamesField(await list({ address_book_id: book, limit: 501 }), 'limit');
        assertNamesField(await list({ address_book_id: book, limit: 0 }), 'limit');
        assertNamesField(await list({ address_book_id: book, limit: 'ten' }), 'limit');
      });

      test('a cursor the API did not make is a 400 naming cursor', async () => {
        for (const cursor of ['garbage', 'eyJzIjoiYWJjIn0', Buffer.from('{"s":-1}').toString('base64url'), '!!!']) {
          assertNamesField(await list({ cursor }), 'cursor');
        }
      });

      test('23 contacts paged 5 at a time come back each exactly once, in order, and the last page has next_cursor null', async () => {
        const book = await api.newBook();
        const made: string[] = [];
        for (let i = 0; i < 23; i++) made.push((await api.createContact({ first_name: `Paged ${i}`, address_book_id: book })).id);
        const { pages, last } = await allPages({ address_book_id: book, limit: 5 });
        assert.deepEqual(pages.map((p) => p.length), [5, 5, 5, 5, 3]);
        assert.deepEqual(pages.flat(), made);
        assert.equal(last.body.next_cursor, null);
      });

      test('a page boundary that falls on the last item ends with an empty or null next page, never a repeat', async () => {
        const book = await api.newBook();
        const made: string[] = [];
        for (let i = 0; i < 10; i++) made.push((await api.createContact({ first_name: `Even ${i}`, address_book_id: book })).id);
        const { pages } = await allPages({ address_book_id: book, limit: 5 });
        assert.deepEqual(pages.flat(), made);
      });

      test('contacts created, changed and deleted while paging: each one seen at most once, the untouched ones exactly once', async () => {
        const book = await api.newBook();
        const made: string[] = [];
        for (let i = 0; i < 20; i++) made.push((await api.createContact({ first_name: `Stable ${i}`, address_book_id: book })).id);
        const createdDuring: string[] = [];
        const deleted = made[17]!;
        const { pages } = await allPages({ address_book_id: book, limit: 4 }, async (pageNo) => {
          // New contacts, changes to seen and unseen ones, and one delete, between pages.
          createdDuring.push((await api.createContact({ first_name: `During ${pageNo}`, address_book_id: book })).id);
          for (const id of [made[pageNo - 1]!, made[19 - pageNo]!]) {
            if (id === deleted) continue;
            const res = await api.call('PATCH', `/v1/contacts/${id}`, { role: `changed on page ${pageNo}` });
            assert.equal(res.status, 200);
          }
          if (pageNo === 2) assert.equal((await api.call('DELETE', `/v1/contacts/${deleted}`)).status, 204);
        });
        const seen = pages.flat();
        assert.equal(new Set(seen).size, seen.length, 'no contact appears twice');
        for (const id of made) {
          if (id !== deleted) assert.equal(seen.filter((s) => s === id).length, 1, `contact ${made.indexOf(id)} seen once`);
        }
        assert.ok(!seen.includes(deleted), 'a contact deleted before its page was reached is not listed');
        for (const id of seen) assert.ok(made.includes(id) || createdDuring.includes(id));
        // The order is stable: what was there at the start comes in creation order.
        const original = seen.filter((id) => made.includes(id));
        assert.deepEqual(original, made.filter((id) => id !== deleted));
      });

      test('concurrent creates while paging never make a contact appear twice', async () => {
        const book = await api.newBook();
        const made: string[] = [];
        for (let i = 0; i < 15; i++) made.push((await api.createContact({ first_name: `Racing ${i}`, address_book_id: book })).id);
        const writes = Promise.all(Array.from({ length: 15 }, (_, i) => api.createContact({ first_name: `Writer ${i}`, address_book_id: book })));
        const { pages } = await allPages({ address_book_id: book, limit: 3 });
        await writes;
        const seen = pages.flat();
        assert.equal(new Set(seen).size, seen.length, 'no contact appears twice');
        for (const id of made) assert.ok(seen.includes(id), 'every contact that existed before paging is listed');
      });
    });

    describe('lookup', () => {
      test('finds a number in every format, across address books, most recently updated first', async () => {
        const phone = uniquePhone();
        const formats = formatsOf(phone);
        const a = await api.createContact({ first_name: 'Lookup A', address_book_id: await api.newBook(), phone_numbers: [{ number: formats[1]! }] });
        const b = await api.createContact({ first_name: 'Lookup B', address_book_id: await api.newBook(), phone_numbers: [{ number: formats[3]! }] });
        const c = await api.createContact({ first_name: 'Lookup C', phone_numbers: [{ number: formats[2]! }] });
        for (const asked of formats) {
          const res = await lookup(`phone=${encodeURIComponent(asked)}`);
          assert.equal(res.status, 200, asked);
          assert.deepEqual(Object.keys(res.body), ['matches']);
          assert.deepEqual(res.body.matches.map((m: { id: string }) => m.id), [c.id, b.id, a.id], `lookup by ${asked}`);
        }
        const touched = await api.call('PATCH', `/v1/contacts/${a.id}`, { role: 'Called back' });
        assert.equal(touched.status, 200);
        const res = await lookup(`phone=${encodeURIComponent(formats[4]!)}`);
        assert.deepEqual(res.body.matches.map((m: { id: string }) => m.id), [a.id, c.id, b.id]);
        assert.equal(res.body.matches[0].role, 'Called back');
      });

      test('finds an email case-insensitively, most recently updated first', async () => {
        const address = `Screen.Pop.${token()}@Example.com`;
        const a = await api.createContact({ first_name: 'Mail A', emails: [{ address }] });
        const b = await api.createContact({ first_name: 'Mail B', address_book_id: await api.newBook(), emails: [{ address: address.toLowerCase() }] });
        for (const asked of [address, address.toLowerCase(), address.toUpperCase()]) {
          const res = await lookup(`email=${encodeURIComponent(asked)}`);
          assert.equal(res.status, 200);
          assert.deepEqual(res.body.matches.map((m: { id: string }) => m.id), [b.id, a.id], asked);
        }
        await api.call('PATCH', `/v1/contacts/${a.id}`, { role: 'Newest' });
        const res = await lookup(`email=${encodeURIComponent(address.toUpperCase())}`);
        assert.deepEqual(res.body.matches.map((m: { id: string }) => m.id), [a.id, b.id]);
      });

      test('an unknown number or email answers 200 with no matches', async () => {
        const res = await lookup(`phone=${encodeURIComponent(uniquePhone())}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { matches: [] });
        const mail = await lookup(`email=${encodeURIComponent(`nobody.${token()}@example.com`)}`);
        assert.equal(mail.status, 200);
        assert.deepEqual(mail.body, { matches: [] });
      });

      test('neither or both of phone and email is a 400; an unparseable phone a 400 naming phone', async () => {
        assertProblem(await lookup(''), 400, 'validation_failed');
        assertProblem(await lookup(`phone=${encodeURIComponent(uniquePhone())}&email=a%40example.com`), 400, 'validation_failed');
        assertNamesField(await lookup('phone=not-a-number'), 'phone');
      });

      test('needs a key with contacts:read; a read key is enough', async () => {
        assertProblem(await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(uniquePhone())}`, undefined, { key: null }), 401);
        const res = await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(uniquePhone())}`, undefined, { key: api.keys.read });
        assert.equal(res.status, 200);
      });
    });
  });
}
