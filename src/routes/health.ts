/** Liveness and readiness for the orchestrator: outside /api/v1, no auth, no rate limit, never cached. */
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { OUTAGE_RETRY_AFTER_SECONDS } from '../domain/errors.ts';

const CHECK_TIMEOUT_MS = 2_000;
const Check = Type.Object({ ok: Type.Boolean(), message: Type.Optional(Type.String()) });
const ReadyBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Object({ database: Check, temporal: Check, migrations: Check }),
});

/** A check's result; a hung dependency counts as failed after CHECK_TIMEOUT_MS. */
async function check(run: () => Promise<string | null>): Promise<{ ok: boolean; message?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    const problem = await Promise.race([run(), timeout]);
    return problem ? { ok: false, message: problem } : { ok: true };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { orm, temporal } = app.deps;
  app.get(
    '/health',
    { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    // The process answers: nothing else is asked, so a slow dependency never gets it restarted.
    async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' as const }),
  );
  app.get('/ready', { schema: { response: { 200: ReadyBody, 503: ReadyBody } } }, async (_request, reply) => {
    const [database, temporalCheck, migrations] = await Promise.all([
      check(async () => {
        await orm.em.fork().getConnection().execute('select 1');
        return null;
      }),
      check(async () => {
        // The frontend answers this cheap call only when it is up and reachable.
        await temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
          temporal.workflowService.getSystemInfo({}),
        );
        return null;
      }),
      check(async () => {
        const pending = await orm.getMigrator().getPendingMigrations();
        return pending.length ? `pending: ${pending.map((m) => m.name).join(', ')}` : null;
      }),
    ]);
    const checks = { database, temporal: temporalCheck, migrations };
    reply.header('cache-control', 'no-store');
    const failed = Object.entries(checks).filter(([, c]) => !c.ok);
    if (failed.length === 0) return reply.code(200).send({ status: 'ok' as const, checks });
    return reply
      .code(503)
      .header('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS))
      .send({ status: 'unavailable' as const, checks });
  });
};
