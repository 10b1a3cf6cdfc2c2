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
  const format = formatOf(request.headers.accept);
  const body = renderCard(entry, await r.cardsContext(), format);
  return reply.code(200).type(mediaTypeOf(format)).header('etag', etagOf(entry.contact.version)).header('last-modified', new Date(entry.contact.updated_at).toUTCString()).send(body);
}

/**
 * PUT: creates the card under the name the client chose (201) or replaces it (204), each with
 * the new ETag. If-Match and If-None-Match: * are honoured (412); the book's duplicate policy
 * applies (a refusal is a 409 saying which contact holds the number or email).
 */
export async function putCard(r: DavRequest, request: CardRequest, reply: FastifyReply, name: string) {
  if (typeof request.body !== 'string' || request.body.trim() === '') throw new DomainError('validation_failed', 'a PUT body is one vCard');
  const write = readCard(request.body, await r.cardsContext());
  const { entry, created } = await r.services.cards.put(r.principal, request.params.bookId, name, write, conditionsOf(request));
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
