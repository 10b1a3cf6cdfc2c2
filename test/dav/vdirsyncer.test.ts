// vdirsyncer (a real CardDAV client, Debian package) syncs a contactd book both ways with a folder
// of .vcf files: 1,000 cards down, a sync that changes nothing, edits, creations and deletions on
// each side, and at the end the same cards on both sides with no conflict (issue 12 §3).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { uniquePhone } from '../support/api.ts';
import { fetchBookCards } from '../support/dav-client.ts';
import { fillBook, startDavServer, type DavServer } from '../support/dav-server.ts';
import { engines } from '../support/engines.ts';
import { summariesByUid, summarizeCard } from '../support/vcards.ts';

const CARDS = 1000;
const installed = spawnSync('vdirsyncer', ['--version']).status === 0;
if (!installed) console.log('vdirsyncer suite skipped: vdirsyncer is not installed (apt-get install vdirsyncer; .ci/run does it)');

for (const engine of engines) {
  describe(`vdirsyncer against contactd on ${engine.name}`, { skip: installed ? false : 'vdirsyncer is not installed' }, () => {
    let server: DavServer;
    let dir: string;
    let bookId: string;
    let ids: string[];
    let localBook: string;
    const bookPath = () => `/dav/books/${bookId}/`;

    before(async () => {
      server = await startDavServer(engine);
      bookId = await server.api.newBook('allow');
      ids = await fillBook(server.api, bookId, CARDS, (i) => ({
        first_name: `Given${i}`,
        last_name: `Family${i}`,
        company: `Company ${i % 7}`,
        phone_numbers: [{ number: uniquePhone(), type: i % 2 ? 'mobile' : 'work' }],
        emails: [{ address: `person${i}.${randomUUID().slice(0, 8)}@example.com`, type: 'work' }],
      }));
      dir = mkdtempSync(join(tmpdir(), 'contactd-vdirsyncer-'));
      writeFileSync(join(dir, 'config'), vdirsyncerConfig(dir, server, bookId));
      localBook = join(dir, 'cards', bookId);
    });
    after(async () => {
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('discover finds the book, and the first sync brings every card down', async () => {
      const discovered = await vdirsyncer(dir, ['discover'], 'y\n'.repeat(10));
      assert.equal(discovered.code, 0, discovered.output);
      const synced = await vdirsyncer(dir, ['sync']);
      assert.equal(synced.code, 0, synced.output);
      const local = readLocal(localBook);
      assert.equal(local.size, CARDS);
      const uids = new Set([...local.values()].map((text) => summarizeCard(text).uid));
      assert.deepEqual([...uids].sort(), [...ids].sort(), 'a card made through the API has its contact id as UID');
      await assertSameCards();
    });

    test('a second sync changes nothing on either side', async () => {
      const filesBefore = fingerprint(localBook);
      const feedBefore = await feedEnd();
      const synced = await vdirsyncer(dir, ['sync']);
      assert.equal(synced.code, 0, synced.output);
      assert.doesNotMatch(synced.output, /Copying|Deleting/, synced.output);
      assert.equal(fingerprint(localBook), filesBefore, 'no local file changed');
      assert.equal(await feedEnd(), feedBefore, 'the journal recorded no change');
    });

    test('edits, creations and deletions on each side meet, with no conflict', async () => {
      const files = localFilesByUid(localBook);
      const [localEdit, remoteEdit, localDelete, remoteDelete] = [ids[10]!, ids[20]!, ids[30]!, ids[40]!];

      // Local side: edit one card (a new name and a second number), delete one, create one.
      const addedPhone = uniquePhone();
      const editedPath = files.get(localEdit)!;
      const edited = readFileSync(editedPath, 'utf8')
        .replace(/^FN[;:].*\r?\n/m, 'FN:Edited Locally\r\n')
        .replace(/END:VCARD/, `TEL;TYPE=HOME:${addedPhone}\r\nEND:VCARD`);
      writeFileSync(editedPath, edited);
      unlinkSync(files.get(localDelete)!);
      const newUid = `vdirsyncer-${randomUUID()}`;
      const newPhone = uniquePhone();
      writeFileSync(join(localBook, `${newUid}.vcf`), ['BEGIN:VCARD', 'VERSION:3.0', `UID:${newUid}`, 'FN:Made Locally', 'N:Locally;Made;;;', `TEL;TYPE=CELL:${newPhone}`, 'EMAIL;TYPE=INTERNET:made.locally@example.com', 'END:VCARD', ''].join('\r\n'));

      // Server side, through the native API: edit one, delete one, create one in the book.
      const patched = await server.api.call('PATCH', `/v1/contacts/${remoteEdit}`, { display_name: 'Edited Remotely' });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal((await server.api.call('DELETE', `/v1/contacts/${remoteDelete}`)).status, 204);
      const remoteNew = await server.api.createContact({ address_book_id: bookId, display_name: 'Made Remotely', phone_numbers: [{ number: uniquePhone() }] });

      const synced = await vdirsyncer(dir, ['sync']);
      assert.equal(synced.code, 0, synced.output);
      assert.doesNotMatch(synced.output, /conflict/i, synced.output);

      // Each side now holds the other's changes.
      const editedOnServer = await server.api.call('GET', `/v1/contacts/${localEdit}`);
      assert.equal(editedOnServer.body.display_name, 'Edited Locally');
      assert.ok(editedOnServer.body.phone_numbers.some((p: { e164: string }) => p.e164 === addedPhone), 'the added number reached the contact');
      assert.notEqual((await server.api.call('GET', `/v1/contacts/${localDelete}`)).body.status, 'active', 'the locally deleted card is gone from the server');
      const made = await server.api.call('GET', `/v1/lookup?phone=${encodeURIComponent(newPhone)}`);
      assert.deepEqual(made.body.matches.map((c: { display_name: string }) => c.display_name), ['Made Locally']);

      const local = localFilesByUid(localBook);
      assert.equal(summarizeCard(readFileSync(local.get(remoteEdit)!, 'utf8')).fn, 'Edited Remotely');
      assert.equal(local.has(remoteDelete), false, 'the remotely deleted card is gone from the folder');
      assert.ok(local.has(remoteNew.id), 'the remotely created card reached the folder');
      assert.ok(local.has(newUid), 'the local card keeps its own UID');
      assert.equal(local.size, CARDS);
      await assertSameCards();
    });

    test('a sync after the exchange changes nothing: the cards PUT by the client keep their ETags', async () => {
      const filesBefore = fingerprint(localBook);
      const feedBefore = await feedEnd();
      const synced = await vdirsyncer(dir, ['sync']);
      assert.equal(synced.code, 0, synced.output);
      assert.doesNotMatch(synced.output, /Copying|Deleting/, synced.output);
      assert.equal(fingerprint(localBook), filesBefore);
      assert.equal(await feedEnd(), feedBefore);
    });

    /** Both sides hold the same cards: same UIDs, and per card the same name, numbers, emails and company. */
    async function assertSameCards(): Promise<void> {
      const remote = summariesByUid((await fetchBookCards(server, bookPath())).values());
      const local = summariesByUid(readLocal(localBook).values());
      assert.deepEqual([...local.keys()].sort(), [...remote.keys()].sort());
      for (const [uid, summary] of local) assert.deepEqual(summary, remote.get(uid), `card ${uid}`);
    }

    /** The journal's position after its last change, read through the feed. */
    async function feedEnd(): Promise<string> {
      let cursor = '0';
      for (;;) {
        const page = await server.api.call('GET', `/v1/changes?after=${encodeURIComponent(cursor)}&limit=100`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        cursor = page.body.next_cursor;
        if (!page.body.has_more) return cursor;
      }
    }
  });
}

function vdirsyncerConfig(dir: string, server: DavServer, bookId: string): string {
  // conflict_resolution is deliberately unset: a conflict makes the sync fail.
  return `[general]
status_path = "${join(dir, 'status')}/"

[pair contactd]
a = "local"
b = "server"
collections = ["${bookId}"]

[storage local]
type = "filesystem"
path = "${join(dir, 'cards')}/"
fileext = ".vcf"

[storage server]
type = "carddav"
url = "${server.davUrl}"
username = "${server.api.accountId}"
password = "${server.api.keys.admin}"
`;
}

/** Runs vdirsyncer without blocking the event loop (the server answers from this very process). */
function vdirsyncer(dir: string, args: string[], input = ''): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('vdirsyncer', ['-c', join(dir, 'config'), ...args], { cwd: dir, env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
    child.stdin.end(input);
  });
}

function readLocal(folder: string): Map<string, string> {
  return new Map(readdirSync(folder).filter((f) => f.endsWith('.vcf')).map((f) => [f, readFileSync(join(folder, f), 'utf8')]));
}

function localFilesByUid(folder: string): Map<string, string> {
  return new Map([...readLocal(folder)].map(([file, text]) => [summarizeCard(text).uid, join(folder, file)]));
}

/** One hash over every file's name and bytes. */
function fingerprint(folder: string): string {
  const hash = createHash('sha256');
  for (const [file, text] of [...readLocal(folder)].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${file}\0${text}\0`);
  return hash.digest('hex');
}
