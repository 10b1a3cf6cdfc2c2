import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../src/core/errors.ts';
import { customValueOfCell, typeOfCell } from '../../src/core/imports/cell-values.ts';
import { planImport } from '../../src/core/imports/import-reader.ts';
import { matchHeader } from '../../src/core/imports/known-headers.ts';
import { parseTarget } from '../../src/core/imports/mapping-targets.ts';
import { TypeInference } from '../../src/core/imports/type-inference.ts';
import { contextOf, errorsOf, optionsOf, rowsOf, sourceOf } from './readers.support.ts';

async function mapped(csv: string, mapping?: Record<string, string | null>, fields: Parameters<typeof contextOf>[0] = []) {
  const options = optionsOf({ mapping });
  const ctx = contextOf(fields);
  const plan = await planImport(sourceOf(csv), 'text/csv', options, ctx);
  return { plan, rows: await rowsOf(sourceOf(csv), plan, options, ctx) };
}

describe('the mapping grammar', () => {
  test('targets parse, and the wrong ones say why', () => {
    assert.deepEqual(parseTarget('company'), { kind: 'text', field: 'company' });
    assert.deepEqual(parseTarget('phone_numbers[type=Mobile]'), { kind: 'phone', slot: null, part: 'number', fixedType: 'mobile' });
    assert.deepEqual(parseTarget('phone_numbers[2].extension'), { kind: 'phone', slot: 2, part: 'extension' });
    assert.deepEqual(parseTarget('emails'), { kind: 'email', slot: null, part: 'address' });
    assert.deepEqual(parseTarget('messaging[whatsapp]'), { kind: 'messaging', slot: null, part: 'handle', fixedChannel: 'whatsapp' });
    assert.deepEqual(parseTarget('messaging[1].channel'), { kind: 'messaging', slot: 1, part: 'channel' });
    assert.deepEqual(parseTarget('custom_fields.customer_no'), { kind: 'custom', key: 'customer_no' });
    assert.deepEqual(parseTarget('groups[split=;]'), { kind: 'groups', separator: ';' });
    assert.deepEqual(parseTarget('phone_numbers.type'), { kind: 'phone', slot: null, part: 'type' });
    for (const bad of ['nickname', 'phone_numbers.kind', 'phone_numbers[type=mobile].label', 'emails[1].label', 'messaging', 'custom_fields.', 'phone_numbers[x]']) {
      assert.ok('problem' in parseTarget(bad), bad);
    }
  });

  test('headers match whatever their case, spaces, dashes and underscores', () => {
    assert.deepEqual(matchHeader('  e-mail 1 -  value '), { target: 'emails[1]', source: 'header' });
    assert.deepEqual(matchHeader('GIVEN_NAME'), { target: 'first_name', source: 'header' });
    assert.deepEqual(matchHeader('Display-Name'), { target: 'display_name', source: 'native' });
    // Google's `Phone 1 - Label` is the type; contactd's own `phone_1_label` is the free label.
    assert.deepEqual(matchHeader('Phone 1 - Label'), { target: 'phone_numbers[1].type', source: 'header' });
    assert.deepEqual(matchHeader('phone_1_label'), { target: 'phone_numbers[1].label', source: 'native' });
    assert.deepEqual(matchHeader('id'), { target: null, source: 'native' });
    assert.equal(matchHeader('Favourite colour'), null);
    assert.deepEqual(matchHeader('Email Address'), { target: 'emails', source: 'header' });
    assert.deepEqual(matchHeader('Mobile Number'), { target: 'phone_numbers[type=mobile]', source: 'header' });
  });

  test("the caller's mapping wins over headers; null ignores a column", async () => {
    const { plan, rows } = await mapped('First Name,Mobile Phone,Ref\nJane,+1 651 555 0101,A-1\n', { 'Mobile Phone': 'phone_numbers[type=work]', 'First Name': null, Ref: 'external_id' });
    assert.deepEqual(plan.columns.map((c) => [c.target, c.source]), [[null, 'mapping'], ['phone_numbers[type=work]', 'mapping'], ['external_id', 'mapping']]);
    assert.deepEqual(rows[0]!.input, { external_id: 'A-1', phone_numbers: [{ number: '+1 651 555 0101', type: 'work' }] });
    const loose = await mapped('Customer No ,Name\n7,Jane\n', { 'customer-no': 'account_number' });
    assert.deepEqual(loose.rows[0]!.input, { account_number: '7', display_name: 'Jane' }, 'a mapping key matches a header whatever its case and spacing');
  });

  test('a mapping to an unknown target, or of a column the file lacks, refuses the request with mapping.<column>', async () => {
    const error = await mapped('Name,Phone\nJane,1\n', { Phone: 'phone_numbers[type=]', Name: 'nickname', Fax: 'phone_numbers[type=fax]', Name2: null }).catch((e: unknown) => e);
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, 'validation_failed');
    assert.deepEqual(error.fieldErrors.map((f) => f.path).sort(), ['mapping.Fax', 'mapping.Name', 'mapping.Name2', 'mapping.Phone']);
    const badKey = await mapped('Ref\n1\n', { Ref: 'custom_fields.Customer No' }).catch((e: unknown) => e);
    assert.match((badKey as DomainError).fieldErrors[0]!.message, /lower_snake_case/);
  });

  test('numbered slots: the type, extension and label columns apply to each value of the slot', async () => {
    const csv = 'phone_1,phone_1_type,phone_1_extension,phone_1_label,email_1,email_1_type,messaging_1_channel,messaging_1_handle\n'
      + '+1 651 555 0101 ::: +1 651 555 0102,work,12,Desk,a@example.com,home,WhatsApp,+16515550101\n';
    const { rows } = await mapped(csv);
    assert.deepEqual(rows[0]!.input, {
      phone_numbers: [
        { number: '+1 651 555 0101', type: 'work', label: 'Desk', extension: '12' },
        { number: '+1 651 555 0102', type: 'work', label: 'Desk', extension: '12' },
      ],
      emails: [{ address: 'a@example.com', type: 'home' }],
      messaging: [{ channel: 'whatsapp', handle: '+16515550101' }],
    });
    assert.equal(rows[0]!.columnOf('phone_numbers[1].extension'), 'phone_1_extension');
    assert.equal(rows[0]!.columnOf('messaging[0].channel'), 'messaging_1_channel');
  });

  test('unnumbered columns: a type column types the values of the plain list columns', async () => {
    const { rows } = await mapped('Phone,Phone Type,Email,Email Type,Channel,Handle\n+1 651 555 0101 ::: +1 651 555 0102,Cell,a@x.example,Work,Telegram,@ann\n', {
      Channel: 'messaging.channel', Handle: 'messaging.handle',
    });
    assert.deepEqual(rows[0]!.input, {
      phone_numbers: [{ number: '+1 651 555 0101', type: 'mobile' }, { number: '+1 651 555 0102', type: 'mobile' }],
      emails: [{ address: 'a@x.example', type: 'work' }],
      messaging: [{ channel: 'telegram', handle: '@ann' }],
    });
    assert.equal(rows[0]!.columnOf('phone_numbers[1].type'), 'Phone Type');
  });

  test('messaging[channel] columns and plain lists; a handle without a channel is refused', async () => {
    const { rows } = await mapped('WA,Phones,Mails,Handle\n+16515550101 ::: +16515550102,+1 651 555 0103,a@x.example ::: b@x.example,abc\n', {
      WA: 'messaging[whatsapp]', Phones: 'phone_numbers', Mails: 'emails', Handle: 'messaging[1].handle',
    });
    assert.deepEqual(rows[0]!.input?.messaging, [{ channel: 'whatsapp', handle: '+16515550101' }, { channel: 'whatsapp', handle: '+16515550102' }]);
    assert.deepEqual(rows[0]!.input?.phone_numbers, [{ number: '+1 651 555 0103' }]);
    assert.deepEqual(rows[0]!.input?.emails, [{ address: 'a@x.example' }, { address: 'b@x.example' }]);
    assert.deepEqual(errorsOf(rows[0]), ['Handle invalid_value']);
  });

  test("an export's guard against formula injection (a leading ') is taken off", async () => {
    const { rows } = await mapped("phone_1,company,last_name\n'+1 651 555 0101,'=Acme,O'Brien\n");
    assert.deepEqual(rows[0]!.input, { phone_numbers: [{ number: '+1 651 555 0101' }], company: '=Acme', last_name: "O'Brien" });
  });

  test('contact type and text lengths are checked as the API checks them', async () => {
    const { rows } = await mapped(`type,first_name\nqueue,Q\nrobot,R\ncustom,${'x'.repeat(101)}\n`);
    assert.deepEqual(rows[0]!.input, { type: 'queue', first_name: 'Q' });
    assert.deepEqual(errorsOf(rows[1]), ['type invalid_value']);
    assert.deepEqual(errorsOf(rows[2]), ['first_name invalid_value']);
  });

  test('custom values are read by their field type; a value that does not fit names its column', async () => {
    const fields: Parameters<typeof contextOf>[0] = [['n', 'number'], ['p', 'percent'], ['b', 'boolean'], ['d', 'date'], ['t', 'datetime'], ['tier', 'pick_list', ['gold', 'silver']]];
    const header = 'custom_fields.n,custom_fields.p,custom_fields.b,custom_fields.d,custom_fields.t,custom_fields.tier\n';
    const { rows } = await mapped(`${header}42,12.5%,Yes,2024-02-29,2024-02-29 10:00:00+01:00,gold\n4x,1,maybe,2023-02-29,yesterday,bronze\n`, undefined, fields);
    assert.deepEqual(rows[0]!.input?.custom_fields, { n: 42, p: 12.5, b: true, d: '2024-02-29', t: '2024-02-29T09:00:00.000Z', tier: 'gold' });
    assert.deepEqual(errorsOf(rows[1]), ['custom_fields.n invalid_value', 'custom_fields.b invalid_value', 'custom_fields.d invalid_value', 'custom_fields.t invalid_value', 'custom_fields.tier invalid_value']);
  });

  test('cell helpers: phone types as the core names them, booleans, numbers', () => {
    assert.deepEqual(typeOfCell('* Mobile', 'phone'), { type: 'mobile' });
    assert.deepEqual(typeOfCell('Work Fax', 'phone'), { type: 'fax' });
    assert.deepEqual(typeOfCell('Car', 'phone'), { type: 'car' });
    assert.deepEqual(typeOfCell('Google Voice', 'phone'), { type: 'other', label: 'Google Voice' });
    assert.deepEqual(typeOfCell('Business', 'email'), { type: 'work' });
    assert.deepEqual(customValueOfCell({ data_type: 'currency', options: null }, '€ 1234,50', 'US'), { value: 1234.5 });
    // Thousands grouping, where the form says which separator is the decimal one.
    for (const [text, value] of [['1.234,50', 1234.5], ['1.234.567', 1234567], ['1,234.50', 1234.5], ['1,234,567', 1234567], ['1,5', 1.5], ['1.234', 1.234]] as const) {
      assert.deepEqual(customValueOfCell({ data_type: 'number', options: null }, text, 'US'), { value }, text);
    }
    assert.deepEqual(customValueOfCell({ data_type: 'boolean', options: null }, 'FALSCH', 'US'), { value: false });
  });
});

