import type { CardEntry, CardsRenderContext, CardWrite } from '../core/cards/card.types.ts';
import { DomainError } from '../core/errors.ts';
import { contactToJCard, contactToVCard, parseVCard } from '../formats/vcard/index.ts';

/** What rendering and reading cards needs of the account, and the region for national numbers. */
export interface CardsContext extends CardsRenderContext {
  defaultRegion: string;
}

export type CardFormat = { type: 'vcard'; version: '3.0' | '4.0' } | { type: 'jcard' };

/** The media type of a format, as Content-Type and in address-data. */
export function mediaTypeOf(format: CardFormat): string {
  return format.type === 'jcard' ? 'application/vcard+json' : `text/vcard; charset=utf-8${format.version === '4.0' ? '; version=4.0' : ''}`;
}

/**
 * The format a client asks for (RFC 6352 §5.1.1 and RFC 7095): 3.0 by default, as most clients
 * expect; 4.0 when the Accept header (or address-data) names version 4.0; jCard when it asks for it.
 */
export function formatOf(accept: string | undefined): CardFormat {
  const ranges = (accept ?? '').toLowerCase().split(',').map((r) => r.trim());
  if (ranges.some((r) => r.startsWith('application/vcard+json'))) return { type: 'jcard' };
  if (ranges.some((r) => r.startsWith('text/vcard') && /version\s*=\s*"?4\.0/.test(r))) return { type: 'vcard', version: '4.0' };
  return { type: 'vcard', version: '3.0' };
}

/** The card as a client reads it: the contact's fields, its groups as CATEGORIES, and the kept properties verbatim. */
export function renderCard(entry: CardEntry, ctx: CardsContext, format: CardFormat): string {
  const extras = { uid: entry.card?.uid ?? null, properties: entry.card?.properties ?? [] };
  if (format.type === 'jcard') return JSON.stringify(contactToJCard(entry.contact, ctx, extras));
  return contactToVCard(entry.contact, ctx, format.version, extras);
}

/** A PUT body (vCard 3.0 or 4.0) as a write; a body that is no vCard is a 400 naming why. */
export function readCard(text: string, ctx: CardsContext): CardWrite {
  if (!/^\s*BEGIN:VCARD/i.test(text) || !/END:VCARD\s*$/i.test(text)) throw new DomainError('validation_failed', 'the body must be one vCard (BEGIN:VCARD … END:VCARD)');
  const parsed = parseVCard(text, { customFields: ctx.customFields, defaultRegion: ctx.defaultRegion });
  // A property the codec cannot read into a field (a TEL that is no number) is kept verbatim in
  // the extras: a phone's save is not refused for it. A card that is not one is.
  const fatal = parsed.errors.filter((e) => e.property === 'VCARD' || e.code === 'malformed_record' || e.code === 'too_large');
  if (fatal.length > 0) throw new DomainError('validation_failed', `the vCard was not accepted: ${fatal.map((e) => e.message).join('; ')}`);
  return { input: parsed.input, groupNames: parsed.groupNames, uid: parsed.extras.uid, properties: parsed.extras.properties };
}
