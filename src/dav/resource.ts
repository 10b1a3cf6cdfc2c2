import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors.ts';
import type { PutConditions } from '../core/cards/card.types.ts';
import { formatOf, mediaTypeOf, readCard, renderCard } from './cards.ts';
import type { DavRequest } from './context.ts';
import { etagOf } from './properties.ts';

type CardRequest = FastifyRequest<{ Params: { bookId: string; card: string } }>;

/** GET (and HEAD): the card as vCard 3.0, 4.0 or jCard, as the Accept header asks. */
export async function getCard(r: DavRequest, request: CardRequest, reply: FastifyReply, name: string) {
  const entry = await r.services.cards.find(r.principal, request.params.bookId, name);
  if (!entry) throw new DomainError('contact_not_found', `no card ${name}.vcf in this address book`);
  const etag = etagOf(entry.contact.version);
  // A client polling a card it holds gets a 304 without the card when nothing changed.
  const seen = header(request, 'if-none-match');
  if (seen !== undefined && seen.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).header('etag', etag).send();
  const format = formatOf(request.headers.accept);
  const body = renderCard(entry, await r.cardsContextFor([entry]), format);
  return reply.code(200).type(mediaTypeOf(format)).header('etag', etag).header('last-modified', new Date(entry.contact.updated_at).toUTCString()).send(body);
}

/**
 * PUT: creates the card under the name the client chose (201) or replaces it (204), each with
 * the new ETag. If-Match and If-None-Match: * are honoured (412); the book's duplicate policy
 * applies (a refusal is a 409 saying which contact holds the number or email).
 */
export async function putCard(r: DavRequest, request: CardRequest, reply: FastifyReply, name: string) {
  if (typeof request.body !== 'string' || request.body.trim() === '') throw new DomainError('validation_failed', 'a PUT body is one vCard');
  const write = readCard(request.body, await r.cardsContext());
  const { entry, created, merged } = await r.services.cards.put(r.principal, request.params.bookId, name, write, conditionsOf(request));
  // Folded into another card by a `merge` book: stored, but not under this name, so no ETag for it (RFC 6352 §6.3.2.3).
  if (merged) return reply.code(201).type('text/plain; charset=utf-8').send(`merged into the card of contact ${entry.contact.id}\n`);
  return reply.code(created ? 201 : 204).header('etag', etagOf(entry.contact.version)).send();
}

/** DELETE: the contact becomes a tombstone (restorable, journalled); If-Match is honoured. */
export async function deleteCard(r: DavRequest, request: CardRequest, reply: FastifyReply, name: string) {
  const { ifMatch } = conditionsOf(request);
  await r.services.cards.delete(r.principal, request.params.bookId, name, ifMatch);
  return reply.code(204).send();
}

/** If-Match (`"3"`, or `*`) and If-None-Match: `*`. An ETag that is not one of ours matches nothing. */
export function conditionsOf(request: FastifyRequest): PutConditions {
  const conditions: PutConditions = {};
  const ifMatch = header(request, 'if-match');
  if (ifMatch === '*') conditions.mustExist = true;
  else if (ifMatch !== undefined) {
    const versions = ifMatch.split(',').map((t) => /^(?:W\/)?"(\d{1,15})"$/.exec(t.trim())?.[1]).filter((v) => v !== undefined);
    conditions.ifMatch = versions.length > 0 ? Number(versions[0]) : -1;
  }
  if (header(request, 'if-none-match') === '*') conditions.ifNoneMatch = true;
  return conditions;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}
