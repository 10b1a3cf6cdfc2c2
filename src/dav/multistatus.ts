import { ROOT_NAMESPACES, dav, element, escapeXml } from './xml.ts';

/** A property's value as XML content ('' for an empty element), or undefined when the resource has none. */
export type PropertyValues = Map<string, string | undefined>;

export const MULTISTATUS_OPEN = `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus ${ROOT_NAMESPACES}>`;
export const MULTISTATUS_CLOSE = '</D:multistatus>';
export const XML_TYPE = 'application/xml; charset=utf-8';

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 403: 'Forbidden', 404: 'Not Found', 507: 'Insufficient Storage' };

export function statusLine(status: number): string {
  return element(dav('status'), `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}`.trim());
}

/**
 * One DAV:response: the properties found in a 200 propstat, those the resource does not have in
 * a 404 one (RFC 4918 §9.1: each property is reported, found or not).
 */
export function propResponse(href: string, values: PropertyValues, namesOnly = false): string {
  const found: string[] = [];
  const missing: string[] = [];
  for (const [name, value] of values) {
    if (value === undefined) missing.push(element(name));
    else found.push(element(name, namesOnly ? '' : value));
  }
  const propstat = (props: string[], status: number) => (props.length === 0 ? '' : element(dav('propstat'), element(dav('prop'), props.join('')) + statusLine(status)));
  return element(dav('response'), element(dav('href'), escapeXml(href)) + propstat(found, 200) + propstat(missing, 404));
}

/** A DAV:response with a status and no properties (a removed member of a sync, a multiget href not found). */
export function statusResponse(href: string, status: number, extra = ''): string {
  return element(dav('response'), element(dav('href'), escapeXml(href)) + statusLine(status) + extra);
}

/** A DAV:error body naming the precondition a request failed (RFC 4918 §16). */
export function errorBody(condition: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<D:error ${ROOT_NAMESPACES}>${element(condition)}</D:error>`;
}
