import type { FastifyReply } from 'fastify';
import { COLLATIONS, MATCH_TYPES, type CardQuery, type Collation, type MatchType, type PropFilter, type TextMatch } from '../core/cards/card-query.ts';
import { DomainError } from '../core/errors.ts';
import type { AddressBook } from '../core/types.ts';
import type { DavRequest } from './context.ts';
import { DavPrecondition } from './errors.ts';
import { propResponse, statusResponse } from './multistatus.ts';
import { bookHref, cardHref } from './paths.ts';
import { namedProps, sendMultistatus } from './propfind.ts';
import { valuesOf } from './properties.ts';
import { carddav, child, childrenNamed, dav, element, type XmlElement } from './xml.ts';

/** A query answers at most this many cards, whatever limit the client asks (more: 507, per RFC 6352 §8.6.1). */
const MAX_RESULTS = 1000;

/**
 * addressbook-query (RFC 6352 §8.6): the book's cards passing the filter, at most `limit`; when
 * more match, a 507 response for the book says the answer was cut (§8.6.1).
 */
export async function reportQuery(r: DavRequest, book: AddressBook, root: XmlElement, reply: FastifyReply) {
  const prop = child(root, dav('prop'));
  const asked = prop ? namedProps(prop) : { kind: 'allprop' as const };
  const query = queryOf(child(root, carddav('filter')));
  const limit = Math.min(limitOf(root), MAX_RESULTS);
  const { entries, truncated } = await r.services.cards.query(r.principal, book.id, query, limit);
  async function* responses() {
    for (const entry of entries) yield propResponse(cardHref(book.id, entry.card?.name ?? entry.contact.id), await valuesOf({ kind: 'card', entry }, asked, r));
    if (truncated) {
      yield statusResponse(bookHref(book.id), 507, element(dav('error'), element(dav('number-of-matches-within-limits'))) + element(dav('responsedescription'), `Only ${entries.length} matching cards were returned`));
    }
  }
  return sendMultistatus(reply, responses());
}

function limitOf(root: XmlElement): number {
  const text = child(child(root, carddav('limit')), carddav('nresults'))?.text.trim();
  if (text === undefined) return MAX_RESULTS;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw new DomainError('validation_failed', 'CARDDAV:nresults must be a positive whole number');
  return Number(text);
}

function queryOf(filter: XmlElement | undefined): CardQuery {
  if (!filter) return { test: 'anyof', filters: [] };
  return { test: testOf(filter), filters: childrenNamed(filter, carddav('prop-filter')).map(propFilterOf) };
}

function propFilterOf(element: XmlElement): PropFilter {
  const name = element.attrs.name?.trim();
  if (!name) throw new DomainError('validation_failed', 'a CARDDAV:prop-filter needs a name');
  if (child(element, carddav('param-filter'))) throw new DavPrecondition(403, carddav('supported-filter'), 'param-filter is not supported');
  return {
    name: name.toUpperCase(),
    test: testOf(element),
    isNotDefined: child(element, carddav('is-not-defined')) !== undefined,
    textMatches: childrenNamed(element, carddav('text-match')).map(textMatchOf),
  };
}

function textMatchOf(element: XmlElement): TextMatch {
  const collation = (element.attrs.collation ?? 'i;unicode-casemap') as Collation;
  if (!COLLATIONS.includes(collation)) throw new DavPrecondition(403, carddav('supported-collation'), `collation ${collation} is not supported`);
  const matchType = (element.attrs['match-type'] ?? 'contains') as MatchType;
  if (!MATCH_TYPES.includes(matchType)) throw new DomainError('validation_failed', `match-type ${matchType} is not one of ${MATCH_TYPES.join(', ')}`);
  const negate = element.attrs['negate-condition'];
  return { text: element.text.trim(), collation, matchType, negate: negate === 'yes' };
}

function testOf(element: XmlElement): 'anyof' | 'allof' {
  return element.attrs.test === 'allof' ? 'allof' : 'anyof';
}
