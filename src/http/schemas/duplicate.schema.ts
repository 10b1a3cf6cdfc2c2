import { Type } from 'typebox';
import { PageQuery } from './common.ts';

/** Candidate duplicates (core/duplicates): pairs of live contacts, never merged without a person. */

export const DuplicatePair = Type.Object(
  {
    reason: Type.Union([Type.Literal('phone'), Type.Literal('email'), Type.Literal('name_company')], { description: 'What the two contacts share: a phone (E.164), an email (any case), or the same display name and company (ignoring case, both non-empty).' }),
    value: Type.String({ description: 'The shared value: the E.164 number, the lower-case email, or the lower-case `name / company`.', examples: ['+16511112222'] }),
    contacts: Type.Array(Type.Ref('Contact'), { minItems: 2, maxItems: 2, description: 'The two contacts, the older first.' }),
  },
  { $id: 'DuplicatePair', description: 'Two live contacts that may be the same person. A pair sharing both a phone and an email appears once for each.' },
);

export const DuplicatePage = Type.Object(
  {
    data: Type.Array(Type.Ref('DuplicatePair')),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  },
  { $id: 'DuplicatePage', description: 'A page of candidate pairs: by phone, then email, then name and company.' },
);

export const DuplicateQuery = Type.Object({
  address_book_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only pairs whose two contacts are both in this address book.' })),
  ...PageQuery,
});
