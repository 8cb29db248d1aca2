/**
 * Small helpers shared by the throughput scripts: options from arguments or
 * the environment, the machine's facts, tables, percentiles, and CPU time
 * read from /proc (this process, the Temporal dev server, PostgreSQL backends).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * A positive number from `--name=value` on the command line, else the
 * environment variable, else the default.
 */
export function numberOption(name: string, envName: string, fallback: number): number {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const raw = flag ? flag.slice(name.length + 3) : process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} / ${envName} must be a number ≥ 0`);
  return value;
}

/** A comma-separated list of numbers from `--name=` or the environment, e.g. `--workers=1,2,4`. */
export function numberListOption(
  name: string,
  envName: string,
  fallback: number[],
  valid: (value: number) => boolean,
): number[] {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const raw = flag ? flag.slice(name.length + 3) : process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map(Number);
  if (values.length === 0 || !values.every((v) => Number.isFinite(v) && valid(v)))
    throw new Error(`--${name} / ${envName}: ${raw} is not a valid comma-separated list`);
  return values;
}

/** The load average when the script started (this module is imported at start). */
const LOAD_AT_START = os.loadavg();
const loadAverage = (load: number[]) => load.map((l) => l.toFixed(2)).join(' / ');

/** The facts a figure is meaningless without. */
export function machineFacts(): [string, string][] {
  const cpus = os.cpus();
  return [
    ['CPUs (os.cpus().length)', String(cpus.length)],
    ['CPU model', cpus[0]?.model.trim() ?? 'unknown'],
    ['Node', process.version],
    ['platform', `${os.platform()} ${os.release()} ${os.arch()}`],
    ['memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['load average (1/5/15 min) at start', loadAverage(LOAD_AT_START)],
    ['load average (1/5/15 min) now', loadAverage(os.loadavg())],
  ];
}

export function printFacts(title: string, facts: [string, string][]): void {
  console.log(`\n${title}`);
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [key, value] of facts) console.log(`  ${key.padEnd(width)}  ${value}`);
}

/** A plain-text table; numeric-looking cells are right-aligned. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = rows.map((row) => row.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const numeric = (s: string) => /^[-+]?[\d.,]+\s*(%|×|ms|µs|s|\/s)?$/.test(s);
  const line = (row: string[]) =>
    `  ${row.map((cell, i) => (numeric(cell) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  console.log(line(headers));
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of cells) console.log(line(row));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const mean = (values: number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

// ——— CPU time from /proc ———

let clockTicks: number | null = null;
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 almost everywhere). */
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU milliseconds a process (all its threads) has used so far; null when it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** Child processes of `parent` whose command line contains `needle` (e.g. the Temporal dev server). */
export function childPids(parent: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      if (ppid !== parent) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(needle)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/**
 * CPU time of a changing set of processes between two moments: processes seen
 * at both count their difference, new ones count everything they used; ones
 * that ended in between are lost (so the figure is a lower bound).
 */
export class CpuMeter {
  private readonly start = new Map<number, number>();
  private readonly pids: () => Promise<number[]> | number[];
  constructor(pids: () => Promise<number[]> | number[]) {
    this.pids = pids;
  }
  async begin(): Promise<void> {
    this.start.clear();
    for (const pid of await this.pids()) {
      const ms = processCpuMs(pid);
      if (ms !== null) this.start.set(pid, ms);
    }
  }
  async end(): Promise<number> {
    let total = 0;
    for (const pid of await this.pids()) {
      const ms = processCpuMs(pid);
      if (ms !== null) total += ms - (this.start.get(pid) ?? 0);
    }
    return total;
  }
}
