import type { TestApi } from '../../support/api.ts';

/** `Authorization: Basic` with the account id as user name and an API key as password (README Decision for Genesys and Apptoto). */
export function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/**
 * Credentials that must be refused with a 401 by a platform speaking HTTP Basic (account id :
 * API key) beside Bearer: revoked, wrong, another account's id, malformed, another scheme.
 */
export async function refusedBasicCredentials(api: TestApi): Promise<[string, Record<string, string>][]> {
  const other = await api.otherAccount();
  const revoked = await api.app.services.accounts.createKey(api.accountId, ['contacts:write']);
  await api.app.services.accounts.revokeKey(revoked.key.id);
  return [
    ['Basic with a revoked key', basic(api.accountId, revoked.apiKey)],
    ['Bearer with a revoked key', { authorization: `Bearer ${revoked.apiKey}` }],
    ['none', {}],
    ['Basic with a wrong key', basic(api.accountId, 'cdk_wrong')],
    ['Basic with another account id', basic(other.accountId, api.keys.admin)],
    ['Basic without a colon', { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }],
    ['Basic that is not base64', { authorization: 'Basic %%%' }],
    ['Basic with an empty password', basic(api.accountId, '')],
    ['Bearer with a wrong key', { authorization: 'Bearer cdk_wrong' }],
    ['an unknown scheme', { authorization: `Digest ${api.keys.admin}` }],
  ];
}
