import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phoneSearchDigits, toE164 } from './phones.ts';

test('national, international and bare-digit numbers reach the same E.164', () => {
  for (const raw of ['+1 (651) 111-2222', '16511112222', '651-111-2222', '(651) 111 2222', '+16511112222', 'tel:+1-651-111-2222']) {
    assert.equal(toE164(raw, 'US'), '+16511112222', raw);
  }
});

test('every shape of a North American number agrees with the full parse', () => {
  for (const raw of ['(212) 555-0100', '212.555.0100', '1 212 555 0100', '12125550100', '2125550100']) assert.equal(toE164(raw, 'US'), '+12125550100', raw);
  assert.equal(toE164('(416) 555-0100', 'CA'), '+14165550100');
});

test('national numbers are read in the given region', () => {
  assert.equal(toE164('020 7946 0958', 'GB'), '+442079460958');
  assert.equal(toE164('98765 43210', 'IN'), '+919876543210');
});

test('bare international digits that are no national number are read as international', () => {
  assert.equal(toE164('442079460958', 'US'), '+442079460958');
});

test('text that cannot be a phone number is refused', () => {
  for (const raw of ['', '   ', 'abc', 'call me', '12', '+1 555', 'x'.repeat(100)]) assert.equal(toE164(raw, 'US'), null, raw);
});

test('search digits hold the number with and without its country code', () => {
  assert.deepEqual(phoneSearchDigits('+16511112222'), ['16511112222', '6511112222']);
});
