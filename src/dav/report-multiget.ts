import type { FastifyReply } from 'fastify';
import type { AddressBook } from '../core/types.ts';
import { DomainError } from '../core/errors.ts';
import type { DavRequest } from './context.ts';
import { propResponse, statusResponse } from './multistatus.ts';
import { cardHref, cardNameInBook } from './paths.ts';
import { namedProps, sendMultistatus } from './propfind.ts';
import { valuesOf } from './properties.ts';
import { child, childrenNamed, dav, type XmlElement } from './xml.ts';

/** At most this many hrefs per multiget: clients ask in batches (iOS 50, DAVx5 10). */
const MAX_HREFS = 1000;
const BATCH = 200;

/**
 * addressbook-multiget (RFC 6352 §8.7): the asked cards of the book, each with the asked
 * properties; an href that names no card of the book is a 404 response of its own.
 */
export async function reportMultiget(r: DavRequest, book: AddressBook, root: XmlElement, reply: FastifyReply) {
  const prop = child(root, dav('prop'));
  const asked = prop ? namedProps(prop) : { kind: 'allprop' as const };
  const hrefs = childrenNamed(root, dav('href')).map((h) => h.text.trim());
  if (hrefs.length > MAX_HREFS) throw new DomainError('validation_failed', `a multiget asks for at most ${MAX_HREFS} cards`);
  async function* responses() {
    for (let start = 0; start < hrefs.length; start += BATCH) {
      const batch = hrefs.slice(start, start + BATCH);
      const names = batch.map((href) => cardNameInBook(href, book.id));
      const found = await r.services.cards.findByNames(r.principal, book.id, names.filter((n): n is string => n !== null));
      for (const [i, href] of batch.entries()) {
        const entry = names[i] === null ? undefined : found.get(names[i]!);
        if (!entry) yield statusResponse(href, 404);
        else yield propResponse(cardHref(book.id, names[i]!), await valuesOf({ kind: 'card', entry }, asked, r));
      }
    }
  }
  return sendMultistatus(reply, responses());
}
