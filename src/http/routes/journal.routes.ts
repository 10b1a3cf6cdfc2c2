import { Type } from 'typebox';
import type { HttpContext } from '../context.ts';
import { IdParams, answer, errorResponses } from '../schemas/common.ts';
import { ChangeFeedQuery, HistoryQuery } from '../schemas/journal.schema.ts';

const read = { scope: 'contacts:read' as const };

/** The change journal: a contact's history and the account's feed (core/journal). */
export function registerJournalRoutes({ app, services }: HttpContext): void {
  app.get('/v1/contacts/:id/history', {
    config: read,
    schema: {
      tags: ['Contacts'], summary: 'A contact\'s history',
      description: 'Every change of the contact, newest first: who, through which API, when, and each field before and after. Readable for deleted, merged and purged contacts too (a purged one\'s changes keep no personal data).',
      params: IdParams, querystring: HistoryQuery,
      response: { 200: answer(Type.Ref('ChangeHistoryPage'), 'A page of changes, newest first.'), ...errorResponses(404) },
    },
  }, async (request) => {
    const { limit = 50, cursor } = request.query as { limit?: number; cursor?: string };
    const page = await services.journal.history(request.principal, (request.params as { id: string }).id, limit, cursor);
    return { data: page.items, next_cursor: page.nextCursor };
  });

  app.get('/v1/changes', {
    config: read,
    schema: {
      tags: ['Changes'], summary: 'The account\'s change feed',
      description:
        'Every change of the account, oldest first, in commit order: a consumer that follows `next_cursor` sees each change exactly once, whichever node wrote it. ' +
        'Keys without the admin scope see contact changes only.',
      querystring: ChangeFeedQuery,
      response: { 200: answer(Type.Ref('ChangeFeedPage'), 'A page of the feed.'), ...errorResponses() },
    },
  }, async (request) => {
    const { after, limit = 100, types } = request.query as { after?: string; limit?: number; types?: string };
    const page = await services.journal.feed(request.principal, { ...(after === undefined ? {} : { after }), limit, ...(types === undefined ? {} : { types: [types] }) });
    return { data: page.items, next_cursor: page.nextCursor, has_more: page.hasMore };
  });
}
