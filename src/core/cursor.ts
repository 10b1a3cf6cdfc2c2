import { invalidField } from './errors.ts';

/** Cursors are opaque to callers: base64url of the last seen position. */
export function encodeCursor(afterSeq: number): string {
  return Buffer.from(JSON.stringify({ s: afterSeq })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown };
    if (typeof parsed.s === 'number' && Number.isSafeInteger(parsed.s) && parsed.s >= 0) return parsed.s;
  } catch {
    // fall through to the error below
  }
  throw invalidField('cursor', 'is not a cursor this API returned');
}
