/**
 * Child processes a run supervises and may kill (the production cluster of
 * scripts/cluster, the topology test, the fault suite): each one is spawned so that it
 * dies with its parent (setpriv --pdeathsig, also when the parent is killed
 * with SIGKILL), logs to a file in the run's scratch folder, and is
 * remembered in that folder's `owner.json`, so that
 *  - stopping the run (success, failure, Ctrl-C, SIGTERM, or the process
 *    simply exiting) stops every child still running and removes the folder
 *    (`cleanUpNow`, synchronous, from `exit` and signal handlers);
 *  - a run that was killed outright is swept by the next one
 *    (`sweepAbandonedRuns`): its children, if any survived, are killed by pid
 *    (only pids whose environment names that folder) and its folder removed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Every child carries this variable, naming its run's scratch folder (how the sweep recognises it). */
export const RUN_DIR_VARIABLE = 'YANBAO_RUN_DIR';
const DIR_PREFIX = 'yanbao-run-';

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

const setprivHelp = spawnSync('setpriv', ['--help'], { encoding: 'utf8' });
/** util-linux's setpriv sets the parent-death signal (and switches user without a session, unlike runuser). */
const HAS_SETPRIV = setprivHelp.status === 0 && setprivHelp.stdout.includes('--pdeathsig');

/** The user a service that refuses root (PostgreSQL) runs as: null when we are not root. */
export function unprivilegedUser(preferred = process.env.FAULTS_RUN_AS ?? 'postgres'): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of [preferred, 'nobody']) {
    const entry = spawnSync('getent', ['passwd', user], { encoding: 'utf8' });
    const fields = entry.status === 0 ? entry.stdout.trim().split(':') : [];
    if (fields.length >= 4) return { user, uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error(
    'running as root, but neither the postgres nor the nobody user exists to run PostgreSQL as',
  );
}

/** The command line that runs `command` as `runAs` (if given) and kills it when this process dies. */
export function guardedCommand(command: string, args: string[], runAs: RunAs | null): [string, string[]] {
  if (!HAS_SETPRIV) {
    if (runAs) throw new Error('setpriv (util-linux) is needed to run PostgreSQL as a non-root user');
    return [command, args];
  }
  const user = runAs ? [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups'] : [];
  return ['setpriv', [...user, '--pdeathsig', 'KILL', '--', command, ...args]];
}

// ——— the registry behind the synchronous clean-up ———

interface Registered {
  dir: string;
  /** pid → signal that stops it cleanly (SIGQUIT for PostgreSQL: immediate shutdown). */
  children: Map<number, NodeJS.Signals>;
}
const runs = new Set<Registered>();

function writeOwner(run: Registered) {
  writeFileSync(
    path.join(run.dir, 'owner.json'),
    JSON.stringify({ pid: process.pid, children: [...run.children.keys()] }),
  );
}

/** Whether a pid is a live process (a zombie waiting to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Stops the given pids (their clean signal, up to `graceMs`, then SIGKILL) without yielding to the event loop. */
function stopPidsSync(pids: Map<number, NodeJS.Signals>, graceMs: number) {
  for (const [pid, name] of pids) signal(pid, name);
  const deadline = Date.now() + graceMs;
  while ([...pids.keys()].some(isAlive) && Date.now() < deadline) sleepSync(50);
  for (const pid of pids.keys()) if (isAlive(pid)) signal(pid, 'SIGKILL');
}

/** Stops every child of every run of this process and removes the scratch folders. Idempotent. */
export function cleanUpNow(graceMs = 5_000): void {
  for (const run of runs) {
    stopPidsSync(run.children, graceMs);
    rmSync(run.dir, { recursive: true, force: true });
    runs.delete(run);
  }
}

let handlersInstalled = false;
function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => cleanUpNow());
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(name, () => {
      if (runs.size > 0)
        process.stderr.write(
          `[yanbao] ${name}: stopping every child process and removing the scratch folder\n`,
        );
      cleanUpNow();
      // Then what the signal would have done without us: other handlers, or the default (exit).
      if (process.listenerCount(name) === 0) process.kill(process.pid, name);
    });
}

/**
 * A run's scratch folder (under the system temp folder), owned by `runAs`
 * when given so PostgreSQL can write its cluster there; removed by
 * `cleanUpNow` or the `remove` it returns.
 */
export function createRunDir(runAs: RunAs | null): { dir: string; remove(): void } {
  installHandlers();
  const dir = mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  const run: Registered = { dir, children: new Map() };
  runs.add(run);
  writeOwner(run);
  return {
    dir,
    remove() {
      stopPidsSync(run.children, 5_000);
      rmSync(dir, { recursive: true, force: true });
      runs.delete(run);
    },
  };
}

function registerChild(dir: string, pid: number, stopSignal: NodeJS.Signals) {
  for (const run of runs)
    if (run.dir === dir) {
      run.children.set(pid, stopSignal);
      writeOwner(run);
    }
}

function forgetChild(dir: string, pid: number) {
  for (const run of runs) if (run.dir === dir && run.children.delete(pid) && existsSync(dir)) writeOwner(run);
}

/**
 * Removes what earlier runs left behind when they were killed outright: a
 * folder whose owner process is gone. Children are killed only when their
 * environment names that very folder (pids get reused).
 */
