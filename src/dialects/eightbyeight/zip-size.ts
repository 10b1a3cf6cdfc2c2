/**
 * The inflated size a zip archive declares, read from its central directory, so that an .xlsx
 * upload that would inflate to gigabytes (a "zip bomb": exceljs would cache its shared strings in
 * memory and spill its sheets to temporary files) is refused before it is read. Sizes are what
 * the archive declares: tools that make such files declare them truly; see the dialect README.
 */

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
/** The end record is 22 bytes and may be followed by a comment of up to 65,535 bytes. */
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/** The sum of the entries' declared inflated sizes; Infinity when the archive's directory cannot be read or needs ZIP64. */
export function declaredInflatedSize(file: Buffer): number {
  const end = findEndRecord(file);
  if (end < 0) return Infinity;
  const entries = file.readUInt16LE(end + 10);
  let offset = file.readUInt32LE(end + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > file.length || file.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) return Infinity;
    const size = file.readUInt32LE(offset + 24);
    if (size === 0xffffffff) return Infinity; // ZIP64: no spreadsheet of ours needs it
    total += size;
    offset += 46 + file.readUInt16LE(offset + 28) + file.readUInt16LE(offset + 30) + file.readUInt16LE(offset + 32);
  }
  return total;
}

function findEndRecord(file: Buffer): number {
  const last = file.length - END_RECORD_SIZE;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (file.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}
