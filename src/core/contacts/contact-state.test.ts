import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from '../errors.ts';
import { applyMergePatch, buildContactState } from './contact-state.ts';
import type { Contact, CustomField } from '../types.ts';

const field = (key: string, data_type: CustomField['data_type'], options: string[] | null = null): CustomField => ({
  seq: 1, id: key, account_id: 'a', key, label: null, data_type, group: null, options, name: key, description: null, default_value: null, address_book_ids: [], flags: {}, created_at: '', updated_at: '',
});
const ctx = {
  region: 'US',
  customFields: new Map([
    ['tier', field('tier', 'pick_list', ['gold', 'silver'])],
    ['score', field('score', 'number')],
    ['since', field('since', 'datetime')],
    ['mobile', field('mobile', 'phone')],
  ]),
};

function fieldErrors(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    return error.fieldErrors.map((e) => e.path);
  }
  assert.fail('expected a validation error');
}

test('a state defaults the display name, parses phones and marks one primary of each list', () => {
  const state = buildContactState(
    { address_book_id: 'b', first_name: 'Jane', last_name: 'Doe', phone_numbers: [{ number: '651-111-2222' }, { number: '+1 651 111 2222' }, { number: '651-111-3333' }], emails: [{ address: 'j@example.com' }] },
    ctx,
  );
  assert.equal(state.display_name, 'Jane Doe');
  assert.deepEqual(state.phone_numbers.map((p) => [p.e164, p.is_primary]), [['+16511112222', true], ['+16511113333', false]]);
  assert.equal(state.emails[0]!.is_primary, true);
  assert.equal(state.type, 'custom');
});

test('every bad field is named at once', () => {
  const paths = fieldErrors(() =>
    buildContactState(
      {
        address_book_id: 'b',
        timezone: 'Mars/Olympus',
        phone_numbers: [{ number: 'nope' }],
        emails: [{ address: 'not-an-email' }],
        custom_fields: { tier: 'bronze', score: '12', unknown: 1, since: 'yesterday' },
      },
      ctx,
    ),
  );
  assert.deepEqual(paths.sort(), ['custom_fields.score', 'custom_fields.since', 'custom_fields.tier', 'custom_fields.unknown', 'emails[0].address', 'phone_numbers[0].number', 'timezone'].sort());
});

test('two primaries are refused', () => {
  assert.deepEqual(fieldErrors(() => buildContactState({ address_book_id: 'b', emails: [{ address: 'a@x.io', is_primary: true }, { address: 'b@x.io', is_primary: true }] }, ctx)), ['emails']);
});

test('custom values are stored normalized', () => {
  const state = buildContactState({ address_book_id: 'b', custom_fields: { since: '2026-01-02T03:04:05+01:00', mobile: '(651) 111-2222', tier: 'gold' } }, ctx);
  assert.deepEqual(state.custom_fields, { since: '2026-01-02T02:04:05.000Z', mobile: '+16511112222', tier: 'gold' });
});

test('a merge patch keeps what it omits, clears nulls, replaces arrays and merges custom values', () => {
  const current = {
    ...buildContactState({ address_book_id: 'b', first_name: 'Jane', last_name: 'Doe', company: 'Acme', phone_numbers: [{ number: '651-111-2222' }], custom_fields: { tier: 'gold', score: 3 } }, ctx),
    seq: 1, id: 'c', account_id: 'a', status: 'active', merged_into: null, version: 1, created_at: '', updated_at: '',
  } as Contact;
  const input = applyMergePatch(current, { last_name: 'Smith', company: null, phone_numbers: [{ number: '651-111-3333' }], custom_fields: { tier: null, score: 4 } });
  const next = buildContactState(input, ctx);
  assert.equal(next.first_name, 'Jane');
  assert.equal(next.display_name, 'Jane Smith', 'a derived display name follows the names');
  assert.equal(next.company, null);
  assert.deepEqual(next.phone_numbers.map((p) => p.e164), ['+16511113333']);
  assert.deepEqual(next.custom_fields, { score: 4 });
});

test('per-contact limits count what the contact would hold: numbers read to E.164 and repeats dropped first', () => {
  const numbers = Array.from({ length: 50 }, (_, i) => ({ number: `+1651555${String(i).padStart(4, '0')}` }));
  const fifty = buildContactState({ address_book_id: 'b', phone_numbers: [...numbers, { number: '651-555-0000' }] }, ctx);
  assert.equal(fifty.phone_numbers.length, 50);
  assert.deepEqual(fieldErrors(() => buildContactState({ address_book_id: 'b', phone_numbers: [...numbers, { number: '651-555-9999' }] }, ctx)), ['phone_numbers']);
  const handles = Array.from({ length: 51 }, (_, i) => ({ channel: 'whatsapp', handle: `h${i}` }));
  assert.deepEqual(fieldErrors(() => buildContactState({ address_book_id: 'b', messaging: handles }, ctx)), ['messaging']);
});
