/**
 * The emulator's development keys are shared through a folder: processes started together on the
 * same folder (scripts/start's web process and worker) agree on them, whichever made them, so a
 * request the merchant side of one signs is accepted by the emulator another serves, and its
 * answer verifies; a fresh folder gets fresh keys, refused by the first folder's emulator.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, wechatpayFromEnv } from '../../src/config.ts';
import { createPaymentProviders, wechatpayEmulatorOf } from '../../src/payments/index.ts';
import type { PaymentProviders } from '../../src/payments/provider.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A development process that serves the emulator on its own keys from `dir`; prints its port and key serial. */
const EMULATOR_PROCESS = `
const { loadConfig } = await import('./src/config.ts');
const { createPaymentProviders, wechatpayEmulatorOf } = await import('./src/payments/index.ts');
const { wechatpayEmulatorRoutes } = await import('./src/payments/wechatpay.emulator.ts');
const { default: Fastify } = await import('fastify');
const emulator = wechatpayEmulatorOf(createPaymentProviders({ orm: null, config: loadConfig() }));
const app = Fastify();
await app.register(wechatpayEmulatorRoutes, { emulator, prefix: '/wechatpay-emulator' });
await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ port: app.server.address().port, publicKeyId: emulator.publicKeyId }));
`;

function startEmulatorProcess(dir: string): {
  child: ChildProcess;
  ready: Promise<{ port: number; publicKeyId: string }>;
} {
  const child = spawn(process.execPath, ['--input-type=module', '-e', EMULATOR_PROCESS], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      WECHATPAY_EMULATOR: 'on',
      WECHATPAY_EMULATOR_KEYS_DIR: dir,
      PAYMENT_PROVIDERS: 'wechatpay',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  const ready = new Promise<{ port: number; publicKeyId: string }>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}: ${err}`)));
  });
  return { child, ready };
}

/** This process's own providers (a development configuration on `dir`), talking to the emulator at `port`. */
function merchantSide(dir: string, port: number): PaymentProviders {
  return createPaymentProviders({
    orm: null as unknown as MikroORM,
    config: loadConfig({
      env: 'development',
      publicBaseUrl: `http://127.0.0.1:${port}`,
      payments: { real: ['wechatpay'], sandbox: 'off' },
      wechatpay: wechatpayFromEnv(
        { WECHATPAY_EMULATOR: 'on', WECHATPAY_EMULATOR_KEYS_DIR: dir },
        'development',
      ),
    }),
  });
}

const payment = (orderNumber: string) => ({
  orderNumber,
  amountFen: 29_900,
  currency: 'CNY',
  subject: '手机延保 / Phone cover',
  notifyUrl: 'http://127.0.0.1:9/notify',
  returnUrl: 'http://127.0.0.1:9/o',
});

describe('WeChat Pay emulator development keys', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'wechatpay-keys-'));
  const shared = path.join(base, 'shared');
  const children: ChildProcess[] = [];
  let servers: { port: number; publicKeyId: string }[] = [];

  beforeAll(async () => {
    // Three processes start together on an empty folder and race to make the keys.
    const started = [1, 2, 3].map(() => startEmulatorProcess(shared));
    children.push(...started.map((s) => s.child));
    servers = await Promise.all(started.map((s) => s.ready));
  }, 60_000);
  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
    rmSync(base, { recursive: true, force: true });
  });

  it('are made once for processes started together, and kept readable by the owner only', () => {
    expect(new Set(servers.map((s) => s.publicKeyId)).size).toBe(1);
    expect(readdirSync(shared)).toEqual(['keys.json']);
    expect(statSync(path.join(shared, 'keys.json')).mode & 0o777).toBe(0o600);
  });

  it('let another process’s merchant side pay and close through each emulator, answers verified', async () => {
    for (const [index, { port, publicKeyId }] of servers.entries()) {
      const providers = merchantSide(shared, port);
      expect(wechatpayEmulatorOf(providers)?.publicKeyId).toBe(publicKeyId);
      const wechatpay = providers.wechatpay;
      if (!wechatpay) throw new Error('WeChat Pay is not configured');
      const orderNumber = `YBKEYS0000000${index}`;
      await expect(wechatpay.createPayment(payment(orderNumber))).resolves.toMatchObject({
        providerPaymentId: orderNumber,
      });
      await expect(wechatpay.closePayment(orderNumber)).resolves.toEqual({
        closed: true,
        alreadyCaptured: false,
      });
    }
  });

  it('are fresh in a fresh folder, whose merchant the first folder’s emulator refuses', async () => {
    const [first] = servers;
    if (!first) throw new Error('no emulator process');
    const providers = merchantSide(path.join(base, 'fresh'), first.port);
    expect(wechatpayEmulatorOf(providers)?.publicKeyId).not.toBe(first.publicKeyId);
    await expect(providers.wechatpay?.createPayment(payment('YBKEYS00000009'))).rejects.toMatchObject({
      status: 401,
      code: 'SIGN_ERROR',
    });
  });
});
