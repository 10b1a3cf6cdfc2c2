import { Type } from 'typebox';
import { PageQuery } from './schemas.ts';

/** Wire shapes of the 8x8 Batch API and the error body every route shares. */

export const WIRE_BATCH_TYPES = ['createContacts', 'deleteContacts', 'copyContacts', 'moveContacts', 'deleteGroups'] as const;
export const WIRE_BATCH_STATUSES = ['queued', 'inProgress', 'failed', 'completed', 'stopped', 'timeout'] as const;

const ItemResult = Type.Object({
  item: Type.Integer({ description: 'The item\'s position in the request, from 0 (createContacts: the data row, from 0).' }),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('merged'), Type.Literal('failed')], { description: 'merged: the row was merged into an existing contact sharing an address.' }),
  id: Type.Optional(Type.Integer({ description: 'The contact (or, for deleteGroups, group) the item made or touched.' })),
  error: Type.Optional(Type.Object({ code: Type.Integer(), message: Type.String() })),
});

export const BatchJob = Type.Object({
  id: Type.String({ format: 'uuid', description: 'Batch job id.' }),
  type: Type.Enum([...WIRE_BATCH_TYPES]),
  status: Type.Enum([...WIRE_BATCH_STATUSES]),
  createdAt: Type.String(),
  fileName: Type.Optional(Type.String({ description: 'createContacts: the uploaded file\'s name.' })),
  fileType: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xls')])),
  totalRows: Type.Optional(Type.Integer({ description: 'Items in the job.' })),
  processedRows: Type.Optional(Type.Integer({ description: 'Items done so far.' })),
  insertedRows: Type.Optional(Type.Integer({ description: 'Items that succeeded (createContacts: contacts created).' })),
  duplicatedRows: Type.Optional(Type.Integer({ description: 'createContacts: rows merged into an existing contact.' })),
  errorRows: Type.Optional(Type.Integer({ description: 'Items that failed.' })),
  contactGroups: Type.Optional(Type.Integer({ description: 'createContacts: groups each contact was added to.' })),
  results: Type.Optional(Type.Array(ItemResult, { description: 'GET batches/{batchId}: one result per item done so far.' })),
});

export const BatchList = Type.Object({
  items: Type.Array(BatchJob),
  page: Type.Number(),
  totalPages: Type.Number(),
  totalCount: Type.Number(),
  totalFiltered: Type.Number(),
  hasPreviousPage: Type.Boolean(),
  hasNextPage: Type.Boolean(),
});

export const BatchListQuery = Type.Object({ ...PageQuery, type: Type.Optional(Type.Enum([...WIRE_BATCH_TYPES])) });
export const GroupPairQuery = Type.Object({
  from: Type.Integer({ description: 'Identifier of the source group.' }),
  to: Type.Integer({ description: 'Identifier of the destination group.' }),
});

export const DeleteContactsBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.Integer(), { maxItems: 10_000 })),
    msisdns: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10_000 })),
    all: Type.Optional(Type.Boolean({ description: 'Set true to delete all contacts in your account.' })),
  },
  { additionalProperties: false, examples: [{ ids: [41764539, 41764538], msisdns: ['+6512345678', '6523456789'] }] },
);

export const DeleteGroupsBody = Type.Object(
  {
    ids: Type.Array(Type.Integer(), { maxItems: 10_000, description: 'Identifiers of groups to delete.' }),
    deleteContacts: Type.Boolean({ description: 'Set to true to delete the contacts of these groups too.' }),
  },
  { additionalProperties: false, examples: [{ ids: [6806, 6780], deleteContacts: true }] },
);

export const ErrorBody = Type.Object(
  {
    code: Type.Integer({ description: 'Error code: 1000 invalid parameter, 1001 not your account, 1002 invalid MSISDN, 1200 not authenticated, 1201 forbidden, 1300 not found, 2000 internal, 4018 invalid job id, 5001 several contacts share the addresses, 5002 external id taken, 5003 group name taken.' }),
    message: Type.String(),
    errorId: Type.String({ format: 'uuid', description: 'Unique id of the error.' }),
    timestamp: Type.String({ format: 'date-time' }),
  },
  { examples: [{ code: 1002, message: 'Invalid MSISDN format (not E.164 international number)', errorId: 'b4478860-b76c-e811-814e-022a35cc1c71', timestamp: '2018-08-04T09:25:40.923Z' }] },
);

const MEANING: Record<number, string> = {
  400: 'Bad request: invalid parameter (1000), invalid MSISDN (1002), or (where the file declares 400) the accountId is not the key\'s account (1001).',
  401: 'No, unknown or revoked API key (1200).',
  403: 'The key lacks the scope (1201).',
  404: 'Not found (1300; batches: 4018), or (where the file declares no 400) the accountId is not the key\'s account (1001).',
  409: 'Conflict: several contacts share the addresses (5001), external id taken (5002), group name taken (5003).',
  413: 'The body is too large.',
  415: 'Unsupported media type.',
};

/** The error answers of a route, by status. */
export function errors(...statuses: number[]) {
  return Object.fromEntries([400, 401, 403, ...statuses].map((s) => [s, { ...ErrorBody, description: MEANING[s] ?? 'Error.' }]));
}
