import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import type { TestApi } from '../support/api.ts';
import { basic } from '../dialects/shared/basic-auth.ts';

export const NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/"';

export interface DavResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** A raw CardDAV request with HTTP Basic (account id : key), as phones send them. */
export async function dav(api: TestApi, method: string, url: string, body?: string, options: { key?: string; headers?: Record<string, string>; contentType?: string } = {}): Promise<DavResponse> {
  const headers: Record<string, string> = { ...basic(api.accountId, options.key ?? api.keys.write), ...options.headers };
  if (body !== undefined) headers['content-type'] ??= options.contentType ?? 'application/xml; charset=utf-8';
  const res = await api.app.inject({ method: method as 'GET', url, headers, ...(body === undefined ? {} : { payload: body }) });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

export interface MultistatusEntry {
  href: string;
  /** The response's own status (a removed member, a 404 href), when it has one. */
  status?: number;
  /** Found properties by local name: their text, or their children's local names when they hold elements. */
  found: Record<string, any>;
  /** Local names of properties reported missing (404 propstat). */
  missing: string[];
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['response', 'propstat', 'privilege', 'href', 'supported-report', 'address-data-type'].includes(name) });

/** A 207 body as entries (namespaces resolved by prefix removal: the tests use one prefix per namespace). */
export function multistatus(res: DavResponse): { entries: MultistatusEntry[]; syncToken?: string } {
  assert.equal(res.status, 207, res.body);
  const doc = parser.parse(res.body).multistatus;
  const entries = (doc.response ?? []).map((r: any): MultistatusEntry => {
    const found: Record<string, any> = {};
    const missing: string[] = [];
    for (const ps of r.propstat ?? []) {
      const props = ps.prop ?? {};
      if (String(ps.status).includes(' 200 ')) Object.assign(found, props);
      else missing.push(...Object.keys(props));
    }
    const status = r.status ? Number(/HTTP\/1\.1 (\d+)/.exec(r.status)![1]) : undefined;
    return { href: r.href[0], ...(status === undefined ? {} : { status }), found, missing };
  });
  return { entries, ...(doc['sync-token'] !== undefined ? { syncToken: String(doc['sync-token']) } : {}) };
}

/** The entry for this href, asserting it is there. */
export function entryOf(entries: MultistatusEntry[], href: string): MultistatusEntry {
  const entry = entries.find((e) => e.href === href);
  assert.ok(entry, `an entry for ${href} among ${entries.map((e) => e.href).join(', ')}`);
  return entry;
}

export function propfindBody(props: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><d:propfind ${NS}><d:prop>${props}</d:prop></d:propfind>`;
}

export function syncBody(token: string, options: { limit?: number; props?: string } = {}): string {
  const limit = options.limit === undefined ? '' : `<d:limit><d:nresults>${options.limit}</d:nresults></d:limit>`;
  return `<d:sync-collection ${NS}><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level>${limit}<d:prop>${options.props ?? '<d:getetag/>'}</d:prop></d:sync-collection>`;
}

export function queryBody(filter: string, options: { limit?: number; test?: string } = {}): string {
  const limit = options.limit === undefined ? '' : `<c:limit><c:nresults>${options.limit}</c:nresults></c:limit>`;
  return `<c:addressbook-query ${NS}><d:prop><d:getetag/></d:prop><c:filter${options.test ? ` test="${options.test}"` : ''}>${filter}</c:filter>${limit}</c:addressbook-query>`;
}

/** A small vCard 3.0 as a phone saves it. */
export function vcard(lines: string[], version = '3.0'): string {
  return ['BEGIN:VCARD', `VERSION:${version}`, ...lines, 'END:VCARD', ''].join('\r\n');
}

export const bookPath = (bookId: string) => `/dav/books/${bookId}/`;
export const cardPath = (bookId: string, name: string) => `/dav/books/${bookId}/${name}.vcf`;
