import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * What a registered dialect tells the app: where it is mounted and how it renders an error.
 * Fastify answers some failures before any route or plugin is chosen (a malformed
 * percent-encoding in the path, say); the app hands those under a dialect's mount to it, so that
 * its clients meet the platform's error format there too.
 */
export interface MountedDialect {
  /** The literal path prefix, ending in `/`. */
  mount: string;
  renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply;
}
