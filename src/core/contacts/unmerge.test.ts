import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildContactState, type ContactState } from './contact-state.ts';
import { fieldChangesOf } from '../journal/field-changes.ts';
import { mergeStates } from './merge.ts';
import { planUnmerge } from './unmerge.ts';

const ctx = { region: 'US', customFields: new Map() };
const state = (input: Parameters<typeof buildContactState>[0]) => buildContactState(input, ctx);

const target = state({ address_book_id: 'b', first_name: 'Jane', phone_numbers: [{ number: '651-111-2222' }], group_ids: ['g1'] });
const source = state({ address_book_id: 'b', first_name: 'Janet', company: 'Acme', phone_numbers: [{ number: '651-111-2222' }, { number: '651-111-3333' }], emails: [{ address: 'j@x.io' }], group_ids: ['g1', 'g2'] });

function merged(into: ContactState, from: ContactState) {
  const after = mergeStates(into, from);
  return { after, fields: fieldChangesOf(into, after) };
}

test('with no edit since the merge the survivor is exactly as it was before it', () => {
  const { after, fields } = merged(target, source);
  const plan = planUnmerge({ current: after, source, merge: fields, later: [], others: [] });
  assert.deepEqual(plan.survivor, target);
  assert.deepEqual(plan.notRestored, []);
  assert.equal(plan.externalIdBack, undefined);
});

test('a value edited since the merge stays and is reported; a value another source holds stays unreported', () => {
  const { after, fields } = merged(target, source);
  const edited = { ...after, company: 'Acme Inc' };
  const other = state({ address_book_id: 'b', emails: [{ address: 'J@x.io' }] });
  const plan = planUnmerge({ current: edited, source, merge: fields, later: [fieldChangesOf(after, edited)], others: [other] });
  assert.equal(plan.survivor.company, 'Acme Inc');
  assert.deepEqual(plan.survivor.emails.map((e) => e.address), ['j@x.io']);
  assert.deepEqual(plan.survivor.phone_numbers.map((p) => p.e164), ['+16511112222']);
  assert.deepEqual(plan.notRestored, [{ field: 'company', value: 'Acme Inc', reason: 'edited_since_merge' }]);
});

test('an external id the survivor took from the source goes back to it; the primary phone is settled', () => {
  const empty = state({ address_book_id: 'b', first_name: 'Empty' });
  const incoming = state({ address_book_id: 'b', phone_numbers: [{ number: '651-111-4444' }] });
  const after = { ...mergeStates(empty, incoming), external_id: 'X' };
  const plan = planUnmerge({ current: after, source: incoming, merge: fieldChangesOf(empty, after), later: [], others: [] });
  assert.deepEqual(plan.survivor, empty);
  assert.equal(plan.externalIdBack, 'X');
});

test('a merge the journal has no record of leaves the survivor as it is and lists what it shares with the source', () => {
  const { after } = merged(target, source);
  const plan = planUnmerge({ current: after, source, merge: null, later: [], others: [] });
  assert.deepEqual(plan.survivor, after);
  assert.ok(plan.notRestored.length > 0);
  assert.ok(plan.notRestored.every((n) => n.reason === 'merge_not_in_journal'));
});
