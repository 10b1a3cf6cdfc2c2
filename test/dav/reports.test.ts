/**
 * Issue 12 §1 REPORTs: addressbook-multiget (RFC 6352 §8.7) and addressbook-query (§8.6) with
 * prop-filter / text-match on FN, N, EMAIL, TEL, ORG, NICKNAME, UID; equals, contains,
 * starts-with, ends-with; collations i;unicode-casemap (default), i;ascii-casemap, i;octet;
 * negate-condition; test anyof / allof; limit (507 when cut, §8.6.1). "A TEL text-match compares
 * normalized numbers, so 651-111-2222 finds a card holding +1 (651) 111-2222."
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, type TestApi } from '../support/api.ts';
import { NS, bookPath, cardPath, dav, multistatus, queryBody, vcard } from './support.ts';

for (const engine of engines) {
  describe(`CardDAV REPORTs on ${engine.name}`, () => {
    let api: TestApi;
    let book: string;
    const ids: Record<string, string> = {};
    /** The first names of the cards a query finds, sorted. */
    const found = async (filter: string, options: { test?: string; limit?: number } = {}) => {
      const res = multistatus(await dav(api, 'REPORT', bookPath(book), queryBody(filter, options)));
      const names = res.entries.filter((e) => e.status === undefined).map((e) => (e.href.endsWith('/nick.vcf') ? 'nick' : (Object.entries(ids).find(([, id]) => e.href.includes(id))?.[0] ?? e.href)));
      return names.sort();
    };
    const tm = (text: string, attrs = '') => `<c:text-match${attrs ? ` ${attrs}` : ''}>${text}</c:text-match>`;
    const pf = (name: string, inner: string, attrs = '') => `<c:prop-filter name="${name}"${attrs ? ` ${attrs}` : ''}>${inner}</c:prop-filter>`;

    before(async () => {
      api = await startApi(engine);
      book = await api.newBook();
      const other = await api.newBook();
      const make = async (key: string, body: Record<string, unknown>, bookId = book) => {
        ids[key] = (await api.createContact({ address_book_id: bookId, ...body })).id;
      };
      await make('jane', { first_name: 'Jane', last_name: 'Doe', company: 'Acme Corp', phone_numbers: [{ number: '+1 (651) 111-2222', type: 'mobile' }], emails: [{ address: 'Jane.Doe@Example.com' }] });
      await make('john', { first_name: 'John', last_name: 'Smith', company: 'Globex', phone_numbers: [{ number: '+1 612 333 4444' }], emails: [{ address: 'john@globex.test' }] });
      await make('emile', { first_name: 'Émile', last_name: 'Zola', phone_numbers: [{ number: '+33 1 42 68 53 00' }] });
      await make('elsewhere', { first_name: 'Jane', last_name: 'Elsewhere', phone_numbers: [{ number: '+1 (651) 111-2222' }] }, other);
      const res = await dav(api, 'PUT', cardPath(book, 'nick'), vcard(['UID:nick-uid-7', 'FN:Nick Name', 'N:Name;Nick;;;', 'NICKNAME:Nicky', 'TEL:+1 415 555 0199']), { contentType: 'text/vcard' });
      assert.equal(res.status, 201, res.body);
      ids.nick = (await api.call('GET', `/v1/lookup?phone=${encodeURIComponent('+14155550199')}`)).body.matches[0].id;
    });
    after(() => api.close());

    test('multiget returns the asked cards with address-data; an unknown href is its own 404', async () => {
      const body = `<c:addressbook-multiget ${NS}><d:prop><d:getetag/><c:address-data/></d:prop><d:href>${cardPath(book, ids.jane!)}</d:href><d:href>http://localhost${cardPath(book, 'nick')}</d:href><d:href>${cardPath(book, 'nobody')}</d:href><d:href>${cardPath(book, ids.elsewhere!)}</d:href></c:addressbook-multiget>`;
      const res = multistatus(await dav(api, 'REPORT', bookPath(book), body));
      assert.equal(res.entries.length, 4);
      assert.match(res.entries[0]!.found['address-data'], /FN:Jane Doe/);
      assert.equal(res.entries[0]!.found.getetag, '"1"');
      assert.match(res.entries[1]!.found['address-data'], /NICKNAME:Nicky/);
      assert.equal(res.entries[1]!.href, cardPath(book, 'nick'));
      assert.deepEqual([res.entries[2]!.status, res.entries[3]!.status], [404, 404], "an unknown name, another book's card");
      const v4 = multistatus(await dav(api, 'REPORT', bookPath(book), `<c:addressbook-multiget ${NS}><d:prop><c:address-data content-type="text/vcard" version="4.0"><c:prop name="FN"/></c:address-data></d:prop><d:href>${cardPath(book, ids.jane!)}</d:href></c:addressbook-multiget>`));
      assert.match(v4.entries[0]!.found['address-data'], /VERSION:4\.0/);
    });

    test('TEL compares normalized numbers: 651-111-2222 finds +1 (651) 111-2222, in this book only', async () => {
      assert.deepEqual(await found(pf('TEL', tm('651-111-2222', 'match-type="equals"'))), ['jane']);
      assert.deepEqual(await found(pf('TEL', tm('(651) 111 2222', 'match-type="contains"'))), ['jane']);
      assert.deepEqual(await found(pf('TEL', tm('+1651', 'match-type="starts-with"'))), ['jane']);
      assert.deepEqual(await found(pf('TEL', tm('651', 'match-type="starts-with"'))), ['jane'], 'the national number');
      assert.deepEqual(await found(pf('TEL', tm('0199', 'match-type="ends-with"'))), ['nick']);
      assert.deepEqual(await found(pf('TEL', tm('333-44', 'match-type="contains"'))), ['john']);
    });

    test('each match type and property: FN, N, EMAIL, ORG, NICKNAME, UID', async () => {
      assert.deepEqual(await found(pf('FN', tm('jane doe', 'match-type="equals"'))), ['jane']);
      assert.deepEqual(await found(pf('FN', tm('oh', 'match-type="contains"'))), ['john']);
      assert.deepEqual(await found(pf('FN', tm('Ni', 'match-type="starts-with"'))), ['nick']);
      assert.deepEqual(await found(pf('FN', tm('SMITH', 'match-type="ends-with"'))), ['john']);
      assert.deepEqual(await found(pf('N', tm('Doe', 'match-type="contains"'))), ['jane']);
      assert.deepEqual(await found(pf('N', tm('doe;jane', 'match-type="starts-with"'))), ['jane']);
      assert.deepEqual(await found(pf('EMAIL', tm('jane.doe@example.com', 'match-type="equals"'))), ['jane']);
      assert.deepEqual(await found(pf('EMAIL', tm('john@', 'match-type="starts-with"'))), ['john']);
      assert.deepEqual(await found(pf('EMAIL', tm('.test', 'match-type="ends-with"'))), ['john']);
      assert.deepEqual(await found(pf('ORG', tm('acme', 'match-type="contains"'))), ['jane']);
      assert.deepEqual(await found(pf('NICKNAME', tm('nick', 'match-type="starts-with"'))), ['nick']);
      assert.deepEqual(await found(pf('UID', tm('nick-uid-7', 'match-type="equals"'))), ['nick']);
      assert.deepEqual(await found(pf('UID', tm(ids.john!, 'match-type="equals"'))), ['john']);
      assert.deepEqual(await found(pf('FN', tm('Jane'))), ['jane'], 'contains is the default match type');
    });

    test('collations: unicode-casemap (default) folds every letter, ascii-casemap only A-Z, octet nothing', async () => {
      assert.deepEqual(await found(pf('FN', tm('éMILE', 'match-type="starts-with"'))), ['emile']);
      assert.deepEqual(await found(pf('FN', tm('éMILE', 'match-type="starts-with" collation="i;ascii-casemap"'))), [], 'é is not É in ASCII');
      assert.deepEqual(await found(pf('FN', tm('ÉMILE', 'match-type="starts-with" collation="i;ascii-casemap"'))), ['emile']);
      assert.deepEqual(await found(pf('FN', tm('jane', 'collation="i;octet"'))), []);
      assert.deepEqual(await found(pf('FN', tm('Jane', 'collation="i;octet"'))), ['jane']);
      const res = await dav(api, 'REPORT', bookPath(book), queryBody(pf('FN', tm('x', 'collation="i;klingon"'))));
      assert.equal(res.status, 403);
      assert.match(res.body, /supported-collation/);
    });

    test('negate-condition, is-not-defined, anyof and allof', async () => {
      assert.deepEqual(await found(pf('FN', tm('Jane', 'negate-condition="yes"'))), ['emile', 'john', 'nick']);
      assert.deepEqual(await found(pf('NICKNAME', '<c:is-not-defined/>')), ['emile', 'jane', 'john']);
      assert.deepEqual(await found(pf('FN', tm('Jane')) + pf('TEL', tm('612-333-4444', 'match-type="equals"'))), ['jane', 'john'], 'anyof is the default');
      assert.deepEqual(await found(pf('FN', tm('Jane')) + pf('TEL', tm('612-333-4444', 'match-type="equals"')), { test: 'allof' }), []);
      assert.deepEqual(await found(pf('FN', tm('Jane')) + pf('EMAIL', tm('example.com')), { test: 'allof' }), ['jane']);
      assert.deepEqual(await found(pf('FN', tm('J', 'match-type="starts-with"') + tm('Doe', 'match-type="ends-with"'), 'test="allof"')), ['jane']);
      assert.deepEqual(await found(''), ['emile', 'jane', 'john', 'nick'], 'no prop-filter: every card');
    });

    test('limit: at most nresults cards, and a 507 response for the book when more matched', async () => {
      const res = multistatus(await dav(api, 'REPORT', bookPath(book), queryBody('', { limit: 2 })));
      const cards = res.entries.filter((e) => e.status === undefined);
      assert.equal(cards.length, 2);
      const cut = res.entries.find((e) => e.status === 507);
      assert.ok(cut, 'a 507 response');
      assert.equal(cut.href, bookPath(book));
      const enough = multistatus(await dav(api, 'REPORT', bookPath(book), queryBody('', { limit: 4 })));
      assert.ok(!enough.entries.some((e) => e.status === 507), 'no 507 when every match fits');
    });

    test('an unsupported report is a 403, a malformed filter a 400', async () => {
      const res = await dav(api, 'REPORT', bookPath(book), `<d:expand-property ${NS}/>`);
      assert.equal(res.status, 403);
      assert.match(res.body, /supported-report/);
      assert.equal((await dav(api, 'REPORT', bookPath(book), queryBody(pf('FN', tm('x', 'match-type="sounds-like"'))))).status, 400);
      assert.equal((await dav(api, 'REPORT', bookPath(book), queryBody('<c:prop-filter/>'))).status, 400);
      assert.equal((await dav(api, 'REPORT', bookPath(book), queryBody('', { limit: 0 }))).status, 400);
    });
  });
}
