import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { isUnavailable } from '../../core/errors.ts';
import type { Services } from '../../core/services.ts';
import type { ContactInput } from '../../core/types.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import { contactContext, ZOOM_REQUIRES } from './contact.routes.ts';
import { BatchAnswer, BatchCreateBody, BatchDeleteBody, BatchPatchBody, ContactCreateBody, ContactPatchBody } from './contact-schemas.ts';
import { ZOOM, failureOf } from './errors.ts';
import { contactInputOf } from './mapping.ts';
import { BookParams, errors, noContent, security, tags } from './schemas.ts';
import { Type } from 'typebox';

const write = { platformScope: 'contacts:write' as const };
const base = '/contact_center/address_books/:addressBookId/contacts/batch';

type ItemResult = Record<string, unknown>;

/** Each batch item is checked on its own against the single-item body, so one bad item fails alone. */
const ajv = new Ajv.default({ allErrors: true, strict: false, coerceTypes: false });
addFormats.default(ajv);
const checkCreate = ajv.compile(ContactCreateBody as TSchema);
const checkPatch = ajv.compile(Type.Object({ ...ContactPatchBody.properties, contact_id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }) as TSchema);

function invalidItem(validate: ValidateFunction): ItemResult {
  return { code: ZOOM.invalidField, message: `Invalid field. ${fieldErrorsOf(validate.errors ?? []).map((f) => `${f.path} ${f.message}`).join('; ')}` };
}

/** An item's failure; a server error fails the request, except the database going away once items were written (503 for this item). */
function failed(error: unknown): ItemResult {
  const { status, code, message } = failureOf(error);
  if (status >= 500 && status !== 503) throw error;
  return { code, message };
}

/**
 * Batch writes of a book's contacts (Zoom changelog; README Decision): POST and PATCH answer one
 * entry per item (the contact, or `{code, message}`); DELETE removes every id or none.
 */
export function registerZoomBatchRoutes(scope: FastifyInstance, services: Services): void {
  const { contacts } = services;
  const context = contactContext(services);
  const region = services.customFields.region;

  scope.post(base, {
    config: write,
    schema: {
      tags, security, summary: 'Create contacts in a batch (Zoom)', description: 'Up to 300 create bodies; each item succeeds or fails on its own.',
      params: BookParams, body: BatchCreateBody, response: { 200: { ...BatchAnswer, description: 'One entry per item, in order.' }, ...errors(404) },
    },
  }, async (request) => {
    const book = await context.book(request.principal, (request.params as Static<typeof BookParams>).addressBookId);
    const fields = await context.fields(request.principal);
    const items = (request.body as Static<typeof BatchCreateBody>).contacts;
    const results: ItemResult[] = new Array(items.length);
    const inputs: { slot: number; input: ContactInput }[] = [];
    items.forEach((item, slot) => {
      if (!checkCreate(item)) return (results[slot] = invalidItem(checkCreate));
      try {
        inputs.push({ slot, input: { ...contactInputOf(item as Static<typeof ContactCreateBody>, fields, region), address_book_id: book.id } });
      } catch (error) {
        results[slot] = failed(error);
      }
    });
    const outcomes = await contacts.createMany(request.principal, inputs.map((i) => i.input), { requires: ZOOM_REQUIRES });
    outcomes.forEach((outcome, i) => {
      results[inputs[i]!.slot] = 'error' in outcome ? failed(outcome.error) : context.wire(request, outcome.contact, book, fields);
    });
    return { contacts: results };
  });

  scope.patch(base, {
    config: write,
    schema: {
      tags, security, summary: 'Update contacts in a batch (Zoom)', description: 'Up to 300 PATCH bodies, each with its `contact_id`; each item succeeds or fails on its own.',
      params: BookParams, body: BatchPatchBody, response: { 200: { ...BatchAnswer, description: 'One entry per item, in order: the contact as changed, or why not.' }, ...errors(404) },
    },
  }, async (request) => {
    const book = await context.book(request.principal, (request.params as Static<typeof BookParams>).addressBookId);
    const fields = await context.fields(request.principal);
    const results: ItemResult[] = [];
    let written = false;
    for (const item of (request.body as Static<typeof BatchPatchBody>).contacts) {
      if (!checkPatch(item)) {
        results.push(invalidItem(checkPatch));
        continue;
      }
      const { contact_id: id, ...body } = item as Static<typeof ContactPatchBody> & { contact_id: string };
      try {
        const current = await context.contactInBook(request.principal, book, id);
        const changed = await contacts.patch(request.principal, current.id, contactInputOf(body, fields, region, current), undefined, { requires: ZOOM_REQUIRES });
        results.push(context.wire(request, changed, book, fields));
        written = true;
      } catch (error) {
        // The database away before anything was written: the request fails whole (503).
        if (isUnavailable(error) && !written) throw error;
        results.push(failed(error));
      }
    }
    return { contacts: results };
  });

  scope.delete(base, {
    config: write,
    schema: {
      tags, security, summary: 'Delete contacts in a batch (Zoom)', description: 'Up to 300 ids of this book: all are deleted, or (one unknown: 404, code 2101) none.',
      params: BookParams, body: BatchDeleteBody, response: { ...noContent('Contacts deleted.'), ...errors(404) },
    },
  }, async (request, reply) => {
    const book = await context.book(request.principal, (request.params as Static<typeof BookParams>).addressBookId);
    await contacts.deleteMany(request.principal, (request.body as Static<typeof BatchDeleteBody>).contact_ids, book.id);
    return reply.status(204).send();
  });
}
