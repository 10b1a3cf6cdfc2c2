/**
 * TEL values: a `tel:` URI (RFC 3966, vCard 4.0) or free text (3.0, 2.1), and the extension either
 * carries: `;ext=12` in a URI, `x12`, `ext. 12` or `;ext=12` in text.
 */

const TEXT_EXTENSION = /^(.*?\d[^a-z]*?)\s*(?:;\s*ext=|(?:ext\.?|extension|x)\s*)(\d{1,20})\s*$/i;

export function readPhoneValue(value: string): { number: string; extension: string | null } {
  const text = value.trim();
  if (/^tel:/i.test(text)) {
    const [number, ...params] = text.slice(4).split(';');
    const ext = params.find((p) => /^ext=/i.test(p))?.slice(4) ?? null;
    return { number: decodeSafely(number!), extension: ext === '' ? null : ext };
  }
  const match = TEXT_EXTENSION.exec(text);
  return match ? { number: match[1]!.trim(), extension: match[2]! } : { number: text, extension: null };
}

/** 4.0: `tel:+16511112222;ext=12`; 3.0: `+16511112222 x12` (the notation phones and people read). */
export function writePhoneValue(e164: string, extension: string | null, version: '3.0' | '4.0'): string {
  if (version === '4.0') return `tel:${e164}${extension ? `;ext=${extension}` : ''}`;
  return `${e164}${extension ? ` x${extension}` : ''}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
