/**
 * The only reader of process.env. Configuration is read once, validated and frozen;
 * everything else receives it as an argument.
 */
import { isSupportedCountry } from 'libphonenumber-js';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly logLevel: LogLevel;
  readonly defaultRegion: string;
  readonly batchJobTimeoutSeconds: number;
  readonly deletedRetentionDays: number;
  readonly deletedSweepSeconds: number;
  readonly rateLimit: Readonly<RateLimitConfig>;
  readonly webhooks: Readonly<WebhookConfig>;
  /** CSP `frame-ancestors` of the console's screen pop: who may embed it (src/ui). */
  readonly consoleFrameAncestors: string;
  readonly imports: Readonly<ImportConfig>;
}

/** Import jobs (core/imports). */
export interface ImportConfig {
  /** The largest file accepted; past it the upload is refused (413) and nothing of it is kept. */
  readonly maxBytes: number;
  /** Rows per transaction. */
  readonly chunkRows: number;
  /** A job whose node has shown no sign of life for this long is taken over by another node. */
  readonly staleSeconds: number;
}

/** Webhook delivery (core/webhooks). */
export interface WebhookConfig {
  /** Seconds to wait after the 1st, 2nd, … failed attempt at a change; the last step repeats. */
  readonly retryScheduleSeconds: readonly number[];
  readonly timeoutMs: number;
  readonly disableAfterSeconds: number;
  /** Whether endpoints may be private, loopback or link-local addresses (the SSRF guard off). */
  readonly allowPrivate: boolean;
  readonly pollMs: number;
}

