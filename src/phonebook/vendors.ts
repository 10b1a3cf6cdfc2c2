import type { DirectoryEntry } from './entries.ts';
import { XML_DECLARATION, attributesOf, element, escapeXml } from './xml.ts';

/**
 * One desk phone vendor's documented XML phone book: its opening, one contact's element, its
 * closing. A book is written as opening + entries + closing, so that it can be streamed.
 */
export interface PhonebookFormat {
  open(title: string): string;
  entry(entry: DirectoryEntry): string;
  close(): string;
}

/**
 * Yealink "Remote Phone Book" (`remote_phonebook.data.N.url`): `<YealinkIPPhoneDirectory>`, one
 * `<DirectoryEntry>` per contact with its `<Name>` and a `<Telephone label="...">` per number.
 */
const yealink: PhonebookFormat = {
  open: () => `${XML_DECLARATION}<YealinkIPPhoneDirectory>\n`,
  entry: (e) => `<DirectoryEntry>${element('Name', e.name)}${e.numbers.map((n) => element('Telephone', n.number, { label: n.label })).join('')}</DirectoryEntry>\n`,
  close: () => '</YealinkIPPhoneDirectory>\n',
};

/** Grandstream's documented `<Phone type>` values. */
const GRANDSTREAM_TYPES: Record<string, string> = { work: 'Work', main: 'Work', home: 'Home', mobile: 'Mobile', fax: 'Fax' };

/**
 * Grandstream XML phone book (GXP16xx/17xx/21xx, GRP, DP): `<AddressBook>`, a `<Contact>` with
 * `<FirstName>`/`<LastName>` (at least one) and a `<Phone type="Work|Home|Mobile|Fax|Other">`
 * holding `<phonenumber>` and `<accountindex>` (0: the phone's first account) per number.
 */
const grandstream: PhonebookFormat = {
  open: () => `${XML_DECLARATION}<AddressBook>\n<version>1</version>\n`,
  entry: (e) => {
    const names = e.firstName !== null || e.lastName !== null ? [e.firstName, e.lastName] : [e.name, null];
    const phones = e.numbers.map((n) => `<Phone${attributesOf({ type: GRANDSTREAM_TYPES[n.type] ?? 'Other' })}>${element('phonenumber', n.number)}<accountindex>0</accountindex></Phone>`);
    const company = e.company !== null ? element('Company', e.company) : '';
    return `<Contact>${names[1] !== null ? element('LastName', names[1]!) : ''}${names[0] !== null ? element('FirstName', names[0]!) : ''}${phones.join('')}${company}</Contact>\n`;
  },
  close: () => '</AddressBook>\n',
};

/** Snom's number types in the Remote XML Directory. */
const SNOM_TYPES: Record<string, string> = { mobile: 'mobile', home: 'home', work: 'business', main: 'business', fax: 'fax' };

/**
 * Snom Remote XML Directory (firmware 10.1.178 and later, `<tbook version="2.0">`): a `<contact>`
 * with `<first_name>`/`<last_name>` and `<numbers>` holding `<number no type outgoing_id>`.
 * `complete="true"` tells the phone that this is the whole book, so removed contacts go too.
 */
const snom: PhonebookFormat = {
  open: () => `${XML_DECLARATION}<tbook e="2" version="2.0" complete="true">\n`,
  entry: (e) => {
    const first = e.firstName ?? (e.lastName === null ? e.name : null);
    const names = `${first !== null ? element('first_name', first) : ''}${e.lastName !== null ? element('last_name', e.lastName) : ''}`;
    const organization = e.company !== null ? element('organization', e.company) : '';
    const numbers = e.numbers.map((n) => `<number${attributesOf({ no: n.number, type: SNOM_TYPES[n.type] ?? 'sip', outgoing_id: '0' })}/>`).join('');
    return `<contact fav="false" vip="false" blocked="false">${names}${organization}<numbers>${numbers}</numbers></contact>\n`;
  },
  close: () => '</tbook>\n',
};

export const VENDORS = { yealink, grandstream, snom } as const;
export type StreamedVendor = keyof typeof VENDORS;

/** Cisco's Name and Telephone fields hold at most 32 characters. */
export const CISCO_FIELD_MAX = 32;
/** A CiscoIPPhoneDirectory holds at most 32 DirectoryEntry elements. */
export const CISCO_PAGE_ENTRIES = 32;

/**
 * Cisco IP Phone Services `CiscoIPPhoneDirectory`: a `<Title>`, a `<Prompt>`, at most 32
 * `<DirectoryEntry>` (one per number: `<Name>` with the number's label, `<Telephone>`), then soft
 * keys: Dial, Next (the following page's URL, when there is one) and Exit.
 */
export function ciscoPage(title: string, prompt: string, entries: { name: string; number: string }[], nextUrl: string | null): string {
  const softKeys = [
    softKey('Dial', 'SoftKey:Dial', 1),
    ...(nextUrl !== null ? [softKey('Next', nextUrl, 2)] : []),
    softKey('Exit', 'SoftKey:Exit', nextUrl !== null ? 3 : 2),
  ];
  return `${XML_DECLARATION}<CiscoIPPhoneDirectory>\n${element('Title', clip(title))}\n${element('Prompt', clip(prompt))}\n${entries
    .map((e) => `<DirectoryEntry>${element('Name', e.name)}${element('Telephone', e.number)}</DirectoryEntry>\n`)
    .join('')}${softKeys.join('')}</CiscoIPPhoneDirectory>\n`;
}

function softKey(name: string, url: string, position: number): string {
  return `<SoftKeyItem>${element('Name', name)}<URL>${escapeXml(url)}</URL><Position>${position}</Position></SoftKeyItem>\n`;
}

/** A Cisco entry's name: the contact's name cut to fit, then the number's label, within 32 characters. */
export function ciscoName(name: string, label: string): string {
  const suffix = ` (${label})`.slice(0, CISCO_FIELD_MAX - 4);
  return clip(name, CISCO_FIELD_MAX - suffix.length) + suffix;
}

function clip(text: string, max = CISCO_FIELD_MAX): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
