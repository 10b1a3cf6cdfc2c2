import { Type } from 'typebox';
import { BULK_CHUNK, type BulkRequest, type BulkAction } from '../../core/contacts/contact-bulk.service.ts';
import type { HttpContext } from '../context.ts';
import { problemOf } from '../problems.ts';
import { answer, errorResponses } from '../schemas/common.ts';
import { contactQueryOf } from './contacts.routes.ts';

interface BulkBody {
  action: BulkAction;
  filter?: Record<string, string>;
  ids?: string[];
  group_id?: string;
  cursor?: string;
  limit?: number;
}

/** `POST /v1/contacts/bulk`: the console's bulk bar, and any client's "all matching the filter". */
export function registerContactBulkRoutes({ app, services }: HttpContext): void {
  app.post('/v1/contacts/bulk', {
    config: { scope: 'contacts:write' as const },
    schema: {
      tags: ['Contacts'],
      summary: 'One action on every contact matching a filter, or on listed ones',
      description:
        'Adds to or removes from a group, moves to the block list, or deletes: the contacts named by `ids`, or every live contact matching `filter`. ' +
        `The work is done ${BULK_CHUNK} contacts per transaction, through the same rules as single writes: each contact changed has its own journal entry and webhook event, ` +
        'and a contact refused does not stop the others (`failed`, `errors`).\n\n' +
        'A filter is paged in creation order, as `GET /v1/contacts` pages it. A request takes up to `limit` contacts and starts no new chunk after about 10 seconds; ' +
        'while `next_cursor` is not null, send the same request with it as `cursor`. The run covers the contacts that existed when its first request started ' +
        '(contacts created later are left out); each request reads its pages from one snapshot, so a contact is taken if it matched the filter as that request started. ' +
        'Chunks already done stay done if a later one fails (503): every action is idempotent, so sending the request again finishes the work.',
      body: Type.Ref('ContactBulkRequest'),
      response: { 200: answer(Type.Ref('ContactBulkResult'), 'What was done.'), ...errorResponses() },
    },
  }, async (request) => {
    const body = request.body as BulkBody;
    const bulk: BulkRequest = { action: body.action };
    if (body.filter !== undefined) {
      const { addressBookId, groupId, type, q, updatedSince } = contactQueryOf(body.filter);
      bulk.filter = { addressBookId, groupId, type, q, updatedSince };
    }
    if (body.ids !== undefined) bulk.ids = body.ids;
    if (body.group_id !== undefined) bulk.groupId = body.group_id;
    if (body.cursor !== undefined) bulk.cursor = body.cursor;
    if (body.limit !== undefined) bulk.limit = body.limit;
    const result = await services.contactBulk.apply(request.principal, bulk);
    return {
      action: result.action,
      matched: result.matched,
      changed: result.changed,
      failed: result.failed,
      group_id: result.groupId,
      errors: result.errors.map((f) => ({ contact_id: f.contactId, error: problemOf(f.error, request.id) })),
      next_cursor: result.nextCursor,
    };
  });
}
