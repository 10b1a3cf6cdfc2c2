import { Type } from 'typebox';

/**
 * The wire shapes of Zoom Contact Center address books (zoom-contact-center-address-books-openapi.json,
 * field names as Zoom spells them): shared atoms, units, address books and the error body.
 * Contacts are in contact-schemas.ts, custom fields in field-schemas.ts.
 */

/** Where Zoom's API is mounted: Zoom serves `https://api.zoom.us/v2`, contactd `/zoom/v2`. */
export const ZOOM_PREFIX = '/zoom/v2';

export const tags = ['Zoom Contact Center'];
export const security: Record<string, string[]>[] = [{ bearer: [] }];

/** Zoom lists: `page_size` defaults to 30 and may be at most 300. */
export const DEFAULT_PAGE = 30;
export const MAX_PAGE = 300;

export const zoomId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description, examples: ['7381d210-360e-4fbd-86e4-33eb7109b084'] });

export const PageQuery = Type.Object(
  {
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE, description: `Items per page (1 to ${MAX_PAGE}, default ${DEFAULT_PAGE}).` })),
    next_page_token: Type.Optional(Type.String({ maxLength: 200, description: 'The `next_page_token` of the previous page; absent or empty: the first page.' })),
  },
  { additionalProperties: true },
);

const pageFields = {
  next_page_token: Type.Optional(Type.String({ description: 'Present when more items follow: pass it as `next_page_token` for the next page.', examples: ['eyJzIjozMH0'] })),
  page_size: Type.Integer({ maximum: MAX_PAGE, description: 'The page size used.', examples: [30] }),
  total_records: Type.Integer({ description: 'How many items there are across all pages.', examples: [1] }),
};
export const pageAnswer = (items: Record<string, ReturnType<typeof Type.Array>>) => Type.Object({ ...pageFields, ...items });

export const ZoomErrorBody = Type.Object(
  {
    code: Type.Integer({ description: 'Zoom\'s error code (e.g. 124 invalid token, 300 invalid field, 2001 address book not found).' }),
    message: Type.String({ description: 'What went wrong.' }),
  },
  { examples: [{ code: 2001, message: 'Address book does not exist: 0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11' }] },
);

/** The error answers a route documents, by HTTP status. */
export function errors(...statuses: number[]) {
  return Object.fromEntries([400, 401, 403, ...statuses].map((s) => [s, { ...ZoomErrorBody, description: ERROR_MEANING[s] ?? 'Error.' }]));
}

const ERROR_MEANING: Record<number, string> = {
  400: 'Invalid input (code 300, or the operation\'s own code, e.g. 2002 name already exists, 2104 display_name empty).',
  401: 'No, unknown or revoked Bearer token (code 124).',
  403: 'The key lacks the operation\'s scope (code 4711).',
  404: 'No such unit (1901), address book (2001, on DELETE 1201), custom field (2112) or contact (2101) in this account.',
};

export const noContent = (description: string) => ({ 204: Type.Null({ description }) });

// Units ---------------------------------------------------------------------------------------

const unitName = Type.String({ minLength: 1, maxLength: 255, description: 'The unit\'s name, unique in the account.', examples: ['Example'] });
const unitDescription = Type.String({ maxLength: 256, description: 'The unit\'s description.', examples: ['This is a unit.'] });

export const UnitCreateBody = Type.Object(
  { unit_name: unitName, unit_description: Type.Optional(unitDescription) },
  { additionalProperties: false, required: ['unit_name'], examples: [{ unit_name: 'Example', unit_description: 'This is a unit.' }] },
);
export const UnitPatchBody = Type.Object(
  { unit_name: Type.Optional(unitName), unit_description: Type.Optional(unitDescription) },
  { additionalProperties: false, examples: [{ unit_name: 'example', unit_description: 'This is a Demo Unit.' }] },
);
export const ZoomUnit = Type.Object(
  {
    unit_id: zoomId('The address book unit\'s ID.'),
    unit_name: Type.String({ description: 'The unit\'s name.', examples: ['Example'] }),
    unit_description: Type.Optional(Type.String({ description: 'The unit\'s description.' })),
  },
  { examples: [{ unit_id: '5e1c3f0a-6a50-4d3e-9a2b-2f7c1d9e8a11', unit_name: 'Example', unit_description: 'This is a unit.' }] },
);
export const UnitParams = Type.Object({ unitId: zoomId('The address book unit\'s ID.') });
export const UnitList = pageAnswer({ units: Type.Array(ZoomUnit, { description: 'The account\'s units, oldest first.' }) });

// Address books -------------------------------------------------------------------------------

const bookName = Type.String({ maxLength: 100, description: 'The address book\'s name, unique in the account.', examples: ['Address Book'] });
const bookDescription = Type.String({ maxLength: 256, description: 'The address book\'s description.', examples: ['This is an address book.'] });

export const BookCreateBody = Type.Object(
  {
    unit_id: Type.Optional(Type.String({ maxLength: 64, description: 'The unit the book goes into; absent: the account\'s default unit (README Decision). Empty: 400, code 1902.' })),
    address_book_name: Type.Optional(bookName),
    address_book_description: Type.Optional(bookDescription),
  },
  { additionalProperties: false, examples: [{ address_book_name: 'Address Book', address_book_description: 'This is an address book.' }] },
);
export const BookPatchBody = Type.Object(
  { address_book_name: Type.Optional(bookName), address_book_description: Type.Optional(bookDescription) },
  { additionalProperties: false, examples: [{ address_book_name: 'example' }] },
);
export const ZoomBook = Type.Object(
  {
    address_book_id: zoomId('The address book\'s ID.'),
    address_book_name: Type.String({ description: 'The address book\'s name.' }),
    address_book_description: Type.Optional(Type.String({ description: 'The address book\'s description.' })),
    total_contacts: Type.Optional(Type.Integer({ description: 'How many live contacts the book holds.' })),
    unit_id: zoomId('The address book unit\'s ID.'),
    unit_name: Type.String({ description: 'The address book unit\'s name.' }),
  },
  { examples: [{ address_book_id: '0b6f3f9e-7d7a-4d55-9d5e-3c1b2f0a9c11', address_book_name: 'Address Book', total_contacts: 30, unit_id: '5e1c3f0a-6a50-4d3e-9a2b-2f7c1d9e8a11', unit_name: 'Default' }] },
);
export const BookParams = Type.Object({ addressBookId: zoomId('The address book\'s ID.') });
export const BookListQuery = Type.Object(
  { ...PageQuery.properties, unit_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only the books of this unit; absent: every book of the account (README Decision). Empty: 400, code 1902.' })) },
  { additionalProperties: true },
);
export const BookList = pageAnswer({ address_books: Type.Array(ZoomBook, { description: 'The address books, oldest first.' }) });
