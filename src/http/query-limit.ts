import { parse } from 'node:querystring';
import type { FastifyInstance } from 'fastify';
import { MAX_QUERY_PARAMETERS } from './limits.ts';

/** A query string with more than MAX_QUERY_PARAMETERS parameters (each API renders this 400 its own way). */
export class TooManyParametersError extends Error {
  readonly statusCode = 400;
  readonly code = 'CTD_TOO_MANY_PARAMETERS';
  constructor() {
    super(`the query string has more than ${MAX_QUERY_PARAMETERS} parameters`);
  }
}

const TOO_MANY = Symbol('too many query parameters');

/**
 * Node's query string parser (the shape of the router's default: a repeated key becomes an
 * array) with a cap on the parameter count. The router parses the query before any hook runs and
 * cannot answer a refusal itself, so an over-long query parses to an empty, marked object and an
 * onRequest hook (whose error each API's error handler renders) refuses it.
 */
export function parseQueryString(query: string): Record<string, unknown> {
  if (query.length === 0) return {};
  let separators = 0;
  for (let i = query.indexOf('&'); i !== -1; i = query.indexOf('&', i + 1)) {
    if (++separators >= MAX_QUERY_PARAMETERS) return Object.defineProperty({}, TOO_MANY, { value: true });
  }
  return parse(query, '&', '=', { maxKeys: 0 }) as Record<string, unknown>;
}

export function registerQueryLimit(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    done((request.query as Record<symbol, unknown> | undefined)?.[TOO_MANY] ? new TooManyParametersError() : undefined);
  });
}
