import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

export { assertMultipartBoundary } from '../../http/multipart-boundary.ts';

/**
 * A body sent with a `boundary=` parameter is multipart whatever media type it names: Kore.ai's
 * own import sample sends `content-type: application/json` beside curl's `--form`, and curl
 * then appends its boundary to that header. For upload routes only (an onRequest hook).
 */
export async function readBoundaryAsMultipart(request: FastifyRequest): Promise<void> {
  const type = request.headers['content-type'] ?? '';
  const boundary = /;\s*boundary=([^;]+)/i.exec(type)?.[1];
  if (boundary !== undefined && !/^multipart\/form-data/i.test(type)) request.headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
}

/** Room for the form's other fields and the part headers beside the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * Refuses an upload whose Content-Length already says it is over the file limit, before its body
 * is read (Fastify does so for JSON bodies, but multipart bodies are streamed to the route). The
 * error has the code of the multipart reader's own refusal of too large a file.
 */
export function refuseOversizeUpload(maxFileBytes: number): onRequestAsyncHookHandler {
  return async (request) => {
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > maxFileBytes + FORM_OVERHEAD_BYTES) {
      throw Object.assign(new Error(`the upload is larger than ${Math.round(maxFileBytes / (1024 * 1024))} MB`), { statusCode: 413, code: 'FST_REQ_FILE_TOO_LARGE' });
    }
  };
}
