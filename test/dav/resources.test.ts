/**
 * Issue 12 §1, each contact one resource with ETag = its version: GET as vCard 3.0 (default), 4.0
 * (`Accept: text/vcard; version=4.0`) and jCard; PUT of 3.0 and 4.0 under the name the client
 * chose, with If-Match / If-None-Match (412) and the book's duplicate policy (409, readable);
 * properties the core does not model kept verbatim; DELETE a journalled tombstone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines } from '../support/engines.ts';
import { startApi, uniquePhone, type TestApi } from '../support/api.ts';
import { cardPath, dav, vcard } from './support.ts';

const put = (api: TestApi, url: string, card: string, headers: Record<string, string> = {}) => dav(api, 'PUT', url, card, { contentType: 'text/vcard; charset=utf-8', headers });

for (const engine of engines) {
  describe(`CardDAV card resources on ${engine.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startApi(engine);
    });
    after(() => api.close());

    test('GET gives vCard 3.0 by default, 4.0 and jCard on Accept, each with the ETag', async () => {
      const book = await api.newBook();
      const phone = uniquePhone();
      const contact = await api.createContact({ address_book_id: book, first_name: 'Jane', last_name: 'Doe', company: 'Acme', phone_numbers: [{ number: phone, type: 'mobile' }], emails: [{ address: 'jane@example.com' }] });
      const v3 = await dav(api, 'GET', cardPath(book, contact.id));
      assert.equal(v3.status, 200);
      assert.match(String(v3.headers['content-type']), /^text\/vcard/);
      assert.equal(v3.headers.etag, `"${contact.version}"`);
      assert.match(v3.body, /VERSION:3\.0/);
      assert.match(v3.body, new RegExp(`UID:${contact.id}`));
      assert.match(v3.body, /FN:Jane Doe/);
      assert.match(v3.body, /N:Doe;Jane;/);
      assert.match(v3.body, /ORG:Acme/);
      assert.ok(v3.body.includes(phone), v3.body);
      const v4 = await dav(api, 'GET', cardPath(book, contact.id), undefined, { headers: { accept: 'text/vcard; version=4.0' } });
      assert.match(v4.body, /VERSION:4\.0/);
      assert.match(String(v4.headers['content-type']), /version=4\.0/);
      const jcard = await dav(api, 'GET', cardPath(book, contact.id), undefined, { headers: { accept: 'application/vcard+json' } });
      assert.match(String(jcard.headers['content-type']), /^application\/vcard\+json/);
      const parsed = JSON.parse(jcard.body);
      assert.equal(parsed[0], 'vcard');
      assert.ok(parsed[1].some((p: any[]) => p[0] === 'fn' && p[3] === 'Jane Doe'));
      const notModified = await dav(api, 'GET', cardPath(book, contact.id), undefined, { headers: { 'if-none-match': `"${contact.version}"` } });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.body, '');
      assert.equal((await dav(api, 'GET', cardPath(book, contact.id), undefined, { headers: { 'if-none-match': '"999"' } })).status, 200);
      const head = await api.app.inject({ method: 'HEAD', url: cardPath(book, contact.id), headers: { authorization: `Bearer ${api.keys.read}` } });
      assert.equal(head.statusCode, 200);
      assert.equal(head.headers.etag, `"${contact.version}"`);
    });

    test('GET writes the contact\'s groups as CATEGORIES and its custom values as X-CONTACTD-*, and a plain card neither', async () => {
      const book = await api.newBook();
      const key = `tier_${Math.random().toString(36).slice(2, 8)}`;
      assert.equal((await api.call('POST', '/v1/custom-fields', { key, data_type: 'date' })).status, 201);
      const member = (await api.call('POST', '/v1/groups', { name: `Gold ${key}` })).body.id as string;
      await api.call('POST', '/v1/groups', { name: `Other ${key}` });
      const rich = await api.createContact({ address_book_id: book, display_name: 'Rich Card', group_ids: [member], custom_fields: { [key]: '2026-12-06' }, phone_numbers: [{ number: uniquePhone() }] });
      const plain = await api.createContact({ address_book_id: book, display_name: 'Plain Card', phone_numbers: [{ number: uniquePhone() }] });
      const richCard = (await dav(api, 'GET', cardPath(book, rich.id))).body;
      assert.match(richCard, new RegExp(`^CATEGORIES:Gold ${key}\r$`, 'm'), richCard);
      assert.ok(!richCard.includes(`Other ${key}`), 'only the contact\'s own groups');
      // The field's own type, which only the account's definition knows (the value alone reads as text).
      assert.match(richCard, new RegExp(`^X-CONTACTD-${key.toUpperCase().replace(/_/g, '-')};X-DATA-TYPE=date:2026-12-06\r$`, 'm'), richCard);
      const plainCard = (await dav(api, 'GET', cardPath(book, plain.id))).body;
      assert.doesNotMatch(plainCard, /^(CATEGORIES|X-CONTACTD-TIER)/m, plainCard);
    });

    test('PUT creates under the name the client chose (201 + ETag), keeps its UID, and the contact is everyone\'s', async () => {
      const book = await api.newBook();
      const phone = uniquePhone();
      const res = await put(api, cardPath(book, 'ios-F00D-1'), vcard(['UID:client-uid-1', 'FN:Iris Phone', 'N:Phone;Iris;;;', `TEL;TYPE=CELL:${phone}`, 'EMAIL;TYPE=INTERNET:iris@example.com']), { 'if-none-match': '*' });
      assert.equal(res.status, 201, res.body);
      assert.equal(res.headers.etag, '"1"');
      const found = (await api.call('GET', `/v1/lookup?phone=${encodeURIComponent(phone)}`)).body.matches;
      assert.equal(found.length, 1);
      assert.equal(found[0].display_name, 'Iris Phone');
      assert.equal(found[0].address_book_id, book);
      const card = await dav(api, 'GET', cardPath(book, 'ios-F00D-1'));
      assert.match(card.body, /UID:client-uid-1/);
      assert.equal((await dav(api, 'GET', cardPath(book, found[0].id))).status, 404, 'a named card is found under its name only');
      const history = (await api.call('GET', `/v1/contacts/${found[0].id}/history`)).body.data;
      assert.deepEqual(history.map((c: any) => `${c.type}@${c.actor.surface}`), ['contact.created@dav']);
    });

    test('PUT of vCard 4.0 is read too', async () => {
      const book = await api.newBook();
      const res = await put(api, cardPath(book, 'v4'), vcard(['UID:urn:uuid:4a5b', 'FN:Four Point', 'N:Point;Four;;;', 'TEL;VALUE=uri;TYPE="cell,voice":tel:+1-651-555-0142;ext=12'], '4.0'));
      assert.equal(res.status, 201, res.body);
      const card = await dav(api, 'GET', cardPath(book, 'v4'), undefined, { headers: { accept: 'text/vcard; version=4.0' } });
      assert.match(card.body, /FN:Four Point/);
      assert.match(card.body, /16515550142/);
    });

    test('PUT replaces with If-Match (204 + new ETag); a stale If-Match or If-None-Match: * on an existing card is a 412', async () => {
      const book = await api.newBook();
      const url = cardPath(book, 'card-a');
      assert.equal((await put(api, url, vcard(['UID:a', 'FN:Alpha', `TEL:${uniquePhone()}`]))).status, 201);
      const updated = await put(api, url, vcard(['UID:a', 'FN:Alpha Two', `TEL:${uniquePhone()}`]), { 'if-match': '"1"' });
      assert.equal(updated.status, 204, updated.body);
      assert.equal(updated.headers.etag, '"2"');
      assert.equal((await put(api, url, vcard(['UID:a', 'FN:Stale']), { 'if-match': '"1"' })).status, 412);
      assert.equal((await put(api, url, vcard(['UID:a', 'FN:Again']), { 'if-none-match': '*' })).status, 412);
      assert.equal((await put(api, cardPath(book, 'missing'), vcard(['FN:Nobody']), { 'if-match': '"1"' })).status, 412);
      const card = await dav(api, 'GET', url);
      assert.match(card.body, /FN:Alpha Two/);
      assert.equal(card.headers.etag, '"2"');
    });

    test('in a reject book a duplicate is a 409 with a readable body, and nothing is stored', async () => {
      const book = await api.newBook('reject');
      const phone = uniquePhone();
      const first = await api.createContact({ address_book_id: book, first_name: 'First', phone_numbers: [{ number: phone }] });
      const res = await put(api, cardPath(book, 'dup'), vcard(['FN:Second', `TEL;TYPE=CELL:${phone}`]));
      assert.equal(res.status, 409);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.match(res.body, new RegExp(first.id));
      assert.equal((await dav(api, 'GET', cardPath(book, 'dup'))).status, 404);
    });

    test('in a merge book the card folds into the contact holding its number, which keeps its name', async () => {
      const book = await api.newBook('merge');
      const phone = uniquePhone();
      const first = await api.createContact({ address_book_id: book, first_name: 'Mary', last_name: 'Major', phone_numbers: [{ number: phone }] });
      const res = await put(api, cardPath(book, 'folded'), vcard(['UID:folded', 'FN:Mary Major', `TEL;TYPE=CELL:${phone}`, 'EMAIL:mary@example.com', 'NOTE:from the phone']));
      assert.equal(res.status, 201, res.body);
      assert.equal(res.headers.etag, undefined, 'not stored under this name: no ETag for it');
      assert.match(res.body, new RegExp(first.id));
      assert.equal((await dav(api, 'GET', cardPath(book, 'folded'))).status, 404);
      const survivor = await dav(api, 'GET', cardPath(book, first.id));
      assert.match(survivor.body, /mary@example\.com/);
      assert.match(survivor.body, /NOTE:from the phone/);
    });

    test('properties the core does not model come back verbatim (PHOTO, X-*, ADR, BDAY, NOTE, URL, NICKNAME)', async () => {
      const book = await api.newBook();
      const photo = 'PHOTO;ENCODING=b;TYPE=JPEG:' + Buffer.alloc(3000, 7).toString('base64');
      const kept = [photo, 'X-ABUID:5D2B-ABUID', 'X-CUSTOM-THING;X-PARAM=1:some value', 'ADR;TYPE=HOME:;;1 Main St;Springfield;IL;62701;USA', 'BDAY:1980-04-01', 'NOTE:Likes tea\\, not coffee', 'item1.URL:https://example.com/jane', 'NICKNAME:Janey'];
      const url = cardPath(book, 'kept');
      assert.equal((await put(api, url, vcard(['UID:kept-1', 'FN:Kept Props', ...kept]))).status, 201);
      const body = (await dav(api, 'GET', url)).body.replace(/\r\n[ \t]/g, '');
      for (const line of kept) assert.ok(body.split('\r\n').includes(line), `kept verbatim: ${line.slice(0, 40)}`);
      // A change through /v1 keeps them too.
      const id = (await api.call('GET', `/v1/contacts?address_book_id=${book}`)).body.data[0].id;
      assert.equal((await api.call('PATCH', `/v1/contacts/${id}`, { company: 'Globex' })).status, 200);
      const after = (await dav(api, 'GET', url)).body.replace(/\r\n[ \t]/g, '');
      assert.match(after, /ORG:Globex/);
      for (const line of kept) assert.ok(after.split('\r\n').includes(line), `still kept: ${line.slice(0, 40)}`);
    });

    test('a PHOTO of 1 MB is kept and given back; a body over the limit is a 413', async () => {
      const book = await api.newBook();
      const photo = Buffer.alloc(1000 * 1000, 9).toString('base64');
      const url = cardPath(book, 'photo');
      assert.equal((await put(api, url, vcard(['FN:Big Photo', `PHOTO;ENCODING=b;TYPE=JPEG:${photo}`]))).status, 201);
      assert.ok((await dav(api, 'GET', url)).body.replace(/\r\n[ \t]/g, '').includes(`PHOTO;ENCODING=b;TYPE=JPEG:${photo}`));
      const huge = await put(api, cardPath(book, 'huge'), vcard(['FN:Huge', `PHOTO;ENCODING=b;TYPE=JPEG:${Buffer.alloc(3 * 1024 * 1024, 1).toString('base64')}`]));
      assert.equal(huge.status, 413);
      assert.equal((await dav(api, 'GET', cardPath(book, 'huge'))).status, 404);
    });

    test('a PUT that changes only a kept property still moves the ETag', async () => {
      const book = await api.newBook();
      const url = cardPath(book, 'note');
      assert.equal((await put(api, url, vcard(['UID:n', 'FN:Note Taker', 'NOTE:one']))).status, 201);
      const res = await put(api, url, vcard(['UID:n', 'FN:Note Taker', 'NOTE:two']));
      assert.equal(res.status, 204);
      assert.equal(res.headers.etag, '"2"');
      assert.match((await dav(api, 'GET', url)).body, /NOTE:two/);
    });

    test('DELETE makes a tombstone (journalled as dav, restorable); If-Match is honoured', async () => {
      const book = await api.newBook();
      const contact = await api.createContact({ address_book_id: book, first_name: 'Del', phone_numbers: [{ number: uniquePhone() }] });
      assert.equal((await dav(api, 'DELETE', cardPath(book, contact.id), undefined, { headers: { 'if-match': '"9"' } })).status, 412);
      assert.equal((await dav(api, 'DELETE', cardPath(book, contact.id), undefined, { headers: { 'if-match': `"${contact.version}"` } })).status, 204);
      assert.equal((await dav(api, 'GET', cardPath(book, contact.id))).status, 404);
      assert.equal((await dav(api, 'DELETE', cardPath(book, contact.id))).status, 404);
      const deleted = (await api.call('GET', '/v1/contacts?status=deleted&limit=200')).body.data;
      assert.ok(deleted.some((c: any) => c.id === contact.id));
      const history = (await api.call('GET', `/v1/contacts/${contact.id}/history?limit=1`)).body.data;
      assert.deepEqual([history[0].type, history[0].actor.surface], ['contact.deleted', 'dav']);
      assert.equal((await api.call('POST', `/v1/contacts/${contact.id}/restore`)).status, 200);
      assert.equal((await dav(api, 'GET', cardPath(book, contact.id))).status, 200);
    });

    test('a deleted card named by its client is restored with its name, UID and kept properties; purge erases them', async () => {
      const book = await api.newBook();
      const url = cardPath(book, 'keepme');
      assert.equal((await put(api, url, vcard(['UID:keep-uid', 'FN:Keep Me', 'NOTE:secret note']))).status, 201);
      const id = (await api.call('GET', `/v1/contacts?address_book_id=${book}`)).body.data[0].id;
      assert.equal((await dav(api, 'DELETE', url)).status, 204);
      assert.equal((await api.call('POST', `/v1/contacts/${id}/restore`)).status, 200);
      const back = await dav(api, 'GET', url);
      assert.match(back.body, /UID:keep-uid/);
      assert.match(back.body, /NOTE:secret note/);
      assert.equal((await api.call('DELETE', `/v1/contacts/${id}?purge=true`)).status, 204);
      assert.equal(await api.db.store.cards.find(api.accountId, id), undefined, 'the card row is gone with the contact');
    });

    test('bad input is a 4xx: no vCard, a name without .vcf, a card name another book holds', async () => {
      const book = await api.newBook();
      assert.equal((await put(api, cardPath(book, 'junk'), 'hello')).status, 400);
      assert.equal((await put(api, `/dav/books/${book}/noext`, vcard(['FN:X']))).status, 404);
      assert.equal((await put(api, cardPath(book, 'taken'), vcard(['FN:Taken']))).status, 201);
      const other = await api.newBook();
      const res = await put(api, cardPath(other, 'taken'), vcard(['FN:Second']));
      assert.equal(res.status, 409);
      assert.match(res.body, /taken\.vcf/);
      assert.equal((await put(api, cardPath('00000000-0000-4000-8000-000000000000', 'x'), vcard(['FN:X']))).status, 404);
    });
  });
}