export function sweepAbandonedRuns(log: (line: string) => void): void {
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    let owner: { pid: number; children: number[] };
    try {
      owner = JSON.parse(readFileSync(path.join(dir, 'owner.json'), 'utf8'));
    } catch {
      continue; // Being created right now, or not ours.
    }
    if (isAlive(owner.pid)) continue;
    const marker = `${RUN_DIR_VARIABLE}=${dir}\0`;
    const stale = new Map<number, NodeJS.Signals>();
    for (const pid of owner.children) {
      try {
        if (readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker)) stale.set(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    stopPidsSync(stale, 1_000);
    rmSync(dir, { recursive: true, force: true });
    log(
      `removed ${dir} left by process ${owner.pid}${stale.size ? ` and killed ${stale.size} of its children` : ''}`,
    );
  }
}

// ——— one restartable service ———

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
  cwd: string;
  runAs?: RunAs | null;
  /** The run's scratch folder: the log file `<name>.log` goes there unless `logDir` is given. */
  dir: string;
  /** Where `<name>.log` goes when it should outlive the run (scripts/cluster keeps its logs). */
  logDir?: string;
  /** What stops it cleanly (PostgreSQL: SIGINT fast, SIGQUIT immediate; the others SIGTERM). */
  stopSignal: NodeJS.Signals;
  /** Resolves once the service answers; called after every start, with the process's output so far. */
  ready(service: Service): Promise<void>;
  /** Give up waiting for `ready` after this long. */
  startTimeoutMs?: number;
}

export interface ExitRecord {
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** False when the process stopped on its own rather than because we stopped it. */
  expected: boolean;
}

/** A child process the suite starts, kills and starts again; every exit it did not ask for is recorded. */
export class Service {
  readonly spec: ServiceSpec;
  readonly exits: ExitRecord[] = [];
  readonly logPath: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private output = '';
  private readonly outputListeners = new Set<() => void>();
  private readonly exitListeners = new Set<(record: ExitRecord) => void>();

  constructor(spec: ServiceSpec) {
    this.spec = spec;
    this.logPath = path.join(spec.logDir ?? spec.dir, `${spec.name}.log`);
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Called on every exit we did not cause (a crash), with its record. */
  onUnexpectedExit(listener: (record: ExitRecord) => void): void {
    this.exitListeners.add(listener);
  }

  /** Starts the process and waits until it is ready; a process that exits first fails the start. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    const [command, args] = guardedCommand(this.spec.command, this.spec.args, this.spec.runAs ?? null);
    this.output = '';
    this.stopping = false;
    appendFileSync(this.logPath, `\n——— ${new Date().toISOString()} start: ${this.spec.command} ———\n`);
    const child = spawn(command, args, {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env, [RUN_DIR_VARIABLE]: this.spec.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const pid = child.pid;
    if (pid !== undefined) registerChild(this.spec.dir, pid, this.spec.stopSignal);
    const onOutput = (chunk: Buffer) => {
      try {
        appendFileSync(this.logPath, chunk);
      } catch {
        // The scratch folder is gone (removed while the last output was still in the pipe).
      }
      // Only the recent output is kept for readiness checks and error messages.
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
      for (const listener of this.outputListeners) listener();
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    let spawnError: Error | null = null;
    this.exited = new Promise((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        if (pid !== undefined) forgetChild(this.spec.dir, pid);
        const record = { at: Date.now(), code, signal, expected: this.stopping };
        this.exits.push(record);
        if (!record.expected) for (const listener of this.exitListeners) listener(record);
        resolve();
      };
      child.once('error', (err) => {
        spawnError = err;
        if (pid === undefined) finish(null, null); // never started: no 'close' follows
      });
      child.once('close', finish);
    });

    const timeoutMs = this.spec.startTimeoutMs ?? 120_000;
    let starting = true;
    let timer: NodeJS.Timeout | undefined;
    const failed = Promise.race([
      this.exited.then(() => {
        if (starting)
          throw new Error(
            `${this.spec.name} exited while starting${spawnError ? ` (${spawnError})` : ''}: ${this.tail()}`,
          );
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${this.spec.name} not ready after ${timeoutMs} ms: ${this.tail()}`)),
          timeoutMs,
        );
      }),
    ]);
    try {
      await Promise.race([this.spec.ready(this), failed]);
    } catch (err) {
      await this.stop('SIGKILL');
      throw err;
    } finally {
      starting = false;
      clearTimeout(timer);
    }
  }

  /** Sends `signal` (default: the clean one) and waits for the exit; SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = this.spec.stopSignal, graceMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return this.exited;
    this.stopping = true;
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killer);
  }

  /** Resolves when the process has printed a line matching `pattern` since it started. */
  waitForOutput(pattern: RegExp): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!pattern.test(this.output)) return;
        this.outputListeners.delete(check);
        resolve();
      };
      this.outputListeners.add(check);
      check();
    });
  }

  /** The last lines the process printed, for error messages. */
  tail(lines = 15): string {
    return this.output.trimEnd().split('\n').slice(-lines).join('\n');
  }
}

/** Polls `probe` until it resolves without throwing (the service is up); `Service.start` bounds the wait. */
export async function pollUntil(probe: () => Promise<unknown>, service: Service, everyMs = 200) {
  for (;;) {
    try {
      await probe();
      return;
    } catch {
      if (!service.running) return; // start() reports the exit
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
