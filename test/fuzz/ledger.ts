/**
 * What the fuzzed API said it wrote: the strings of every 2xx answer to a write, and the text of
 * every write request answered 2xx. After the run every contact in the database must be accounted
 * for by one of them (its id or external id answered, or its phone or email sent in an accepted
 * write): a contact nobody was told about was written by a request that failed.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/tables.ts';

export class Ledger {
  private readonly answered = new Set<string>();
  private readonly sentDigits: string[] = [];
  private readonly sentText: string[] = [];

  record(method: string, status: number, requestPayload: string | Buffer | undefined, answerBody: string): void {
    if (method === 'GET' || status < 200 || status >= 300) return;
    try {
      collectStrings(JSON.parse(answerBody), this.answered);
    } catch {
      // not JSON (a 204): nothing answered but the status
    }
    const text = requestPayload === undefined ? '' : String(requestPayload);
    this.sentText.push(text.toLowerCase());
    this.sentDigits.push(text.replace(/\D+/g, ' '));
  }

  /** Contacts of the database that no accepted write accounts for. */
  async unaccounted(db: Kysely<Database>): Promise<string[]> {
    const rows = await db.selectFrom('contacts').select(['id', 'external_id', 'phone_numbers', 'emails', 'status', 'merged_into']).execute();
    const digits = this.sentDigits.join(' | ');
    const text = this.sentText.join('\n');
    return rows
      .filter((row) => {
        if (this.answered.has(row.id) || (row.external_id !== null && this.answered.has(row.external_id))) return false;
        // A create merged into an existing contact keeps what it brought as a merged record of its own,
        // whose id the answer does not show: the survivor's is the one answered.
        if (row.status === 'merged' && row.merged_into !== null && this.answered.has(row.merged_into)) return false;
        const phones = (JSON.parse(row.phone_numbers) as { number?: string; e164?: string }[]).map((p) => String(p.e164 ?? p.number ?? '').replace(/\D/g, ''));
        if (phones.some((p) => p.length >= 7 && digits.includes(p.slice(-7)))) return false;
        const emails = (JSON.parse(row.emails) as { address?: string }[]).map((e) => String(e.address ?? '').toLowerCase());
        return !emails.some((e) => e.length > 0 && text.includes(e));
      })
      .map((row) => row.id);
  }
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectStrings(item, into);
}