describe('custom field type inference', () => {
  const infer = (values: unknown[]) => {
    const inference = new TypeInference();
    for (const v of values) inference.add(v);
    return inference.dataType;
  };

  test('the narrowest type every non-empty value fits', () => {
    assert.equal(infer(['1', '', '2.5', '-3', '4,5']), 'number');
    assert.equal(infer(['true', 'FALSE', ' ']), 'boolean');
    assert.equal(infer(['2024-01-31', '1999-12-01']), 'date');
    assert.equal(infer(['2024-01-31T10:00:00Z', '2024-01-31 10:00+02:00']), 'datetime');
    assert.equal(infer(['2024-01-31', '2024-01-31T10:00:00Z']), 'string');
    assert.equal(infer(['1', 'two']), 'string');
    assert.equal(infer(['00123', '00124']), 'string', 'leading zeros are an identifier');
    assert.equal(infer(['12345678901234567890']), 'string', 'more digits than a double holds');
    assert.equal(infer([]), 'string');
    assert.equal(infer([3, 4.5]), 'number');
    assert.equal(infer([true, false]), 'boolean');
    // What an export writes for email, url and phone fields, so that a round trip defines them alike.
    assert.equal(infer(['ann@example.com', 'BOB@Example.org']), 'email');
    assert.equal(infer(['https://portal.example/x?a=1', 'http://acme.example']), 'url');
    assert.equal(infer(['+16515550100', '+442071234567']), 'phone');
    assert.equal(infer(['+16515550100', '651-555-0101']), 'string', 'a phone field is inferred only from E.164');
    assert.equal(infer(['ann@example.com', 'https://acme.example']), 'string');
  });

  test('it reads past the sampled head of the file while a type is unsure, and no further than needed', async () => {
    // The 1,500th value is text: the first 1,000 decide (number); the plan still defines the field.
    const csv = `custom_fields.score\n${Array.from({ length: 1500 }, (_, i) => (i === 1400 ? 'n/a' : String(i))).join('\n')}\n`;
    const { plan, rows } = await mapped(csv);
    assert.deepEqual(plan.fieldsToDefine, [{ key: 'score', data_type: 'number' }]);
    assert.deepEqual(errorsOf(rows[1400]), ['custom_fields.score invalid_value']);
    const { plan: early } = await mapped(`custom_fields.code\nabc\n${'1\n'.repeat(5000)}`);
    assert.deepEqual(early.fieldsToDefine, [{ key: 'code', data_type: 'string' }]);
  });
});
