import type { FastifyInstance } from 'fastify';
import { MAX_JSON_DEPTH } from './limits.ts';

/** A JSON body nested deeper than MAX_JSON_DEPTH: refused before parsing (each API renders it as a malformed body). */
export class JsonTooDeepError extends Error {
  readonly statusCode = 400;
  readonly code = 'CTD_JSON_TOO_DEEP';
  constructor() {
    super(`the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/**
 * Whether JSON text opens more than `max` objects or arrays at once. A linear scan of the raw
 * text (brackets inside strings do not count), so that nothing recursive ever sees a body that
 * could exhaust the stack: validation, the NUL guard and merge patches all walk values recursively.
 */
export function jsonDepthExceeds(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * JSON, JSON merge patch and JSON Patch (8x8) bodies, parsed safely (no __proto__ poisoning, no
 * nesting past MAX_JSON_DEPTH). An empty body is no body: many clients send a JSON content type on
 * DELETE; a route that needs a body says so.
 */
export function registerJsonParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error') as (req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => void;
  // Only JSON is spoken: anything else, text/plain included, is a 415.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'application/merge-patch+json', 'application/json-patch+json'], { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    if (jsonDepthExceeds(text)) return done(new JsonTooDeepError(), undefined);
    return parseJson(request, text, done);
  });
}
