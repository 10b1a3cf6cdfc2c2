import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Reads a phone number written in any common format and returns it in E.164, or null when it
 * cannot be a phone number. National numbers are read in `region`; a string of digits that is
 * not a possible national number is tried as an international one ("16511112222").
 * We check possibility (length), not validity: directories hold test and newly assigned ranges
 * that the metadata calls invalid, and refusing them would lose data.
 */
export function toE164(raw: string, region: string): string | null {
  const text = raw.trim();
  if (text === '' || text.length > 64 || /[a-z]/i.test(text.replace(/^tel:/i, ''))) return null;
  const parsed = parsePhoneNumberFromString(text, region as CountryCode);
  if (parsed?.isPossible()) return parsed.number;
  const digits = text.replace(/\D/g, '');
  if (!text.startsWith('+') && digits.length >= 8) {
    const international = parsePhoneNumberFromString(`+${digits}`);
    if (international?.isPossible()) return international.number;
  }
  return null;
}

/** The digit strings a person may type to find this number: with and without the country code. */
export function phoneSearchDigits(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  const full = e164.replace(/\D/g, '');
  const national = parsed?.nationalNumber;
  return national && national !== full ? [full, national] : [full];
}
