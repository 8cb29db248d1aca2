/**
 * R1 (issue 5), the long run: N purchases over real HTTP while the worker is
 * killed (SIGKILL) and restarted, the Temporal dev server restarted and
 * PostgreSQL (a private cluster, never the machine's server) shut down
 * immediately and restarted; then every purchase must have completed exactly
 * once (see test/faults/support/r1-crash-restart.ts for the checks).
 *
 *   node bench/faults/r1-crash-restart.ts [--purchases=500] [--concurrency=20] [--down=3]
 *        [--timeout=20] [--settle=600] [--postgres=immediate|fast] [--temporal=SIGTERM|SIGKILL] [--bundle=1|0]
 *
 * or R1_PURCHASES / R1_CONCURRENCY / R1_DOWN_SECONDS / R1_REQUEST_TIMEOUT / R1_SETTLE_SECONDS /
 * R1_POSTGRES_MODE / R1_TEMPORAL_SIGNAL / R1_PREBUILT_BUNDLE. TEMPORAL_CLI_PATH must point at the Temporal
 * CLI. Exits 1 when any check fails. Every process it starts is stopped and the
 * scratch folder removed on success, failure and Ctrl-C.
 */

import { printR1Report, runR1 } from '../../test/faults/support/r1-crash-restart.ts';
import { startFaultSystem } from '../../test/faults/support/system.ts';
import { numberOption } from '../measure.ts';

function choice<T extends string>(name: string, envName: string, allowed: readonly T[]): T {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const raw = flag ? flag.slice(name.length + 3) : (process.env[envName] ?? allowed[0]);
  if (!allowed.includes(raw as T))
    throw new Error(`--${name} / ${envName} must be one of ${allowed.join(', ')}`);
  return raw as T;
}

const options = {
  purchases: Math.max(4, Math.round(numberOption('purchases', 'R1_PURCHASES', 500))),
  concurrency: Math.max(1, Math.round(numberOption('concurrency', 'R1_CONCURRENCY', 20))),
  downSeconds: numberOption('down', 'R1_DOWN_SECONDS', 3),
  requestTimeoutMs: numberOption('timeout', 'R1_REQUEST_TIMEOUT', 20) * 1000,
  settleTimeoutMs: numberOption('settle', 'R1_SETTLE_SECONDS', 600) * 1000,
  postgresMode: choice('postgres', 'R1_POSTGRES_MODE', ['immediate', 'fast'] as const),
  temporalSignal: choice('temporal', 'R1_TEMPORAL_SIGNAL', ['SIGTERM', 'SIGKILL'] as const),
};
const prebuiltBundle = numberOption('bundle', 'R1_PREBUILT_BUNDLE', 1) !== 0;

const system = await startFaultSystem({ prebuiltBundle });
let exitCode = 1;
try {
  const plan = await system.publishPlan();
  const result = await runR1(system, plan, options);
  printR1Report(result, system);
  exitCode = result.ok ? 0 : 1;
  if (!result.ok) console.log(`the processes' logs: ${await system.keepLogs('r1')}`);
} catch (err) {
  console.error(err);
  console.error(`the processes' logs: ${await system.keepLogs('r1')}`);
} finally {
  await system.stop();
}
process.exit(exitCode);
