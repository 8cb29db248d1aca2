/**
 * P1 (issues 3, 5 and 16): throughput of the consumer landing page `GET /w/<code>`
 * (a published plan, real PostgreSQL and Temporal) and of its stylesheet (the hashed
 * `/consumer/consumer.<hash>.css` the page links) against a bare Fastify route registered in
 * the SAME server instance, measured side by side in one run with two load generators,
 * autocannon and wrk. The ratios are the figures; absolute numbers depend on a shared, noisy
 * machine and are information only.
 *
 *   scripts/bench landing-throughput [--duration=10] [--connections=50] [--warmup=3] [--rounds=2]
 *                                    [--accept-encoding=gzip] [--wrk-threads=1]
 *
 * or BENCH_DURATION / BENCH_CONNECTIONS / BENCH_WARMUP / BENCH_ROUNDS / BENCH_ACCEPT_ENCODING /
 * BENCH_WRK_THREADS. TEMPORAL_CLI_PATH must point at the Temporal CLI and wrk must be on PATH
 * (or WRK_PATH); scripts/bench installs it (see bench/README.md).
 *
 * Both generators run as separate processes (autocannon's CLI with --json, wrk with a Lua
 * report), so neither shares the server's event loop. Every request sends
 * `accept-encoding: gzip` unless told otherwise (Chromium sends `gzip, deflate, br, zstd`).
 * Each round runs bare, landing, css with autocannon, then the same with wrk, so drift on the
 * machine hits every side alike.
 *
 * The landing is served from the landing cache (src/services/landing-cache.ts) as in
 * production; the report says how many times it loaded a page from the database (its TTL
 * expiring during the runs) and how many requests were served from memory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { createNotifier, logSink } from '../src/notifications/notifier.ts';
import { assetUrl } from '../src/pages/assets.ts';
import { LandingCache } from '../src/services/landing-cache.ts';
import { installRuntimeWithoutSignalHandlers, teardown } from './lifecycle.ts';
import {
  CpuMeter,
  fixed,
  machineFacts,
  numberOption,
  printFacts,
  printTable,
  processCpuMs,
} from './measure.ts';
import { publishBenchPlan, startBenchSystem } from './support.ts';

const DURATION_S = numberOption('duration', 'BENCH_DURATION', 10);
const CONNECTIONS = numberOption('connections', 'BENCH_CONNECTIONS', 50);
const WARMUP_S = numberOption('warmup', 'BENCH_WARMUP', 3);
const ROUNDS = Math.max(1, Math.round(numberOption('rounds', 'BENCH_ROUNDS', 2)));
const WRK_THREADS = Math.max(1, Math.round(numberOption('wrk-threads', 'BENCH_WRK_THREADS', 1)));
const ACCEPT_ENCODING =
  (parseArgs({ options: { 'accept-encoding': { type: 'string' } }, strict: false }).values[
    'accept-encoding'
  ] as string | undefined) ??
  process.env.BENCH_ACCEPT_ENCODING ??
  'gzip';
const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 20;

const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const WRK = process.env.WRK_PATH ?? 'wrk';
const WRK_REPORT = fileURLToPath(new URL('./wrk-report.lua', import.meta.url));
const BARE_BODY = 'ok';

const GENERATORS = ['autocannon', 'wrk'] as const;
type Generator = (typeof GENERATORS)[number];
const TARGETS = ['bare', 'landing', 'css'] as const;
type Target = (typeof TARGETS)[number];

/** One run's result, whichever generator measured it (latency in ms). */
interface LoadResult {
  durationS: number;
  requests: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts. */
  failures: number;
  non2xx: number;
}

/** The running load generator, killed if the script is stopped. */
let loadGenerator: ChildProcess | null = null;

