/**
 * The account the fuzz aims at: resources made through the API at the start (so the ledger sees
 * them), the credentials of each surface, and the live ids read again from the database before
 * each operation, so that requests keep reaching real resources while others delete them.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { TestApi } from '../support/api.ts';
import { uniquePhone } from '../support/api.ts';
import { basic } from '../dialects/shared/basic-auth.ts';
import { createBody, jwtFor, newStream } from '../dialects/koreai/support.ts';
import type { Ledger } from './ledger.ts';
import type { Surface } from './operations.ts';
import type { FuzzContext } from './requests.ts';

type AuthKind = 'admin' | 'read' | 'wrong' | 'none';

export interface World {
  context: FuzzContext;
  /** Reads the live ids again, and makes a contact, book or group when fewer than two are left. */
  refresh(): Promise<void>;
}

export async function makeWorld(api: TestApi, ledger: Ledger): Promise<World> {
  const send = async (method: 'POST' | 'GET', url: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await api.app.inject({ method, url, headers: { authorization: `Bearer ${api.keys.admin}`, ...headers }, ...(body === undefined ? {} : { payload: body as object }) });
    assert.ok(res.statusCode < 300, `setup ${method} ${url}: ${res.statusCode} ${res.body}`);
    ledger.record(method, res.statusCode, JSON.stringify(body), res.body);
    return res.json();
  };
  const newContact = () => send('POST', '/v1/contacts', { display_name: 'Fuzz', external_id: `ext-${uniquePhone()}`, phone_numbers: [{ number: uniquePhone() }], emails: [{ address: `fuzz${uniquePhone().slice(1)}@example.com` }] });
  const newBook = () => send('POST', '/v1/address-books', { name: `fuzz ${uniquePhone()}` });
  const newGroup = () => send('POST', '/v1/groups', { name: `fuzz ${uniquePhone()}` });
  for (let i = 0; i < 4; i++) await Promise.all([newContact(), newBook(), newGroup()]);
  await send('POST', '/v1/custom-fields', { key: 'tier', data_type: 'string' });
  const zoom = '/zoom/v2/contact_center/address_books';
  await send('POST', `${zoom}/units`, { unit_name: 'Fuzz unit' });
  await send('POST', `${zoom}/custom_fields`, { custom_field_name: 'Fuzz field', data_type: 'string' });
  const stream = newStream();
  await send('POST', `/agentassist/api/v1/public/${stream}/contacts`, createBody(), { auth: await jwtFor(api, api.keys.admin), accountid: api.accountId });
  await send('POST', `/8x8/api/v1/accounts/${api.accountId}/contacts/batches/deleteContacts`, { msisdns: ['+16510000000'] });

  const headers = await authHeaders(api);
  const ids: Record<string, string[]> = {};
  const context: FuzzContext = { ids, auth: (surface, kind) => headers[surface][kind] };
  const db = api.db.handle.db;
  const live = async (table: 'contacts' | 'address_books' | 'groups' | 'units' | 'custom_fields' | 'batch_jobs', columns: string[]) =>
    (await sql<Record<string, unknown>>`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} where account_id = ${api.accountId} order by random() limit 20`.execute(db)).rows;
  async function refresh(): Promise<void> {
    const contacts = await live('contacts', ['id', 'seq', 'external_id']);
    if (contacts.length < 2) await newContact();
    if ((await live('address_books', ['id'])).length < 2) await newBook();
    if ((await live('groups', ['id'])).length < 2) await newGroup();
    const groups = await live('groups', ['id', 'seq']);
    const fields = await live('custom_fields', ['id', 'key']);
    const phones = await sql<{ value: string }>`select value from contact_addresses where account_id = ${api.accountId} and kind = 'phone' order by random() limit 20`.execute(db);
    Object.assign(ids, {
      contact: contacts.map((r) => String(r.id)),
      contactSeq: contacts.map((r) => String(r.seq)),
      external: contacts.flatMap((r) => (r.external_id === null ? [] : [String(r.external_id)])),
      book: (await live('address_books', ['id'])).map((r) => String(r.id)),
      group: groups.map((r) => String(r.id)),
      groupSeq: groups.map((r) => String(r.seq)),
      field: fields.map((r) => String(r.id)),
      fieldKey: [...fields.map((r) => String(r.key)), 'nope'],
      unit: (await live('units', ['id'])).map((r) => String(r.id)),
      batch: (await live('batch_jobs', ['id'])).map((r) => String(r.id)),
      msisdn: phones.rows.map((r) => r.value.replace(/^\+/, '')),
      account: [api.accountId],
      stream: [stream, newStream()],
    });
  }
  await refresh();
  return { context, refresh };
}

/** Each surface's credentials: the admin key, a read-only key, a wrong key, none. */
async function authHeaders(api: TestApi): Promise<Record<Surface, Record<AuthKind, Record<string, string>>>> {
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const basicOf = (key: string) => basic(api.accountId, key);
  const koreOf = async (key: string) => ({ auth: await jwtFor(api, key), accountid: api.accountId });
  const byBearer = { admin: bearer(api.keys.admin), read: bearer(api.keys.read), wrong: bearer('cdk_wrong'), none: {} };
  const byBasic = { admin: basicOf(api.keys.admin), read: basicOf(api.keys.read), wrong: basicOf('cdk_wrong'), none: {} };
  return {
    service: byBearer,
    native: byBearer,
    zoom: byBearer,
    '8x8': byBearer,
    genesys: byBasic,
    apptoto: byBasic,
    koreai: { admin: await koreOf(api.keys.admin), read: await koreOf(api.keys.read), wrong: { auth: 'e30.e30.x', accountid: api.accountId }, none: {} },
  };
}
