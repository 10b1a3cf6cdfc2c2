import { isSupportedCountry } from 'libphonenumber-js';
import { invalidField } from '../errors.ts';
import type { ImportOptions } from './import.types.ts';

/**
 * Refuses options no row could be read with: an unknown region would make every national number
 * of the file "not a phone number", a million refusals instead of one clear answer.
 */
export function assertReadableOptions(options: ImportOptions): void {
  const region = options.default_region;
  if (region !== undefined && !(/^[A-Z]{2}$/.test(region) && isSupportedCountry(region))) {
    throw invalidField('default_region', `must be an ISO 3166 alpha-2 country code in upper case, such as US or DE (got "${region}")`);
  }
}
