import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../core/errors.ts';
import type { Services } from '../core/services.ts';

/** What every route module receives from buildApp. */
export interface HttpContext {
  app: FastifyInstance;
  services: Services;
  /** The strict body validator of a named schema, for bodies checked item by item (batches). */
  validateBody: (schemaId: string) => (data: unknown) => FieldError[];
}
