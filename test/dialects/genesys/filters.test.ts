import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { engines } from '../../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../../support/api.ts';
import { gws } from './support.ts';

/** A marker unique to one test, so that account-wide lists can be narrowed to its own data. */
const tag = () => randomUUID().replace(/-/g, '').slice(0, 10);
/** A North American number outside the 651 range uniquePhone uses, with random digits. */
const randomNumber = () => ({ area: '612', exchange: String(randomInt(200, 999)), line: String(randomInt(1000, 9999)) });

for (const engine of engines) {
  describe(`Genesys GWS list filters on ${engine.name}`, () => {
    let api: TestApi;
    let call: ReturnType<typeof gws>;
    const ids = async (query: string) => {
      const res = await call('GET', `/contacts?${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.statusCode, 0);
      return res.body.contacts.map((c: { id: string }) => c.id).sort();
    };
    const user = (fields: Record<string, unknown>) => api.createContact({ type: 'user', ...fields });
    const custom = async (name: string, phoneNumber?: string) => (await call('POST', '/contacts', { name, ...(phoneNumber ? { phoneNumber } : {}) })).body.id as string;
    before(async () => {
      api = await startApi(engine);
      call = gws(api);
    });
    after(() => api.close());

    test('spec: "GET /contacts?firstName=Joe&lastName=Johnson&userName=joej" returns the contacts matching every attribute (AND)', async () => {
      const t = tag();
      const joe = await user({ first_name: 'Joe', last_name: 'Johnson', user_name: `joej${t}` });
      await user({ first_name: 'Joe', last_name: 'Johnson', user_name: `other${t}` });
      await user({ first_name: 'Joe', last_name: 'Smith', user_name: `joej${t}` });
      await user({ first_name: 'Jim', last_name: 'Johnson', user_name: `joej${t}` });
      assert.deepEqual(await ids(`firstName=Joe&lastName=Johnson&userName=joej${t}`), [joe.id]);
    });

    test('spec: userName, firstName, lastName, employeeId are attributes of Users only, so filtering on one keeps Users alone', async () => {
      const t = tag();
      const joe = await user({ first_name: 'Joe', last_name: `Only${t}`, user_name: `ou${t}` });
      const custom = await api.createContact({ first_name: 'Joe', last_name: `Only${t}`, phone_numbers: [{ number: uniquePhone() }] });
      assert.deepEqual(await ids(`lastName=Only${t}`), [joe.id]);
      assert.deepEqual(await ids(`lastName=Only${t}&type=Custom`), []);
      assert.deepEqual(await ids(`lastName=Only${t}&type=user`), [joe.id]);
      assert.notEqual(custom.id, joe.id);
    });

    test('attribute filters are exact matches that ignore case, not substrings', async () => {
      const t = tag();
      const joe = await user({ first_name: 'Joe', last_name: `Johnson${t}`, user_name: `JoeJ${t}`, employee_id: `EMP-${t}` });
      assert.deepEqual(await ids(`firstName=JOE&lastName=johnson${t.toUpperCase()}`), [joe.id]);
      assert.deepEqual(await ids(`userName=joej${t}`), [joe.id]);
      assert.deepEqual(await ids(`employeeId=emp-${t}`), [joe.id]);
      assert.deepEqual(await ids(`lastName=Johnson${t.slice(0, 5)}`), []);
      assert.deepEqual(await ids(`lastName=ohnson${t}`), []);
    });

    test('spec: "GET /contacts?type=custom" retrieves only custom contacts; type matches case-insensitively', async () => {
      const t = tag();
      const c = await custom(`Typed ${t}`);
      const u = await user({ display_name: `Typed ${t}`, user_name: `Typed ${t}` });
      const q = await api.createContact({ type: 'queue', display_name: `Typed ${t}` });
      for (const spelled of ['custom', 'Custom', 'CUSTOM']) assert.deepEqual(await ids(`type=${spelled}&name=Typed ${t}`), [c], spelled);
      assert.deepEqual(await ids(`type=user&name=Typed ${t}`), [u.id]);
      assert.deepEqual(await ids(`type=Queue&name=Typed ${t}`), [q.id]);
      assert.deepEqual(await ids(`name=Typed ${t}`), [c, u.id, q.id].sort());
      const all = await call('GET', `/contacts?type=User`);
      assert.ok(all.body.contacts.every((x: { type: string }) => x.type === 'User'));
    });

    test('GWS: name is a comma-separated list matched against the name (Custom, Queue) or user name (User)', async () => {
      const t = tag();
      const a = await custom(`Alpha ${t}`);
      const b = await custom(`Beta ${t}`);
      await custom(`Gamma ${t}`);
      const u = await user({ display_name: 'Someone Else', user_name: `agent${t}` });
      assert.deepEqual(await ids(`name=${encodeURIComponent(`Alpha ${t},beta ${t},AGENT${t}`)}`), [a, b, u.id].sort());
    });

    test('GWS: phoneNumber matches ignoring punctuation, as a comma-separated list; "*" means any number', async () => {
      const n = randomNumber();
      const m = randomNumber();
      const t = tag();
      const withDashes = await custom(`Phone ${t}`, `${n.area}-${n.exchange}-${n.line}`);
      const other = await custom(`Phone ${t}`, `+1 ${m.area} ${m.exchange} ${m.line}`);
      const none = await custom(`Phone ${t}`);
      for (const asked of [`${n.area}${n.exchange}${n.line}`, `(${n.area}) ${n.exchange}-${n.line}`, `1${n.area}${n.exchange}${n.line}`, `+1.${n.area}.${n.exchange}.${n.line}`]) {
        assert.deepEqual(await ids(`phoneNumber=${encodeURIComponent(asked)}`), [withDashes], asked);
      }
      assert.deepEqual(await ids(`phoneNumber=${n.area}${n.exchange}${n.line},${m.area}${m.exchange}${m.line}`), [withDashes, other].sort());
      assert.deepEqual(await ids(`phoneNumber=*&name=${encodeURIComponent(`Phone ${t}`)}`), [withDashes, other].sort());
      assert.ok(!(await ids('phoneNumber=*')).includes(none));
      assert.deepEqual(await ids('phoneNumber=12345'), [], 'a value that is no phone number matches nothing');
    });

    test('emailAddress and id filter too', async () => {
      const t = tag();
      const u = await user({ display_name: `Mail ${t}`, emails: [{ address: `mail${t}@example.com` }] });
      assert.deepEqual(await ids(`emailAddress=MAIL${t}@example.com`), [u.id]);
      assert.deepEqual(await ids(`id=${u.id}`), [u.id]);
      assert.deepEqual(await ids(`id=${u.id}&type=custom`), []);
    });

    describe('filterName=NamesOrPhoneNumberMatches (docs.genesys.com GWS 8.5.2 ContactsGetContacts)', () => {
      test('"case-insensitive string matching with wildcard *": User firstName, lastName, userName; Custom and Queue name', async () => {
        const t = tag();
        const u = await user({ display_name: 'X', first_name: `Zed${t}`, last_name: `Quill${t}`, user_name: `zq${t}` });
        const c = await custom(`Zed${t} Custom`);
        const q = await api.createContact({ type: 'queue', display_name: `Queue${t}` });
        const match = (p: string) => ids(`filterName=NamesOrPhoneNumberMatches&filterParameters=${encodeURIComponent(p)}`);
        assert.deepEqual(await match(`zed${t}*`), [u.id, c].sort(), 'first name of a user, name of a custom contact');
        assert.deepEqual(await match(`QUILL${t}`), [u.id], 'last name, any case');
        assert.deepEqual(await match(`ZQ${t}`), [u.id], 'user name');
        assert.deepEqual(await match(`*ueue${t}`), [q.id], 'queue name, leading wildcard');
        assert.deepEqual(await match(`z*${t}*stom`), [c], 'wildcard in the middle');
        assert.deepEqual(await match(`custom${t}`), [], 'without a wildcard the whole field must match');
        assert.deepEqual(await match(`Zed${t}`), [u.id], 'the custom contact\'s name is "Zed… Custom", not "Zed…"');
      });

      test('"the contact must satisfy the above rule for EACH argument passed in filterParameters (AND rule)"', async () => {
        const t = tag();
        const u = await user({ first_name: `Alpha${t}`, last_name: `Beta${t}`, user_name: `ab${t}` });
        const c = await custom(`Alpha${t} Gamma`);
        const match = (p: string) => ids(`filterName=NamesOrPhoneNumberMatches&filterParameters=${encodeURIComponent(p)}`);
        assert.deepEqual(await match(`alpha${t}*`), [u.id, c].sort());
        assert.deepEqual(await match(`alpha${t}*,beta${t}`), [u.id]);
        assert.deepEqual(await match(`alpha${t}*,*gamma`), [c]);
        assert.deepEqual(await match(`alpha${t}*,nobody`), []);
      });

      test('GWS "removes all non-alphanumeric symbols from phone numbers": phone digits match with wildcards, with or without country code', async () => {
        const n = randomNumber();
        const t = tag();
        const c = await custom(`Dial ${t}`, `(${n.area}) ${n.exchange}-${n.line}`);
        const u = await user({ user_name: `dial${t}`, phone_numbers: [{ number: `+1${n.area}${n.exchange}${n.line}` }] });
        const both = [c, u.id].sort();
        const match = (p: string) => ids(`filterName=NamesOrPhoneNumberMatches&filterParameters=${encodeURIComponent(p)}`);
        assert.deepEqual(await match(`${n.area}${n.exchange}${n.line}`), both, 'national digits, exact');
        assert.deepEqual(await match(`1${n.area}${n.exchange}${n.line}`), both, 'with the country code');
        assert.deepEqual(await match(`${n.area}-${n.exchange}-${n.line}`), both, 'punctuation in the argument is ignored');
        assert.deepEqual(await match(`+1 (${n.area}) ${n.exchange}-${n.line}`), both);
        assert.deepEqual(await match(`*${n.exchange}${n.line}`), both, 'leading wildcard');
        assert.deepEqual(await match(`${n.area}${n.exchange}${n.line}*`), both, 'trailing wildcard');
        assert.deepEqual(await match(`${n.area}${n.exchange}${n.line.slice(0, 3)}`), [], 'no wildcard: the whole number');
        assert.deepEqual(await match(`${n.exchange}${n.line}`), [], 'a tail is not the number');
        assert.deepEqual(await match(`dial*,*${n.line}`), both, 'a name and a number, each must match');
      });

      test('a name word made of digits is not taken for a phone number', async () => {
        const n = randomNumber();
        const t = tag();
        const decoy = await custom(`Room ${n.line} ${t}`);
        const phone = await custom(`Dial ${t}`, `${n.area}${n.exchange}${n.line}`);
        const found = await ids(`filterName=NamesOrPhoneNumberMatches&filterParameters=*${n.line}`);
        assert.ok(found.includes(phone));
        assert.ok(!found.includes(decoy));
      });

      test('only * is a wildcard: % and _ match themselves', async () => {
        const t = tag();
        const percent = await custom(`Promo 100% ${t}`);
        const underscore = await custom(`a_b ${t}`);
        await custom(`Promo 1000 ${t}`);
        await custom(`axb ${t}`);
        const match = (p: string) => ids(`filterName=NamesOrPhoneNumberMatches&filterParameters=${encodeURIComponent(p)}`);
        assert.deepEqual(await match(`promo 100% ${t}`), [percent]);
        assert.deepEqual(await match(`a_b ${t}`), [underscore]);
      });

      test('combines with attribute filters (AND): type, name, phoneNumber', async () => {
        const t = tag();
        const n = randomNumber();
        const c = await custom(`Combo${t}`, `${n.area}${n.exchange}${n.line}`);
        await user({ user_name: `Combo${t}`, phone_numbers: [{ number: `+1${n.area}${n.exchange}${n.line}` }] });
        assert.deepEqual(await ids(`filterName=NamesOrPhoneNumberMatches&filterParameters=combo${t}&type=custom`), [c]);
        assert.deepEqual(await ids(`filterName=NamesOrPhoneNumberMatches&filterParameters=combo*&phoneNumber=${n.area}${n.exchange}${n.line}&type=Custom`), [c]);
      });

      test('"*" alone matches every contact with a name or a number; no arguments narrow nothing', async () => {
        const t = tag();
        const c = await custom(`Star ${t}`);
        assert.ok((await ids('filterName=NamesOrPhoneNumberMatches&filterParameters=*')).includes(c));
        assert.ok((await ids('filterName=NamesOrPhoneNumberMatches')).includes(c));
      });
    });

    test('paging decision: at most limit (default and max 1000) per answer, offset for the rest, totalCount for all', async () => {
      const t = tag();
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push(await custom(`Page${t} ${i}`, uniquePhone()));
      const page = async (extra: string) => (await call('GET', `/contacts?filterName=NamesOrPhoneNumberMatches&filterParameters=page${t}*&${extra}`)).body;
      const first = await page('limit=2');
      assert.equal(first.totalCount, 5);
      assert.deepEqual(first.contacts.map((c: { id: string }) => c.id), created.slice(0, 2), 'oldest first');
      assert.deepEqual((await page('limit=2&offset=2')).contacts.map((c: { id: string }) => c.id), created.slice(2, 4));
      assert.deepEqual((await page('limit=2&offset=4')).contacts.map((c: { id: string }) => c.id), created.slice(4));
      const beyond = await page('offset=10');
      assert.deepEqual(beyond.contacts, []);
      assert.equal(beyond.totalCount, 5);
      assert.equal((await page('')).contacts.length, 5, 'default limit holds them all');
    });

    test('other GWS list parameters (sortBy, order, fields, includeUsersInBusinessUnits) are accepted and ignored', async () => {
      const t = tag();
      const c = await custom(`Ignored ${t}`);
      assert.deepEqual(await ids(`name=${encodeURIComponent(`Ignored ${t}`)}&sortBy=name&order=Ascending&fields=*&includeUsersInBusinessUnits=AG_DEV`), [c]);
    });

    test('merged contacts are not listed', async () => {
      const t = tag();
      const target = await api.createContact({ display_name: `Merge ${t}` });
      const source = await api.createContact({ display_name: `Merge ${t}` });
      const merged = await api.call('POST', `/v1/contacts/${target.id}/merge`, { source_ids: [source.id] });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      assert.deepEqual(await ids(`name=${encodeURIComponent(`Merge ${t}`)}`), [target.id]);
    });
  });
}
