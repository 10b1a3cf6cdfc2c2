import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOutdated, textOfValue, valueFromText } from './custom-field-text.ts';

test('text values: numbers, booleans and unix date-times become typed values and back', () => {
  assert.deepEqual(valueFromText({ data_type: 'number' }, '12.5'), { value: 12.5 });
  assert.deepEqual(valueFromText({ data_type: 'currency' }, '-3'), { value: -3 });
  assert.ok('problem' in valueFromText({ data_type: 'percent' }, 'ten'));
  assert.deepEqual(valueFromText({ data_type: 'boolean' }, 'TRUE'), { value: true });
  assert.ok('problem' in valueFromText({ data_type: 'boolean' }, 'yes'));
  assert.deepEqual(valueFromText({ data_type: 'datetime' }, '1700000000'), { value: '2023-11-14T22:13:20.000Z' });
  assert.equal(textOfValue({ data_type: 'datetime' }, '2023-11-14T22:13:20.000Z'), '1700000000');
  assert.equal(textOfValue({ data_type: 'boolean' }, false), 'false');
  assert.deepEqual(valueFromText({ data_type: 'string' }, ' as is '), { value: ' as is ' });
});

test('a stored value is outdated when it no longer fits its field', () => {
  assert.equal(isOutdated({ data_type: 'number', options: null }, 'abc', 'US'), true);
  assert.equal(isOutdated({ data_type: 'string', options: null }, 'abc', 'US'), false);
  assert.equal(isOutdated({ data_type: 'pick_list', options: ['a'] }, 'b', 'US'), true);
});
