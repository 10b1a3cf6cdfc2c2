import type { FastifyInstance } from 'fastify';
import { DomainError, FieldErrors } from '../core/errors.ts';

/**
 * PostgreSQL text cannot hold U+0000, and no contact data needs it: refuse it at the edge so that
 * both engines answer alike. In a body or query it is a 400 naming the field; in a path, no
 * resource can have such an id, so it is a 404.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (Object.values((request.params ?? {}) as Record<string, unknown>).some((v) => typeof v === 'string' && v.includes('\u0000'))) {
      throw new DomainError('not_found', 'no resource has this id');
    }
    const errors = new FieldErrors();
    collectNul(request.query, '', errors);
    collectNul(request.body, '', errors);
    errors.throwIfAny();
  });
}

function collectNul(value: unknown, path: string, errors: FieldErrors): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) errors.add(path || 'body', 'must not contain NUL characters');
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collectNul(item, `${path}[${i}]`, errors));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) errors.add(path || 'body', 'must not contain NUL characters');
      else collectNul(item, path ? `${path}.${key}` : key, errors);
    }
  }
}
