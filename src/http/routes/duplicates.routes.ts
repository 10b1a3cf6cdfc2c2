import { Type } from 'typebox';
import type { HttpContext } from '../context.ts';
import { answer, errorResponses } from '../schemas/common.ts';
import { DuplicateQuery } from '../schemas/duplicate.schema.ts';

/** Candidate duplicates for a person to review and merge (core/duplicates). */
export function registerDuplicateRoutes({ app, services }: HttpContext): void {
  app.get('/v1/duplicates', {
    config: { scope: 'contacts:read' },
    schema: {
      tags: ['Contacts'], summary: 'Candidate duplicates',
      description: 'Pairs of live contacts that share a phone, an email, or the same display name and company. Nothing is merged: a person reviews each pair and merges with `POST /v1/contacts/{id}/merge`.',
      querystring: DuplicateQuery,
      response: { 200: answer(Type.Ref('DuplicatePage'), 'A page of pairs.'), ...errorResponses() },
    },
  }, async (request) => {
    const { limit = 50, cursor, address_book_id } = request.query as { limit?: number; cursor?: string; address_book_id?: string };
    const page = await services.duplicates.list(request.principal, address_book_id === undefined ? {} : { addressBookId: address_book_id }, limit, cursor);
    return { data: page.items, next_cursor: page.nextCursor };
  });
}
