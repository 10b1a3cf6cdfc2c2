/** vCard 3.0 / 4.0 and jCard: contacts in and out of cards. No HTTP, no SQL. */
export { contactToVCard, contactToJCard } from './write.ts';
export { parseVCard } from './read.ts';
export { splitVCards, MAX_CARD_CHARS, type SplitCard } from './split.ts';
export type { CardContext, CardError, CardExtras, CardReadContext, ParsedCard, VCardVersion } from './types.ts';