/** A token bucket per API key: `perSecond` tokens flow in, up to `burst`; 0 a second turns limits off. */
export interface RateLimitConfig {
  readonly perSecond: number;
  readonly burst: number;
  /** Where the buckets live so that every node shares them; null: in this process. */
  readonly redisUrl: string | null;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {}

/** Reads and validates the configuration; throws ConfigError with one clear line on a bad value. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  return Object.freeze({
    // 8080 is the conventional unprivileged HTTP port; nothing else of ours listens there.
    port: readPort(env.PORT ?? '8080'),
    // Loopback by default: a fresh install must not expose the directory to the network.
    host: readHost(env.HOST ?? '127.0.0.1'),
    // Embedded SQLite so that `npm start` needs nothing else; postgres:// selects PostgreSQL.
    databaseUrl: readDatabaseUrl(env.DATABASE_URL ?? 'sqlite:./data/contactd.db'),
    logLevel: readLogLevel(env.LOG_LEVEL ?? 'info'),
    // Most contact centers we serve first dial North American numbers nationally.
    defaultRegion: readRegion(env.DEFAULT_REGION ?? 'US'),
    // A batch job (8x8 batches) with no item done for this long ends as `timeout`; 0: never. An
    // hour: a chunk takes well under a second and a dead node's jobs are taken over after 30 s,
    // so a job still stuck after 120 takeovers will not move by itself, while jobs left by a
    // fleet restarted or upgraded within the hour are resumed rather than ended.
    batchJobTimeoutSeconds: readSeconds('BATCH_JOB_TIMEOUT_SECONDS', env.BATCH_JOB_TIMEOUT_SECONDS ?? '3600'),
    // A month to notice a wrong deletion and take it back (HubSpot keeps 90 days, Google Contacts
    // 30); decimals are allowed (tests use seconds' worth). Then the sweep purges.
    deletedRetentionDays: readDays('DELETED_RETENTION_DAYS', env.DELETED_RETENTION_DAYS ?? '30'),
    // Hourly: a tombstone outlives its retention by an hour at most, and the sweep costs nothing in between.
    deletedSweepSeconds: readCount('DELETED_SWEEP_SECONDS', env.DELETED_SWEEP_SECONDS ?? '3600', 1),
    rateLimit: Object.freeze({
      // Above any platform's published limit (Zoom 20-40 a second, Kore.ai 60 a minute) and far
      // below what one node serves, so that one runaway integration cannot starve the others.
      perSecond: readCount('RATE_LIMIT_PER_SECOND', env.RATE_LIMIT_PER_SECOND ?? '500', 0),
      // Two seconds' worth: a batch job's start or a reconnecting client's backlog passes.
      burst: readCount('RATE_LIMIT_BURST', env.RATE_LIMIT_BURST ?? '1000', 1),
      // Unset: one node, buckets in memory. Set it when several nodes serve one database.
      redisUrl: readRedisUrl(env.REDIS_URL),
    }),
    // Nobody: an agent desktop that embeds screen pops is named by its operator, never guessed.
    consoleFrameAncestors: readFrameAncestors(env.CONSOLE_FRAME_ANCESTORS ?? "'none'"),
    webhooks: Object.freeze({
      // Standard Webhooks' suggested schedule (as Svix sends it): quick retries catch a blip, the
      // long tail (about 27 hours in all) outlasts a receiver's overnight outage.
      retryScheduleSeconds: Object.freeze(readSchedule(env.WEBHOOK_RETRY_SCHEDULE ?? '5,300,1800,7200,18000,36000,36000')),
      // 15 s: a receiver should queue the event and answer at once; longer holds a lease and a socket for nothing.
      timeoutMs: readCount('WEBHOOK_TIMEOUT_MS', env.WEBHOOK_TIMEOUT_MS ?? '15000', 1),
      // Five days of nothing but failures: past a long weekend, the endpoint is gone rather than down.
      disableAfterSeconds: readCount('WEBHOOK_DISABLE_AFTER_SECONDS', env.WEBHOOK_DISABLE_AFTER_SECONDS ?? '432000', 1),
      // Off: a webhook URL must not become a way to reach the operator's own network (SSRF).
      allowPrivate: readBoolean('WEBHOOK_ALLOW_PRIVATE', env.WEBHOOK_ALLOW_PRIVATE ?? 'false'),
      // A quarter second: events reach receivers promptly while an idle node runs 4 cheap queries a second.
      pollMs: readCount('WEBHOOK_POLL_MS', env.WEBHOOK_POLL_MS ?? '250', 10),
    }),
    imports: Object.freeze({
      // 1 GiB: ten million CRM rows; the file is stored in the database, so this bounds what one upload costs it.
      maxBytes: readCount('IMPORT_MAX_BYTES', env.IMPORT_MAX_BYTES ?? String(1024 ** 3), 1),
      // 500 rows commit in well under a second: few commits, yet short waits for other writers (SQLite has one).
      chunkRows: readCount('IMPORT_CHUNK_ROWS', env.IMPORT_CHUNK_ROWS ?? '500', 1),
      // As batch jobs: a live node renews its jobs every 10 s, so 30 s of silence means it is gone.
      staleSeconds: readCount('IMPORT_STALE_SECONDS', env.IMPORT_STALE_SECONDS ?? '30', 1),
    }),
  });
}

function readCount(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || !Number.isSafeInteger(value)) throw new ConfigError(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return value;
}

function readSchedule(raw: string): number[] {
  const steps = raw.split(',').map((s) => s.trim());
  if (steps.length === 0 || steps.some((s) => !/^\d{1,7}$/.test(s))) throw new ConfigError(`WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of whole seconds, got "${raw}"`);
  return steps.map(Number);
}

function readBoolean(name: string, raw: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0' || raw === '') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** CSP sources separated by spaces: 'none', 'self', or scheme/host sources; nothing that could end the directive. */
function readFrameAncestors(raw: string): string {
  const sources = raw.trim().split(/\s+/);
  const ok = (s: string) => s === "'none'" || s === "'self'" || /^(https?:)?(\/\/)?(\*\.)?[A-Za-z0-9.-]+(:(\d{1,5}|\*))?(\/[A-Za-z0-9._~\/-]*)?$/.test(s) || /^https?:$/.test(s);
  if (raw.trim() === '' || !sources.every(ok) || (sources.includes("'none'") && sources.length > 1)) {
    throw new ConfigError(`CONSOLE_FRAME_ANCESTORS must be 'none' or CSP sources separated by spaces ('self', https://desk.example.com), got "${raw}"`);
  }
  return sources.join(' ');
}

function readRedisUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (/^rediss?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${raw}"`);
}

function readPort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 1 to 65535, got "${raw}"`);
  }
  return port;
}

function readHost(raw: string): string {
  if (raw.trim() === '' || /\s/.test(raw)) throw new ConfigError(`HOST must be a host name or address, got "${raw}"`);
  return raw;
}

function readDatabaseUrl(raw: string): string {
  if (/^sqlite:.+/.test(raw) || /^postgres(ql)?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, got "${raw}"`);
}

function readLogLevel(raw: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
  throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
}

function readSeconds(name: string, raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new ConfigError(`${name} must be a whole number of seconds (0 or more), got "${raw}"`);
  return Number(raw);
}

function readDays(name: string, raw: string): number {
  if (!/^\d{1,5}(\.\d{1,9})?$/.test(raw)) throw new ConfigError(`${name} must be a number of days (0 or more, decimals allowed), got "${raw}"`);
  return Number(raw);
}

function readRegion(raw: string): string {
  const region = raw.toUpperCase();
  if (!/^[A-Z]{2}$/.test(region) || !isSupportedCountry(region)) throw new ConfigError(`DEFAULT_REGION must be an ISO 3166 alpha-2 country code, got "${raw}"`);
  return region;
}
