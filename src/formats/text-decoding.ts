import type { TextEncoding } from '../core/imports/import.types.ts';

/** How many bytes the detectors look at: enough for a header line and a few rows. */
export const HEAD_BYTES = 256 * 1024;

/** The first `maxBytes` bytes of a stream (fewer when it is shorter); the rest is not read. */
export async function readHead(bytes: AsyncIterable<Uint8Array>, maxBytes = HEAD_BYTES): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of bytes) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= maxBytes) break;
  }
  const head = Buffer.concat(parts);
  return head.subarray(0, Math.min(head.length, maxBytes));
}

/**
 * The text encoding of a file from its first bytes: a byte order mark decides; without one,
 * UTF-16 shows as a zero byte beside each ASCII character, and bytes that are not UTF-8 are
 * read as Windows-1252, the code page Outlook and Excel on Windows write "CSV" in.
 */
export function detectEncoding(head: Uint8Array): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const pairs = Math.min(64, Math.floor(head.length / 2));
  if (pairs >= 2) {
    let zeroOdd = 0;
    let zeroEven = 0;
    for (let i = 0; i < pairs; i++) {
      if (head[2 * i] === 0 && head[2 * i + 1] !== 0) zeroEven++;
      if (head[2 * i + 1] === 0 && head[2 * i] !== 0) zeroOdd++;
    }
    if (zeroOdd === pairs) return 'utf-16le';
    if (zeroEven === pairs) return 'utf-16be';
  }
  return isUtf8(head) ? 'utf-8' : 'windows-1252';
}

/** True when the bytes are UTF-8, allowing a character cut off at the end of the head. */
function isUtf8(head: Uint8Array): boolean {
  let end = head.length;
  // Back off to the start of a possibly cut multi-byte character at the end.
  for (let i = head.length - 1; i >= Math.max(0, head.length - 4); i--) {
    if ((head[i]! & 0xc0) !== 0x80) {
      end = head[i]! >= 0xc0 ? i : head.length;
      break;
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * The stream's text, decoded chunk by chunk (a character split across chunks is joined), with
 * a byte order mark dropped. Detection saw only the head: a file read as UTF-8 whose first
 * non-ASCII byte, further on, is not UTF-8 is Windows-1252 after all, and is read so from there
 * (plain ASCII before it reads the same in both). After real UTF-8 text, a bad byte becomes U+FFFD.
 */
export async function* decodeText(bytes: AsyncIterable<Uint8Array>, encoding: TextEncoding): AsyncIterable<string> {
  let decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  let asciiSoFar = encoding === 'utf-8';
  for await (const chunk of bytes) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
      // UTF-8 gives one character per byte exactly when every byte (and none held back) is ASCII.
      if (asciiSoFar && text.length !== chunk.length) asciiSoFar = false;
    } catch {
      decoder = new TextDecoder(asciiSoFar ? 'windows-1252' : 'utf-8');
      asciiSoFar = false;
      text = decoder.decode(chunk, { stream: true });
    }
    if (text !== '') yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    rest = '\ufffd';
  }
  if (rest !== '') yield rest;
}

/** The head's text, for detection and sniffing (a character cut at the end is dropped). */
export function decodeHead(head: Uint8Array, encoding: TextEncoding): string {
  return new TextDecoder(encoding).decode(head, { stream: true });
}
