import { Type } from 'typebox';
import { BULK_ACTIONS, MAX_BULK_IDS, MAX_BULK_LIMIT } from '../../core/contacts/contact-bulk.service.ts';
import { Nullable } from './common.ts';
import { ContactListQuery } from './contact.schema.ts';

/** `POST /v1/contacts/bulk`: one action on a filtered set of contacts, or on listed ones. */

export const ContactSetFilter = Type.Object(
  {
    address_book_id: ContactListQuery.properties.address_book_id,
    group_id: ContactListQuery.properties.group_id,
    type: ContactListQuery.properties.type,
    q: ContactListQuery.properties.q,
    updated_since: ContactListQuery.properties.updated_since,
  },
  { $id: 'ContactSetFilter', additionalProperties: false, description: 'The filters of `GET /v1/contacts` that select a set; every given one must hold. `{}` is every live contact of the account.' },
);

export const ContactBulkRequest = Type.Object(
  {
    action: Type.Enum([...BULK_ACTIONS], {
      description: '`add_to_group` and `remove_from_group` (the `group_id`), `block` (into the account\'s block list: its oldest group with `is_blocklist`, made as "Blacklist" on first use), `delete` (restorable tombstones, as `DELETE /v1/contacts/{id}`).',
    }),
    filter: Type.Optional(Type.Ref('ContactSetFilter')),
    ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: MAX_BULK_IDS, description: `Contacts by id (at most ${MAX_BULK_IDS}); give this or \`filter\`, not both.` })),
    group_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'For `add_to_group` and `remove_from_group` only.' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'With `filter`: the `next_cursor` of the previous answer, to go on with the run.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BULK_LIMIT, description: `With \`filter\`: the most contacts this request takes (default and most ${MAX_BULK_LIMIT}); a request also stops starting new chunks after about 10 seconds.` })),
  },
  {
    $id: 'ContactBulkRequest',
    additionalProperties: false,
    examples: [{ action: 'add_to_group', group_id: '0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11', filter: { q: 'acme' } }, { action: 'delete', ids: ['5c9e2a61-3f0b-4b8e-9a7d-2e4f6a8b0c1d'] }],
  },
);

export const ContactBulkResult = Type.Object(
  {
    action: ContactBulkRequest.properties.action,
    matched: Type.Integer({ description: 'Contacts this request applied the action to: those of the filter it reached, or the distinct ids given. A run of several requests adds its counts up.' }),
    changed: Type.Integer({ description: 'Of those, the ones it changed; the rest already were as asked, or failed.' }),
    failed: Type.Integer({ description: 'Of those, the ones refused (`errors` shows the first ones).' }),
    group_id: Nullable(Type.String({ description: 'The group written (for `block`, the block list); null for `delete`.' })),
    errors: Type.Array(
      Type.Object({ contact_id: Type.String(), error: Type.Ref('Problem') }),
      { description: 'This request\'s first 20 failures, each with the problem that contact alone would have had (`contact_not_found` for an unknown id or one deleted meanwhile, `forbidden` for an agent or queue without the admin scope).' },
    ),
    next_cursor: Nullable(Type.String({ description: 'With `filter`: null when the run is done; else send the same request again with this as `cursor`.' })),
  },
  { $id: 'ContactBulkResult' },
);
