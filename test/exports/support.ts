import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Response, TestApi } from '../support/api.ts';
import { uniquePhone } from '../support/api.ts';

/** One custom field of every data type, with a value each for the rich contact. */
export const FIELD_VALUES = {
  cf_string: ['string', 'Gold, "VIP"\nsince 2019'],
  cf_number: ['number', 1234.5],
  cf_boolean: ['boolean', false],
  cf_date: ['date', '2026-03-14'],
  cf_datetime: ['datetime', '2026-03-14T09:26:53.000Z'],
  cf_email: ['email', 'billing@example.com'],
  cf_phone: ['phone', '+442071234567'],
  cf_url: ['url', 'https://crm.example.com/c/42'],
  cf_currency: ['currency', 99.99],
  cf_percent: ['percent', 12.5],
  cf_pick_list: ['pick_list', 'silver'],
} as const;

/** Defines every custom field of FIELD_VALUES and two groups; returns the group ids and names. */
export async function defineAccountData(api: TestApi): Promise<{ groups: { id: string; name: string }[] }> {
  for (const [key, [data_type]] of Object.entries(FIELD_VALUES)) {
    const body = { key, data_type, ...(data_type === 'pick_list' ? { options: ['gold', 'silver'] } : {}) };
    const res = await api.call('POST', '/v1/custom-fields', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  const groups = [];
  for (const name of [`VIP ${randomUUID().slice(0, 6)}`, `Late payers ${randomUUID().slice(0, 6)}`]) {
    const res = await api.call('POST', '/v1/groups', { name });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    groups.push({ id: res.body.id, name });
  }
  return { groups };
}

/** A contact holding every kind of data: names, three phones (types, label, extension), emails, messaging, every custom field, groups, external id. */
export function richContact(groupIds: string[]): Record<string, unknown> {
  return {
    external_id: `crm-${randomUUID()}`,
    first_name: 'Zoë',
    last_name: "O'Brien-Łukasz",
    display_name: 'Zoë O\'Brien, "Z"',
    salutation: 'Dr',
    company: 'Acme; Intl',
    role: 'Buyer',
    location: 'Lyon',
    timezone: 'Europe/Paris',
    account_number: 'AC-001',
    country: 'FR',
    phone_numbers: [
      { number: uniquePhone(), type: 'mobile', is_primary: true },
      { number: uniquePhone(), type: 'work', extension: '4711', label: 'Front desk' },
      { number: uniquePhone(), type: 'home' },
    ],
    emails: [
      { address: `zoe.${randomUUID().slice(0, 8)}@example.com`, type: 'work' },
      { address: `zoe.home.${randomUUID().slice(0, 8)}@example.org`, type: 'home' },
    ],
    messaging: [
      { channel: 'whatsapp', handle: '+33612345678' },
      { channel: 'telegram', handle: '@zoe_ob' },
    ],
    custom_fields: Object.fromEntries(Object.entries(FIELD_VALUES).map(([key, [, value]]) => [key, value])),
    group_ids: groupIds,
  };
}

/** A CSV file as objects by header, and its header. */
export function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const records = parse(text, { relax_column_count: false }) as string[][];
  const [header = [], ...rest] = records;
  return { header, rows: rest.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]!]))) };
}

export function parseNdjson(text: string): Record<string, any>[] {
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
}

/** Creates `count` small contacts through the batch API (1,000 a request); returns their ids in creation order. */
export async function createMany(api: TestApi, count: number, make: (i: number) => Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const contacts = Array.from({ length: Math.min(1000, count - start) }, (_, i) => make(start + i));
    const res = await api.call('POST', '/v1/contacts/batch', { contacts });
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
    for (const result of res.body.results) {
      assert.equal(result.status, 201, JSON.stringify(result));
      ids.push(result.contact.id);
    }
  }
  return ids;
}

/** GET /v1/contacts/export?query with the admin key unless told (null: none); the body is JSON only for problems (NDJSON stays text). */
export async function exportFile(api: TestApi, query: string, key?: string | null): Promise<Response> {
  const token = key === undefined ? api.keys.admin : key;
  const raw = await api.app.inject({ method: 'GET', url: `/v1/contacts/export?${query}`, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const problem = String(raw.headers['content-type'] ?? '').startsWith('application/problem+json');
  return { status: raw.statusCode, headers: raw.headers, body: problem ? raw.json() : raw.body, raw };
}
