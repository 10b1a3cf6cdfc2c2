import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, CommanderError } from 'commander';
import { ConfigError, readConfig } from '../config.ts';
import { parseScopes } from '../core/directory/account.service.ts';
import { createServices } from '../core/services.ts';
import { DomainError } from '../core/errors.ts';
import type { Principal } from '../core/types.ts';
import { EXPORT_FORMATS, VCARD_VERSIONS } from '../core/exports/export.types.ts';
import { writerFor } from '../formats/export/index.ts';
import { serve } from '../main.ts';
import { runImportCommand, type ImportCommandOptions } from './import-command.ts';
import { openStore } from '../runtime.ts';
import { openDatabase } from '../store/engine.ts';
import { migrateToLatest } from '../store/migrate.ts';

/**
 * The contactd command. Each subcommand prints one JSON object on stdout; errors go to
 * stderr as one line with a non-zero exit.
 */
const program = new Command('contactd')
  .description('Self-hostable contact directory for contact centers')
  .showHelpAfterError()
  .exitOverride();

program.command('serve').description('start the HTTP server').action(async () => serve(readConfig()));

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const handle = openDatabase(readConfig().databaseUrl);
    try {
      print({ applied: await migrateToLatest(handle) });
    } finally {
      await handle.close();
    }
  });

const account = program.command('account').description('manage accounts (tenants)');
account
  .command('create')
  .description('create an account with its default address book and an admin API key')
  .requiredOption('--name <name>', 'the account name')
  .action(async ({ name }: { name: string }) =>
    withServices(async (s) => {
      const created = await s.accounts.createAccount(name);
      print({ account_id: created.account.id, name: created.account.name, key_id: created.keyId, api_key: created.apiKey });
    }),
  );
account
  .command('list')
  .description('list accounts')
  .action(async () => withServices(async (s) => print({ accounts: await s.accounts.listAccounts() })));

const key = program.command('key').description('manage API keys');
key
  .command('create')
  .description('create an API key; it is shown once')
  .requiredOption('--account <id>', 'the account id')
  .requiredOption('--scopes <scopes>', 'comma-separated: contacts:read, contacts:write, admin')
  .action(async ({ account: accountId, scopes }: { account: string; scopes: string }) =>
    withServices(async (s) => {
      const created = await s.accounts.createKey(accountId, parseScopes(scopes));
      print({ key_id: created.key.id, account_id: accountId, scopes: created.key.scopes, api_key: created.apiKey });
    }),
  );
key
  .command('list')
  .description('list the API keys of an account (never their secrets)')
  .requiredOption('--account <id>', 'the account id')
  .action(async ({ account: accountId }: { account: string }) =>
    withServices(async (s) => print({ keys: (await s.accounts.listKeys(accountId)).map(({ id, ...k }) => ({ key_id: id, ...k })) })),
  );
key
  .command('revoke')
  .description('revoke an API key at once')
  .argument('<key_id>', 'the key id')
  .action(async (keyId: string) =>
    withServices(async (s) => {
      const revoked = await s.accounts.revokeKey(keyId);
      print({ key_id: revoked.id, revoked_at: revoked.revoked_at });
    }),
  );

const batch = program.command('batch').description('manage batch jobs (8x8 batches)');
batch
  .command('stop')
  .description('stop an unfinished batch job: it does no further item and keeps what it did (status "stopped")')
  .requiredOption('--account <id>', 'the account id')
  .argument('<job_id>', 'the job id')
  .action(async (jobId: string, { account: accountId }: { account: string }) =>
    withServices(async (s) => {
      const job = await s.batchJobs.stopJob({ accountId }, jobId);
      print({ job_id: job.id, status: job.status, processed: job.processed, total: job.total });
    }),
  );

program
  .command('import')
  .description('import a CSV, vCard or NDJSON file into an account, in this process (the same job as POST /v1/imports)')
  .argument('<file>', 'the file; its type is taken from its extension (.csv, .vcf, .ndjson), else sniffed')
  .requiredOption('--account <id>', 'the account id')
  .option('--book <id>', 'the address book (default: the account\'s default book)')
  .option('--mode <mode>', 'create (default) or upsert')
  .option('--mapping <file.json>', 'a JSON object of column to target field')
  .option('--dry-run', 'validate every row and report; write no contact')
  .option('--default-region <XX>', 'region of numbers without a country code')
  .option('--errors <file.csv>', 'also write the refused rows, as the file held them plus an error column, to this CSV')
  .action(async (file: string, opts: ImportCommandOptions) => {
    process.exitCode = await runImportCommand(readConfig(), file, opts, print);
  });

program
  .command('export')
  .description('write an account\'s contacts to stdout as CSV, vCard or NDJSON, from one snapshot (as GET /v1/contacts/export)')
  .requiredOption('--account <id>', 'the account id')
  .requiredOption('--format <format>', `one of: ${EXPORT_FORMATS.join(', ')}`)
  .option('--book <id>', 'only this address book')
  .option('--version <version>', `vCard version: ${VCARD_VERSIONS.join(' or ')}`, '3.0')
  .action(async (options: { account: string; format: string; book?: string; version: string }) =>
    withServices(async (s) => {
      const format = oneOf(EXPORT_FORMATS, options.format, '--format');
      const version = oneOf(VCARD_VERSIONS, options.version, '--version');
      const query = options.book === undefined ? {} : { addressBookId: options.book };
      if (!(await s.accounts.listAccounts()).some((a) => a.id === options.account)) throw new DomainError('account_not_found', `no account with id ${options.account}`);
      // The command line holds every scope of its account: whoever runs it holds the database.
      const caller: Principal = { accountId: options.account, keyId: '', scopes: ['admin', 'contacts:write', 'contacts:read'], surface: 'cli' };
      if (options.book !== undefined) await s.addressBooks.get(caller, options.book);
      const chunks = s.exports.exportContacts(caller, query, writerFor(format, version));
      await pipeline(Readable.from(chunks, { objectMode: false }), process.stdout);
    }),
  );

async function withServices(work: (services: ReturnType<typeof createServices>) => Promise<void>): Promise<void> {
  const config = readConfig();
  const { store, handle } = await openStore(config);
  try {
    await work(createServices(store, config));
  } finally {
    await handle.close();
  }
}

function oneOf<T extends string>(allowed: readonly T[], value: string, option: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${option} must be one of: ${allowed.join(', ')} (got "${value}")`);
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const message = error instanceof ConfigError || error instanceof DomainError ? error.message : String((error as Error)?.stack ?? error);
  // "The database is unavailable" says why on the command line (API clients are not told).
  const cause = error instanceof DomainError && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  process.stderr.write(`contactd: ${message}${cause}\n`);
  process.exit(error instanceof DomainError ? 2 : 1);
}
