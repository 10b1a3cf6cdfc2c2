import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks 1.0 signing: `whsec_` secrets, `v1,` HMAC-SHA256 signatures over `id.timestamp.body`. */

const PREFIX = 'whsec_';

/** `whsec_` + base64 of 32 random bytes. */
export function newSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** One `v1,<base64>` signature per secret, space-separated (the newest first). */
export function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets.map((secret) => `v1,${createHmac('sha256', Buffer.from(secret.slice(PREFIX.length), 'base64')).update(`${id}.${timestamp}.${body}`).digest('base64')}`).join(' ');
}

/**
 * The `webhook-id` of a change: the same for every attempt and replay of it, and different for
 * every account and position (positions are numbered per account, so the account is in it).
 */
export function eventIdOf(accountId: string, position: number): string {
  return `msg_${position}_${createHash('sha256').update(accountId).digest('hex').slice(0, 16)}`;
}
