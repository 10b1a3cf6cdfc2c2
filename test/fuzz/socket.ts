import { request as httpRequest } from 'node:http';
import type { FuzzRequest } from './requests.ts';

/**
 * Sends a request through a real TCP connection and resolves with the answer; rejects when the
 * connection drops before an answer arrives (an error after the answer, e.g. the server closing
 * while a refused body is still being written, is the server's right).
 */
export function sendOverSocket(baseUrl: string, fuzz: FuzzRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const { hostname, port } = new URL(baseUrl);
    // The path goes as generated, not normalized by a URL parser.
    const req = httpRequest({ hostname, port, path: fuzz.url, method: fuzz.method, headers: fuzz.headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(new Error(`connection dropped before an answer: ${error.message}`));
    });
    req.end(fuzz.payload);
  });
}
