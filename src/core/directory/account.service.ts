import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_BOOK_NAME } from './address-book.service.ts';
import { newDefaultUnit } from './unit.service.ts';
import { newId, nowIso } from '../clock.ts';
import { DomainError } from '../errors.ts';
import type { ChangeActor } from '../journal/change.types.ts';
import { recordChange } from '../journal/journal.ts';
import type { Store } from '../ports.ts';
import { SCOPES, type Account, type ApiKey, type Principal, type Scope } from '../types.ts';

const KEY_PREFIX = 'cdk_';

/** Accounts and keys are made and revoked with the CLI, which holds no key. */
const CLI_ACTOR: ChangeActor = { keyId: null, surface: 'cli', requestId: null };

/** What each scope also grants: write implies read, admin implies everything. */
const IMPLIED: Record<Scope, Scope[]> = {
  'contacts:read': ['contacts:read'],
  'contacts:write': ['contacts:write', 'contacts:read'],
  admin: [...SCOPES],
};

/** Accounts (tenants) and their API keys. Keys are stored as SHA-256 hashes and shown once. */
export class AccountService {
  constructor(private readonly store: Store) {}

  /** Creates an account with its default unit and address book and an admin key holding every scope. */
  async createAccount(name: string, by: ChangeActor = CLI_ACTOR): Promise<{ account: Account; apiKey: string; keyId: string }> {
    return this.store.transaction(async (tx) => {
      const now = nowIso();
      const account: Account = { id: newId(), name, created_at: now };
      await tx.accounts.insert(account);
      const unit = await tx.units.insert(newDefaultUnit(account.id, now));
      const book = await tx.addressBooks.insert({
        id: newId(),
        account_id: account.id,
        name: DEFAULT_BOOK_NAME,
        description: 'Every account has one; platforms without address books use it.',
        duplicate_policy: 'allow',
        is_default: true,
        unit_id: unit.id,
        created_at: now,
        updated_at: now,
      });
      const { key, secret } = newKey(account.id, [...SCOPES]);
      await tx.apiKeys.insert(key, hashSecret(secret));
      recordChange(tx, by, 'address_book', 'created', null, book);
      recordChange(tx, by, 'api_key', 'created', null, key);
      return { account, apiKey: secret, keyId: key.id };
    });
  }

  async listAccounts(): Promise<Account[]> {
    return this.store.accounts.list();
  }

  async createKey(accountId: string, scopes: Scope[], by: ChangeActor | Principal = CLI_ACTOR): Promise<{ key: ApiKey; apiKey: string }> {
    if (!(await this.store.accounts.find(accountId))) throw new DomainError('account_not_found', `no account with id ${accountId}`);
    const { key, secret } = newKey(accountId, scopes);
    await this.store.transaction(async (tx) => {
      await tx.apiKeys.insert(key, hashSecret(secret));
      recordChange(tx, by, 'api_key', 'created', null, key);
    });
    return { key, apiKey: secret };
  }

  async listKeys(accountId: string): Promise<ApiKey[]> {
    if (!(await this.store.accounts.find(accountId))) throw new DomainError('account_not_found', `no account with id ${accountId}`);
    return this.store.apiKeys.list(accountId);
  }

  async revokeKey(keyId: string, by: ChangeActor | Principal = CLI_ACTOR): Promise<ApiKey> {
    const key = await this.store.apiKeys.find(keyId);
    if (!key) throw new DomainError('api_key_not_found', `no API key with id ${keyId}`);
    if (key.revoked_at) return key;
    const revoked = { ...key, revoked_at: nowIso() };
    await this.store.transaction(async (tx) => {
      await tx.apiKeys.revoke(keyId, revoked.revoked_at);
      recordChange(tx, by, 'api_key', 'updated', key, revoked);
    });
    return revoked;
  }

  /** The caller's account's keys (the console's and /v1/api-keys' view: no secrets, which are never kept). */
  async keysOf(actor: Principal): Promise<ApiKey[]> {
    return this.store.apiKeys.list(actor.accountId);
  }

  /** A key of the caller's account; its secret is in the answer and nowhere else, ever. */
  async createKeyFor(actor: Principal, scopes: Scope[]): Promise<{ key: ApiKey; apiKey: string }> {
    return this.createKey(actor.accountId, scopes, actor);
  }

  /** Revokes a key of the caller's account; another account's key is as unknown as a missing one. */
  async revokeKeyOf(actor: Principal, keyId: string): Promise<ApiKey> {
    const key = await this.store.apiKeys.find(keyId);
    if (!key || key.account_id !== actor.accountId) throw new DomainError('api_key_not_found', `no API key with id ${keyId}`);
    return this.revokeKey(keyId, actor);
  }

  /** The caller behind an API key, or null when the key is unknown or revoked. */
  async authenticate(secret: string): Promise<Principal | null> {
    if (!secret.startsWith(KEY_PREFIX) || secret.length > 200) return null;
    const key = await this.store.apiKeys.findBySecretHash(hashSecret(secret));
    if (!key || key.revoked_at !== null) return null;
    return principalOf(key);
  }

  /**
   * The caller behind a key id, with the HMAC-SHA256 key that reproduces signatures made with
   * that API key's secret (Kore.ai's JWTs are HS256 signed with the API key). HMAC hashes a key
   * longer than its 64-byte block with SHA-256 first, and secrets are longer than that, so the
   * stored SHA-256 of the secret is that HMAC key: the secret itself is never kept.
   * Null when the key is unknown or revoked. (A key made before secrets grew past 64 bytes
   * cannot sign such JWTs: its signatures simply do not verify.)
   */
  async signingKeyOf(keyId: string): Promise<{ principal: Principal; hmacKey: Buffer } | null> {
    if (!/^[0-9a-f-]{36}$/i.test(keyId)) return null;
    const found = await this.store.apiKeys.findWithSecretHash(keyId);
    if (!found || found.key.revoked_at !== null) return null;
    return { principal: principalOf(found.key), hmacKey: Buffer.from(found.secretHash, 'hex') };
  }
}

/** Scopes with what each implies, worked out once per key object (cached keys are the same object on every request). */
const expandedScopes = new WeakMap<ApiKey, readonly Scope[]>();

function principalOf(key: ApiKey): Principal {
  let scopes = expandedScopes.get(key);
  if (!scopes) expandedScopes.set(key, (scopes = Object.freeze([...new Set(key.scopes.flatMap((s) => IMPLIED[s]))])));
  // The surface is the native API's until a dialect's auth says otherwise (dialects/shared/mount.ts).
  return { accountId: key.account_id, keyId: key.id, scopes: scopes as Scope[], surface: 'native' };
}

function newKey(accountId: string, scopes: Scope[]): { key: ApiKey; secret: string } {
  const key: ApiKey = { id: newId(), account_id: accountId, scopes: [...new Set(scopes)], created_at: nowIso(), revoked_at: null };
  // 48 random bytes: 68 characters with the prefix, past HMAC's 64-byte block (see signingKeyOf).
  return { key, secret: KEY_PREFIX + randomBytes(48).toString('base64url') };
}

// The secret has 256 random bits, so a fast hash is safe here and keeps every request cheap.
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function parseScopes(text: string): Scope[] {
  const scopes = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new DomainError('validation_failed', `scopes must be a comma-separated list of ${SCOPES.join(', ')}`, [{ path: 'scopes', message: `unknown scope ${unknown.join(', ')}` }]);
  }
  return scopes as Scope[];
}
