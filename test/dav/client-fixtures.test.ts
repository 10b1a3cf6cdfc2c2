// Thunderbird's and iOS's CardDAV requests, replayed from test/fixtures/dav/ (see its README for
// where each body comes from), and each answer read the way that client reads it (issue 12 §3).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { uniquePhone } from '../support/api.ts';
import { davRequest } from '../support/dav-client.ts';
import { loadRequest, replay, type RecordedRequest } from '../support/dav-fixtures.ts';
import { fillBook, startDavServer, type DavServer } from '../support/dav-server.ts';
import { CALSERVER, CARDDAV, DAV, child, descendants, okProp, parseMultistatus, privileges, type DavResponse } from '../support/dav-xml.ts';
import { engines } from '../support/engines.ts';

const WRITE_PRIVILEGES = ['write', 'write-properties', 'write-content', 'all', 'bind', 'unbind'].map((p) => `{${DAV}}${p}`);

for (const engine of engines) {
  describe(`Thunderbird's requests on ${engine.name}`, () => {
    let server: DavServer;
    let book: { id: string; name: string; path: string };
    let ids: string[];
    before(async () => {
      ({ server, book, ids } = await prepare(engine, 'thunderbird'));
    });
    after(() => server?.close());

    test('discovery: the well-known URL, a Basic challenge, the principal, the home, then the books with their privileges', async () => {
      const principal = await discoverPrincipal(server, loadRequest('thunderbird/01-well-known.http'));
      const home = href(okProp(single(await multistatus(server, loadRequest('thunderbird/02-principal.http', { principal }))), `{${CARDDAV}}addressbook-home-set`));
      assert.equal(home, '/dav/books/');

      for (const key of ['admin', 'read'] as const) {
        const listing = await multistatus(server, loadRequest('thunderbird/03-home.http', { home }), key);
        const entry = listing.responses.find((r) => r.href === book.path);
        assert.ok(entry, `the book is listed (${listing.responses.map((r) => r.href).join(', ')})`);
        // Thunderbird skips a response unless its first <status> reads exactly this.
        assert.equal(descendants(entry.element, `{${DAV}}status`)[0]?.text.trim(), 'HTTP/1.1 200 OK');
        assert.ok(okProp(entry, `{${DAV}}resourcetype`)?.children.some((c) => c.name === `{${CARDDAV}}addressbook`));
        assert.equal(okProp(entry, `{${DAV}}displayname`)?.text, book.name);
        const granted = privileges(okProp(entry, `{${DAV}}current-user-privilege-set`));
        assert.ok(granted.includes(`{${DAV}}read`), `${key}: read in ${granted}`);
        // Thunderbird marks the book read-only when none of write, write-properties, write-content, all is granted.
        assert.equal(granted.some((p) => WRITE_PRIVILEGES.includes(p)), key === 'admin', `${key}: ${granted}`);
      }
    });

    test('first fetch: every card with an ETag and a resourcetype, then a multiget and the sync token', async () => {
      const listing = await multistatus(server, loadRequest('thunderbird/04-fetch-all.http', { book: book.path }));
      const collection = listing.responses.find((r) => r.href === book.path);
      assert.ok(okProp(collection!, `{${CALSERVER}}getctag`)?.text, 'the collection has a ctag');
      const cards = listing.responses.filter((r) => r.href !== book.path);
      assert.equal(cards.length, ids.length);
      for (const card of cards) {
        assert.ok(okProp(card, `{${DAV}}getetag`)?.text, `${card.href} has an ETag`);
        // Without a resourcetype (empty for a card) Thunderbird's later syncs ignore the card.
        assert.ok(okProp(card, `{${DAV}}resourcetype`), `${card.href} has a resourcetype`);
        assert.ok(card.href.startsWith(book.path) && card.href.endsWith('.vcf'), card.href);
      }

      const [card1, card2] = cards;
      const fetched = await multistatus(server, loadRequest('thunderbird/05-multiget.http', { book: book.path, card1: card1!.href, card2: card2!.href }));
      assert.deepEqual(fetched.responses.map((r) => r.href).sort(), [card1!.href, card2!.href].sort());
      for (const response of fetched.responses) {
        assert.match(okProp(response, `{${CARDDAV}}address-data`)?.text ?? '', /^BEGIN:VCARD/);
        assert.equal(okProp(response, `{${DAV}}getetag`)?.text, okProp(cards.find((c) => c.href === response.href)!, `{${DAV}}getetag`)?.text);
      }

      const token = okProp(single(await multistatus(server, loadRequest('thunderbird/06-sync-token.http', { book: book.path }))), `{${DAV}}sync-token`)?.text;
      assert.ok(token, 'a sync token');
    });

    test('a card saved in Thunderbird is PUT, read back by multiget, reported by sync-collection, then deleted', async () => {
      const tokenOf = async () => okProp(single(await multistatus(server, loadRequest('thunderbird/06-sync-token.http', { book: book.path }))), `{${DAV}}sync-token`)!.text;
      const before = await tokenOf();
      const uid = randomUUID();
      const phone = uniquePhone();
      const put = await replay(server, loadRequest('thunderbird/07-put.http', { book: book.path, uid, phone }));
      assert.equal(put.status, 201, put.text);
      const href = `${book.path}${uid}.vcf`;

      // Thunderbird reads a card back right after its PUT, by multiget (here the one href, twice).
      const readBack = await multistatus(server, loadRequest('thunderbird/05-multiget.http', { book: book.path, card1: href, card2: href }));
      assert.ok(readBack.responses.length > 0 && readBack.responses.every((r) => r.href === href));
      const card = okProp(readBack.responses[0]!, `{${CARDDAV}}address-data`)?.text ?? '';
      assert.match(card, new RegExp(`^UID:${uid}\\r?$`, 'm'));
      assert.match(card, /^FN:Ada Thunderbird\r?$/m);
      assert.match(card, /^NOTE:Added in Thunderbird\r?$/m);
      const lookup = await server.api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`);
      assert.deepEqual(lookup.body.matches.map((c: { display_name: string }) => c.display_name), ['Ada Thunderbird']);

      const synced = await multistatus(server, loadRequest('thunderbird/08-sync-collection.http', { book: book.path, token: before }));
      const added = synced.responses.find((r) => r.href === href);
      assert.ok(added, `the new card is reported (${synced.responses.map((r) => r.href)})`);
      assert.ok(okProp(added, `{${DAV}}getetag`)?.text);
      assert.match(okProp(added, `{${CARDDAV}}address-data`)?.text ?? '', /Ada Thunderbird/);
      assert.ok(synced.syncToken && synced.syncToken !== before, 'a new token');

      const deleted = await replay(server, loadRequest('thunderbird/09-delete.http', { href }));
      assert.ok(deleted.status >= 200 && deleted.status < 300, `DELETE answered ${deleted.status}`);
      const afterDelete = await multistatus(server, loadRequest('thunderbird/08-sync-collection.http', { book: book.path, token: synced.syncToken! }));
      const gone = afterDelete.responses.find((r) => r.href === href);
      // Thunderbird reads `response > status` starting with "HTTP/1.1 404" as a removal.
      assert.equal(child(gone?.element, `{${DAV}}status`)?.text.trim().startsWith('HTTP/1.1 404'), true);
    });

    test('a sync token the server cannot honour is refused with the 400 on which Thunderbird syncs afresh (403 for other clients)', async () => {
      for (const token of ['http://contactd.org/sync/999999999999', 'not-a-token', 'http://radicale.org/ns/sync/abc']) {
        const request = loadRequest('thunderbird/08-sync-collection.http', { book: book.path, token });
        const res = await replay(server, request);
        assert.equal(res.status, 400, `${token}: ${res.status} ${res.text}`);
        assert.match(res.text, /valid-sync-token/);
        const otherClient = await replay(server, { ...request, headers: { ...request.headers, 'user-agent': 'DAVx5/4.4 (okhttp/4.12)' } });
        assert.equal(otherClient.status, 403, `${token} from DAVx5: ${otherClient.status}`);
        assert.match(otherClient.text, /valid-sync-token/);
      }
    });
  });

  describe(`iOS and macOS Contacts' requests on ${engine.name}`, () => {
    let server: DavServer;
    let book: { id: string; name: string; path: string };
    let ids: string[];
    // Where discovery must lead; the first test checks that it does.
    let principal = '/dav/principal/';
    let home = '/dav/books/';
    before(async () => {
      ({ server, book, ids } = await prepare(engine, 'ios'));
    });
    after(() => server?.close());

    test('discovery: the well-known URL, a Basic challenge, then the principal as iOS asks for it', async () => {
      principal = await discoverPrincipal(server, loadRequest('ios/01-well-known.http'));
      const options = await replay(server, loadRequest('ios/02-options-principal.http', { principal }));
      assert.ok(options.status === 200 || options.status === 204, `OPTIONS answered ${options.status}`);
      assert.match(options.headers.get('dav') ?? '', /addressbook/);
      for (const method of ['PROPFIND', 'REPORT']) assert.match(options.headers.get('allow') ?? '', new RegExp(method));

      const answer = single(await multistatus(server, loadRequest('ios/03-principal.http', { principal })));
      home = href(okProp(answer, `{${CARDDAV}}addressbook-home-set`))!;
      assert.equal(home, '/dav/books/');
      assert.equal(href(okProp(answer, `{${DAV}}principal-URL`)), principal);
      assert.ok(okProp(answer, `{${DAV}}displayname`), 'a display name for the account');
      assertNoServerErrors(answer);
    });

    test('the home lists each book with what iOS polls: ctag, sync token, privileges', async () => {
      const listing = await multistatus(server, loadRequest('ios/04-home.http', { home }));
      const entry = listing.responses.find((r) => r.href === book.path)!;
      assert.ok(entry, `the book is listed (${listing.responses.map((r) => r.href).join(', ')})`);
      const types = okProp(entry, `{${DAV}}resourcetype`)?.children.map((c) => c.name) ?? [];
      assert.ok(types.includes(`{${DAV}}collection`) && types.includes(`{${CARDDAV}}addressbook`), `${types}`);
      assert.ok(okProp(entry, `{${CALSERVER}}getctag`)?.text);
      assert.ok(okProp(entry, `{${DAV}}sync-token`)?.text);
      assert.equal(okProp(entry, `{${DAV}}displayname`)?.text, book.name);
      assert.ok(privileges(okProp(entry, `{${DAV}}current-user-privilege-set`)).some((p) => WRITE_PRIVILEGES.includes(p)));
      for (const response of listing.responses) assertNoServerErrors(response);
    });

    test('the ctag and sync token stay put while nothing changes, and move on an edit and on a delete', async () => {
      const poll = async () => {
        const answer = single(await multistatus(server, loadRequest('ios/05-poll.http', { book: book.path })));
        return `${okProp(answer, `{${CALSERVER}}getctag`)?.text} ${okProp(answer, `{${DAV}}sync-token`)?.text}`;
      };
      const first = await poll();
      assert.equal(await poll(), first);
      assert.equal((await server.api.call('PATCH', `/v1/contacts/${ids[0]}`, { display_name: 'Polled Edit' })).status, 200);
      const edited = await poll();
      assert.notEqual(edited.split(' ')[0], first.split(' ')[0], 'the ctag moved on an edit');
      assert.notEqual(edited.split(' ')[1], first.split(' ')[1], 'the sync token moved on an edit');
      assert.equal((await server.api.call('DELETE', `/v1/contacts/${ids[1]}`)).status, 204);
      const deleted = await poll();
      assert.notEqual(deleted.split(' ')[0], edited.split(' ')[0], 'the ctag moved on a delete');
      assert.notEqual(deleted.split(' ')[1], edited.split(' ')[1], 'the sync token moved on a delete');
    });

    test('an initial sync-collection lists every card, a multiget fetches them, and a card saved on the phone comes back as saved', async () => {
      const initial = await multistatus(server, loadRequest('ios/06-initial-sync.http', { book: book.path }));
      const live = (await server.api.call('GET', `/v1/contacts?address_book_id=${book.id}&limit=100`)).body.data.length;
      const cards = initial.responses.filter((r) => okProp(r, `{${DAV}}getetag`));
      assert.equal(cards.length, live);
      assert.ok(initial.syncToken, 'the answer carries a token');

      const fetched = await multistatus(server, loadRequest('ios/07-multiget.http', { book: book.path, card1: cards[0]!.href, card2: cards[1]!.href }));
      assert.equal(fetched.responses.length, 2);
      for (const response of fetched.responses) assert.match(okProp(response, `{${CARDDAV}}address-data`)?.text ?? '', /^BEGIN:VCARD/);

      // iOS names new cards with a random upper-case UUID and PUTs them with If-None-Match: *.
      const name = randomUUID().toUpperCase();
      const vars = { book: book.path, name, uid: randomUUID().toUpperCase(), phone: uniquePhone() };
      const put = await replay(server, loadRequest('ios/08-put.http', vars));
      assert.equal(put.status, 201, put.text);
      assert.ok(put.headers.get('etag'), 'the PUT answers with the ETag');
      assert.equal((await replay(server, loadRequest('ios/08-put.http', vars))).status, 412, 'If-None-Match: * on an existing card');

      const stored = await davRequest(server, 'GET', `${book.path}${name}.vcf`);
      assert.equal(stored.status, 200);
      assert.match(stored.text, new RegExp(`^UID:${vars.uid}\\r?$`, 'm'));
      assert.match(stored.text, /^X-ABShowAs:PERSON\r?$/m);
      // Apple's standard labels may come back as they were sent or as the TYPE they stand for;
      // either way the phone shows the number as mobile and the address as work.
      assert.match(stored.text, /X-ABLabel:_\$!<Mobile>!\$_|^TEL;[^:\r\n]*TYPE=[^:\r\n]*cell/im);
      assert.match(stored.text, /X-ABLabel:_\$!<Work>!\$_|^EMAIL;[^:\r\n]*TYPE=[^:\r\n]*work/im);
      const contact = (await server.api.call('GET', `/v1/lookup?phone=${encodeURIComponent(vars.phone)}`)).body.matches[0];
      assert.equal(contact.display_name, 'Johnny Appleseed');
      assert.equal(contact.company, 'Orchard Supply');
      assert.ok(contact.emails.some((e: { address: string }) => e.address === 'johnny.appleseed@example.com'));

      const since = await multistatus(server, loadRequest('thunderbird/08-sync-collection.http', { book: book.path, token: initial.syncToken! }));
      assert.ok(since.responses.some((r) => r.href === `${book.path}${name}.vcf`), 'the card is listed under the name the phone gave it');
    });
  });
}

async function prepare(engine: (typeof engines)[number], client: string) {
  const server = await startDavServer(engine);
  const name = `${client} book ${randomUUID().slice(0, 8)}`;
  const created = await server.api.call('POST', '/v1/address-books', { name });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const ids = await fillBook(server.api, created.body.id, 3, (i) => ({ first_name: `Fixture${i}`, last_name: client, phone_numbers: [{ number: uniquePhone(), type: 'work' }], emails: [{ address: `fixture${i}.${randomUUID().slice(0, 6)}@example.com` }] }));
  return { server, book: { id: created.body.id as string, name, path: `/dav/books/${created.body.id}/` }, ids };
}

/**
 * The well-known URL (sent before any credentials) redirects to /dav/; the client repeats the
 * request there, meets a Basic challenge, answers it, and reads current-user-principal.
 */
async function discoverPrincipal(server: DavServer, wellKnown: RecordedRequest): Promise<string> {
  const redirect = await replay(server, wellKnown, null);
  assert.equal(redirect.status, 301);
  const target = new URL(redirect.headers.get('location')!, server.origin).pathname;
  assert.equal(target, '/dav/');
  const challenge = await replay(server, wellKnown, null, target);
  assert.equal(challenge.status, 401);
  assert.match(challenge.headers.get('www-authenticate') ?? '', /^Basic realm=/i);
  const answer = await replay(server, wellKnown, 'admin', target);
  assert.equal(answer.status, 207, answer.text);
  const principal = href(okProp(single(parseMultistatus(answer.text)), `{${DAV}}current-user-principal`));
  assert.equal(principal, '/dav/principal/');
  return principal!;
}

async function multistatus(server: DavServer, request: RecordedRequest, key: 'admin' | 'write' | 'read' = 'admin') {
  const res = await replay(server, request, key);
  assert.equal(res.status, 207, `${request.method} ${request.path}: ${res.status} ${res.text.slice(0, 500)}`);
  return parseMultistatus(res.text);
}

function single(answer: { responses: DavResponse[] }): DavResponse {
  assert.equal(answer.responses.length, 1, answer.responses.map((r) => r.href).join(', '));
  return answer.responses[0]!;
}

function href(element: ReturnType<typeof okProp>): string | undefined {
  const text = child(element, `{${DAV}}href`)?.text.trim();
  return text === undefined ? undefined : new URL(text, 'http://x').pathname;
}

/** Properties a server does not keep are answered 404 (or left out under Prefer: return=minimal), never with a 5xx. */
function assertNoServerErrors(response: DavResponse): void {
  for (const [name, { status }] of response.props) assert.ok(status < 500, `${name} answered ${status}`);
  assert.ok(!(response.status! >= 500), `${response.href} answered ${response.status}`);
}
