/**
 * fast-check arbitraries for whole requests to one operation: path parameters from real ids (and
 * junk), query parameters, each surface's credentials (and wrong ones), content types, and bodies
 * from the operation's schema or hostile raw text.
 */
import fc from 'fast-check';
import type { Operation, Surface } from './operations.ts';
import { hostileString, phone, validOf, valueOf } from './values.ts';
import { MAX_QUERY_PARAMETERS } from '../../src/http/limits.ts';

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** What the fuzz needs of the world the setup made: ids to aim at and credentials. */
export interface FuzzContext {
  /** Real ids by kind (`contact`, `contactSeq`, `book`, `group`, `groupSeq`, `field`, `fieldKey`, `unit`, `external`, `account`, `stream`, `msisdn`, `batch`). */
  ids: Record<string, string[]>;
  /** Credentials of a surface: good (admin), read-only, and wrong. */
  auth(surface: Surface, kind: 'admin' | 'read' | 'wrong' | 'none'): Record<string, string>;
}

/** Which kind of id a path parameter takes, from its name or the segment before it. */
function kindOf(op: Operation, name: string): string {
  const byName: Record<string, string> = {
    unitId: 'unit', addressBookId: 'book', contactId: 'contact', groupId: 'group', customFieldId: 'field', accountId: 'account',
    streamId: 'stream', batchId: 'batch', msisdn: 'msisdn', external_id: 'external', key: 'fieldKey',
  };
  // 8x8 numbers its contacts (the store's sequence); everywhere else a contact id is a UUID.
  if (op.surface === '8x8' && name === 'contactId') return 'contactSeq';
  if (op.surface === '8x8' && name === 'groupId') return 'groupSeq';
  if (byName[name]) return byName[name]!;
  const before = op.path.split('/').at(op.path.split('/').indexOf(`{${name}}`) - 1) ?? '';
  const bySegment: Record<string, string> = { 'address-books': 'book', address_books: 'book', groups: 'group', 'custom-fields': 'field' };
  return bySegment[before] ?? 'contact';
}

/** A path segment: mostly a real id, sometimes junk (encoded, or raw bytes the router must refuse). */
function segmentOf(ids: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: ids.length > 0 ? fc.constantFrom(...ids).map(encodeURIComponent) : fc.constant('none') },
    { weight: 2, arbitrary: hostileString.map(encodeSafely) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%ED%A0%80', '%00', '..', '.', 'a'.repeat(2000), '%2F', '%25') },
  );
}

function encodeSafely(text: string): string {
  try {
    return encodeURIComponent(text.slice(0, 2000));
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as UTF-8 bytes no decoder accepts
  }
}

