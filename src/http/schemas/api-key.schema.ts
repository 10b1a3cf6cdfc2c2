import { Type } from 'typebox';
import { SCOPES } from '../../core/types.ts';
import { Id, Nullable, Timestamp } from './common.ts';

/** API keys over HTTP (the console's key page) and the caller's own identity. */

const ScopeList = Type.Array(Type.Enum([...SCOPES]), { minItems: 1, uniqueItems: true, description: 'What the key may do: `contacts:write` implies `contacts:read`, `admin` implies both.', examples: [['contacts:read']] });

export const ApiKey = Type.Object(
  {
    id: Id,
    account_id: Id,
    scopes: ScopeList,
    created_at: Timestamp,
    revoked_at: Nullable(Type.String({ format: 'date-time', description: 'When it was revoked; null while it works.' })),
  },
  { $id: 'ApiKey', description: 'An API key, without its secret (which is shown once, when made, and never stored).' },
);

export const ApiKeyList = Type.Object({ data: Type.Array(Type.Ref('ApiKey')) }, { $id: 'ApiKeyList', description: 'Every key of the account, revoked ones included.' });

export const ApiKeyCreate = Type.Object({ scopes: ScopeList }, { $id: 'ApiKeyCreate', additionalProperties: false });

export const ApiKeyCreated = Type.Object(
  {
    key: Type.Ref('ApiKey'),
    api_key: Type.String({ description: 'The secret to send as `Authorization: Bearer <api_key>`. Shown this once only.', examples: ['cdk_…'] }),
  },
  { $id: 'ApiKeyCreated' },
);

export const Me = Type.Object(
  {
    account_id: Id,
    key_id: Id,
    scopes: Type.Array(Type.Enum([...SCOPES]), { description: 'Every scope the key holds, implied ones included.' }),
  },
  { $id: 'Me', description: 'The caller: the account and key behind the request, and what it may do.' },
);
