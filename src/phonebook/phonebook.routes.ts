import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeCursor, encodeCursor } from '../core/cursor.ts';
import { DomainError } from '../core/errors.ts';
import type { AddressBook, Contact, Principal } from '../core/types.ts';
import { identifyBasicOrBearer } from '../dialects/shared/credentials.ts';
import type { HttpContext } from '../http/context.ts';
import { entryOf } from './entries.ts';
import { CISCO_PAGE_ENTRIES, VENDORS, ciscoName, ciscoPage, type StreamedVendor } from './vendors.ts';

/** Contacts read from the store at a time: memory stays flat however large the book. */
const READ_PAGE = 500;
const FILE = /^(yealink|grandstream|cisco|snom)\.xml$/;

/**
 * `GET /phonebook/{vendor}.xml?book=ID`: the book as a desk phone's XML directory. Phones send
 * HTTP Basic (account id as user name, an API key as password); Bearer works too. A phone only
 * reads, so `contacts:read` is enough. Snom phones fetch their remote directory with POST: it is
 * answered the same way, its body ignored.
 */
export function registerPhonebookRoutes({ app, services }: HttpContext): void {
  void app.register(async (scope) => {
    // Phones answer a Basic challenge with the user and password they were given; the problem
    // handler's default challenge is Bearer, so every 401 here is rewritten, whichever path sent it.
    scope.addHook('onSend', async (_request, reply) => {
      if (reply.statusCode === 401) reply.header('www-authenticate', 'Basic realm="contactd"');
    });
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_request, _body, done) => done(null, undefined));
    scope.route({ method: ['GET', 'POST'], url: '/phonebook/:file', schema: { hide: true }, handler: async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const vendor = FILE.exec((request.params as { file: string }).file)?.[1];
      return answer(request, reply, vendor, typeof query.book === 'string' && query.book !== '' ? query.book : undefined);
    } });
    // Grandstream phones take a server path and fetch `phonebook.xml` under it: the book goes in the path.
    scope.get('/phonebook/grandstream/phonebook.xml', { schema: { hide: true } }, (request, reply) => answer(request, reply, 'grandstream', undefined));
    scope.get('/phonebook/grandstream/:book/phonebook.xml', { schema: { hide: true } }, (request, reply) => answer(request, reply, 'grandstream', (request.params as { book: string }).book));
  });

  async function answer(request: FastifyRequest, reply: FastifyReply, vendor: string | undefined, bookId: string | undefined) {
    const principal = await authenticate(request, reply);
    if (vendor === undefined) throw new DomainError('not_found', 'phone books are yealink.xml, grandstream.xml, cisco.xml and snom.xml');
    const book = await services.addressBooks.getOrDefault(principal, bookId);
    reply.header('cache-control', 'no-store').type('application/xml; charset=utf-8');
    const after = (request.query as Record<string, unknown>).after;
    if (vendor === 'cisco') return ciscoAnswer(request, principal, book, typeof after === 'string' ? after : undefined);
    const first = await readPage(principal, book, undefined);
    return reply.send(Readable.from(streamBook(VENDORS[vendor as StreamedVendor], book, principal, first)));
  }

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const caller = await identifyBasicOrBearer(request, services.accounts, 'contacts:read');
    const known = caller.principal ?? caller.refusal.caller;
    if (known) await app.rateLimiter?.enforce(known, reply);
    if (caller.refusal) {
      throw new DomainError(caller.refusal.status === 401 ? 'unauthorized' : 'forbidden', caller.refusal.message);
    }
    return { ...caller.principal, requestId: request.id };
  }

  function readPage(principal: Principal, book: AddressBook, cursor: string | undefined) {
    return services.contacts.list(principal, { addressBookId: book.id }, READ_PAGE, cursor);
  }

  async function* streamBook(format: (typeof VENDORS)[StreamedVendor], book: AddressBook, principal: Principal, first: { items: Contact[]; nextCursor: string | null }) {
    yield format.open(book.name);
    let page = first;
    for (;;) {
      const chunk = page.items.map(entryOf).filter((e) => e !== null).map(format.entry).join('');
      if (chunk !== '') yield chunk;
      if (page.nextCursor === null) break;
      page = await readPage(principal, book, page.nextCursor);
    }
    yield format.close();
  }

  /**
   * One Cisco page: 32 entries at most, one per number. A contact whose numbers do not all fit
   * starts the next page, whose URL the Next soft key holds (absolute: Cisco phones need it).
   */
  async function ciscoAnswer(request: FastifyRequest, principal: Principal, book: AddressBook, after: string | undefined): Promise<string> {
    const entries: { name: string; number: string }[] = [];
    const listAfter = (seq: number | undefined, limit: number) => services.contacts.list(principal, { addressBookId: book.id }, limit, seq === undefined ? undefined : encodeCursor(seq));
    let afterSeq = decodeCursor(after);
    let full = false;
    let exhausted = false;
    while (!full && !exhausted) {
      const page = await listAfter(afterSeq, READ_PAGE);
      for (const contact of page.items) {
        const entry = entryOf(contact);
        const numbers = entry?.numbers ?? [];
        if (entries.length > 0 && entries.length + numbers.length > CISCO_PAGE_ENTRIES) {
          full = true;
          break;
        }
        // A contact with more numbers than a page holds shows its first 32.
        for (const n of numbers.slice(0, CISCO_PAGE_ENTRIES)) entries.push({ name: ciscoName(entry!.name, n.label), number: n.number });
        afterSeq = contact.seq;
        if (entries.length >= CISCO_PAGE_ENTRIES) {
          full = true;
          break;
        }
      }
      if (!full && page.nextCursor === null) exhausted = true;
    }
    const more = full && (await listAfter(afterSeq, 1)).items.length > 0;
    const next = more ? `${originOf(request)}/phonebook/cisco.xml?book=${encodeURIComponent(book.id)}&after=${encodeCursor(afterSeq ?? 0)}` : null;
    return ciscoPage(book.name, 'Select a number', entries, next);
  }
}

/**
 * Where the phone reached us, for the absolute URL Cisco's Next soft key needs: behind a TLS proxy
 * its X-Forwarded-Proto/-Host. Trusting them is harmless here: the URL goes back to the same
 * caller, in an answer no cache keeps.
 */
function originOf(request: FastifyRequest): string {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  const proto = first(request.headers['x-forwarded-proto']);
  const host = first(request.headers['x-forwarded-host']);
  const safeProto = proto === 'https' || proto === 'http' ? proto : request.protocol;
  const safeHost = host !== undefined && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? host : request.host;
  return `${safeProto}://${safeHost}`;
}
