import ICAL from 'ical.js';
import { splitLine, toReadableLine, type ContentLine } from './content-line.ts';
import { readImpp, readSocialProfile } from './messaging.ts';

/**
 * Some properties the core models only in part: N's middle names and suffixes, ORG's units, the
 * vendor's own spelling of a messaging handle (Apple's X-SOCIALPROFILE). The client's line is
 * kept in the extras as a "shadow" of the modelled value. When the card is written again and the
 * contact still holds the same value, the client's line is written instead of ours, so the card
 * comes back as it was saved; once the value changes elsewhere, the stale line is dropped.
 */
const SHADOWED = new Set(['N', 'ORG', 'IMPP', 'X-SOCIALPROFILE']);

/** The modelled value a line stands for, as a key, or null for a line no generated property replaces. */
export function shadowKeyOf(line: ContentLine): string | null {
  if (!SHADOWED.has(line.name)) return null;
  if (line.name === 'IMPP' || line.name === 'X-SOCIALPROFILE') {
    const handle = line.name === 'IMPP' ? readImpp(line, line.value) : readSocialProfile(line, line.value);
    return handle ? `IMPP:${handle.channel}:${handle.handle}` : null;
  }
  const parts = structuredValue(line);
  if (parts === null) return null;
  return line.name === 'N' ? `N:${parts[0] ?? ''};${parts[1] ?? ''};${parts[3] ?? ''}` : `ORG:${parts[0] ?? ''}`;
}

/** A structured value's components (N, ORG), unescaped by ical.js; null when it cannot read the line. */
export function structuredValue(line: ContentLine): string[] | null {
  try {
    const value = ICAL.Property.fromString(toReadableLine(line), ICAL.design.vcard3).getFirstValue();
    return Array.isArray(value) ? value.map(String) : [String(value ?? '')];
  } catch {
    return null;
  }
}

export interface Shadows {
  byKey: Map<string, string[]>;
}

/** Splits the extras into shadows (by the key they stand for) and the lines written as they are. */
export function shadowsOf(lines: string[]): { shadows: Shadows; others: string[] } {
  const byKey = new Map<string, string[]>();
  const others: string[] = [];
  for (const raw of lines) {
    const line = splitLine(raw);
    const key = line === null ? null : shadowKeyOf(line);
    if (key !== null) {
      byKey.set(key, [...(byKey.get(key) ?? []), raw]);
      continue;
    }
    // An N or ORG ical.js cannot read would stand beside ours: dropped. An unreadable IMPP is no handle: kept.
    if (line !== null && (line.name === 'N' || line.name === 'ORG')) continue;
    others.push(raw);
  }
  return { shadows: { byKey }, others };
}

/** The client's line for a generated property, taken so that it is used once. */
export function matchingShadow(shadows: Shadows, key: string): string | null {
  const lines = shadows.byKey.get(key);
  const line = lines?.shift();
  return line ?? null;
}
