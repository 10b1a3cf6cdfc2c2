import { accessSync, constants, createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { basename, extname } from 'node:path';
import cliProgress from 'cli-progress';
import type { Config } from '../config.ts';
import { DomainError, invalidField } from '../core/errors.ts';
import type { ImportJob } from '../core/imports/import-job.types.ts';
import type { ImportOptions } from '../core/imports/import.types.ts';
import { summaryOf } from '../core/imports/import-summary.ts';
import { streamErrorsCsv } from '../core/imports/import-errors-csv.ts';
import { createServices } from '../core/services.ts';
import type { Principal } from '../core/types.ts';
import { openStore } from '../runtime.ts';

export interface ImportCommandOptions {
  account: string;
  book?: string;
  mode?: string;
  mapping?: string;
  dryRun?: boolean;
  defaultRegion?: string;
  errors?: string;
}

const TYPES: Record<string, string> = { '.csv': 'text/csv', '.vcf': 'text/vcard', '.vcard': 'text/vcard', '.ndjson': 'application/x-ndjson', '.jsonl': 'application/x-ndjson' };

/**
 * `contactd import FILE`: the same job as POST /v1/imports, run in this process as the account's
 * CLI caller (journalled with surface `import` and no key). A progress bar on a terminal; else one
 * JSON line per 10 %; then the summary, with where the refused rows are.
 */
export async function runImportCommand(config: Config, file: string, opts: ImportCommandOptions, print: (value: unknown) => void): Promise<number> {
  if (opts.mode !== undefined && opts.mode !== 'create' && opts.mode !== 'upsert') throw invalidField('--mode', 'must be create or upsert');
  assertReadableFile(file);
  const options: ImportOptions = {
    mode: (opts.mode ?? 'create') as ImportOptions['mode'],
    dry_run: opts.dryRun === true,
    ...(opts.book ? { address_book_id: opts.book } : {}),
    ...(opts.defaultRegion ? { default_region: opts.defaultRegion.toUpperCase() } : {}),
    ...(opts.mapping ? { mapping: readMapping(opts.mapping) } : {}),
  };
  const { store, handle } = await openStore(config);
  try {
    const services = createServices(store, config);
    const account = (await services.accounts.listAccounts()).find((a) => a.id === opts.account);
    if (!account) throw new DomainError('account_not_found', `no account with id ${opts.account}`);
    const actor: Principal = { accountId: account.id, keyId: '', scopes: ['admin', 'contacts:write', 'contacts:read'], surface: 'import' };
    const job = await services.imports.accept(actor, { body: createReadStream(file), contentType: TYPES[extname(file).toLowerCase()], fileName: basename(file), options }, false);
    const total = statSync(file).size;
    const progress = progressReporter(total);
    const done = await services.imports.runHere(job, progress.update);
    progress.stop();
    const summary: Record<string, unknown> = { ...summaryOf(done), errors_url: `/v1/imports/${done.id}/errors` };
    if (done.failed > 0 && opts.errors) {
      await pipeline(streamErrorsCsv(done, () => services.imports.allErrors(actor, done.id)), createWriteStream(opts.errors));
      summary.errors_file = opts.errors;
    }
    print(summary);
    return done.status === 'completed' ? 0 : 1;
  } finally {
    await handle.close();
  }
}

/** The file named on the command line, said plainly when it cannot be read (not the system's error code). */
function assertReadableFile(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
    accessSync(file, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalidField('FILE', `cannot read ${file}: ${code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
  if (!isFile) throw invalidField('FILE', `${file} is not a file`);
}

function readMapping(path: string): Record<string, string | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw invalidField('--mapping', `cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidField('--mapping', 'must hold a JSON object of column to target');
  return parsed as Record<string, string | null>;
}

/**
 * A bar of rows (rate, ETA) on a terminal; else a JSON line at each tenth of the rows. The total
 * comes from a count beside the writing: until it is known the bar is empty and says so, and a
 * late total that jumps several tenths at once still gives a line for each.
 */
function progressReporter(_bytes: number): { update: (job: ImportJob) => void; stop: () => void } {
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar({ format: 'import [{bar}] {shown} | {value}/{totalText} rows | {rate} rows/s | ETA {etaText}', hideCursor: true }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      update(job) {
        const view = summaryOf(job);
        const known = job.total !== null;
        const payload = {
          rate: view.rows_per_second ?? 0,
          shown: known ? `${Math.round(view.progress * 100)}%` : 'counting rows…',
          totalText: known ? String(job.total) : '?',
          etaText: view.eta_seconds === null ? '?' : `${view.eta_seconds}s`,
        };
        const total = known ? Math.max(job.total!, 1) : Number.MAX_SAFE_INTEGER;
        if (!started) bar.start(total, 0, payload);
        started = true;
        bar.setTotal(total);
        bar.update(job.processed, payload);
      },
      stop: () => started && bar.stop(),
    };
  }
  let nextTenth = 1;
  return {
    update(job) {
      const view = summaryOf(job);
      const tenths = job.status === 'completed' ? 10 : Math.floor(view.progress * 10);
      for (; nextTenth <= tenths; nextTenth++) {
        process.stdout.write(`${JSON.stringify({ progress: nextTenth / 10, processed: job.processed, total: job.total, rows_per_second: view.rows_per_second, eta_seconds: view.eta_seconds })}\n`);
      }
    },
    stop() {},
  };
}
