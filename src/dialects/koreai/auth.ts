import type { FastifyRequest } from 'fastify';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { AccountService } from '../../core/directory/account.service.ts';
import type { Scope } from '../../core/types.ts';
import { bearerTokenOf } from '../../http/auth.ts';
import { identifyCaller, type CallerResult } from '../shared/credentials.ts';

const MAX_JWT_LENGTH = 4096;

const refuse = (message: string): CallerResult => ({ refusal: { status: 401, message } });

/**
 * Kore.ai's scheme (README Decision): header `auth: <JWT>` and header `accountId`. The JWT is
 * HS256, its `appId` claim names one of the account's API keys, `iat` is required, `exp` holds
 * when present, and it is signed with that API key (the secret) as the HMAC secret. The account
 * id must be the key's. `Authorization: Bearer <api key>` works too (accountId then optional).
 */
export async function identifyKoreCaller(request: FastifyRequest, accounts: AccountService, scope: Scope): Promise<CallerResult> {
  const accountId = headerOf(request, 'accountid');
  const bearer = bearerTokenOf(request);
  if (bearer !== null) return identifyCaller(accounts, bearer, scope, accountId);
  const token = headerOf(request, 'auth');
  if (token === undefined) return refuse('send a JWT in the "auth" header and the account id in the "accountId" header');
  if (accountId === undefined) return refuse('the "accountId" header is required');
  if (token.length > MAX_JWT_LENGTH) return refuse('the JWT is not valid');

  let appId: unknown;
  try {
    if (decodeProtectedHeader(token).alg !== 'HS256') return refuse('the JWT must be signed with HS256');
    appId = decodeJwt(token).appId;
  } catch {
    return refuse('the JWT is not valid');
  }
  if (typeof appId !== 'string' || appId === '') return refuse('the JWT has no appId claim');

  const signer = await accounts.signingKeyOf(appId);
  if (!signer) return refuse('the appId is not a known, unrevoked API key');
  try {
    const { payload } = await jwtVerify(token, signer.hmacKey, { algorithms: ['HS256'] });
    if (typeof payload.iat !== 'number') return refuse('the JWT has no iat claim');
  } catch (error) {
    const code = (error as { code?: string }).code;
    return refuse(code === 'ERR_JWT_EXPIRED' ? 'the JWT has expired' : 'the JWT signature or claims are not valid');
  }
  if (accountId !== signer.principal.accountId) return refuse('the accountId is not the account of this appId');
  if (!signer.principal.scopes.includes(scope)) return { refusal: { status: 403, message: `this API key lacks the ${scope} scope`, caller: signer.principal } };
  return { principal: signer.principal };
}

/** One header's value; a repeated header counts as malformed (absent). */
function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