function queryOf(op: Operation): fc.Arbitrary<string> {
  const declared = op.parameters.filter((p) => p.in === 'query');
  const values = fc.record(Object.fromEntries(declared.map((p) => [p.name, valueOf(p.schema, p.name)])), { requiredKeys: [] });
  const pairs = values.map((record) =>
    Object.entries(record).flatMap(([key, value]) => (Array.isArray(value) ? value.slice(0, 50).map((v) => [key, v]) : [[key, value]])),
  );
  return fc.oneof(
    { weight: 12, arbitrary: pairs.map((list) => list.map(([k, v]) => `${encodeSafely(String(k))}=${encodeSafely(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&')) },
    { weight: 1, arbitrary: fc.constantFrom('limit=1&limit=2', '%=%', 'a[b]=1&a[c]=2', '__proto__=x&constructor=y', `${'x'.repeat(8000)}=1`) },
    { weight: 1, arbitrary: fc.constantFrom(10, MAX_QUERY_PARAMETERS, MAX_QUERY_PARAMETERS + 1, 5000).map((n) => Array.from({ length: n }, (_, i) => `p${i}=${i}`).join('&')) },
  );
}

/** Raw bodies that are not what a schema describes: deep, huge, duplicated, truncated, not UTF-8. */
const hostileBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.integer({ min: 60, max: 70_000 }).map((n) => `{"description":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`),
  fc.integer({ min: 60, max: 70_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 200_000 }).map((n) => `[${Array(n).fill('{"display_name":"x"}').join(',')}]`),
  fc.integer({ min: 1, max: 1_200_000 }).map((n) => `{"display_name":"${'x'.repeat(n)}"}`),
  fc.constantFrom(
    '{"display_name":"a","display_name":"b","phone_numbers":["+16515550001"],"phone_numbers":"x"}',
    '{"__proto__":{"admin":true},"display_name":"p"}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '{"display_name":"\\ud800","emails":["\\udc00@x.com"]}',
    '{"display_name":"\\u0000"}',
    '{"n":123456789012345678901234567890,"limit":1e400}',
    '{"display_name":', '[', '{"a":1}}', 'null', '"text"', '12', 'true', '[]', '{}', '\ufeff{}', 'NaN', "{'a':1}",
  ),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])),
);

/** A CSV upload: plausible headers and rows of fuzzed cells, or hostile bytes. */
function csvOf(): fc.Arbitrary<string> {
  const cell = fc.oneof({ weight: 4, arbitrary: phone.map((p) => p.slice(1)) }, { weight: 4, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: hostileString.map((s) => s.slice(0, 5000)) });
  const header = fc.constantFrom('msisdn,firstName,lastName,email', 'firstName,lastName,salutation,cellPhoneNumber,cellPhoneCountryCode,cellPhoneExtension', 'a', '', '"unclosed,x');
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(header, fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 30 })).map(([h, rows]) => [h, ...rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))].join('\n')) },
    { weight: 1, arbitrary: fc.constantFrom('\u0000\u0000', '"a\n', 'x,'.repeat(100_000), `msisdn\n${'16515550000\n'.repeat(20_000)}`) },
  );
}

function multipartOf(op: Operation): fc.Arbitrary<{ payload: Buffer; type: string }> {
  const names = op.multipartFields ?? [];
  const fields = fc.dictionary(fc.constantFrom(...names, 'other'), fc.oneof(fc.string({ maxLength: 40 }), hostileString.map((s) => s.slice(0, 20_000))), { maxKeys: 4 });
  return fc.record({ fields, file: fc.option(fc.record({ name: fc.constantFrom(...names), content: csvOf() }), { freq: 6 }), bad: fc.boolean() }).map(({ fields, file, bad }) => {
    const boundary = 'fuzzboundary7MA4YWxkTrZu0gW';
    const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    if (file) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="f.csv"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`);
    // A body cut short, without its closing boundary, half the time it is "bad".
    const body = parts.join('') + (bad ? '' : `--${boundary}--\r\n`);
    return { payload: Buffer.from(body), type: bad ? 'multipart/form-data' : `multipart/form-data; boundary=${boundary}` };
  });
}

const WRONG_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data', 'application/merge-patch+json', 'application/json-patch+json', '*/*', 'garbage', ''];

function bodyOf(op: Operation): fc.Arbitrary<{ payload?: string | Buffer; type?: string }> {
  if (op.multipartFields) return fc.oneof({ weight: 6, arbitrary: multipartOf(op) }, { weight: 1, arbitrary: hostileBody.map((payload) => ({ payload, type: 'application/json' })) });
  const ownType = op.body?.type ?? 'application/json';
  const typed = op.body ? valueOf(op.body.schema).map((value) => JSON.stringify(value) ?? 'null') : fc.constant(undefined);
  const valid = op.body ? validOf(op.body.schema).map((value) => JSON.stringify(value) ?? 'null') : fc.constant(undefined);
  return fc.oneof(
    { weight: 5, arbitrary: valid.map((payload) => ({ payload, type: ownType })) },
    { weight: 5, arbitrary: typed.map((payload) => ({ payload, type: ownType })) },
    { weight: 2, arbitrary: hostileBody.map((payload) => ({ payload, type: ownType })) },
    { weight: 1, arbitrary: fc.tuple(typed, fc.constantFrom(...WRONG_TYPES)).map(([payload, type]) => ({ payload: payload ?? '{}', type })) },
  );
}

/** One request to the operation. */
export function requestOf(op: Operation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const path = fc.tuple(...op.parameters.filter((p) => p.in === 'path').map((p) => segmentOf(context.ids[kindOf(op, p.name)] ?? []).map((v) => [p.name, v] as const)));
  const auth = fc.constantFrom<('admin' | 'read' | 'wrong' | 'none')[]>('admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'read', 'wrong', 'none');
  return fc.record({ path, query: fc.option(queryOf(op), { freq: 2 }), auth, body: bodyOf(op), ifMatch: fc.option(fc.constantFrom('"1"', '*', 'W/"x"', '"abc', '1'.repeat(500))) }).map(({ path, query, auth, body, ifMatch }) => {
    const url = path.reduce<string>((u, [name, value]) => u.replace(`{${name}}`, value), op.path) + (query ? `?${query}` : '');
    const headers: Record<string, string> = { ...context.auth(op.surface, auth), ...(body.type ? { 'content-type': body.type } : {}), ...(ifMatch ? { 'if-match': ifMatch } : {}) };
    return { method: op.method, url, headers, ...(body.payload !== undefined ? { payload: body.payload } : {}) };
  });
}
