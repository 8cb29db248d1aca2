/**
 * Orderly teardown for the throughput scripts, on success, failure or Ctrl-C.
 *
 * Temporal's runtime normally shuts every worker down by itself on SIGINT and
 * SIGTERM. Here that would stop the workers while HTTP requests still wait on
 * workflows, and closing the app would then wait forever. So the scripts
 * install the runtime without shutdown signals (before startBenchSystem,
 * which keeps a runtime installed by its caller) and stop things themselves,
 * in order: no new work, client sockets, extra workers, then the system.
 * If that takes longer than a grace period, the dev server is killed and the
 * scratch database dropped directly, so nothing is left behind.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { childPids } from './measure.ts';
import { ADMIN_DATABASE_URL } from './support.ts';

export function installRuntimeWithoutSignalHandlers(): void {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
}

export interface Teardown {
  /** True once stopping has begun: loops should start no new work. */
  readonly requested: boolean;
  /** Runs the steps once (later calls get the same promise). */
  run(): Promise<void>;
}

export function teardown(options: {
  steps: () => Promise<void>;
  /** The scratch database to drop if the orderly stop hangs. */
  databaseUrl: () => string | null;
  graceMs?: number;
  log?: (line: string) => void;
}): Teardown {
  const log = options.log ?? ((line: string) => process.stderr.write(`[bench] ${line}\n`));
  let running: Promise<void> | null = null;
  const state = {
    requested: false,
    run() {
      state.requested = true;
      running ??= (async () => {
        const watchdog = setTimeout(() => void forceCleanup(), options.graceMs ?? 60_000);
        try {
          await options.steps();
        } finally {
          clearTimeout(watchdog);
        }
      })();
      return running;
    },
  };

  const forceCleanup = async () => {
    log('stopping takes too long: killing the Temporal dev server and dropping the database directly');
    for (const pid of childPids(process.pid, 'temporal')) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    const url = options.databaseUrl();
    if (url) {
      const name = decodeURIComponent(new URL(url).pathname.slice(1));
      const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      try {
        await admin.connect();
        await admin.query(`drop database if exists "${name.replaceAll('"', '""')}" with (force)`);
      } catch (err) {
        log(`could not drop ${name}: ${String(err)}`);
      } finally {
        await admin.end().catch(() => {});
      }
    }
    process.exit(1);
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      log(`${signal}: stopping (again to abort at once)`);
      void state.run().finally(() => process.exit(130));
    });
  return state;
}
