// Load generator process: runs autocannon against one URL and prints its summary as JSON.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { nationalNumber } from './data.ts';

export interface LoadInput {
  url: string;
  key?: string;
  connections: number;
  seconds: number;
  /** GET these paths in turn, or POST unique contacts to `createPath`. */
  paths?: string[];
  createPath?: string;
  createOffset?: number;
  /** Which API's create body to send to `createPath` (default: native). */
  createDialect?: CreateDialect;
}

export type CreateDialect = 'native' | 'zoom' | '8x8';

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  created: number;
}

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadInput;
const headers: Record<string, string> = { 'content-type': 'application/json', ...(input.key ? { authorization: `Bearer ${input.key}` } : {}) };
let next = 0;

const request = input.createPath
  ? {
      method: 'POST' as const,
      path: input.createPath,
      setupRequest: (req: any) => {
        const n = next++;
        const body = createBody(input.createDialect ?? 'native', n, `+1${nationalNumber(n, false, input.createOffset ?? 0)}`, `load.${input.createOffset ?? 0}.${n}@example.com`);
        return { ...req, body: JSON.stringify(body) };
      },
    }
  : { method: 'GET' as const, setupRequest: (req: any) => ({ ...req, path: input.paths![next++ % input.paths!.length] }) };

/** The same contact in each API's own create body. */
function createBody(dialect: CreateDialect, n: number, phone: string, email: string): object {
  switch (dialect) {
    case 'zoom':
      return { display_name: `Load Test${n}`, first_name: 'Load', last_name: `Test${n}`, phone_numbers: [phone], emails: [email] };
    case '8x8':
      return { firstName: 'Load', lastName: `Test${n}`, addresses: { msisdn: phone.slice(1), email } };
    default:
      return { first_name: 'Load', last_name: `Test${n}`, phone_numbers: [{ number: phone, type: 'mobile' }], emails: [{ address: email }] };
  }
}

const result = await autocannon({ url: input.url, connections: input.connections, duration: input.seconds, headers, requests: [request] });
const created = input.createPath ? result['2xx'] : 0;
const summary: LoadResult = {
  requests: result.requests.total,
  rps: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  created,
};
console.log(JSON.stringify(summary));
