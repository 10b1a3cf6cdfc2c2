import { createInflateRaw } from 'node:zlib';

/**
 * How large a zip archive (an .xlsx upload) inflates, measured before exceljs reads it: a "zip
 * bomb" of a few MB can inflate to gigabytes, which exceljs would cache (shared strings) or spill
 * to temporary files (sheets). Each entry the central directory lists is inflated and counted,
 * output discarded, so the answer holds whatever sizes the archive declares.
 */

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
/** The end record is 22 bytes and may be followed by a comment of up to 65,535 bytes. */
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;

export type InflatedSize = 'within' | 'too_large' | 'unreadable';

/** A data descriptor after an entry's data: 12 bytes, 16 with its signature (20 or 24 in ZIP64). */
const DESCRIPTOR_SIZES = new Set([0, 12, 16, 20, 24]);

/**
 * Whether the entries inflate to at most `budget` bytes in all. The listed entries must also
 * fill the archive up to its directory, as a streaming reader meets them: bytes between them
 * could hide an entry that reader would inflate unmeasured.
 */
export async function inflatedSize(file: Buffer, budget: number): Promise<InflatedSize> {
  const end = findEndRecord(file);
  if (end < 0) return 'unreadable';
  let left = budget;
  const directory = file.readUInt32LE(end + 16);
  let offset = directory;
  const spans: [number, number][] = [];
  for (let i = 0, entries = file.readUInt16LE(end + 10); i < entries; i++) {
    if (offset + 46 > file.length || file.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) return 'unreadable';
    const method = file.readUInt16LE(offset + 10);
    const compressed = file.readUInt32LE(offset + 20);
    const local = file.readUInt32LE(offset + 42);
    if (local + 30 > file.length || file.readUInt32LE(local) !== LOCAL_FILE_HEADER) return 'unreadable';
    const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    if (start + compressed > file.length) return 'unreadable';
    const data = file.subarray(start, start + compressed);
    spans.push([local, start + compressed]);
    if (method === STORED) left -= data.length;
    else if (method === DEFLATED) {
      const inflated = await inflatedLength(data, left);
      if (inflated === undefined) return 'unreadable';
      left -= inflated;
    } else return 'unreadable';
    if (left < 0) return 'too_large';
    offset += 46 + file.readUInt16LE(offset + 28) + file.readUInt16LE(offset + 30) + file.readUInt16LE(offset + 32);
  }
  return fillsUpTo(spans, directory) ? 'within' : 'unreadable';
}

/** The spans, in order, leave no gap from 0 to `directory` but a data descriptor after each. */
function fillsUpTo(spans: [number, number][], directory: number): boolean {
  let at = 0;
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    if (!DESCRIPTOR_SIZES.has(start - at)) return false;
    at = end;
  }
  return DESCRIPTOR_SIZES.has(directory - at);
}

/** Bytes `data` inflates to, counted without keeping them; stops once past `limit`; undefined for corrupt data. */
function inflatedLength(data: Buffer, limit: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let length = 0;
    inflate.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        inflate.destroy();
        resolve(length);
      }
    });
    inflate.on('end', () => resolve(length));
    inflate.on('error', () => resolve(undefined));
    inflate.end(data);
  });
}

function findEndRecord(file: Buffer): number {
  const last = file.length - END_RECORD_SIZE;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (file.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}
