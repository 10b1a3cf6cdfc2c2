import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Headers a stranger can rely on: `nosniff` on every answer (a JSON body is never sniffed into
 * HTML), and `no-store` on every answer of the APIs that carry contacts (`/v1` and each dialect's
 * mount, successes and errors alike), so that no shared cache or browser keeps personal data.
 */
export function setResponseHeaders(request: FastifyRequest, reply: FastifyReply, contactMounts: readonly string[]): void {
  reply.header('x-content-type-options', 'nosniff');
  if (contactMounts.some((mount) => request.url.startsWith(mount))) reply.header('cache-control', 'no-store');
}

/**
 * The headers on every answer sent through Fastify's hooks (the router's own refusals set them
 * themselves). `contactMounts` is read per answer: the app adds the dialects' mounts once they are registered.
 */
export function registerResponseHeaders(app: FastifyInstance, contactMounts: readonly string[]): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    setResponseHeaders(request, reply, contactMounts);
    done(null, payload);
  });
}
