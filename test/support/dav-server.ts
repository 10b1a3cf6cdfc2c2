import type { AddressInfo } from 'node:net';
import { startApi, type TestApi } from './api.ts';
import type { TestEngine } from './engines.ts';

/**
 * A contactd listening on a loopback port, for the suites whose client is another program
 * (vdirsyncer, tsdav, replayed client requests): they need a real socket, not `inject`.
 */
export interface DavServer {
  api: TestApi;
  /** http://127.0.0.1:<port>, no trailing slash. */
  origin: string;
  /** The CardDAV entry point clients are given. */
  davUrl: string;
  /** `Authorization` header values: the account id as user name, a key as password. */
  basic(key?: keyof TestApi['keys']): string;
  close(): Promise<void>;
}

export async function startDavServer(engine: TestEngine, env: Record<string, string> = {}): Promise<DavServer> {
  const api = await startApi(engine, env);
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = api.app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    api,
    origin,
    davUrl: `${origin}/dav/`,
    basic: (key = 'admin') => `Basic ${Buffer.from(`${api.accountId}:${api.keys[key]}`).toString('base64')}`,
    close: () => api.close(),
  };
}

/** Creates `count` contacts in a book through the batch API, 1,000 a request; returns their ids in order. */
export async function fillBook(api: TestApi, bookId: string, count: number, contact: (i: number) => Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const contacts = Array.from({ length: Math.min(1000, count - start) }, (_, k) => ({ address_book_id: bookId, ...contact(start + k) }));
    const res = await api.call('POST', '/v1/contacts/batch', { contacts });
    if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    for (const result of res.body.results as { status: number; contact?: { id: string }; error?: unknown }[]) {
      if (result.status !== 201) throw new Error(`batch item failed: ${JSON.stringify(result)}`);
      ids.push(result.contact!.id);
    }
  }
  return ids;
}
