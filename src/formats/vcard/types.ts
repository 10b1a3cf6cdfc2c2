import type { FieldToDefine } from '../../core/imports/import.types.ts';
import type { ContactInput, CustomField } from '../../core/types.ts';

export type VCardVersion = '3.0' | '4.0';

/**
 * What a card holds that the core does not model, kept beside the contact so that a card a
 * client saved comes back as it saved it.
 */
export interface CardExtras {
  /** The client's own UID, when it sent one; null: the contact id is the UID. */
  uid: string | null;
  /** Unfolded content lines, verbatim (`PHOTO;ENCODING=b;TYPE=JPEG:...`, `item2.URL:...`, `X-ABUID:...`). */
  properties: string[];
}

/** What writing a card needs to know of the account. */
export interface CardContext {
  /** Group id -> name, for CATEGORIES. */
  groupNames: Map<string, string>;
  customFields: CustomField[];
}

/** What reading a card needs to know of the account. */
export interface CardReadContext {
  customFields: CustomField[];
  /** ISO 3166 region for numbers written without a country code. */
  defaultRegion: string;
  /**
   * True (imports): an `X-CONTACTD-<KEY>` the account does not define becomes a value in
   * `input.custom_fields` and an entry of `fieldsToDefine`, for the caller to define first.
   * False (default; CardDAV): such a property is kept verbatim in the extras.
   */
  defineFields?: boolean;
}

export interface CardError {
  /** The property at fault (`TEL`, `X-CONTACTD-SCORE`), or `VCARD` for the card as a whole. */
  property: string;
  /** Stable: `invalid_phone`, `invalid_email`, `invalid_value`, `malformed_record`, `too_large`. */
  code: string;
  message: string;
}

export interface ParsedCard {
  /** The native create shape, without group ids: groups travel by name in `groupNames`. */
  input: ContactInput;
  groupNames: string[];
  extras: CardExtras;
  /** Problems found; the property at fault is left out of `input` (and kept in the extras when it can be). */
  errors: CardError[];
  /** Custom fields the card names that the account lacks (only with `defineFields`). */
  fieldsToDefine: FieldToDefine[];
}
