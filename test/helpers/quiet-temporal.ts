import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers (and replays) log every state change at INFO; tests only want warnings and errors.
// The runtime is one per process, and a reused vitest worker (isolate: false) runs this file again.
const installed = Symbol.for('yanbao.test.quietTemporal');
const state = globalThis as { [installed]?: true };
if (!state[installed]) {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  state[installed] = true;
}
