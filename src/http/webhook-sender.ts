import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { hostOf, resolveDeliveryAddress, type ResolvedAddress } from '../core/webhooks/address-guard.ts';
import type { SendOutcome, WebhookSender } from '../core/webhooks/delivery.worker.ts';

/**
 * Connections are kept between deliveries (an endpoint gets its events one after another). A kept
 * socket stays connected to the address checked when it was opened; a new one is checked anew.
 */
const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 4 }) };

/** How much of an answer is kept with the attempt. */
const KEPT_BYTES = 1024;

/**
 * Webhook deliveries over node:http(s). The host is resolved once and checked by the SSRF guard;
 * the connection goes to that checked address (the request's `lookup` answers with it), so a
 * DNS answer that changes between check and connect is never used. Redirects are not followed.
 */
export const httpWebhookSender: WebhookSender = {
  async send({ url, headers, body, timeoutMs, allowPrivate }): Promise<SendOutcome> {
    const started = performance.now();
    const failed = (error: string): SendOutcome => ({ status: null, body: null, retryAfter: null, error, durationMs: performance.now() - started });
    let target: URL;
    let address: ResolvedAddress;
    try {
      target = new URL(url);
      address = await resolveDeliveryAddress(hostOf(target), allowPrivate);
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error));
    }
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      let complete = false;
      const settle = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // An answer read whole leaves its socket for the next delivery; anything else closes it.
        if (!outcome.status || !complete) request.destroy();
        resolve(outcome);
      };
      const client = target.protocol === 'https:' ? https : http;
      const request = client.request(target, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(address),
        agent: agents[target.protocol as 'http:' | 'https:'],
      }, (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('end', () => (complete = true));
        const done = () => {
          const text = Buffer.concat(chunks).subarray(0, KEPT_BYTES).toString('utf8');
          const retryAfter = response.headers['retry-after'];
          settle({ status: response.statusCode ?? null, body: text, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, error: null, durationMs: performance.now() - started });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          kept += chunk.length;
          if (kept >= KEPT_BYTES) done();
        });
        response.on('end', done);
        response.on('error', done);
      });
      const timer = setTimeout(() => settle(failed(`no answer within ${timeoutMs} ms`)), timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) => settle(failed(error.code ? `${error.code}: ${error.message}` : error.message)));
      request.end(body);
    });
  },
};

/** A lookup that answers with the address already checked, whatever the name. */
function pinnedLookup(resolved: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: resolved.address, family: resolved.family }]);
    else callback(null, resolved.address, resolved.family);
  }) as unknown as LookupFunction;
}
