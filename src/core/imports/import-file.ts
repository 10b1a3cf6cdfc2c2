import { setImmediate as nextTurn } from 'node:timers/promises';
import { DomainError } from '../errors.ts';
import type { Store } from '../ports.ts';
import type { ByteSource } from './import.types.ts';

/** The size of the pieces a file is stored in: large enough for few rows, small enough to hold one at a time. */
export const FILE_CHUNK_BYTES = 1024 * 1024;

/**
 * Stores an upload as it streams in, piece by piece; never more than one piece is held. Past
 * `maxBytes` the pieces stored so far are removed and the upload is refused (413), as it is when
 * the stream itself fails (a client that hung up). Returns the size.
 */
export async function storeUpload(store: Store, fileId: string, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<number> {
  let size = 0;
  let n = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    await store.imports.putFileChunk(fileId, n++, Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  try {
    for await (const piece of body) {
      size += piece.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
      pendingBytes += piece.byteLength;
      if (pendingBytes >= FILE_CHUNK_BYTES) await flush();
    }
    await flush();
    return size;
  } catch (error) {
    await store.imports.deleteFile(fileId);
    throw error;
  }
}

export function tooLarge(maxBytes: number): DomainError {
  return new DomainError('payload_too_large', `the file is larger than the import limit of ${maxBytes} bytes (IMPORT_MAX_BYTES)`, [], { max_bytes: maxBytes });
}

/** What a reader is handed at a time: a parser's work on it stays short. */
const SLICE_BYTES = 64 * 1024;

/**
 * The stored file, read again from its first piece on every call, one piece at a time, handed
 * out in slices with a turn of the event loop before each. On SQLite a piece is read at once, and
 * without those turns a parser would run through the whole file in one go: counting the rows of
 * a 1,000,000-row file held every other request back for 8 s.
 */
export function byteSourceOf(store: Store, fileId: string): ByteSource {
  return async function* () {
    for (let n = 0; ; n++) {
      const piece = await store.imports.fileChunk(fileId, n);
      if (piece === undefined) return;
      for (let at = 0; at < piece.byteLength; at += SLICE_BYTES) {
        await nextTurn();
        yield piece.subarray(at, at + SLICE_BYTES);
      }
    }
  };
}

/** A source over bytes held in memory (a preview's head of the file). */
export function memorySource(bytes: Uint8Array): ByteSource {
  return async function* () {
    if (bytes.byteLength > 0) yield bytes;
  };
}
