import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Headers a stranger can rely on: `nosniff` on every answer (a JSON body is never sniffed into
 * HTML), and `no-store` on every answer of the APIs that carry contacts (`/v1` and each dialect's
 * mount, successes and errors alike), so that no shared cache or browser keeps personal data.
 */
export function setResponseHeaders(request: FastifyRequest, reply: FastifyReply, contactMounts: string[]): void {
  reply.header('x-content-type-options', 'nosniff');
  const path = request.url;
  if (path.startsWith('/v1/') || contactMounts.some((mount) => path.startsWith(mount))) reply.header('cache-control', 'no-store');
}

/** The headers on every answer sent through Fastify's hooks (the router's own refusals set them themselves). */
export function registerResponseHeaders(app: FastifyInstance, contactMounts: () => string[]): void {
  app.addHook('onSend', async (request, reply) => setResponseHeaders(request, reply, contactMounts()));
}
