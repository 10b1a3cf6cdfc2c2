/**
 * Content lines (RFC 6350 §3.2, RFC 2426 §2.4, vCard 2.1): unfolding, splitting a line into its
 * parts, and the vCard 2.1 habits that ical.js does not accept (bare parameters, quoted-printable),
 * rewritten into the 3.0 form before ical.js reads the line.
 */

export interface ContentLine {
  /** `item1` in `item1.TEL`, as written; null when the line has no group. */
  group: string | null;
  /** Upper case. */
  name: string;
  /** Parameters as written: name in upper case, value without its quotes; a bare 2.1 parameter has the name `TYPE`. */
  params: [string, string][];
  value: string;
}

/** The card's lines with folding undone; a quoted-printable soft line break (`=` at the end) joins the next line too. */
export function unfoldLines(text: string): string[] {
  const lines: string[] = [];
  // Parts of the line being read, joined once it is complete (appending to a string and testing it
  // on every continuation would copy a 1 MB photo thousands of times).
  let parts: string[] = [];
  let softBreak = false;
  for (const raw of text.split(/\r\n|\n|\r/)) {
    if (parts.length > 0 && softBreak) {
      parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -1);
      parts.push(raw);
    } else if (parts.length > 0 && (raw.startsWith(' ') || raw.startsWith('\t'))) {
      parts.push(raw.slice(1));
    } else {
      if (parts.length > 0) lines.push(parts.join(''));
      parts = raw === '' ? [] : [raw];
    }
    softBreak = raw.endsWith('=') && parts.length > 0 && /QUOTED-PRINTABLE/i.test(headOf(parts[0]!));
  }
  if (parts.length > 0) lines.push(parts.join(''));
  return lines;
}

/** The part of a line before its value: name and parameters (a colon inside quotes does not end it). */
function headOf(line: string): string {
  const end = valueStart(line);
  return end < 0 ? line : line.slice(0, end);
}

function valueStart(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return i;
  }
  return -1;
}

/** The parts of an unfolded line, or null when it has no colon or no name. */
export function splitLine(line: string): ContentLine | null {
  const colon = valueStart(line);
  if (colon <= 0) return null;
  const parts = splitOutsideQuotes(line.slice(0, colon), ';');
  const fullName = parts.shift()!.trim();
  const dot = fullName.lastIndexOf('.');
  const name = (dot >= 0 ? fullName.slice(dot + 1) : fullName).toUpperCase();
  if (!/^[A-Z0-9_-]+$/.test(name)) return null;
  const params: [string, string][] = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) params.push(['TYPE', part.trim()]);
    else params.push([part.slice(0, eq).trim().toUpperCase(), unquote(part.slice(eq + 1).trim())]);
  }
  return { group: dot >= 0 ? fullName.slice(0, dot) : null, name, params, value: line.slice(colon + 1) };
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** Every value of a parameter, lower case, commas split (`TYPE=CELL,VOICE;TYPE=pref` -> cell, voice, pref). */
export function paramValues(line: ContentLine, name: string): string[] {
  return line.params
    .filter(([n]) => n === name)
    .flatMap(([, v]) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
}

export function paramValue(line: ContentLine, name: string): string | null {
  return line.params.find(([n]) => n === name)?.[1] ?? null;
}

/**
 * The line as vCard 3.0 writes it, for ical.js: bare 2.1 parameters become `TYPE=`, a
 * quoted-printable value is decoded (in its CHARSET, UTF-8 by default), and the parameters that
 * only described that encoding are dropped.
 */
export function toReadableLine(line: ContentLine): string {
  const encoding = paramValue(line, 'ENCODING')?.toUpperCase() ?? (line.params.some(([n, v]) => n === 'TYPE' && /^QUOTED-PRINTABLE$/i.test(v)) ? 'QUOTED-PRINTABLE' : null);
  const charset = paramValue(line, 'CHARSET');
  const qp = encoding === 'QUOTED-PRINTABLE';
  const params = line.params.filter(([n, v]) => !(qp && (n === 'ENCODING' || (n === 'TYPE' && /^QUOTED-PRINTABLE$/i.test(v)))) && n !== 'CHARSET');
  // Decoded text is plain: its line breaks are escaped as a 3.0 TEXT value writes them.
  const value = qp ? decodeQuotedPrintable(line.value, charset).replace(/\r\n|\n|\r/g, '\\n') : line.value;
  const head = [line.group ? `${line.group}.${line.name}` : line.name, ...params.map(([n, v]) => `${n}=${/[:;,]/.test(v) ? `"${v}"` : v}`)].join(';');
  return `${head}:${value}`;
}

function decodeQuotedPrintable(value: string, charset: string | null): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(value[i]!, 'utf8'));
    }
  }
  const latin1 = charset !== null && /^(iso-8859-1|latin1|windows-1252)$/i.test(charset);
  return Buffer.from(bytes).toString(latin1 ? 'latin1' : 'utf8');
}

/** A line folded at 75 octets (RFC 6350 §3.2), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const octetCount = Buffer.byteLength(line);
  if (octetCount <= 75) return line;
  if (octetCount === line.length) return foldAscii(line);
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    const limit = out.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** The common case (a base64 PHOTO): one octet per character, so slices will do. */
function foldAscii(line: string): string {
  const out = [line.slice(0, 75)];
  for (let i = 75; i < line.length; i += 74) out.push(line.slice(i, i + 74));
  return out.join('\r\n ');
}

/** TEXT value escaping (RFC 6350 §3.4). */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r\n|\n|\r/g, '\\n');
}

export function unescapeText(text: string): string {
  return text.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
