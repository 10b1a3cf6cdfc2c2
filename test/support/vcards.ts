import ICAL from 'ical.js';

/**
 * What two copies of a card must agree on after a sync, whatever each side's serialization
 * (vCard 3.0 or 4.0, property order, TYPE spelling, phone formatting).
 */
export interface CardSummary {
  uid: string;
  fn: string;
  tels: string[];
  emails: string[];
  org: string;
}

export function summarizeCard(text: string): CardSummary {
  const card = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const values = (name: string) => card.getAllProperties(name).map((p) => String(p.getFirstValue() ?? ''));
  const org = card.getFirstPropertyValue('org') as unknown;
  return {
    uid: String(card.getFirstPropertyValue('uid') ?? ''),
    fn: String(card.getFirstPropertyValue('fn') ?? ''),
    tels: values('tel').map((t) => t.replace(/^tel:/i, '').replace(/[^\d]/g, '')).sort(),
    emails: values('email').map((e) => e.replace(/^mailto:/i, '').toLowerCase()).sort(),
    org: (Array.isArray(org) ? org.filter(Boolean).join(';') : String(org ?? '')).trim(),
  };
}

/** Summaries keyed by UID; two cards with one UID is an error worth seeing. */
export function summariesByUid(texts: Iterable<string>): Map<string, CardSummary> {
  const byUid = new Map<string, CardSummary>();
  for (const text of texts) {
    const summary = summarizeCard(text);
    if (byUid.has(summary.uid)) throw new Error(`two cards share the UID ${summary.uid}`);
    byUid.set(summary.uid, summary);
  }
  return byUid;
}
