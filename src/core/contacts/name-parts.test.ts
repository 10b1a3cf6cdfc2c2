import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withNamePartsOfRename } from './name-parts.ts';

const named = { first_name: 'Jane', last_name: 'Doe' };

test('a rename of a contact with first and last names sets them: first word, then the rest', () => {
  assert.deepEqual(withNamePartsOfRename(named, { display_name: 'Jane  Smith' }), { display_name: 'Jane  Smith', first_name: 'Jane', last_name: 'Smith' });
  assert.deepEqual(withNamePartsOfRename(named, { display_name: ' Mary Ann Smith ' }), { display_name: ' Mary Ann Smith ', first_name: 'Mary', last_name: 'Ann Smith' });
  assert.deepEqual(withNamePartsOfRename({ first_name: 'Jill', last_name: null }, { display_name: 'Prince' }), { display_name: 'Prince', first_name: 'Prince', last_name: null });
});

test('a name never split (no first or last name) is not split; no rename, or names given, change nothing', () => {
  const none = { first_name: null, last_name: null };
  assert.deepEqual(withNamePartsOfRename(none, { display_name: 'Acme Support Desk' }), { display_name: 'Acme Support Desk' });
  assert.deepEqual(withNamePartsOfRename(named, { phone_numbers: [] }), { phone_numbers: [] });
  assert.deepEqual(withNamePartsOfRename(named, { display_name: '  ' }), { display_name: '  ' });
  assert.deepEqual(withNamePartsOfRename(named, { display_name: 'J S', last_name: 'Kept' }), { display_name: 'J S', last_name: 'Kept' });
});
