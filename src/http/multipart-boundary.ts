import type { FastifyRequest } from 'fastify';
import { invalidField } from '../core/errors.ts';

/**
 * A multipart body cannot be read without its boundary: refused as a bad field (a 400, or the
 * platform's) before the reader would throw an error of its own (a 500).
 */
export function assertMultipartBoundary(request: FastifyRequest, field: string): void {
  if (!/;\s*boundary=/i.test(request.headers['content-type'] ?? '')) {
    throw invalidField(field, 'the multipart/form-data content type names no boundary');
  }
}
