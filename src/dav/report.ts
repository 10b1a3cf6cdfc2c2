import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/errors.ts';
import type { DavRequest } from './context.ts';
import { DavPrecondition } from './errors.ts';
import { reportMultiget } from './report-multiget.ts';
import { reportQuery } from './report-query.ts';
import { reportSync } from './report-sync.ts';
import { carddav, dav, parseXml } from './xml.ts';

/** REPORT on an address book: multiget, query or sync-collection, by the body's root element. */
export async function reportOnBook(r: DavRequest, request: FastifyRequest<{ Params: { bookId: string } }>, reply: FastifyReply) {
  if (typeof request.body !== 'string' || request.body.trim() === '') throw new DomainError('validation_failed', 'a REPORT needs an XML body');
  const root = parseXml(request.body);
  const book = await r.services.cards.book(r.principal, request.params.bookId);
  switch (root.name) {
    case carddav('addressbook-multiget'):
      return reportMultiget(r, book, root, reply);
    case carddav('addressbook-query'):
      return reportQuery(r, book, root, reply);
    case dav('sync-collection'):
      return reportSync(r, book, root, reply);
  }
  // RFC 3253 §3.6: a report the resource does not support.
  throw new DavPrecondition(403, dav('supported-report'), `REPORT ${root.name} is not supported here`);
}
