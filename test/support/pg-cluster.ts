import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

/**
 * A throw-away PostgreSQL cluster of a test's own (initdb into a temporary folder, a free port),
 * which the test may stop, crash and start again: the machine's shared cluster is never touched.
 * initdb and postgres refuse to run as root, so as root they run as the `postgres` user.
 */
export class PostgresCluster {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** The folder of initdb and pg_ctl, or null when PostgreSQL's server is not installed. */
  static findBinaries(): string | null {
    const root = '/usr/lib/postgresql';
    if (!existsSync(root)) return null;
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
  }

  static async create(bin: string): Promise<PostgresCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'contactd-pg-'));
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      chownSync(dir, uid, gid);
    }
    const cluster = new PostgresCluster(bin, dir, await freePort());
    try {
      await cluster.run('initdb', ['-D', cluster.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /**
   * Starts the server on the cluster's port and waits until it accepts connections. Every step
   * runs asynchronously, so that the test's own requests go on meanwhile.
   */
  async start(): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'server.log'), '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`, '-w', 'start']);
  }

  /** `fast`: a clean shutdown (sessions are ended); `immediate`: as if the server crashed. */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  /** Stops the server if it runs and deletes the cluster. */
  async destroy(): Promise<void> {
    try {
      await this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  private async run(tool: string, args: string[]): Promise<void> {
    const path = join(this.bin, tool);
    const [command, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    await promisify(execFile)(command, argv, { cwd: this.dir, timeout: 60_000 });
  }
}

/** A TCP port nothing listens on right now. */
