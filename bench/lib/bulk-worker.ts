// Bulk loader process: POSTs /v1/contacts/batch requests of `batchSize` contacts, `concurrency` at a time.
import { readFileSync } from 'node:fs';
import { benchContact } from './data.ts';

export interface BulkInput {
  url: string;
  key: string;
  addressBookId: string;
  count: number;
  batchSize: number;
  concurrency: number;
}

export interface BulkResult {
  contacts: number;
  failed: number;
  seconds: number;
  contactsPerSecond: number;
}

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BulkInput;
let nextStart = 0;
let failed = 0;
let stored = 0;

async function loader(): Promise<void> {
  for (;;) {
    const start = nextStart;
    if (start >= input.count) return;
    nextStart += input.batchSize;
    const contacts = [];
    for (let i = start; i < Math.min(start + input.batchSize, input.count); i++) contacts.push(benchContact(i, input.addressBookId));
    const res = await fetch(`${input.url}/v1/contacts/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${input.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contacts }),
    });
    if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const { results } = (await res.json()) as { results: { status: number }[] };
    for (const r of results) r.status === 201 ? stored++ : failed++;
  }
}

const began = performance.now();
await Promise.all(Array.from({ length: input.concurrency }, loader));
const seconds = (performance.now() - began) / 1000;
const summary: BulkResult = { contacts: stored, failed, seconds, contactsPerSecond: stored / seconds };
console.log(JSON.stringify(summary));
