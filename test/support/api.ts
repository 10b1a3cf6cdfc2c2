import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type App, type AppDependencies } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import type { Principal } from '../../src/core/types.ts';
import type { TestEngine, OpenedDatabase } from './engines.ts';

/** An app on a private database, with one account and a key of each kind. */
export interface TestApi {
  app: App;
  db: OpenedDatabase;
  accountId: string;
  keys: { admin: string; write: string; read: string };
  /** The admin key's caller, for tests that call the core's services directly. */
  admin: Principal;
  /** Sends a request with the admin key unless `key` says otherwise (null: no key). */
  call(method: InjectOptions['method'], url: string, body?: unknown, options?: { key?: string | null; headers?: Record<string, string> }): Promise<Response>;
  /** A second account with its own admin key, for tenancy checks. */
  otherAccount(): Promise<{ accountId: string; key: string }>;
  /** A fresh address book (unique name) with this duplicate policy; returns its id. */
  newBook(policy?: 'allow' | 'reject' | 'merge'): Promise<string>;
  /** Creates a contact with the admin key, asserting a 201; returns the body. */
  createContact(body: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

export interface Response {
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: any;
  raw: LightMyRequestResponse;
}

export async function startApi(engine: TestEngine, env: Record<string, string> = {}, deps: Pick<AppDependencies, 'importReader'> = {}): Promise<TestApi> {
  const db = await engine.open();
  // Limits off unless a test turns them on: the heavier suites would otherwise meet them.
  const config = readConfig({ DATABASE_URL: db.databaseUrl, LOG_LEVEL: 'silent', RATE_LIMIT_PER_SECOND: '0', ...env });
  const app = await buildApp(config, { store: db.store, logger: false, ...deps });
  await app.ready();
  const { account, apiKey } = await app.services.accounts.createAccount('Test account');
  const write = (await app.services.accounts.createKey(account.id, ['contacts:write'])).apiKey;
  const read = (await app.services.accounts.createKey(account.id, ['contacts:read'])).apiKey;
  const keys = { admin: apiKey, write, read };
  const admin = (await app.services.accounts.authenticate(apiKey))!;

  async function call(method: InjectOptions['method'], url: string, body?: unknown, options: { key?: string | null; headers?: Record<string, string> } = {}): Promise<Response> {
    const key = options.key === undefined ? keys.admin : options.key;
    const headers: Record<string, string> = { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...options.headers };
    const raw = await app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) });
    const type = String(raw.headers['content-type'] ?? '');
    return { status: raw.statusCode, headers: raw.headers, body: type.includes('json') && raw.body !== '' ? raw.json() : raw.body, raw };
  }

  return {
    app,
    db,
    accountId: account.id,
    keys,
    admin,
    call,
    async newBook(policy) {
      const res = await call('POST', '/v1/address-books', { name: `book ${randomUUID()}`, ...(policy ? { duplicate_policy: policy } : {}) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id;
    },
    async createContact(body) {
      const res = await call('POST', '/v1/contacts', body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    },
    async otherAccount() {
      const other = await app.services.accounts.createAccount('Other account');
      return { accountId: other.account.id, key: other.apiKey };
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** Unique phone numbers per test, so tests never depend on each other's data. */
let phoneCounter = Math.floor(Math.random() * 1_000_000);
export function uniquePhone(): string {
  phoneCounter = (phoneCounter + 1) % 10_000_000;
  return `+1651${String(phoneCounter).padStart(7, '0')}`;
}
