/**
 * P1 (issues 3 and 5): throughput of the consumer landing page `GET /w/<code>`
 * (a published plan, real PostgreSQL and Temporal) against a bare Fastify
 * route registered in the SAME server instance, measured side by side in one
 * run with autocannon. The ratio is the figure; absolute numbers depend on a
 * shared, noisy machine and are information only.
 *
 *   node bench/landing-throughput.ts [--duration=10] [--connections=50] [--warmup=3] [--rounds=2]
 *                                    [--accept-encoding=gzip]
 *
 * or BENCH_DURATION / BENCH_CONNECTIONS / BENCH_WARMUP / BENCH_ROUNDS / BENCH_ACCEPT_ENCODING.
 * TEMPORAL_CLI_PATH must point at the Temporal CLI (see bench/README.md).
 *
 * autocannon runs as a separate process (its CLI with --json), so the load
 * generator does not share the server's event loop. Every request sends
 * `accept-encoding: gzip` unless told otherwise (Chromium sends `gzip, deflate, br, zstd`).
 * Runs alternate bare, landing, bare, landing… so drift on the machine hits both sides alike.
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
const ACCEPT_ENCODING =
  (parseArgs({ options: { 'accept-encoding': { type: 'string' } }, strict: false }).values[
    'accept-encoding'
  ] as string | undefined) ??
  process.env.BENCH_ACCEPT_ENCODING ??
  'gzip';
const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 20;

const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const BARE_BODY = 'ok';

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  latency: { p50: number; p99: number; mean: number; max: number };
  requests: { average: number; total: number; sent: number };
  throughput: { average: number };
}

/** The running autocannon process, killed if the script is stopped. */
let loadGenerator: ChildProcess | null = null;

/** One autocannon run in its own process; answers its JSON result. */
function autocannon(url: string, durationS: number): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
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
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    loadGenerator = child;
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.slice(out.indexOf('{'))) as AutocannonResult);
      } catch (parseError) {
        reject(new Error(`autocannon printed no JSON (${String(parseError)}): ${out} ${err}`));
      }
    });
  });
}

interface Run {
  target: 'bare' | 'landing';
  round: number;
  result: AutocannonResult;
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
  const urls = { bare: `${base}/bench/bare`, landing: `${base}/w/${plan.code}` };

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

  const order: ('bare' | 'landing')[] = [];
  for (let round = 0; round < ROUNDS; round++) order.push('bare', 'landing');
  process.stderr.write(
    `[bench] warm-up ${WARMUP_S} s each, then ${order.join(', ')} at ${DURATION_S} s each, ${CONNECTIONS} connections\n`,
  );
  if (WARMUP_S > 0)
    for (const target of ['bare', 'landing'] as const) await autocannon(urls[target], WARMUP_S);

  const runs: Run[] = [];
  for (const [index, target] of order.entries()) {
    const cpuBefore = processCpuMs(process.pid) ?? 0;
    const loadsBefore = landingCache.loads;
    await pgMeter.begin();
    const result = await autocannon(urls[target], DURATION_S);
    const pgCpuMs = await pgMeter.end();
    const serverCpuMs = (processCpuMs(process.pid) ?? 0) - cpuBefore;
    runs.push({
      target,
      round: Math.floor(index / 2) + 1,
      result,
      serverCpuMs,
      pgCpuMs,
      cacheLoads: landingCache.loads - loadsBefore,
    });
    process.stderr.write(
      `[bench] ${target} round ${Math.floor(index / 2) + 1}: ${fixed(result.requests.average, 0)} req/s\n`,
    );
  }

  // ——— report ———
  printFacts('Machine', machineFacts());
  printFacts('Setup', [
    ['landing', `GET /w/${plan.code} — ${sizes.landing}`],
    ['bare', `GET /bench/bare (same Fastify instance, same hooks) — ${sizes.bare}`],
    [
      'load',
      `autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per run, warm-up ${WARMUP_S} s each, ` +
        `accept-encoding: ${ACCEPT_ENCODING}`,
    ],
    ['landing cache', `TTL ${landingCache.ttlMs / 1000} s; loads from the database counted per run below`],
    ['order', order.join(', ')],
  ]);

  const row = (label: string, selected: Run[]) => {
    const requests = selected.reduce((sum, r) => sum + r.result.requests.total, 0);
    const seconds = selected.reduce((sum, r) => sum + r.result.duration, 0);
    const rps = requests / seconds;
    const p50 = Math.max(...selected.map((r) => r.result.latency.p50));
    const p99 = Math.max(...selected.map((r) => r.result.latency.p99));
    const failures = selected.reduce((sum, r) => sum + r.result.errors + r.result.timeouts, 0);
    const non2xx = selected.reduce((sum, r) => sum + r.result.non2xx, 0);
    const serverCpu = selected.reduce((sum, r) => sum + r.serverCpuMs, 0);
    const pgCpu = selected.reduce((sum, r) => sum + r.pgCpuMs, 0);
    return {
      rps,
      p99,
      cells: [
        label,
        fixed(rps, 0),
        fixed(p50, 1),
        fixed(p99, 1),
        String(requests),
        String(failures),
        String(non2xx),
        fixed((serverCpu * 1000) / requests, 0),
        fixed((pgCpu * 1000) / requests, 0),
        fixed((serverCpu / (seconds * 1000)) * 100, 0),
        label.startsWith('landing') ? String(selected.reduce((sum, r) => sum + r.cacheLoads, 0)) : '–',
      ],
    };
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
    runs.map((r) => row(`${r.target} #${r.round}`, [r]).cells),
  );
  const bare = row(
    'bare (all runs)',
    runs.filter((r) => r.target === 'bare'),
  );
  const landing = row(
    'landing (all runs)',
    runs.filter((r) => r.target === 'landing'),
  );
  console.log('\nTotals (req/s = all requests / all seconds; p50, p99 = worst run)');
  printTable(headers, [bare.cells, landing.cells]);

  const ratio = landing.rps / bare.rps;
  const perRound = [...Array(ROUNDS).keys()].map((round) => {
    const [b, l] = [runs[round * 2], runs[round * 2 + 1]];
    return b && l ? fixed(l.result.requests.average / b.result.requests.average, 2) : '–';
  });
  console.log(
    `\nRatio landing/bare requests/s: ${fixed(ratio, 2)}× (per round: ${perRound.join(', ')}); landing p99 ${fixed(landing.p99, 1)} ms`,
  );
  const met = ratio >= TARGET_RATIO && landing.p99 < TARGET_P99_MS;
  console.log(
    `Issue 5 target (≥ ${TARGET_RATIO}× with p99 < ${TARGET_P99_MS} ms): ${met ? 'met' : 'not met'} ` +
      `(ratio ${ratio >= TARGET_RATIO ? 'ok' : 'below'}, p99 ${landing.p99 < TARGET_P99_MS ? 'ok' : 'above'}) — information, not a pass/fail`,
  );
  const broken = runs.reduce((sum, r) => sum + r.result.errors + r.result.timeouts + r.result.non2xx, 0);
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
