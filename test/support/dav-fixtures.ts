import { readFileSync } from 'node:fs';
import { davRequest } from './dav-client.ts';
import type { DavServer } from './dav-server.ts';

const FIXTURES = new URL('../fixtures/dav/', import.meta.url);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Reads `test/fixtures/dav/<client>/<file>.http`, filling each `{{name}}` from `vars`. */
export function loadRequest(file: string, vars: Record<string, string> = {}): RecordedRequest {
  const text = readFileSync(new URL(file, FIXTURES), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`${file} needs {{${name}}}`);
    return vars[name]!;
  });
  const split = text.indexOf('\n\n');
  const [head, rawBody] = split < 0 ? [text, ''] : [text.slice(0, split), text.slice(split + 2)];
  const [requestLine, ...headerLines] = head.split('\n');
  const [method, path] = requestLine!.split(' ');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  // vCards travel with CRLF line ends, as the clients send them; XML as written.
  const body = headers['content-type']?.startsWith('text/vcard') ? rawBody.trimEnd().split('\n').join('\r\n') + '\r\n' : rawBody.trim();
  return { method: method!, path: path!, headers, ...(body === '' || body === '\r\n' ? {} : { body }) };
}

/** Sends a recorded request as the client would, with the credentials of `key` (null: none). */
export function replay(server: DavServer, request: RecordedRequest, key: 'admin' | 'write' | 'read' | null = 'admin', path = request.path) {
  return davRequest(server, request.method, path, { headers: request.headers, key, ...(request.body === undefined ? {} : { body: request.body }) });
}
