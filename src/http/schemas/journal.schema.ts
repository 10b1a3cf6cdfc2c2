import { Type } from 'typebox';
import { OBJECT_TYPES, CHANGE_ACTIONS, SURFACES } from '../../core/journal/change.types.ts';
import { Nullable, PageOf, Timestamp } from './common.ts';

/** The change journal as the native API shows it: contact history and the account's feed. */

export const Change = Type.Object(
  {
    position: Type.Integer({ description: 'The change\'s place in the account\'s feed: positions follow commit order.', examples: [42] }),
    type: Type.String({ description: '`<object_type>.<action>`.', examples: ['contact.updated'] }),
    object_type: Type.Enum([...OBJECT_TYPES]),
    object_id: Type.String({ description: 'The id of the contact, address book, custom field, group, API key or webhook.' }),
    action: Type.Enum([...CHANGE_ACTIONS]),
    actor: Type.Object(
      {
        key_id: Nullable(Type.String({ description: 'The API key that wrote; null for the CLI and contactd\'s own sweeps.' })),
        surface: Type.Enum([...SURFACES], { description: 'The API the write came through.' }),
      },
      { description: 'Who wrote.' },
    ),
    request_id: Nullable(Type.String({ description: 'The `x-request-id` of the request that wrote.' })),
    at: Timestamp,
    fields: Nullable(
      Type.Record(Type.String(), Type.Object({ before: Type.Unknown(), after: Type.Unknown() }), {
        description: 'Each changed field with its value before and after (null: absent). Null once the object was purged.',
        examples: [{ company: { before: 'Acme', after: 'Acme Corp' } }],
      }),
    ),
    snapshot: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'The object as the write left it (as it was, for a deletion). Null once purged.' })),
    meta: Type.Record(Type.String(), Type.Unknown(), { description: 'What else the change needs: a merge\'s `source_ids` or `merged_into`, say.' }),
  },
  { $id: 'Change', description: 'One change of the journal: written in the same transaction as the write it records.' },
);

export const ChangeHistoryPage = PageOf(Type.Ref('Change'), 'ChangeHistoryPage');

export const ChangeFeedPage = Type.Object(
  {
    data: Type.Array(Type.Ref('Change')),
    next_cursor: Type.String({ description: 'Pass as `after` to read on. Always present: at the end of the feed it points past the last change, so a poller keeps following it.' }),
    has_more: Type.Boolean({ description: 'True when more changes are there right now.' }),
  },
  { $id: 'ChangeFeedPage', description: 'A page of the account\'s feed, oldest first.' },
);

export const ChangeFeedQuery = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page, or a position (`0`: from the start).' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Changes per page (1 to 1000).' })),
  types: Type.Optional(Type.String({ maxLength: 2000, description: 'Comma-separated change types, `*` wildcards allowed: `contact.created,contact.updated`, `group.*`. Types other than `contact.*` need the admin scope.' })),
});

export const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Changes per page (1 to 500).' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page.' })),
});
