import type { DuplicateRule } from '../../core/contacts/contact.service.ts';

/**
 * 8x8's create rule (README): one existing contact of the account sharing any address absorbs
 * the new data (its own values stay, an external id included); several are a 409.
 */
export const MERGE_ACROSS_ACCOUNT: DuplicateRule = { policy: 'merge', scope: 'account', externalIdConflict: 'keepExisting' };
