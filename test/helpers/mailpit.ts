/**
 * A real SMTP server for the email tests: Mailpit (built by scripts/setup.sh, MAILPIT_PATH),
 * started on free ports, read back through its HTTP API. It can be stopped and started again
 * on the same ports, to see deliveries fail and recover.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './harness.ts';

export interface MailpitAddress {
  Name: string;
  Address: string;
}

export interface MailpitMessage {
  ID: string;
  MessageID: string;
  From: MailpitAddress;
  To: MailpitAddress[];
  Subject: string;
  Text: string;
  Attachments: { PartID: string; FileName: string; ContentType: string; Size: number }[];
}

export interface Mailpit {
  /** With a user and password: Mailpit accepts any, so the client's AUTH is exercised. */
  smtpUrl: string;
  /** Summaries, newest first. */
  messages(): Promise<{ ID: string; MessageID: string; Subject: string; To: MailpitAddress[] }[]>;
  message(id: string): Promise<MailpitMessage>;
  attachment(id: string, partId: string): Promise<Buffer>;
  /** Stops the server (SMTP connections are refused) until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

const MAILPIT_PATH =
  process.env.MAILPIT_PATH ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'yanbao/bin/mailpit');

export async function startMailpit(): Promise<Mailpit> {
  if (!existsSync(MAILPIT_PATH))
    throw new Error(`Mailpit not found at ${MAILPIT_PATH}: run (source scripts/setup.sh; ensure_mailpit)`);
  const [smtpPort, httpPort] = [await freePort(), await freePort()];
  const api = `http://127.0.0.1:${httpPort}/api/v1`;
  let child: ChildProcess | null = null;

  const start = async () => {
    if (child) return;
    child = spawn(
      MAILPIT_PATH,
      [
        '--smtp',
        `127.0.0.1:${smtpPort}`,
        '--listen',
        `127.0.0.1:${httpPort}`,
        '--smtp-auth-accept-any',
        '--smtp-auth-allow-insecure',
        // Anything else is refused with a 5xx, as a server refuses an unknown mailbox.
        '--smtp-allowed-recipients',
        '@(example\\.com|[a-z0-9.-]+\\.test)$',
        '--disable-version-check',
        '--quiet',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      if (Date.now() > deadline) throw new Error('Mailpit did not start within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const json = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${api}${path}`);
    if (!response.ok) throw new Error(`Mailpit ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };

  await start();
  return {
    smtpUrl: `smtp://yanbao:secret@127.0.0.1:${smtpPort}`,
    messages: async () =>
      (await json<{ messages: Awaited<ReturnType<Mailpit['messages']>> }>('/messages')).messages,
    message: (id) => json<MailpitMessage>(`/message/${id}`),
    async attachment(id, partId) {
      const response = await fetch(`${api}/message/${id}/part/${partId}`);
      if (!response.ok) throw new Error(`Mailpit attachment: HTTP ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
    start,
  };
}
