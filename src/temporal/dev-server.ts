import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { Connection } from '@temporalio/client';

export interface DevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev` with its SQLite file in the data folder,
 * so workflows survive restarts, and waits until it answers.
 */
export async function startDevServer(options: {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** Where the Web UI asks to decrypt payloads (Yanbao's /codec; the operator signs in to Yanbao first). */
  codecEndpoint: string;
}): Promise<DevServer> {
  mkdirSync(options.dataDir, { recursive: true });
  // The server's own log goes to a file, keeping the console for Yanbao's output.
  const logFile = openSync(`${options.dataDir}/server.log`, 'a');
  const child = spawn(
    options.cliPath,
    [
      'server',
      'start-dev',
      '--db-filename',
      `${options.dataDir}/temporal.sqlite`,
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--ui-port',
      String(options.uiPort),
      '--namespace',
      options.namespace,
      '--ui-codec-endpoint',
      options.codecEndpoint,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', logFile, logFile] },
  );
  const address = `127.0.0.1:${options.port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(
          `Temporal dev server did not start on ${address} (see ${options.dataDir}/server.log): ${err}`,
        );
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