/** Runs a load generator in its own process; answers its standard output. */
function runProcess(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    loadGenerator = child;
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.once('error', (error) =>
      reject(
        command === WRK
          ? new Error(`${WRK} could not be started (${error.message}): run scripts/bench, which installs wrk`)
          : error,
      ),
    );
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}: ${err}`)),
    );
  });
}

/** The last line of output that is a JSON object. */
function lastJson<T>(out: string, what: string): T {
  const line = out
    .trim()
    .split('\n')
    .findLast((l) => l.startsWith('{'));
  if (!line) throw new Error(`${what} printed no JSON: ${out}`);
  return JSON.parse(line) as T;
}

async function autocannon(url: string, durationS: number): Promise<LoadResult> {
  const result = lastJson<{
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    latency: { p50: number; p99: number };
    requests: { total: number };
  }>(
    await runProcess(process.execPath, [
      AUTOCANNON,
      '--connections',
      String(CONNECTIONS),
      '--duration',
      String(durationS),
      '--headers',
      `accept-encoding=${ACCEPT_ENCODING}`,
      '--json',
      '--no-progress',
      url,
    ]),
    'autocannon',
  );
  return {
    durationS: result.duration,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function wrk(url: string, durationS: number): Promise<LoadResult> {
  const result = lastJson<{
    durationUs: number;
    requests: number;
    connectErrors: number;
    readErrors: number;
    writeErrors: number;
    non2xx: number;
    timeouts: number;
    p50Us: number;
    p99Us: number;
  }>(
    await runProcess(WRK, [
      '--connections',
      String(CONNECTIONS),
      '--threads',
      String(WRK_THREADS),
      '--duration',
      `${durationS}s`,
      '--header',
      `accept-encoding: ${ACCEPT_ENCODING}`,
      '--script',
      WRK_REPORT,
      url,
    ]),
    'wrk',
  );
  return {
    durationS: result.durationUs / 1e6,
    requests: result.requests,
    p50: result.p50Us / 1000,
    p99: result.p99Us / 1000,
    failures: result.connectErrors + result.readErrors + result.writeErrors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const generate: Record<Generator, (url: string, durationS: number) => Promise<LoadResult>> = {
  autocannon,
  wrk,
};

interface Run {
  generator: Generator;
  target: Target;
  round: number;
  result: LoadResult;
  /** CPU milliseconds the server process used during the run. */
  serverCpuMs: number;
  /** CPU milliseconds of the PostgreSQL backends serving the bench database. */
  pgCpuMs: number;
  /** Pages the landing cache loaded from the database during the run. */
  cacheLoads: number;
}

installRuntimeWithoutSignalHandlers();
const system = await startBenchSystem({ listen: false });
let app: FastifyInstance | null = null;
const stop = teardown({
  databaseUrl: () => system.config.databaseUrl,
  steps: async () => {
    if (loadGenerator?.exitCode === null) loadGenerator.kill('SIGTERM');
    if (app) await app.close().catch((err) => console.error('closing the bench app failed', err));
    await system.stop();
  },
});

let exitCode = 0;
try {
  const plan = await publishBenchPlan(system);

  // The support module's app is already booted (no routes can be added), so the benchmark builds
  // its own instance from the same dependencies, registers the bare route on it before listening,
  // and serves both routes from that one instance.
  const landingCache = new LandingCache();
  app = await buildApp(
    {
      config: system.config,
      orm: system.orm,
      temporal: system.client,
      payments: system.payments,
      notifications: createNotifier(
        logSink(() => {}),
        system.config,
      ),
      landingCache,
    },
    { logger: false },
  );
  app.get('/bench/bare', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(BARE_BODY));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const urls: Record<Target, string> = {
    bare: `${base}/bench/bare`,
    landing: `${base}/w/${plan.code}`,
    css: `${base}${assetUrl('/consumer/consumer.css')}`,
  };

  // What one request returns, checked before anything is measured: bytes as they travel (not decoded).
  const sizes: Record<string, string> = {};
  for (const [target, url] of Object.entries(urls)) {
    const { status, encoding, bytes } = await new Promise<{
      status: number;
      encoding: string;
      bytes: number;
    }>((resolve, reject) => {
      http
        .get(url, { headers: { 'accept-encoding': ACCEPT_ENCODING } }, (response) => {
          let bytes = 0;
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              encoding: String(response.headers['content-encoding'] ?? 'identity'),
              bytes,
            }),
          );
          response.on('error', reject);
        })
        .on('error', reject);
    });
    if (status !== 200) throw new Error(`${url} answered ${status}`);
    sizes[target] = `200, ${bytes} bytes body (${encoding})`;
  }

  const dbPids = async () =>
    (
      (await system.orm.em
        .fork()
        .execute(
          'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        )) as { pid: number }[]
    ).map((row) => row.pid);
  const pgMeter = new CpuMeter(dbPids);

  const order: { generator: Generator; target: Target; round: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++)
    for (const generator of GENERATORS)
      for (const target of TARGETS) order.push({ generator, target, round });
  const orderText = order.map((r) => `${r.generator} ${r.target}`).join(', ');
  process.stderr.write(
    `[bench] warm-up ${WARMUP_S} s each, then ${orderText} at ${DURATION_S} s each, ${CONNECTIONS} connections\n`,
  );
  if (WARMUP_S > 0)
    for (const generator of GENERATORS)
      for (const target of TARGETS) await generate[generator](urls[target], WARMUP_S);

  const runs: Run[] = [];
  for (const { generator, target, round } of order) {
    const cpuBefore = processCpuMs(process.pid) ?? 0;
    const loadsBefore = landingCache.loads;
    await pgMeter.begin();
    const result = await generate[generator](urls[target], DURATION_S);
    const pgCpuMs = await pgMeter.end();
    const serverCpuMs = (processCpuMs(process.pid) ?? 0) - cpuBefore;
    runs.push({
      generator,
      target,
      round,
      result,
      serverCpuMs,
      pgCpuMs,
      cacheLoads: landingCache.loads - loadsBefore,
    });
    process.stderr.write(
      `[bench] ${generator} ${target} round ${round}: ${fixed(result.requests / result.durationS, 0)} req/s\n`,
    );
  }

  // ——— report ———
  printFacts('Machine', machineFacts());
  printFacts('Setup', [
    ['landing', `GET /w/${plan.code} — ${sizes.landing}`],
    ['css', `GET ${assetUrl('/consumer/consumer.css')} (the stylesheet the landing links) — ${sizes.css}`],
    ['bare', `GET /bench/bare (same Fastify instance, same hooks) — ${sizes.bare}`],
    [
      'load',
      `autocannon and wrk (${WRK_THREADS} thread${WRK_THREADS > 1 ? 's' : ''}), ${CONNECTIONS} connections, ` +
        `${DURATION_S} s per run, warm-up ${WARMUP_S} s each, accept-encoding: ${ACCEPT_ENCODING}`,
    ],
    ['landing cache', `TTL ${landingCache.ttlMs / 1000} s; loads from the database counted per run below`],
    [
      'order',
      `${ROUNDS} round(s) of ${orderText
        .split(', ')
        .slice(0, GENERATORS.length * TARGETS.length)
        .join(', ')}`,
    ],
  ]);

  const rate = (selected: Run[]) =>
    selected.reduce((sum, r) => sum + r.result.requests, 0) /
    selected.reduce((sum, r) => sum + r.result.durationS, 0);
  const row = (label: string, selected: Run[]) => {
    const requests = selected.reduce((sum, r) => sum + r.result.requests, 0);
    const seconds = selected.reduce((sum, r) => sum + r.result.durationS, 0);
    const p50 = Math.max(...selected.map((r) => r.result.p50));
    const p99 = Math.max(...selected.map((r) => r.result.p99));
    const serverCpu = selected.reduce((sum, r) => sum + r.serverCpuMs, 0);
    const pgCpu = selected.reduce((sum, r) => sum + r.pgCpuMs, 0);
    return [
      label,
      fixed(requests / seconds, 0),
      fixed(p50, 1),
      fixed(p99, 1),
      String(requests),
      String(selected.reduce((sum, r) => sum + r.result.failures, 0)),
      String(selected.reduce((sum, r) => sum + r.result.non2xx, 0)),
      fixed((serverCpu * 1000) / requests, 0),
      fixed((pgCpu * 1000) / requests, 0),
      fixed((serverCpu / (seconds * 1000)) * 100, 0),
      selected.every((r) => r.target === 'landing')
        ? String(selected.reduce((sum, r) => sum + r.cacheLoads, 0))
        : '–',
    ];
  };
  console.log('\nRuns (latency in ms; CPU per request in µs: the server process, PostgreSQL backends)');
  const headers = [
    'run',
    'req/s',
    'p50 ms',
    'p99 ms',
    'requests',
    'errors+timeouts',
    'non-2xx',
    'server CPU µs/req',
    'PG CPU µs/req',
    'server busy % of a core',
    'cache loads',
  ];
  printTable(
    headers,
    runs.map((r) => row(`${r.generator} ${r.target} #${r.round}`, [r])),
  );
  const of = (generator: Generator, target: Target) =>
    runs.filter((r) => r.generator === generator && r.target === target);
  console.log('\nTotals (req/s = all requests / all seconds; p50, p99 = worst run)');
  printTable(
    headers,
    GENERATORS.flatMap((generator) =>
      TARGETS.map((target) => row(`${generator} ${target} (all runs)`, of(generator, target))),
    ),
  );

  console.log(`\nRatios against the bare route in the same run, and p99 at ${CONNECTIONS} connections`);
  const perRound = (generator: Generator, target: Target) =>
    [...Array(ROUNDS).keys()]
      .map((index) => {
        const [b, t] = [of(generator, 'bare')[index], of(generator, target)[index]];
        return b && t
          ? fixed(t.result.requests / t.result.durationS / (b.result.requests / b.result.durationS), 2)
          : '–';
      })
      .join(', ');
  const worstP99 = (generator: Generator, target: Target) =>
    Math.max(...of(generator, target).map((r) => r.result.p99));
  printTable(
    [
      'generator',
      'landing/bare',
      'per round',
      'css/bare',
      'per round',
      'p99 bare ms',
      'p99 landing ms',
      'p99 css ms',
    ],
    GENERATORS.map((generator) => [
      generator,
      `${fixed(rate(of(generator, 'landing')) / rate(of(generator, 'bare')), 2)}×`,
      perRound(generator, 'landing'),
      `${fixed(rate(of(generator, 'css')) / rate(of(generator, 'bare')), 2)}×`,
      perRound(generator, 'css'),
      fixed(worstP99(generator, 'bare'), 1),
      fixed(worstP99(generator, 'landing'), 1),
      fixed(worstP99(generator, 'css'), 1),
    ]),
  );
  for (const generator of GENERATORS) {
    const ratio = rate(of(generator, 'landing')) / rate(of(generator, 'bare'));
    const p99 = worstP99(generator, 'landing');
    const met = ratio >= TARGET_RATIO && p99 < TARGET_P99_MS;
    console.log(
      `${generator}: issue 5 target (landing ≥ ${TARGET_RATIO}× with p99 < ${TARGET_P99_MS} ms): ${met ? 'met' : 'not met'} ` +
        `(ratio ${ratio >= TARGET_RATIO ? 'ok' : 'below'}, p99 ${p99 < TARGET_P99_MS ? 'ok' : 'above'}) — information, not a pass/fail`,
    );
  }
  const broken = runs.reduce((sum, r) => sum + r.result.failures + r.result.non2xx, 0);
  if (broken > 0) {
    console.log(`WARNING: ${broken} requests failed or were not 2xx; the figures above are not comparable`);
    exitCode = 1;
  }
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await stop.run();
}
process.exit(exitCode);
