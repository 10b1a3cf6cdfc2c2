import { DAV, parseMultistatus, okProp, type DavResponse } from './dav-xml.ts';
import type { DavServer } from './dav-server.ts';

/** A raw WebDAV request over the socket, as a client sends it (no redirect following). */
export async function davRequest(
  server: DavServer,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; key?: 'admin' | 'write' | 'read' | null } = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const key = options.key === undefined ? 'admin' : options.key;
  const headers: Record<string, string> = { ...(key === null ? {} : { authorization: server.basic(key) }), ...options.headers };
  if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/xml; charset=utf-8';
  const res = await fetch(new URL(path, server.origin), { method, headers, redirect: 'manual', ...(options.body === undefined ? {} : { body: options.body }) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The member hrefs of a book with their ETags, from `PROPFIND Depth: 1`. */
export async function listBook(server: DavServer, bookPath: string): Promise<Map<string, string>> {
  const res = await davRequest(server, 'PROPFIND', bookPath, {
    headers: { depth: '1' },
    body: `<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getetag/></d:prop></d:propfind>`,
  });
  if (res.status !== 207) throw new Error(`PROPFIND ${bookPath} answered ${res.status}: ${res.text.slice(0, 300)}`);
  const members = new Map<string, string>();
  for (const response of parseMultistatus(res.text).responses) {
    if (isCollection(response)) continue;
    members.set(response.href, okProp(response, `{${DAV}}getetag`)?.text ?? '');
  }
  return members;
}

function isCollection(response: DavResponse): boolean {
  return okProp(response, `{${DAV}}resourcetype`)?.children.some((c) => c.name === `{${DAV}}collection`) ?? false;
}

/** Every card of a book as the server serves it (GET of each member, a few at a time). */
export async function fetchBookCards(server: DavServer, bookPath: string): Promise<Map<string, string>> {
  const hrefs = [...(await listBook(server, bookPath)).keys()];
  const cards = new Map<string, string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < hrefs.length) {
        const href = hrefs[next++]!;
        const res = await davRequest(server, 'GET', href);
        if (res.status !== 200) throw new Error(`GET ${href} answered ${res.status}`);
        cards.set(href, res.text);
      }
    }),
  );
  return cards;
}
