import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from '../core/errors.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

// The errors as node-postgres, Node's sockets and better-sqlite3 raise them (code, message).
// The whole path (a real cluster stopped and crashed under load) is test/store/postgres-outage.test.ts.
test('errors that mean "the database is away" are recognised', () => {
  const away = [
    { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    { code: 'ECONNRESET', message: 'read ECONNRESET' },
    { code: '57P01', message: 'terminating connection due to administrator command' },
    { code: '57P02', message: 'terminating connection because of crash of another server process' },
    { code: '57P03', message: 'the database system is starting up' },
    { code: '53300', message: 'sorry, too many clients already' },
    { code: '08006', message: 'connection failure' },
    { message: 'Connection terminated unexpectedly' },
    { message: 'timeout exceeded when trying to connect' },
    { message: 'Client has encountered a connection error and is not queryable' },
    { code: 'SQLITE_BUSY', message: 'database is locked' },
  ];
  for (const error of away) assert.equal(isDatabaseUnavailable(Object.assign(new Error(error.message), error)), true, error.message);
});

test('refusals and other failures are left as they are', () => {
  const others = [
    { code: '23505', message: 'duplicate key value violates unique constraint' },
    { code: '40P01', message: 'deadlock detected' },
    { code: '42P01', message: 'relation "contacts" does not exist' },
    { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed' },
    { message: 'something else' },
  ];
  for (const error of others) assert.equal(isDatabaseUnavailable(Object.assign(new Error(error.message), error)), false, error.message);
  assert.equal(isDatabaseUnavailable(new DomainError('not_found', 'no such thing')), false);
  assert.equal(isDatabaseUnavailable(undefined), false);
});
