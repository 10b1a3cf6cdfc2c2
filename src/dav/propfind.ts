import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors.ts';
import type { CardFormat } from './cards.ts';
import type { DavRequest } from './context.ts';
import { MULTISTATUS_CLOSE, MULTISTATUS_OPEN, XML_TYPE, propResponse } from './multistatus.ts';
import { HOME, PRINCIPAL, ROOT, bookHref, cardHref } from './paths.ts';
import { valuesOf, type PropRequest, type Resource } from './properties.ts';
import { carddav, child, dav, parseXml, type XmlElement } from './xml.ts';

/** A PROPFIND body: none or allprop means every property (RFC 4918 §9.1). */
export function propRequestOf(body: unknown): PropRequest {
  if (typeof body !== 'string' || body.trim() === '') return { kind: 'allprop' };
  const root = parseXml(body);
  if (root.name !== dav('propfind')) throw new DomainError('validation_failed', 'a PROPFIND body is a DAV:propfind element');
  if (child(root, dav('propname'))) return { kind: 'propname' };
  const prop = child(root, dav('prop'));
  return prop ? namedProps(prop) : { kind: 'allprop' };
}

/** The properties a DAV:prop element names, with the card format address-data asks for. */
export function namedProps(prop: XmlElement): PropRequest {
  const addressData = child(prop, carddav('address-data'));
  const format = addressData ? addressDataFormat(addressData) : undefined;
  return { kind: 'prop', names: prop.children.map((c) => c.name), ...(format ? { addressData: format } : {}) };
}

/**
 * `<C:address-data content-type="text/vcard" version="4.0">`: the format of the cards in the
 * answer. Asking for a few properties (`<C:prop name="FN"/>`) is allowed to return the whole card
 * (RFC 6352 §10.4), which is what is done.
 */
function addressDataFormat(element: XmlElement): CardFormat {
  const type = (element.attrs['content-type'] ?? 'text/vcard').toLowerCase();
  if (type === 'application/vcard+json') return { type: 'jcard' };
  if (type !== 'text/vcard') throw new DomainError('validation_failed', `address-data content-type ${type} is not supported; use text/vcard or application/vcard+json`);
  return { type: 'vcard', version: element.attrs.version === '4.0' ? '4.0' : '3.0' };
}

/** Depth 0 or 1; infinity (the default) is answered as 1: no collection here holds collections that hold cards. */
export function depthOf(request: FastifyRequest): 0 | 1 {
  const depth = String(request.headers.depth ?? 'infinity').trim().toLowerCase();
  return depth === '0' ? 0 : 1;
}

/** Sends a multistatus whose responses come from an async source, a page at a time. */
export function sendMultistatus(reply: FastifyReply, responses: AsyncIterable<string>, prefix = ''): FastifyReply {
  async function* body() {
    yield MULTISTATUS_OPEN + prefix;
    for await (const response of responses) yield response;
    yield MULTISTATUS_CLOSE;
  }
  return reply.code(207).type(XML_TYPE).send(Readable.from(body()));
}

async function* responsesOf(r: DavRequest, asked: PropRequest, resources: AsyncIterable<[string, Resource]> | [string, Resource][]): AsyncGenerator<string> {
  for await (const [href, resource] of resources) yield propResponse(href, await valuesOf(resource, asked, r), asked.kind === 'propname');
}

/** PROPFIND on /dav/: the service root, where discovery finds the principal. */
export async function propfindRoot(r: DavRequest, request: FastifyRequest, reply: FastifyReply) {
  const asked = propRequestOf(request.body);
  const resources: [string, Resource][] = [[ROOT, { kind: 'root' }]];
  if (depthOf(request) === 1) resources.push([PRINCIPAL, await principalOf(r)], [HOME, { kind: 'home' }]);
  return sendMultistatus(reply, responsesOf(r, asked, resources));
}

export async function propfindPrincipal(r: DavRequest, request: FastifyRequest, reply: FastifyReply) {
  return sendMultistatus(reply, responsesOf(r, propRequestOf(request.body), [[PRINCIPAL, await principalOf(r)]]));
}

/** PROPFIND on the home: Depth 1 lists one collection per address book of the account. */
export async function propfindHome(r: DavRequest, request: FastifyRequest, reply: FastifyReply) {
  const asked = propRequestOf(request.body);
  const resources: [string, Resource][] = [[HOME, { kind: 'home' }]];
  if (depthOf(request) === 1) for (const book of await r.services.cards.books(r.principal)) resources.push([bookHref(book.id), { kind: 'book', book }]);
  return sendMultistatus(reply, responsesOf(r, asked, resources));
}

/** PROPFIND on a book: Depth 1 streams its cards page by page from the store. */
export async function propfindBook(r: DavRequest, request: FastifyRequest<{ Params: { bookId: string } }>, reply: FastifyReply) {
  const asked = propRequestOf(request.body);
  const book = await r.services.cards.book(r.principal, request.params.bookId);
  async function* resources(): AsyncGenerator<[string, Resource]> {
    yield [bookHref(book.id), { kind: 'book', book }];
    if (depthOf(request) === 0) return;
    for await (const page of r.services.cards.members(r.principal, book.id)) {
      for (const entry of page) yield [cardHref(book.id, entry.card?.name ?? entry.contact.id), { kind: 'card', entry }];
    }
  }
  // The first page is read before answering, so that a failure there is still a clean error.
  const iterator = responsesOf(r, asked, resources());
  const first = await iterator.next();
  return sendMultistatus(reply, (async function* () {
    if (!first.done) yield first.value;
    yield* iterator;
  })());
}

export async function propfindCard(r: DavRequest, request: FastifyRequest<{ Params: { bookId: string; card: string } }>, reply: FastifyReply, name: string) {
  const entry = await r.services.cards.find(r.principal, request.params.bookId, name);
  if (!entry) throw new DomainError('contact_not_found', `no card ${name}.vcf in this address book`);
  return sendMultistatus(reply, responsesOf(r, propRequestOf(request.body), [[cardHref(request.params.bookId, name), { kind: 'card', entry }]]));
}

async function principalOf(r: DavRequest): Promise<Resource> {
  return { kind: 'principal', displayName: await r.services.cards.accountName(r.principal) };
}
