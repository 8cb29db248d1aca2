/**
 * A private PostgreSQL cluster for the fault suite, so restarting it never
 * disturbs the machine's shared server: `initdb` into the run's scratch
 * folder, then the `postgres` server itself as a child process (not
 * `pg_ctl`, which would detach it) on a free port, with its socket in the
 * folder. As root it runs as the `postgres` user (initdb refuses root).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { guardedCommand, pollUntil, type RunAs, Service } from '../../../src/cluster/processes.ts';

/** PG_BINDIR, else `pg_config --bindir`, else the newest Debian-style /usr/lib/postgresql/<n>/bin. */
function postgresBinDir(): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const fromConfig = config.status === 0 ? config.stdout.trim() : '';
  if (fromConfig && existsSync(path.join(fromConfig, 'initdb'))) return fromConfig;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(root, versions[0], 'bin');
  throw new Error('PostgreSQL server binaries (initdb, postgres) not found: set PG_BINDIR');
}

export interface PrivatePostgres {
  service: Service;
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  /** PostgreSQL's own shutdown modes: fast (SIGINT, sessions ended cleanly), immediate (SIGQUIT, crash recovery on start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  version: string;
}

export async function createPrivatePostgres(options: {
  dir: string;
  port: number;
  runAs: RunAs | null;
}): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const dataDir = path.join(options.dir, 'pgdata');
  const socketDir = path.join(options.dir, 'pgsocket');
  mkdirSync(socketDir);
  const [command, args] = guardedCommand(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    options.runAs,
  );
  if (options.runAs) spawnSync('chown', [`${options.runAs.uid}:${options.runAs.gid}`, socketDir]);
  const initdb = spawnSync(command, args, { cwd: options.dir, encoding: 'utf8' });
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr || initdb.stdout}`);
  const version = spawnSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();

  const url = (database: string) => `postgres://postgres@127.0.0.1:${options.port}/${database}`;
  const service = new Service({
    name: 'postgres',
    command: path.join(bin, 'postgres'),
    args: [
      '-D',
      dataDir,
      '-p',
      String(options.port),
      '-k',
      socketDir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      '-c',
      'log_min_messages=warning',
    ],
    cwd: options.dir,
    runAs: options.runAs,
    dir: options.dir,
    stopSignal: 'SIGINT',
    ready: (self) =>
      pollUntil(async () => {
        const client = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 1000 });
        // A refused or reset connection also emits 'error'; the rejected connect() reports it.
        client.on('error', () => {});
        try {
          await client.connect();
          await client.query('select 1');
        } finally {
          await client.end().catch(() => {});
        }
      }, self),
  });
  return {
    service,
    port: options.port,
    url,
    version,
    stop: (mode) => service.stop(mode === 'fast' ? 'SIGINT' : 'SIGQUIT'),
  };
}
