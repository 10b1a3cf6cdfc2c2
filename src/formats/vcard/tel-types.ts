/**
 * TEL and EMAIL types between vCard's TYPE parameters (and the labels Apple and Google put in
 * `itemN.X-ABLabel`) and the core's free-form types (mobile, work, home, main, fax, pager, other, ...).
 */

/** TYPE values that say nothing about which kind of number or address this is. */
const NEUTRAL = new Set(['voice', 'pref', 'internet', 'x400', 'msg', 'iphone-none']);

/** vCard TYPE value -> core type, for the vendors' spellings. */
const FROM_VCARD: Record<string, string> = {
  cell: 'mobile',
  mobile: 'mobile',
  iphone: 'mobile',
  main: 'main',
  fax: 'fax',
  pager: 'pager',
  work: 'work',
  home: 'home',
  other: 'other',
};

/** Apple's built-in labels (`_$!<Mobile>!$_`), and the words Google writes, -> core type. */
const FROM_LABEL: Record<string, string> = {
  mobile: 'mobile',
  iphone: 'mobile',
  main: 'main',
  homefax: 'fax',
  workfax: 'fax',
  otherfax: 'fax',
  fax: 'fax',
  pager: 'pager',
  home: 'home',
  work: 'work',
  other: 'other',
};

/** Core type -> the TYPE values to write. */
const TO_VCARD: Record<string, string[]> = {
  mobile: ['cell'],
  work: ['work'],
  home: ['home'],
  main: ['main'],
  fax: ['fax'],
  pager: ['pager'],
  other: ['other'],
};

export interface TypeReading {
  type: string | null;
  primary: boolean;
}

/** The core type a property's TYPE values give (null: none said), and whether it is preferred. */
export function typeOfParams(types: string[], prefParam: string | null): TypeReading {
  const primary = types.includes('pref') || prefParam === '1';
  const meaningful = types.filter((t) => !NEUTRAL.has(t));
  for (const wanted of ['fax', 'pager', 'cell', 'mobile', 'iphone', 'main']) {
    if (meaningful.includes(wanted)) return { type: FROM_VCARD[wanted]!, primary };
  }
  const first = meaningful[0];
  if (first === undefined) return { type: null, primary };
  return { type: FROM_VCARD[first] ?? first, primary };
}

/** An `X-ABLabel` value: a built-in label is a type, anything else is a free label. */
export function readLabel(text: string): { type: string } | { label: string } {
  const builtIn = /^_\$!<(.+)>!\$_$/.exec(text);
  const word = (builtIn ? builtIn[1]! : text).toLowerCase().replace(/\s+/g, '');
  const type = FROM_LABEL[word];
  if (type !== undefined) return { type };
  return { label: builtIn ? builtIn[1]! : text };
}

/**
 * The TYPE values for a core type: the vCard words for the usual ones, the type itself when it is
 * a plain token (so that `assistant` or `car` comes back), else none (the caller writes the type
 * in X-CONTACTD-TYPE).
 */
export function typeParamsOf(type: string): string[] | null {
  const known = TO_VCARD[type];
  if (known) return known;
  return /^[a-z0-9-]+$/i.test(type) ? [type] : null;
}
