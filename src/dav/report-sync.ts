import type { FastifyReply } from 'fastify';
import type { AddressBook } from '../core/types.ts';
import { DomainError } from '../core/errors.ts';
import type { DavRequest } from './context.ts';
import { DavPrecondition } from './errors.ts';
import { propResponse, statusResponse } from './multistatus.ts';
import { bookHref, cardHref, SYNC_TOKEN_PREFIX } from './paths.ts';
import { namedProps, sendMultistatus } from './propfind.ts';
import { valuesOf } from './properties.ts';
import { child, dav, element, escapeXml, type XmlElement } from './xml.ts';

/** A token is the journal position and, for an initial sync cut by `limit`, the last card listed. */
const TOKEN = /^(\d{1,15})(?:-(\d{1,15}))?$/;

/**
 * sync-collection (RFC 6578). An empty token lists every member (page by page from the store) and
 * gives the journal's position as the token; a later token lists what the journal holds for this
 * book since then: members changed (with the asked properties) and members gone (404). With
 * `limit`, an answer that is cut carries a 507 for the book and a token to continue from.
 */
export async function reportSync(r: DavRequest, book: AddressBook, root: XmlElement, reply: FastifyReply) {
  const prop = child(root, dav('prop'));
  const asked = prop ? namedProps(prop) : { kind: 'prop' as const, names: [dav('getetag')] };
  const level = child(root, dav('sync-level'))?.text.trim() ?? '1';
  if (level !== '1' && level !== 'infinite') throw new DomainError('validation_failed', 'DAV:sync-level is 1 or infinite');
  const limit = limitOf(root);
  const token = tokenOf(child(root, dav('sync-token'))?.text.trim() ?? '');
  const truncatedAt = (href: string) => statusResponse(href, 507, element(dav('error'), element(dav('number-of-matches-within-limits'))));
  const cardOf = async (entry: Parameters<typeof valuesOf>[0] & { kind: 'card' }) => propResponse(cardHref(book.id, entry.entry.card?.name ?? entry.entry.contact.id), await valuesOf(entry, asked, r));

  // A continued initial listing keeps its position: the changes after it are the next sync's.
  if (!token || token.afterSeq !== undefined) {
    const latest = await r.syncPosition();
    if (token && token.position > latest) throw invalidToken();
    const position = token?.position ?? latest;
    let last = token?.afterSeq;
    let count = 0;
    let cut = false;
    async function* initial() {
      members: for await (const page of r.services.cards.members(r.principal, book.id, 500, token?.afterSeq)) {
        for (const entry of page) {
          if (limit !== undefined && count === limit) {
            cut = true;
            break members;
          }
          count++;
          last = entry.contact.seq;
          yield cardOf({ kind: 'card', entry });
        }
      }
      if (cut) yield truncatedAt(bookHref(book.id));
      yield syncTokenElement(cut ? `${position}-${last}` : `${position}`);
    }
    return sendMultistatus(reply, initial());
  }

  // The journal's end is read with the changes, in one go: a token past it was never ours.
  const changes = await r.services.cards.changes(r.principal, book.id, token.position, limit);
  if (token.position > changes.end) throw invalidToken();
  async function* delta() {
    for (const entry of changes.changed) yield cardOf({ kind: 'card', entry });
    for (const name of changes.removed) yield statusResponse(cardHref(book.id, name), 404);
    if (changes.truncated) yield truncatedAt(bookHref(book.id));
    yield syncTokenElement(`${changes.position}`);
  }
  return sendMultistatus(reply, delta());
}

function syncTokenElement(value: string): string {
  return element(dav('sync-token'), escapeXml(`${SYNC_TOKEN_PREFIX}${value}`));
}

function tokenOf(text: string): { position: number; afterSeq?: number } | null {
  if (text === '') return null;
  const match = text.startsWith(SYNC_TOKEN_PREFIX) ? TOKEN.exec(text.slice(SYNC_TOKEN_PREFIX.length)) : null;
  if (!match) throw invalidToken();
  return { position: Number(match[1]), ...(match[2] === undefined ? {} : { afterSeq: Number(match[2]) }) };
}

/** RFC 6578 §3.2: a token the server cannot use is a 403 with DAV:valid-sync-token; the client starts again. */
function invalidToken(): DavPrecondition {
  return new DavPrecondition(403, dav('valid-sync-token'), 'the sync token is not valid here; sync again from an empty token');
}

function limitOf(root: XmlElement): number | undefined {
  const text = child(child(root, dav('limit')), dav('nresults'))?.text.trim();
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw new DomainError('validation_failed', 'DAV:nresults must be a positive whole number');
  return Number(text);
}

