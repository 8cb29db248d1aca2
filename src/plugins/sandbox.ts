import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type SandboxDeliverer, startSandboxDeliverer } from '../payments/sandbox-deliverer.ts';

/**
 * Runs the sandbox gateway's callback deliverer alongside the web server: it
 * starts once the app is ready and is stopped (in-flight requests aborted,
 * the current pass awaited) when the app closes. Its timer is unref'd, so it
 * never keeps the process alive by itself. Several server processes may run
 * it against one database: rows are claimed with skip-locked leases.
 */
export const sandboxPlugin = fp(
  async (app: FastifyInstance) => {
    let deliverer: SandboxDeliverer | null = null;
    app.addHook('onReady', async () => {
      const { orm, config } = app.deps;
      deliverer = startSandboxDeliverer({
        orm,
        signingSecret: config.sandbox.signingSecret,
        log: app.log.child({ component: 'sandbox-deliverer' }),
      });
    });
    app.addHook('onClose', async () => {
      await deliverer?.stop();
      deliverer = null;
    });
  },
  { name: 'yanbao-sandbox' },
);
