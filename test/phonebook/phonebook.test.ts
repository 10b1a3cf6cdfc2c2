import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { basic, refusedBasicCredentials } from '../dialects/shared/basic-auth.ts';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name, jpath) => String(jpath) === 'YealinkIPPhoneDirectory.DirectoryEntry.Telephone' || ['DirectoryEntry', 'Contact', 'Phone', 'contact', 'number', 'SoftKeyItem'].includes(name), parseTagValue: false });

for (const engine of engines) {
  describe(`desk phone directories on ${engine.name}`, () => {
    let api: TestApi;
    let book: string;
    let jane: { mobile: string; work: string; fax: string };
    const get = (path: string, headers: Record<string, string> = basic(api.accountId, api.keys.read)) => api.call('GET', path, undefined, { key: null, headers });
    const xml = async (path: string) => {
      const res = await get(path);
      assert.equal(res.status, 200, String(res.body));
      assert.match(String(res.headers['content-type']), /^application\/xml/);
      assert.ok(String(res.body).startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
      return parser.parse(String(res.body));
    };

    before(async () => {
      api = await startApi(engine);
      book = await api.newBook();
      jane = { mobile: uniquePhone(), work: uniquePhone(), fax: uniquePhone() };
      await api.createContact({
        address_book_id: book, first_name: 'Jane', last_name: 'Doe & <Sons> "Ltd" \'s', company: 'Acme',
        phone_numbers: [{ number: jane.mobile, type: 'mobile' }, { number: jane.work, type: 'work', extension: '204' }, { number: jane.fax, type: 'fax', label: 'Desk fax' }],
      });
      await api.createContact({ address_book_id: book, display_name: 'Front Desk', phone_numbers: [{ number: uniquePhone(), type: 'main' }] });
      await api.createContact({ address_book_id: book, first_name: 'No', last_name: 'Phone', emails: [{ address: 'nophone@example.com' }] });
    });
    after(() => api.close());

    test('Yealink: YealinkIPPhoneDirectory > DirectoryEntry > Name, Telephone[label] for every number', async () => {
      const doc = await xml(`/phonebook/yealink.xml?book=${book}`);
      const entries = doc.YealinkIPPhoneDirectory.DirectoryEntry;
      assert.equal(entries.length, 2, 'a contact without a number is not listed');
      const first = entries[0];
      assert.equal(first.Name, 'Jane Doe & <Sons> "Ltd" \'s');
      assert.deepEqual(first.Telephone.map((t: any) => [t['@label'], t['#text']]), [['Mobile', jane.mobile], ['Work ext. 204', jane.work], ['Desk fax', jane.fax]]);
      assert.deepEqual(entries[1].Telephone.map((t: any) => t['@label']), ['Main']);
    });

    test('Grandstream: AddressBook > Contact > LastName, FirstName, Phone[type] > phonenumber, accountindex', async () => {
      const doc = await xml(`/phonebook/grandstream.xml?book=${book}`);
      const contacts = doc.AddressBook.Contact;
      assert.equal(contacts.length, 2);
      assert.equal(contacts[0].FirstName, 'Jane');
      assert.equal(contacts[0].LastName, 'Doe & <Sons> "Ltd" \'s');
      assert.deepEqual(contacts[0].Phone.map((p: any) => [p['@type'], p.phonenumber, p.accountindex]), [['Mobile', jane.mobile, '0'], ['Work', jane.work, '0'], ['Fax', jane.fax, '0']]);
      assert.equal(contacts[1].FirstName, 'Front Desk', 'a name never split is the first name');
      assert.equal(contacts[1].Phone[0]['@type'], 'Work');
      // Grandstream phones fetch phonebook.xml under a server path: the book goes in the path.
      assert.deepEqual(await xml(`/phonebook/grandstream/${book}/phonebook.xml`), doc);
    });

    test('Snom: tbook[version=2.0] > contact > first_name, last_name, numbers > number[no, type]', async () => {
      const doc = await xml(`/phonebook/snom.xml?book=${book}`);
      assert.equal(doc.tbook['@version'], '2.0');
      assert.equal(doc.tbook['@complete'], 'true');
      const contacts = doc.tbook.contact;
      assert.equal(contacts.length, 2);
      assert.equal(contacts[0].first_name, 'Jane');
      assert.equal(contacts[0].organization, 'Acme');
      assert.deepEqual(contacts[0].numbers.number.map((n: any) => [n['@no'], n['@type']]), [[jane.mobile, 'mobile'], [jane.work, 'business'], [jane.fax, 'fax']]);
      // Snom phones fetch their remote directory with POST.
      const posted = await api.call('POST', `/phonebook/snom.xml?book=${book}`, 'phone=D785', { key: null, headers: { ...basic(api.accountId, api.keys.read), 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(posted.status, 200);
      assert.deepEqual(parser.parse(String(posted.body)), doc);
    });

    test('Cisco: CiscoIPPhoneDirectory > Title, Prompt, DirectoryEntry > Name, Telephone, SoftKeyItem', async () => {
      const doc = await xml(`/phonebook/cisco.xml?book=${book}`);
      const dir = doc.CiscoIPPhoneDirectory;
      assert.equal(typeof dir.Title, 'string');
      assert.equal(dir.Prompt, 'Select a number');
      assert.deepEqual(dir.DirectoryEntry.map((e: any) => e.Telephone), [jane.mobile, jane.work, jane.fax, dir.DirectoryEntry[3].Telephone]);
      for (const e of dir.DirectoryEntry) assert.ok([...e.Name].length <= 32, e.Name);
      assert.match(dir.DirectoryEntry[0].Name, /^Jane Doe .* \(Mobile\)$/);
      assert.deepEqual(dir.SoftKeyItem.map((k: any) => [k.Name, k.URL]), [['Dial', 'SoftKey:Dial'], ['Exit', 'SoftKey:Exit']]);
    });

    test('Cisco pages hold at most 32 entries; Next leads through the whole book, each number once', async () => {
      const big = await api.newBook();
      const expected: string[] = [];
      for (let i = 0; i < 25; i++) {
        const numbers = [uniquePhone(), uniquePhone()];
        expected.push(...numbers);
        await api.createContact({ address_book_id: big, display_name: `Person ${i}`, phone_numbers: numbers.map((number) => ({ number })) });
      }
      const seen: string[] = [];
      let url: string | null = `/phonebook/cisco.xml?book=${big}`;
      let pages = 0;
      while (url !== null) {
        const doc = await xml(url);
        const dir = doc.CiscoIPPhoneDirectory;
        assert.ok(dir.DirectoryEntry.length <= 32);
        seen.push(...dir.DirectoryEntry.map((e: any) => e.Telephone));
        const next = dir.SoftKeyItem.find((k: any) => k.Name === 'Next');
        url = next ? new URL(next.URL).pathname + new URL(next.URL).search : null;
        if (next) assert.match(next.URL, /^http:\/\/localhost(:\d+)?\/phonebook\/cisco\.xml\?book=/);
        pages++;
      }
      assert.equal(pages, 2);
      // Behind a TLS proxy the Next URL is the one the phone used.
      const proxied = await get(`/phonebook/cisco.xml?book=${big}`, { ...basic(api.accountId, api.keys.read), 'x-forwarded-proto': 'https', 'x-forwarded-host': 'pbx.example.com' });
      assert.match(parser.parse(String(proxied.body)).CiscoIPPhoneDirectory.SoftKeyItem[1].URL, /^https:\/\/pbx\.example\.com\/phonebook\/cisco\.xml\?book=/);
      assert.deepEqual(seen, expected, 'a contact\'s numbers stay on one page, none twice, none lost');
    });

    test('a book larger than one store page (500) streams every contact once, in order', async () => {
      const large = await api.newBook();
      const numbers = Array.from({ length: 1100 }, () => uniquePhone());
      for (let i = 0; i < numbers.length; i += 1000) {
        const contacts = numbers.slice(i, i + 1000).map((number, j) => ({ address_book_id: large, display_name: `Bulk ${i + j}`, phone_numbers: [{ number, type: 'work' }] }));
        const res = await api.call('POST', '/v1/contacts/batch', { contacts });
        assert.equal(res.status, 200);
      }
      const doc = await xml(`/phonebook/grandstream.xml?book=${large}`);
      assert.deepEqual(doc.AddressBook.Contact.map((c: any) => c.Phone[0].phonenumber), numbers);
    });

    test('no book: the default book; an unknown book or another account\'s book: 404', async () => {
      const phone = uniquePhone();
      await api.createContact({ display_name: 'In default', phone_numbers: [{ number: phone }] });
      const doc = await xml('/phonebook/yealink.xml');
      assert.ok(doc.YealinkIPPhoneDirectory.DirectoryEntry.some((e: any) => e.Telephone[0]['#text'] === phone));
      assert.equal((await get('/phonebook/yealink.xml?book=00000000-0000-4000-8000-000000000000')).status, 404);
      const other = await api.otherAccount();
      const otherBook = (await api.call('POST', '/v1/address-books', { name: 'theirs' }, { key: other.key })).body.id;
      const theirs = await get(`/phonebook/yealink.xml?book=${otherBook}`);
      assert.equal(theirs.status, 404);
      assert.equal(theirs.body.code, 'address_book_not_found');
    });

    test('tenancy: another account\'s key sees its own default book, never this account\'s contacts', async () => {
      const other = await api.otherAccount();
      const res = await get('/phonebook/yealink.xml', basic(other.accountId, other.key));
      assert.equal(res.status, 200);
      assert.ok(!String(res.body).includes(jane.mobile));
    });

    test('unknown vendor: 404', async () => {
      for (const file of ['polycom.xml', 'yealink.json', 'yealink']) {
        const res = await get(`/phonebook/${file}`);
        assert.equal(res.status, 404, file);
        assert.match(String(res.headers['content-type']), /problem\+json/);
      }
    });

    test('auth: Basic and Bearer with a read-only key work; refused credentials are 401 with WWW-Authenticate', async () => {
      assert.equal((await get(`/phonebook/yealink.xml?book=${book}`, { authorization: `Bearer ${api.keys.read}` })).status, 200);
      assert.equal((await get(`/phonebook/yealink.xml?book=${book}`, basic(api.accountId, api.keys.admin))).status, 200);
      for (const [label, headers] of await refusedBasicCredentials(api)) {
        for (const file of ['yealink.xml', 'cisco.xml', 'unknown.xml']) {
          const res = await get(`/phonebook/${file}?book=${book}`, headers);
          assert.equal(res.status, 401, `${file} ${label}`);
          assert.equal(res.headers['www-authenticate'], 'Basic realm="contactd"', `${file} ${label}`);
          assert.ok(!String(res.raw.body).includes(jane.mobile));
        }
      }
    });

    test('a bad Cisco page cursor is a 400 problem, not a 500', async () => {
      const res = await get(`/phonebook/cisco.xml?book=${book}&after=nonsense`);
      assert.equal(res.status, 400);
      assert.match(String(res.headers['content-type']), /problem\+json/);
    });
  });
}
