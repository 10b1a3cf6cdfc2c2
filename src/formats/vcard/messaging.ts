import type { Messaging } from '../../core/types.ts';
import { paramValue, type ContentLine } from './content-line.ts';

/**
 * Messaging handles as IMPP (RFC 4770, RFC 6350 §6.4.3): `IMPP:<scheme>:<handle>`, the scheme
 * chosen per channel. A channel without a scheme of its own is written with Apple's
 * `X-SERVICE-TYPE` parameter, which is also what tells the channel when reading.
 */

const SCHEME_OF_CHANNEL: Record<string, string> = {
  jabber: 'xmpp',
  msn: 'msnim',
  yahoo: 'ymsgr',
  telegram: 'tg',
  facebook: 'fb-messenger',
  wechat: 'weixin',
};

const CHANNEL_OF_SCHEME: Record<string, string> = {
  msnim: 'msn',
  ymsgr: 'yahoo',
  tg: 'telegram',
  'fb-messenger': 'facebook',
  weixin: 'wechat',
};

/** Apple's and others' service names -> channel. */
const CHANNEL_OF_SERVICE: Record<string, string> = {
  'facebook-messenger': 'facebook',
  facebookmessenger: 'facebook',
  messenger: 'facebook',
  googletalk: 'gtalk',
  'google-talk': 'gtalk',
};

export interface ImppParts {
  params: Record<string, string>;
  value: string;
}

export function writeImpp(handle: Messaging): ImppParts {
  const scheme = SCHEME_OF_CHANNEL[handle.channel] ?? (/^[a-z][a-z0-9+.-]*$/.test(handle.channel) ? handle.channel : 'x-contactd');
  const params: Record<string, string> = CHANNEL_OF_SCHEME[scheme] === handle.channel || scheme === handle.channel ? {} : { 'x-service-type': handle.channel };
  // `,` and `;` percent-encoded too: a URI value then needs no vCard escapes, which 4.0 writers add and 3.0 readers keep.
  return { params, value: `${scheme}:${encodeURI(handle.handle).replace(/,/g, '%2C').replace(/;/g, '%3B')}` };
}

/** An IMPP line's handle, or null when its value has no scheme. */
export function readImpp(line: ContentLine, value: string): Messaging | null {
  const colon = value.indexOf(':');
  if (colon <= 0) return null;
  const scheme = value.slice(0, colon).toLowerCase();
  // A client may still escape them as text (`\,`), as ical.js writes a 4.0 URI with a comma.
  const handle = decodeSafely(value.slice(colon + 1).replace(/\\([,;\\])/g, '$1')).trim();
  const service = paramValue(line, 'X-SERVICE-TYPE');
  const channel = service !== null ? channelOfService(service) : (CHANNEL_OF_SCHEME[scheme] ?? scheme);
  return handle === '' || channel === '' ? null : { channel, handle };
}

/** Apple's `X-SOCIALPROFILE;type=twitter;x-user=jdoe:https://twitter.com/jdoe`. */
export function readSocialProfile(line: ContentLine, value: string): Messaging | null {
  const service = paramValue(line, 'TYPE');
  const handle = (paramValue(line, 'X-USER') ?? value).trim();
  if (service === null || handle === '') return null;
  const channel = channelOfService(service);
  return channel === '' ? null : { channel, handle };
}

function channelOfService(service: string): string {
  const word = service.trim().toLowerCase().replace(/\s+/g, '-').replace(/[^a-z0-9_.-]/g, '');
  return CHANNEL_OF_SERVICE[word] ?? word.slice(0, 40);
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** True when the line is exactly what writeImpp writes for the handle: then there is nothing of the client's to keep. */
export function isWrittenAsOurs(line: ContentLine, handle: Messaging): boolean {
  if (line.name !== 'IMPP' || line.group !== null) return false;
  const ours = writeImpp(handle);
  const params = line.params.filter(([n]) => n !== 'VALUE');
  const wanted = Object.entries(ours.params);
  return line.value === ours.value && params.length === wanted.length && wanted.every(([n, v]) => paramValue(line, n.toUpperCase()) === v);
}
