import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildContactState } from './contact-state.ts';
import { mergeStates } from './merge.ts';

const ctx = { region: 'US', customFields: new Map() };

test('a merge keeps the target\'s values, fills its gaps and unions addresses without a second primary', () => {
  const target = buildContactState({ address_book_id: 'b', first_name: 'Jane', external_id: 'T', phone_numbers: [{ number: '651-111-2222' }] }, ctx);
  const source = buildContactState(
    { address_book_id: 'b', first_name: 'Janet', company: 'Acme', external_id: 'S', phone_numbers: [{ number: '+16511112222' }, { number: '651-111-3333' }], emails: [{ address: 'j@x.io' }], group_ids: ['g'] },
    ctx,
  );
  const merged = mergeStates(target, source);
  assert.equal(merged.first_name, 'Jane');
  assert.equal(merged.company, 'Acme');
  assert.equal(merged.external_id, 'T');
  assert.deepEqual(merged.phone_numbers.map((p) => [p.e164, p.is_primary]), [['+16511112222', true], ['+16511113333', false]]);
  assert.deepEqual(merged.emails.map((e) => [e.address, e.is_primary]), [['j@x.io', true]]);
  assert.deepEqual(merged.group_ids, ['g']);
});
