import { paramValue, splitLine } from './content-line.ts';
import type { VCardVersion } from './types.ts';

/**
 * Inline media (PHOTO, LOGO, SOUND, KEY) are spelled differently by each version: 3.0 writes
 * `PHOTO;ENCODING=b;TYPE=JPEG:<base64>`, 4.0 a data URI `PHOTO:data:image/jpeg;base64,<base64>`.
 * A line kept from a client is rewritten into the version being written, so that a photo saved by
 * an iPhone (3.0) shows in a 4.0 client and the other way round. Other lines pass unchanged.
 */
const MEDIA = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);
const TOP_TYPE: Record<string, string> = { PHOTO: 'image', LOGO: 'image', SOUND: 'audio', KEY: 'application' };

export function mediaLineFor(raw: string, version: VCardVersion): string {
  const line = splitLine(raw);
  if (line === null || !MEDIA.has(line.name)) return raw;
  const name = line.group ? `${line.group}.${line.name}` : line.name;
  const encoding = paramValue(line, 'ENCODING')?.toLowerCase();
  const inline = encoding === 'b' || encoding === 'base64';
  if (version === '4.0' && inline) {
    const subtype = (line.params.find(([n, v]) => n === 'TYPE' && !/^(pref|work|home)$/i.test(v))?.[1] ?? 'jpeg').toLowerCase();
    const rest = line.params.filter(([n]) => n !== 'ENCODING' && n !== 'TYPE' && n !== 'VALUE');
    return `${[name, ...rest.map(([n, v]) => `${n}=${v}`)].join(';')}:data:${TOP_TYPE[line.name]}/${subtype};base64,${line.value.replace(/\s/g, '')}`;
  }
  const data = /^data:([a-z]+)\/([a-z0-9.+-]+)(?:;[^,;]*?)*;base64,(.*)$/is.exec(line.value);
  if (version === '3.0' && data) {
    const rest = line.params.filter(([n]) => n !== 'VALUE' && n !== 'MEDIATYPE');
    return `${[name, 'ENCODING=b', `TYPE=${data[2]!.toUpperCase()}`, ...rest.map(([n, v]) => `${n}=${v}`)].join(';')}:${data[3]}`;
  }
  return raw;
}
