import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors.ts';
import type { HttpContext } from '../http/context.ts';
import { registerDavAuth } from './auth.ts';
import { DavRequest } from './context.ts';
import { sendDavError } from './errors.ts';
import { cardNameOf, ROOT } from './paths.ts';
import { propfindBook, propfindCard, propfindHome, propfindPrincipal, propfindRoot } from './propfind.ts';
import { reportOnBook } from './report.ts';
import { deleteCard, getCard, putCard } from './resource.ts';

/** A card may hold a 1 MB PHOTO, base64 (4/3) and folded: room for that and the rest. */
const CARD_BODY_LIMIT = 2 * 1024 * 1024;

/** CardDAV is not an OpenAPI surface: its routes stay out of /openapi.json (the README documents them). */
const HIDDEN = { hide: true };

const DAV_HEADER = '1, 3, addressbook';
const COLLECTION_METHODS = 'OPTIONS, PROPFIND, REPORT';
const CARD_METHODS = 'OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND';

type Handler<P = Record<string, string>> = (r: DavRequest, request: FastifyRequest<{ Params: P }>, reply: FastifyReply) => Promise<unknown>;
type CardHandler = (r: DavRequest, request: FastifyRequest<{ Params: { bookId: string; card: string } }>, reply: FastifyReply, name: string) => Promise<unknown>;

/**
 * CardDAV (RFC 6352, 6578, 6764) under /dav: an adapter over the core's CardService, beside /v1
 * and the dialects. Discovery (well-known, principal, home), one collection per address book, one
 * resource per contact, and the three REPORTs.
 */
export async function registerDav(context: HttpContext, defaultRegion: string): Promise<void> {
  const { app, services } = context;
  app.addHttpMethod('PROPFIND', { hasBody: true });
  app.addHttpMethod('REPORT', { hasBody: true });
  app.addHttpMethod('PROPPATCH', { hasBody: true });
  app.addHttpMethod('MKCOL', { hasBody: true });

  // RFC 6764 §5: the well-known URI redirects to the context path (some clients PROPFIND it, with a body).
  await app.register(async (scope) => {
    acceptAnyBody(scope);
    for (const method of ['GET', 'PROPFIND']) {
      scope.route({ method, url: '/.well-known/carddav', schema: HIDDEN, handler: async (_request, reply) => reply.code(301).header('location', ROOT).send() });
    }
  });

  await app.register(async (scope) => {
    acceptAnyBody(scope);
    registerDavAuth(scope, services.accounts);
    scope.setErrorHandler((error, request, reply) => sendDavError(error, request, reply));
    scope.setNotFoundHandler((request, reply) => sendDavError(new DomainError('not_found', `no resource at ${request.url.split('?')[0]}`), request, reply));

    const on = <P>(method: string, urls: string[], handler: Handler<P>) => {
      for (const url of urls) scope.route<{ Params: P }>({ method, url, schema: HIDDEN, handler: (request, reply) => handler(DavRequest.of(request, services, defaultRegion), request, reply) });
    };
    const onCard = (method: string, handler: CardHandler) =>
      on<{ bookId: string; card: string }>(method, ['/books/:bookId/:card'], async (r, request, reply) => {
        const name = cardNameOf(request.params.card);
        if (name === null) throw new DomainError('not_found', 'card resources are named <name>.vcf');
        return handler(r, request, reply, name);
      });

    scope.route({ method: 'OPTIONS', url: '/*', schema: HIDDEN, handler: async (request, reply) => options(request, reply) });
    scope.route({ method: 'OPTIONS', url: '/', schema: HIDDEN, handler: async (request, reply) => options(request, reply) });
    on('PROPFIND', ['/'], propfindRoot);
    on('PROPFIND', ['/principal/', '/principal'], propfindPrincipal);
    on('PROPFIND', ['/books/', '/books'], propfindHome);
    on<{ bookId: string }>('PROPFIND', ['/books/:bookId/', '/books/:bookId'], propfindBook);
    on<{ bookId: string }>('REPORT', ['/books/:bookId/', '/books/:bookId'], reportOnBook);
    onCard('PROPFIND', propfindCard);
    onCard('GET', getCard);
    onCard('PUT', putCard);
    onCard('DELETE', deleteCard);
    // No property can be set and no collection made by a client: address books are made through /v1.
    for (const method of ['PROPPATCH', 'MKCOL']) {
      scope.route({ method, url: '/*', schema: HIDDEN, handler: async () => { throw new DomainError('forbidden', 'address books and their properties are managed through the /v1 API'); } });
    }
  }, { prefix: '/dav' });
}

/** Bodies are read as text whatever their type (XML as application/xml or text/xml, cards as text/vcard, or none named). */
function acceptAnyBody(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: CARD_BODY_LIMIT }, (_request, body, done) => done(null, body));
}

/** OPTIONS: what the server speaks (RFC 6352 §6.1), without credentials. */
function options(request: FastifyRequest, reply: FastifyReply) {
  const isCard = /\.vcf$/i.test(request.url.split('?')[0]!);
  return reply.code(200).header('dav', DAV_HEADER).header('allow', isCard ? CARD_METHODS : COLLECTION_METHODS).header('content-length', '0').send();
}
