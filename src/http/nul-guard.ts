import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, FieldErrors } from '../core/errors.ts';

/**
 * PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate (`"\ud800"`, which JSON.parse
 * lets through) cannot be written as UTF-8: each engine stored its own mangling of it. No contact
 * data needs either: refuse both at the edge so that both engines answer alike. In a body or
 * query it is a 400 naming the field; in a path, no resource can have such an id, so it is a 404.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      refuseUnsafeText(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

function refuseUnsafeText(request: FastifyRequest): void {
  if (Object.values((request.params ?? {}) as Record<string, unknown>).some((v) => typeof v === 'string' && unsafeTextProblem(v) !== undefined)) {
    throw new DomainError('not_found', 'no resource has this id');
  }
  const errors = new FieldErrors();
  collectNul(request.query, '', errors);
  // A file streamed through (imports) is not parsed here: its reader checks what it holds.
  if (!(request.body instanceof Readable)) collectNul(request.body, '', errors);
  errors.throwIfAny();
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unsafeTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

function collectNul(value: unknown, path: string, errors: FieldErrors): void {
  if (typeof value === 'string') {
    const problem = unsafeTextProblem(value);
    if (problem) errors.add(path || 'body', problem);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collectNul(item, `${path}[${i}]`, errors));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = unsafeTextProblem(key);
      if (problem) errors.add(path || 'body', problem);
      else collectNul(item, path ? `${path}.${key}` : key, errors);
    }
  }
}
