import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countImportRows, planImport } from '../../src/core/imports/import-reader.ts';
import { readNdjsonLines } from '../../src/formats/ndjson.ts';
import { contextOf, errorsOf, fixture, optionsOf, rowsOf, sourceOf } from './readers.support.ts';

describe('NDJSON reader', () => {
  test('the plan: keys seen as columns, read-only keys ignored, new custom fields typed', async () => {
    const plan = await planImport(sourceOf(fixture('contacts.ndjson')), 'application/x-ndjson', optionsOf(), contextOf([['tier', 'pick_list', ['gold', 'silver']]]));
    assert.deepEqual([plan.format, plan.encoding, plan.delimiter], ['ndjson', 'utf-8', null]);
    const byKey = Object.fromEntries(plan.columns.map((c) => [c.column, [c.target, c.source]]));
    assert.deepEqual(byKey.id, [null, 'native']);
    assert.deepEqual(byKey.version, [null, 'native']);
    assert.deepEqual(byKey.groups, ['groups', 'native']);
    assert.deepEqual(byKey.first_name, ['first_name', 'native']);
    assert.deepEqual(byKey.nickname, [null, 'none']);
    assert.deepEqual(plan.columns.find((c) => c.column === 'first_name')?.samples, ['Jane', 'Bob', '42']);
    assert.deepEqual(plan.fieldsToDefine, [{ key: 'since', data_type: 'date' }]);
  });

  test('rows: the native shape with group names, numbered by line; blank lines are not rows; bad lines say why', async () => {
    const source = sourceOf(fixture('contacts.ndjson'));
    const ctx = contextOf([['tier', 'pick_list', ['gold', 'silver']]]);
    const plan = await planImport(source, undefined, optionsOf(), ctx);
    const rows = await rowsOf(source, plan, optionsOf(), ctx);
    assert.deepEqual(rows.map((r) => r.row), [1, 3, 4, 5, 6]);
    assert.equal(await countImportRows(source, plan), 5);
    assert.deepEqual(rows[0]!.input, {
      first_name: 'Jane', last_name: 'Doe', external_id: 'crm-1',
      phone_numbers: [{ number: '+16515550101', type: 'mobile', is_primary: true }],
      emails: [{ address: 'jane@acme.example', type: 'work' }],
      custom_fields: { tier: 'gold', since: '2021-04-01' },
      group_names: ['VIP', 'Customers'],
    });
    assert.deepEqual(rows[0]!.errors, []);
    assert.match(rows[0]!.raw as string, /^\{"id":"0b6f3f9e/);
    assert.deepEqual(rows[1]!.input?.messaging, [{ channel: 'whatsapp', handle: '+16125550123' }]);
    assert.deepEqual(errorsOf(rows[2]), ['null malformed_record']);
    assert.equal(rows[2]!.input, null);
    assert.deepEqual(errorsOf(rows[3]).sort(), ['first_name invalid_value', 'nickname invalid_value']);
    assert.deepEqual(errorsOf(rows[4]), ['phone_numbers invalid_phone']);
    assert.equal(rows[4]!.columnOf('phone_numbers[0].number'), 'phone_numbers');
  });

  test('a key mapped to null is dropped; group_ids give way to group names; bad groups are refused', async () => {
    const text = '{"first_name":"A","legacy":1,"groups":["X"],"group_ids":["other-account-id"]}\n{"first_name":"B","groups":"X"}\n[1,2]\n{"__proto__":{"type":"user"}}\n';
    const options = optionsOf({ mapping: { legacy: null } });
    const plan = await planImport(sourceOf(text), 'application/x-ndjson', options, contextOf());
    const rows = await rowsOf(sourceOf(text), plan, options, contextOf());
    assert.deepEqual(rows[0]!.input, { first_name: 'A', group_names: ['X'] });
    assert.deepEqual(rows[0]!.errors, []);
    assert.deepEqual(errorsOf(rows[1]), ['groups invalid_value']);
    assert.deepEqual(errorsOf(rows[2]), ['null malformed_record']);
    assert.deepEqual(errorsOf(rows[3]), ['__proto__ invalid_value']);
    assert.equal(rows[3]!.input?.type, undefined);
    const refused = await planImport(sourceOf(text), 'application/x-ndjson', optionsOf({ mapping: { legacy: 'company' } }), contextOf()).catch((e: Error) => e);
    assert.match(String(refused), /mapping\.legacy/);
  });

  test('lines: CRLF and LF, a last line without newline, an overlong line refused without holding it', async () => {
    async function* chunks(...parts: string[]) {
      yield* parts;
    }
    const lines = [];
    for await (const l of readNdjsonLines(chunks('{"a":1}\r\n\r\n  \n{"b"', ':2}\n', 'x'.repeat(700_000), 'y'.repeat(700_000), '\n{"c":3}'))) lines.push(l);
    assert.deepEqual(lines.map((l) => [l.line, l.tooLong ?? false, l.text.length]), [[1, false, 7], [4, false, 7], [5, true, 200], [6, false, 7]]);
  });
});
