/**
 * The console's later actions in Chromium, on every engine: a custom field edited from the
 * keyboard, a bulk action on "all matching the filter" (server-side, checked contact by contact
 * through the API), a webhook's secret rotated, and the export buttons' files.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { token } from '../support/assertions.ts';
import { assertAccessible } from '../support/browser.ts';
import { consoleSuite } from '../support/console-suite.ts';

/** Clicks and returns the text of the file the click downloads. */
async function downloaded(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
}

consoleSuite('web console actions in Chromium', (ctx) => {
  test('custom fields: Edit from the keyboard, Esc closes without saving, Save changes label, group and options', async () => {
    const key = `tier_${token(6)}`;
    assert.equal((await ctx.api.call('POST', '/v1/custom-fields', { key, label: 'Tier', data_type: 'pick_list', options: ['gold', 'silver'] })).status, 201);
    const page = await ctx.open(ctx.api.keys.write, '/ui/custom-fields');
    const edit = page.getByRole('button', { name: `Edit ${key}`, exact: true });
    await edit.waitFor();
    // Reached with Tab alone, like every action.
    for (let presses = 0; presses < 80 && !(await edit.evaluate((el) => el === document.activeElement)); presses++) await page.keyboard.press('Tab');
    assert.ok(await edit.evaluate((el) => el === document.activeElement), 'the Edit button is reachable with Tab');

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Edit ${key}` });
    await dialog.waitFor();
    assert.ok(await dialog.getByLabel('Label').evaluate((el) => el === document.activeElement), 'the label has the focus');
    await page.keyboard.type(' changed');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await ctx.api.call('GET', `/v1/custom-fields/${key}`)).body.label, 'Tier', 'Esc saved nothing');

    await edit.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Key').getAttribute('readonly'), '', 'the key cannot change');
    assert.ok(await dialog.getByLabel('Data type').isDisabled(), 'the type cannot change');
    await dialog.getByLabel('Label').fill('Loyalty level');
    await dialog.getByLabel('Group').fill('Loyalty');
    await dialog.getByLabel('Options (comma-separated)').fill('gold, silver, bronze');
    await assertAccessible(page, 'custom field edit dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`Saved ${key}.`).waitFor();
    await page.getByRole('cell', { name: 'Loyalty level' }).waitFor();
    const field = (await ctx.api.call('GET', `/v1/custom-fields/${key}`)).body;
    assert.deepEqual([field.label, field.group, field.options, field.data_type], ['Loyalty level', 'Loyalty', ['gold', 'silver', 'bronze'], 'pick_list']);
    assert.ok(await edit.evaluate((el) => el === document.activeElement), 'closing the dialog gives the focus back to its opener');
    ctx.noProblems();
  });

  test('contact page: every number and address, each with its type, label and extension; an edit keeps them; a number added', async () => {
    const [desk, cell, added] = [`+1651555${String(Date.now()).slice(-4)}`, `+1652555${String(Date.now()).slice(-4)}`, `+1653555${String(Date.now()).slice(-4)}`];
    const contact = await ctx.api.createContact({
      display_name: 'Many Numbers', account_number: 'AC-77',
      phone_numbers: [{ number: desk, type: 'work', extension: '204', label: 'Desk' }, { number: cell, type: 'mobile' }],
      emails: [{ address: 'many@example.com', type: 'work' }, { address: 'many@home.example', type: 'home' }],
    });
    const page = await ctx.open(ctx.api.keys.write, `/ui/contacts/${contact.id}`);
    await page.getByLabel('Phone', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Phone', { exact: true }).inputValue(), desk);
    assert.equal(await page.getByLabel('Number 2', { exact: true }).inputValue(), cell);
    assert.equal(await page.getByLabel('Type of number 2').inputValue(), 'mobile');
    assert.equal(await page.getByLabel('Address 2', { exact: true }).inputValue(), 'many@home.example');
    assert.equal(await page.getByLabel('Account number').inputValue(), 'AC-77');
    assert.deepEqual([await page.getByLabel('Label of number 1').inputValue(), await page.getByLabel('Ext. of number 1').inputValue()], ['Desk', '204']);
    await assertAccessible(page, 'contact with several numbers');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Nothing to save: no field changed.').waitFor();
    assert.equal((await ctx.api.call('GET', `/v1/contacts/${contact.id}`)).body.version, contact.version, 'an unchanged form writes nothing');

    await page.getByLabel('Type of number 2').selectOption('home');
    await page.getByLabel('Ext. of number 2').fill('77');
    await page.getByRole('button', { name: 'Add a number' }).click();
    await page.getByLabel('Number 3', { exact: true }).fill(added);
    const saving = () => Promise.all([page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/v1/contacts/${contact.id}`)), page.getByRole('button', { name: 'Save' }).click()]);
    assert.equal((await saving())[0].status(), 200);
    await page.getByText('Saved.').waitFor();
    const saved = (await ctx.api.call('GET', `/v1/contacts/${contact.id}`)).body;
    assert.deepEqual(saved.phone_numbers.map((p: any) => [p.e164, p.type, p.extension, p.label, p.is_primary]), [
      [desk, 'work', '204', 'Desk', true], [cell, 'home', '77', null, false], [added, 'mobile', null, null, false],
    ]);
    assert.deepEqual(saved.emails.map((e: any) => [e.address, e.type]), [['many@example.com', 'work'], ['many@home.example', 'home']]);

    await page.getByRole('button', { name: 'Remove number 2' }).click();
    assert.equal((await saving())[0].status(), 200);
    assert.deepEqual((await ctx.api.call('GET', `/v1/contacts/${contact.id}`)).body.phone_numbers.map((p: any) => p.e164), [desk, added]);

    // From the screen pop, a number added to this contact keeps what its other numbers hold.
    const caller = `+1654555${String(Date.now()).slice(-4)}`;
    const pop = await ctx.open(ctx.api.keys.write, `/ui/pop?phone=${encodeURIComponent(caller)}`);
    await pop.getByRole('button', { name: 'Add to existing contact' }).click();
    const dialog = pop.getByRole('dialog');
    await dialog.getByLabel('Search contacts').fill('Many Numbers');
    await dialog.getByRole('button', { name: 'Search', exact: true }).click();
    await dialog.getByRole('button', { name: 'Add to Many Numbers' }).click();
    await pop.waitForURL(`**/ui/contacts/${contact.id}`);
    assert.deepEqual((await ctx.api.call('GET', `/v1/contacts/${contact.id}`)).body.phone_numbers.map((p: any) => [p.e164, p.extension, p.label, p.is_primary]), [
      [desk, '204', 'Desk', true], [added, null, null, false], [caller, null, null, false],
    ]);

    const unknown = await ctx.open(ctx.api.keys.write, '/ui/contacts/00000000-0000-0000-0000-000000000000');
    await unknown.getByRole('heading', { name: 'No such contact' }).waitFor();
    assert.equal(await unknown.getByRole('button', { name: 'Restore' }).count(), 0);
    ctx.noProblems();
  });

  test('a datetime custom value is shown and read back in the browser\'s time zone: saving leaves it where it was', async () => {
    const key = `called_${token(6)}`;
    assert.equal((await ctx.api.call('POST', '/v1/custom-fields', { key, label: 'Last call at', data_type: 'datetime' })).status, 201);
    const contact = await ctx.api.createContact({ display_name: 'Time Zone', custom_fields: { [key]: '2026-05-04T13:45:00.000Z' } });
    const page = await ctx.open(ctx.api.keys.write, `/ui/contacts/${contact.id}`);
    const field = page.getByLabel('Last call at');
    await field.waitFor();
    assert.equal(await field.inputValue(), '2026-05-04T09:45', 'New York time, as the input reads it');
    await page.getByLabel('Company').fill('Untouched time');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    assert.equal((await ctx.api.call('GET', `/v1/contacts/${contact.id}`)).body.custom_fields[key], '2026-05-04T13:45:00.000Z');
    await field.fill('2026-05-04T10:00');
    const [saved] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'PATCH'), page.getByRole('button', { name: 'Save' }).click()]);
    assert.equal(saved.status(), 200);
    assert.equal((await ctx.api.call('GET', `/v1/contacts/${contact.id}`)).body.custom_fields[key], '2026-05-04T14:00:00.000Z');
    ctx.noProblems();
  });

  test('bulk on all matching the filter: server-side runs, and every matching contact, and no other, joins the group', async () => {
    const api = ctx.api;
    const book = await api.newBook();
    const word = `bk${token(6)}`;
    const batch = async (contacts: Record<string, unknown>[]) => {
      const ids: string[] = [];
      for (let start = 0; start < contacts.length; start += 1000) {
        const res = await api.call('POST', '/v1/contacts/batch', { contacts: contacts.slice(start, start + 1000) });
        assert.equal(res.status, 200);
        ids.push(...res.body.results.map((r: { status: number; contact: { id: string } }) => (assert.equal(r.status, 201), r.contact.id)));
      }
      return ids;
    };
    // More than one request's worth (the console sends 1000 a request), so the run follows next_cursor.
    const matching = await batch(Array.from({ length: 1010 }, (_, i) => ({ address_book_id: book, display_name: `${word} ${i}` })));
    const others = [
      ...(await batch(Array.from({ length: 3 }, (_, i) => ({ address_book_id: book, display_name: `Other ${i}` })))),
      ...(await batch(Array.from({ length: 3 }, (_, i) => ({ display_name: `${word} elsewhere ${i}` })))),
    ];
    const group = (await api.call('POST', '/v1/groups', { name: `All matching ${word}` })).body.id;

    const page = await ctx.open(api.keys.write, '/ui/contacts');
    const bulkBodies: any[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET' && request.url().includes('/v1/')) bulkBodies.push({ url: new URL(request.url()).pathname, body: request.postDataJSON() });
    });
    await page.getByLabel('Address book', { exact: true }).selectOption(book);
    await page.getByLabel('Search contacts').fill(word);
    await page.getByLabel('Search contacts').press('Enter');
    await page.getByRole('table', { name: 'Contacts' }).getByRole('link', { name: `${word} 0`, exact: true }).waitFor();
    await page.getByLabel('Select all matching the filter').check();
    await page.getByLabel('Bulk group').selectOption(group);
    await page.getByRole('button', { name: 'Add to group' }).click();
    await page.getByText('Added to group: 1010 contacts.').waitFor({ timeout: 60_000 });

    assert.deepEqual(bulkBodies.map((r) => r.url), ['/v1/contacts/bulk', '/v1/contacts/bulk'], 'two requests, none per contact');
    assert.deepEqual(bulkBodies[0].body, { action: 'add_to_group', group_id: group, filter: { q: word, address_book_id: book }, limit: 1000 });
    assert.equal(typeof bulkBodies[1].body.cursor, 'string');
    const members: string[] = [];
    for (let cursor = ''; ;) {
      const res = await api.call('GET', `/v1/contacts?group_id=${group}&limit=500${cursor}`);
      members.push(...res.body.data.map((c: { id: string }) => c.id));
      if (!res.body.next_cursor) break;
      cursor = `&cursor=${encodeURIComponent(res.body.next_cursor)}`;
    }
    assert.deepEqual(members.sort(), [...matching].sort(), 'every matching contact, and no other');
    for (const id of others) assert.deepEqual((await api.call('GET', `/v1/contacts/${id}`)).body.group_ids, []);
    ctx.noProblems();
  });

  test('webhooks: Rotate secret asks first (Esc keeps the old one), then shows the new secret once, with Copy', async () => {
    const url = `https://hooks.example.com/${randomUUID()}`;
    const created = await ctx.api.call('POST', '/v1/webhooks', { url, enabled: false });
    assert.equal(created.status, 201);
    const stored = () => ctx.api.db.store.webhooks.find(ctx.api.accountId, created.body.id);
    const page = await ctx.open(ctx.api.keys.admin, '/ui/webhooks');
    const rotate = page.getByRole('button', { name: `Rotate secret of ${url}` });
    await rotate.click();
    const confirm = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await confirm.waitFor();
    await assertAccessible(page, 'rotate confirmation');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await stored())!.secret, created.body.secret, 'Esc rotated nothing');

    await rotate.click();
    await confirm.getByRole('button', { name: 'Rotate secret', exact: true }).click();
    const shown = page.getByRole('dialog', { name: 'New signing secret' });
    const secret = (await shown.getByLabel('Signing secret value').textContent())!;
    assert.match(secret, /^whsec_/);
    assert.notEqual(secret, created.body.secret);
    await shown.getByRole('button', { name: 'Copy' }).waitFor();
    const record = (await stored())!;
    assert.equal(record.secret, secret, 'the secret shown is the one now signing');
    assert.equal(record.previous_secret, created.body.secret, 'the old one still signs for a while');
    await assertAccessible(page, 'new signing secret');
    await page.keyboard.press('Escape');
    await shown.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(secret), 'shown once: gone with its dialog');
    ctx.noProblems();
  });

  test('webhooks: Edit changes the URL, event types and description; Delete asks first, then removes the endpoint', async () => {
    const url = `https://hooks.example.com/${randomUUID()}`;
    const created = await ctx.api.call('POST', '/v1/webhooks', { url, enabled: false, event_types: ['contact.*'] });
    assert.equal(created.status, 201);
    const page = await ctx.open(ctx.api.keys.admin, '/ui/webhooks');
    await page.getByRole('button', { name: `Edit ${url}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${url}` });
    const moved = `${url}/v2`;
    await dialog.getByLabel('URL').fill(moved);
    await dialog.getByLabel('Event types (comma-separated)').fill('contact.created, import.completed');
    await dialog.getByLabel('Description').fill('CRM sync');
    await assertAccessible(page, 'webhook edit dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const changed = (await ctx.api.call('GET', `/v1/webhooks/${created.body.id}`)).body;
    assert.deepEqual([changed.url, changed.event_types, changed.description], [moved, ['contact.created', 'import.completed'], 'CRM sync']);

    const remove = page.getByRole('button', { name: `Delete ${moved}` });
    await remove.click();
    const confirm = page.getByRole('dialog', { name: 'Delete this webhook?' });
    await confirm.waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await ctx.api.call('GET', `/v1/webhooks/${created.body.id}`)).status, 200, 'Esc deleted nothing');
    await remove.click();
    await confirm.getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByText(`Deleted ${moved}.`).waitFor();
    assert.equal((await ctx.api.call('GET', `/v1/webhooks/${created.body.id}`)).status, 404);
    ctx.noProblems();
  });

  test('export buttons: CSV, vCard and NDJSON files hold the contacts (the filtered ones on Contacts, all on Import)', async () => {
    const word = `ex${token(6)}`;
    const names = [`${word} Ada`, `${word} Bo`];
    for (const name of names) await ctx.api.createContact({ display_name: name, emails: [{ address: `${name.split(' ')[1]!.toLowerCase()}.${word}@example.com` }] });
    const outside = await ctx.api.createContact({ display_name: `Outside ${token(6)}` });
    const page = await ctx.open(ctx.api.keys.read, '/ui/contacts');
    await page.getByLabel('Search contacts').fill(word);
    await page.getByLabel('Search contacts').press('Enter');
    await page.getByRole('table', { name: 'Contacts' }).getByRole('link', { name: names[1]! }).waitFor();

    const csv = await downloaded(page, page.getByRole('button', { name: 'Export CSV' }));
    assert.equal(csv.name, 'contacts.csv');
    const rows = csv.text.trim().split(/\r?\n/);
    assert.equal(rows.length, 3, csv.text);
    for (const name of names) assert.ok(rows.some((r) => r.includes(name)), `${name} in the CSV`);
    assert.ok(!csv.text.includes(outside.display_name), 'only the filtered contacts');

    const vcard = await downloaded(page, page.getByRole('button', { name: 'Export vCard' }));
    assert.equal(vcard.name, 'contacts.vcf');
    assert.equal(vcard.text.match(/BEGIN:VCARD/g)?.length, 2, vcard.text);
    for (const name of names) assert.ok(vcard.text.includes(`FN:${name}`), `${name} in the vCards`);

    const ndjson = await downloaded(page, page.getByRole('button', { name: 'Export NDJSON' }));
    assert.equal(ndjson.name, 'contacts.ndjson');
    const lines = ndjson.text.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(lines.map((c) => c.display_name).sort(), [...names].sort());

    await page.goto(`${ctx.base}/ui/import`);
    const all = await downloaded(page, page.getByRole('button', { name: 'Export NDJSON' }));
    const everyone = all.text.trim().split('\n').map((line) => JSON.parse(line).display_name);
    for (const name of [...names, outside.display_name]) assert.ok(everyone.includes(name), `${name} in the account's export`);
    for (const format of ['CSV', 'vCard']) {
      const file = await downloaded(page, page.getByRole('button', { name: `Export ${format}` }));
      for (const name of [...names, outside.display_name]) assert.ok(file.text.includes(name), `${name} in the ${format} export`);
    }
    ctx.noProblems();
  });
});
