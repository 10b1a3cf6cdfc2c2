import { PhoneNumber, getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode, type E164Number } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

const PLAIN_INTERNATIONAL = /^\+[1-9]\d{6,14}$/;

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
  const fast = plainInternational(text) ?? plainNorthAmerican(text, region);
  if (fast !== undefined) return fast;
  const parsed = parsePhoneNumberFromString(text, region as CountryCode, metadata);
  if (parsed?.isPossible()) return parsed.number;
  const digits = text.replace(/\D/g, '');
  if (!text.startsWith('+') && digits.length >= 8) {
    const international = parsePhoneNumberFromString(`+${digits}`, metadata);
    if (international?.isPossible()) return international.number;
  }
  return null;
}

/**
 * The common case, `+16511112222` or `+1 651-111-2222`, without a full parse: a full parse also
 * works out the country, which costs twenty times more and which we do not need. Returns
 * undefined when the text is not of this plain shape, so that the full parse decides.
 */
function plainInternational(text: string): string | null | undefined {
  if (text[0] !== '+' || text.includes('(')) return undefined;
  const candidate = text.replace(/[\s.-]/g, '');
  if (!PLAIN_INTERNATIONAL.test(candidate)) return undefined;
  return splitE164(candidate)?.isPossible() ? candidate : undefined;
}

/**
 * `(651) 111-2222`, `651-111-2222` or `16511112222` read in a North American region: there a
 * national number is ten digits after an optional 1, with no other rewriting, so the full parse
 * can be skipped. Other regions have national prefixes with rules of their own: they take the full parse.
 */
function plainNorthAmerican(text: string, region: string): string | undefined {
  if (!NANP_REGIONS.has(region as CountryCode)) return undefined;
  const digits = text.replace(/[\s().-]/g, '');
  if (!/^1?[2-9]\d{9}$/.test(digits)) return undefined;
  const e164 = `+1${digits.slice(-10)}`;
  return splitE164(e164)?.isPossible() ? e164 : undefined;
}

const NANP_REGIONS = new Set(getCountries(metadata).filter((country) => getCountryCallingCode(country, metadata) === '1'));

/** The number split into calling code and national number, or undefined for an unknown calling code. */
function splitE164(e164: string): PhoneNumber | undefined {
  try {
    return new PhoneNumber(e164 as E164Number, metadata);
  } catch {
    return undefined;
  }
}

/** The digit strings a person may type to find this number: with and without the country code. */
export function phoneSearchDigits(e164: string): string[] {
  const full = e164.slice(1);
  const national = splitE164(e164)?.nationalNumber;
  return national && national !== full ? [full, national] : [full];
}

/**
 * A `*` wildcard pattern as a pattern over phone digits: everything but letters, digits and `*`
 * is dropped, as Genesys does when it indexes numbers ("+1 (651) 111-*" -> "1651111*"). Null when
 * the pattern cannot match a number (it has letters, or neither digits nor wildcards).
 */
export function phoneDigitsPatternOf(pattern: string): string | null {
  const kept = pattern.replace(/[^A-Za-z0-9*]/g, '');
  return /^[0-9*]+$/.test(kept) ? kept : null;
}
