/**
 * Helpers of the PostgreSQL outage test (test/store/postgres-outage.test.ts): a real `contactd
 * serve` child process, requests timed and never thrown, and the checks read in the database.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { startContactd, type ServedProcess } from './contactd-process.ts';

/** An HTTP answer and how long it took; `error` instead when the socket failed or timed out. */
export interface Answer {
  ms: number;
  status?: number;
  retryAfter?: string | null;
  contentType?: string | null;
  body?: any;
  error?: string;
}

/** A served contactd: its process, base URL and everything it printed. */
export type Served = ServedProcess;

export async function send(base: string, method: string, path: string, key: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      // Far beyond the 2 s promise: a hung connection is recorded, not waited for.
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after'), contentType, body: /json/.test(contentType ?? '') ? JSON.parse(text) : text };
  } catch (error) {
    return { ms: performance.now() - started, error: String((error as Error).cause ?? error) };
  }
}

/** A read through each platform API, and what its 503 body must look like there. */
export function dialectReads(accountId: string, keyId: string, zoomContact: string, eightByEightJob: string): { what: string; path: string; bearer: boolean; headers?: Record<string, string>; check: (body: any) => void }[] {
  // Kore.ai's JWT is read before its key is looked up (in the database): a well-formed one suffices.
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ appId: keyId, iat: Math.floor(Date.now() / 1000) })}.c2lnbmF0dXJl`;
  return [
    { what: 'zoom contact', path: zoomContact, bearer: true, check: (b) => assert.deepEqual([Object.keys(b).sort(), b.code], [['code', 'message'], 503]) },
    { what: '8x8 batch job', path: eightByEightJob, bearer: true, check: (b) => assert.deepEqual([Object.keys(b).sort(), b.code], [['code', 'errorId', 'message', 'timestamp'], 2000]) },
    { what: 'genesys contacts', path: '/genesys/api/v2/contacts', bearer: true, check: (b) => assert.deepEqual([Object.keys(b).sort(), b.statusCode], [['statusCode', 'statusMessage'], 4]) },
    { what: 'apptoto contacts', path: '/apptoto/v1/contacts', bearer: true, check: (b) => assert.deepEqual([Object.keys(b).sort(), b.code], [['code', 'message'], 'service_unavailable']) },
    { what: 'kore.ai contacts', path: '/agentassist/api/v1/public/st-outage/contacts', bearer: false, headers: { auth: jwt, accountId }, check: (b) => assert.equal(b.errors?.[0]?.code, 'ServiceUnavailable') },
    { what: 'native contacts', path: '/v1/contacts', bearer: true, check: (b) => assert.deepEqual([b.status, b.code], [503, 'service_unavailable']) },
  ];
}

/** Submits an 8x8 createContacts batch of `rows` contacts, `job-<n>@outage.test`; returns the accepted job. */
export async function submitBatchJob(base: string, key: string, accountId: string, rows: number): Promise<{ id: string }> {
  const csv = ['firstName,email', ...Array.from({ length: rows }, (_, n) => `Job ${n},job-${n}@outage.test`)].join('\n');
  const form = new FormData();
  form.set('file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  const res = await fetch(`${base}/8x8/api/v1/accounts/${accountId}/contacts/batches/createContacts`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  const body = await res.json();
  assert.equal(res.status, 202, JSON.stringify(body));
  return body;
}

/** Polls an 8x8 batch job until it is neither queued nor in progress (at most 30 s). */
export async function waitForJob(base: string, key: string, url: string): Promise<any> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await send(base, 'GET', url, key);
    if (res.status === 200 && !['queued', 'inProgress'].includes(res.body.status)) return res.body;
    await sleep(200);
  }
  assert.fail('the batch job did not finish within 30 s of the database coming back');
}

/** This account's contacts, each with its email and how many lookup rows it has. */
export async function contactsOf(url: string, accountId: string): Promise<{ id: string; email: string; indexed: number }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select c.id, c.emails, (select count(*) from contact_addresses a where a.account_id = c.account_id and a.contact_seq = c.seq and a.kind = 'email')::int as indexed
       from contacts c where c.account_id = $1`,
      [accountId],
    );
    return rows.map((r) => {
      const emails = typeof r.emails === 'string' ? JSON.parse(r.emails) : r.emails;
      return { id: r.id, email: emails[0].address, indexed: r.indexed };
    });
  } finally {
    await client.end();
  }
}

/** Starts `contactd serve` on this database (errors only in its log). */
export function startServer(databaseUrl: string): Promise<Served> {
  return startContactd({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
