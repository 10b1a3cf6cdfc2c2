import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from './errors.ts';
import { assertTypeWritable } from './permissions.ts';
import { phoneDigitsPatternOf } from './phones.ts';

test('a write policy refuses the types it does not list, as forbidden', () => {
  assert.doesNotThrow(() => assertTypeWritable('custom', { writableTypes: ['custom'] }));
  for (const type of ['user', 'queue'] as const) {
    assert.throws(() => assertTypeWritable(type, { writableTypes: ['custom'] }), (e: unknown) => e instanceof DomainError && e.code === 'forbidden');
  }
});

test('without a policy every type passes (the key\'s own scopes still apply elsewhere)', () => {
  for (const type of ['custom', 'user', 'queue'] as const) assert.doesNotThrow(() => assertTypeWritable(type));
});

test('phone patterns keep digits and wildcards only, like Genesys indexing; letters cannot match a number', () => {
  assert.equal(phoneDigitsPatternOf('+1 (651) 111-*'), '1651111*');
  assert.equal(phoneDigitsPatternOf('*2222'), '*2222');
  assert.equal(phoneDigitsPatternOf('*'), '*');
  assert.equal(phoneDigitsPatternOf('Joe*'), null);
  assert.equal(phoneDigitsPatternOf('--'), null);
});
