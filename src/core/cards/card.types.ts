import type { Contact, ContactInput, CustomField } from '../types.ts';

/**
 * What a CardDAV client gave a contact beyond the core's fields: the resource name it chose, its
 * own UID, and the vCard properties the core does not model (unfolded content lines, verbatim).
 */
export interface CardRecord {
  contactId: string;
  accountId: string;
  /** The resource name without `.vcf`; null: the contact's id is its name. */
  name: string | null;
  uid: string | null;
  properties: string[];
  updatedAt: string;
}

/** A contact's resource name in every collection it shows in. */
export function resourceNameOf(contactId: string, card: Pick<CardRecord, 'name'> | undefined): string {
  return card?.name ?? contactId;
}

/** A contact as a card: the contact and what a CardDAV client gave it beyond the core's fields. */
export interface CardEntry {
  contact: Contact;
  card: CardRecord | undefined;
}

/** The account's data a card's rendering reads: group names by id, and custom fields. */
export interface CardsRenderContext {
  groupNames: Map<string, string>;
  customFields: CustomField[];
}

/** A contact found for a resource name: by the name of its card, or else by its id. */
export interface NamedCardEntry extends CardEntry {
  byName: boolean;
}

/** A card as a client sent it, read by the vCard codec: the contact's fields and the rest. */
export interface CardWrite {
  /** The contact's fields the card holds (a PUT replaces these, see CARD_FIELDS). */
  input: ContactInput;
  /** CATEGORIES: the account's groups of these names; other names are kept as a property. */
  groupNames: string[];
  uid: string | null;
  properties: string[];
}

/** What a PUT's conditions ask: the version the client saw (If-Match), or that none exists (If-None-Match: *). */
export interface PutConditions {
  ifMatch?: number;
  ifNoneMatch?: boolean;
  /** If-Match: * : the card must exist. */
  mustExist?: boolean;
}
