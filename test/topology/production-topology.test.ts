/**
 * The production topology (src/cluster, what scripts/cluster runs) on this machine's PostgreSQL,
 * with its own databases: the real Temporal server with SQL visibility, two workers, two web
 * processes with NODE_ENV=production behind the HTTPS load balancer. Everything below goes
 * through real HTTPS to PUBLIC_BASE_URL, as a manufacturer, a consumer's browser and an auditor
 * would: a plan published through review, purchases paid on the staging sandbox's checkout page
 * while one worker is SIGKILLed and the Temporal server restarted, a claim; then nothing may be
 * lost or duplicated, and the auditor's filtered workflow list must work on SQL visibility.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_DRAFT, BENCH_PRODUCT } from '../../bench/support.ts';
import { type Cluster, publicAddress, startCluster } from '../../src/cluster/cluster.ts';
import { generateSecrets } from '../../src/cluster/secrets.ts';
import { temporalServerBuildFromEnv } from '../../src/cluster/temporal-server.ts';
import { payloadKeysFromEnv } from '../../src/config.ts';
import type { CoverageType } from '../../src/domain/catalog.ts';
import { chinaDate } from '../../src/domain/coverage.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import type { MatchingResult } from '../../src/domain/plan-draft.ts';
import { yanbaoDataConverter } from '../../src/temporal/payload-codec.ts';
import { planDraftWorkflowId } from '../../src/temporal/plan-creation.client.ts';
import type { PublishedPlan } from '../../workflows/plan-creation.messages.ts';
import type { PurchaseStatus } from '../../workflows/purchase.messages.ts';
import { makeUscc } from '../helpers/api-session.ts';
import { type Answer, Browser } from './support/browser.ts';

const ADMIN_URL = process.env.TOPOLOGY_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = `yanbao_topology_${process.pid}_${randomBytes(3).toString('hex')}`;
const databaseUrl = (name: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
const PURCHASES = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stderr.write(`[topology] ${line}\n`);

/** Polls `probe` until it returns a value (not undefined), or fails with `what` after `timeoutMs`. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
    await sleep(250);
  }
}

function expectStatus(answer: Answer, status: number, what: string): Answer {
  if (answer.status !== status)
    throw new Error(`${what}: expected ${status}, got ${answer.status} ${answer.text.slice(0, 500)}`);
  return answer;
}

describe('production topology', () => {
  const testStart = Date.now();
  let cluster: Cluster;
  let startMs = 0;
  let ca: Buffer;
  let client: Client;
  let connection: Connection;
  let db: pg.Client;
  const browsers: Browser[] = [];
  const browser = () => {
    const opened = new Browser(cluster.publicBaseUrl, ca);
    browsers.push(opened);
    return opened;
  };

  beforeAll(async () => {
    const publicHost = process.env.CLUSTER_PUBLIC_HOST || publicAddress();
    if (!publicHost)
      throw new Error('no non-loopback address for the load balancer (set CLUSTER_PUBLIC_HOST)');
    cluster = await startCluster({
      databaseUrl: databaseUrl(DATABASE),
      publicHost,
      publicPort: 0,
      secrets: generateSecrets(),
      build: temporalServerBuildFromEnv(),
      logLevel: 'warn',
      log,
    });
    startMs = Date.now() - testStart;
    ca = await readFile(cluster.certificate.certPath);
    connection = await Connection.connect({ address: cluster.temporalAddress });
    client = new Client({
      connection,
      namespace: cluster.namespace,
      dataConverter: yanbaoDataConverter(payloadKeysFromEnv('production', cluster.appEnv)),
    });
    db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
  }, 240_000);

  afterAll(async () => {
    for (const opened of browsers) opened.close();
    await db?.end().catch(() => {});
    await connection?.close().catch(() => {});
    await cluster?.stop();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      for (const name of [DATABASE, `${DATABASE}_temporal`, `${DATABASE}_temporal_visibility`])
        await admin.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await admin.end();
    }
    if (cluster)
      log(
        `figures: topology up in ${(startMs / 1000).toFixed(1)} s (${Object.entries(cluster.timings)
          .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`)
          .join(
            ', ',
          )}); whole test ${((Date.now() - testStart) / 1000).toFixed(1)} s; requests per web process ${cluster.loadBalancer.forwarded.join(' / ')}`,
      );
  }, 120_000);

  it('publishes, sells through faults, files a claim, loses and duplicates nothing, and audits on SQL visibility', async () => {
    // ——— the manufacturer: sign-up, an approver, a product, a plan through the plan-creation workflow and review ———
    const editor = browser();
    const tag = randomBytes(4).toString('hex');
    const signup = expectStatus(
      await editor.request('POST', '/api/v1/auth/signup', {
        company: {
          name: `拓扑 电器有限公司 ${tag}`,
          usccCode: makeUscc(),
          contactName: '王经理',
          contactPhone: '13812345678',
          email: `contact-${tag}@topology.example`,
        },
        user: {
          displayName: 'Topology Admin',
          email: `admin-${tag}@topology.example`,
          password: 'correct horse battery',
        },
      }),
      201,
      'sign up',
    );
    const manufacturerId = signup.json<{ manufacturer: { id: string } }>().manufacturer.id;
    // Production cookies are Secure: they came back over https through the load balancer.
    expect(String(signup.headers['set-cookie'])).toMatch(/Secure/i);
    await editor.refreshCsrf();
    const approverEmail = `approver-${tag}@topology.example`;
    expectStatus(
      await editor.request('POST', '/api/v1/manufacturer/users', {
        displayName: 'Topology Approver',
        email: approverEmail,
        password: 'another long passphrase',
        roles: ['approver'],
      }),
      201,
      'add approver',
    );
    const approver = browser();
    await approver.login(approverEmail, 'another long passphrase');
    const productId = expectStatus(
      await editor.request('POST', '/api/v1/products', BENCH_PRODUCT),
      201,
      'product',
    ).json<{
      id: string;
    }>().id;
    const draftId = expectStatus(
      await editor.request('POST', '/api/v1/plan-drafts', {
        productId,
        ...BENCH_DRAFT,
        // Covered from the purchase on, so the claim below is within cover.
        coverageStartRule: { kind: 'from_purchase' },
      }),
      201,
      'plan draft',
    ).json<{ id: string }>().id;
    const suggestions = await eventually('clause suggestions', async () => {
      const body = (await editor.request('GET', `/api/v1/plan-drafts/${draftId}`)).json<{
        workflow?: { stage: string };
        suggestions?: MatchingResult;
      }>();
      return body.workflow?.stage === 'awaiting_selection' ? body.suggestions : undefined;
    });
    const wanted: CoverageType[] = [
      ...BENCH_DRAFT.coverageTypes,
      'exclusions',
      'claim_procedure',
      'cancellation_refund',
    ];
    const clauseIds = wanted.map((type) => {
      const best = suggestions.clauses.find((c) => c.coverageType === type);
      if (!best) throw new Error(`no clause suggested for ${type}`);
      return best.clauseId;
    });
    expectStatus(
      await editor.request('POST', `/api/v1/plan-drafts/${draftId}/selection`, { clauseIds }),
      200,
      'clause selection',
    );
    expectStatus(
      await approver.request('POST', `/api/v1/plan-drafts/${draftId}/review`, { decision: 'approve' }),
      200,
      'approve',
    );
    const plan = (await client.workflow.getHandle(planDraftWorkflowId(draftId)).result()) as PublishedPlan;
    expect(plan.code).toBeTruthy();
    log(`plan ${plan.code} published`);

    // ——— consumers: register units and pay on the sandbox's checkout page, as a browser posts its form ———
    const consumer = browser();
    const serialBase = 1_000_000_000 + Math.floor(Math.random() * 8_000_000_000);
    const purchaseDate = chinaDate(new Date(Date.now() - 10 * 86_400_000));
    const orders: { orderNumber: string; token: string; payUrl: string }[] = [];
    const register = async (index: number) => {
      const answer = expectStatus(
        await consumer.request('POST', '/api/v1/public/orders', {
          planCode: plan.code,
          consumerName: '张三',
          consumerPhone: '13912345678',
          serialNumber: `XH${serialBase + index}`,
          productPurchaseDate: purchaseDate,
          paymentProvider: 'sandbox',
          idempotencyKey: randomUUID().replaceAll('-', ''),
        }),
        201,
        `register #${index}`,
      ).json<{ orderNumber: string; payUrl: string; orderUrl: string }>();
      // Links are built from PUBLIC_BASE_URL: the load balancer's https origin.
      expect(answer.payUrl.startsWith(`${cluster.publicBaseUrl}/`)).toBe(true);
      const token = new URL(answer.orderUrl).searchParams.get('t') ?? '';
      orders.push({ orderNumber: answer.orderNumber, token, payUrl: answer.payUrl });
    };
    const pay = async (order: { payUrl: string }) => {
      const page = expectStatus(await consumer.request('GET', order.payUrl), 200, 'checkout page');
      const action = /<form method="post" action="([^"]+\/pay)">/.exec(page.text)?.[1];
      if (!action) throw new Error(`no Pay form on the checkout page: ${page.text.slice(0, 300)}`);
      const paid = expectStatus(await consumer.submitForm(action), 303, 'Pay');
      expect(paid.headers.location).toBeTruthy();
    };
    for (let i = 0; i < PURCHASES; i++) await register(i);
    const [first, second, third, fourth] = orders as [
      (typeof orders)[0],
      (typeof orders)[0],
      (typeof orders)[0],
      (typeof orders)[0],
    ];

    // Fault 1: two purchases are paid, their captures on the way to the workflows, and one worker dies.
    await Promise.all([pay(first), pay(second)]);
    const killed = cluster.workers[0];
    if (!killed?.pid) throw new Error('worker-1 is not running');
    process.kill(killed.pid, 'SIGKILL');
    log('worker-1 killed (SIGKILL) with two captures in flight and two orders awaiting payment');
    await eventually('worker-1 started again by the supervisor', async () => {
      const last = cluster.restarts.filter((r) => r.service === 'worker-1').at(-1);
      return last && (await last.back.then(() => true));
    });

    // Fault 2: the Temporal server stops; consumers pay meanwhile (the gateway keeps its captures and
    // delivers them once the app can signal again); it starts again on its PostgreSQL state.
    await cluster.temporal.stop();
    await pay(third);
    await pay(fourth);
    await cluster.temporal.start();
    log('Temporal server restarted with two payments made while it was down');

    // ——— every purchase completes, once ———
    const results = await Promise.all(
      orders.map((order) =>
        eventually(
          `purchase ${order.orderNumber} completed`,
          () =>
            client.workflow
              .getHandle(purchaseWorkflowId(order.orderNumber))
              .result() as Promise<PurchaseStatus>,
          120_000,
        ),
      ),
    );
    expect(results.map((r) => r.stage)).toEqual(orders.map(() => 'completed'));

    // ——— a claim for one of the orders, through the consumer API ———
    const claim = expectStatus(
      await consumer.request('POST', `/api/v1/public/orders/${first.orderNumber}/claims?t=${first.token}`, {
        faultDescription: '屏幕有一条竖线',
        faultDate: chinaDate(new Date()),
        contactPhone: '13987654321',
        coverageType: 'screen',
        idempotencyKey: randomUUID().replaceAll('-', ''),
      }),
      201,
      'file claim',
    ).json<{ claimNumber: string; status: string }>();
    expect(claim.status).toBe('submitted');

    // ——— nothing lost, nothing duplicated ———
    const scalar = async (sql: string, params: unknown[] = [plan.planId]) =>
      Number(Object.values((await db.query(sql, params)).rows[0] ?? {})[0]);
    const rows = (
      await db.query<{ order_number: string; status: string }>(
        'select order_number, status from purchase_order where plan_id = $1 order by order_number',
        [plan.planId],
      )
    ).rows;
    expect(rows.map((r) => r.order_number)).toEqual(orders.map((o) => o.orderNumber).sort());
    expect(rows.every((r) => r.status === 'active')).toBe(true);
    expect(
      await scalar(`select count(*) from purchase_order o where o.plan_id = $1 and (select count(*) from payment p
        where p.order_id = o.id and (p.captured_at is not null or p.status in ('captured', 'refunded'))) <> 1`),
    ).toBe(0);
    expect(
      await scalar(
        `select count(*) from payment p join purchase_order o on o.id = p.order_id where o.plan_id = $1`,
      ),
    ).toBe(PURCHASES);
    expect(
      await scalar(
        `select count(*) from payment_event e join purchase_order o on o.order_number = e.order_number
          where o.plan_id = $1 and e.kind = 'captured'`,
      ),
    ).toBe(PURCHASES);
    expect(
      await scalar(`select count(*) from sandbox_callback c join sandbox_payment s on s.id = c.sandbox_payment_id
        join purchase_order o on o.order_number = s.order_number
        where o.plan_id = $1 and c.event_id like 'captured-%' and c.delivered_at is null`),
    ).toBe(0);
    expect(
      await scalar(`select count(*) from purchase_order o where o.plan_id = $1 and (select count(*) from notification n
        where n.dedupe_key = 'order-confirmation:' || o.order_number) <> 1`),
    ).toBe(0);
    expect(
      await scalar(
        'select count(*) from claim c join purchase_order o on o.id = c.order_id where o.plan_id = $1',
      ),
    ).toBe(1);
    const { count: unfinished } = await client.workflow.count(
      `WorkflowType = 'PurchaseWorkflow' AND ExecutionStatus != 'Completed'`,
    );
    expect(unfinished).toBe(0);

    // ——— the auditor's filtered workflow list, on SQL visibility ———
    const auditorEmail = `auditor-${tag}@yanbao.test`;
    await promisify(execFile)(
      process.execPath,
      ['src/cli/create-platform-user.ts', '--email', auditorEmail, '--role', 'auditor', '--name', '审计 王'],
      { env: { ...process.env, ...cluster.appEnv, PLATFORM_USER_PASSWORD: 'platform staff passphrase' } },
    );
    const auditor = browser();
    await auditor.login(auditorEmail, 'platform staff passphrase');
    type Listed = { items: { type: string; status: string; orderNumber: string | null }[]; total: number };
    const list = async (filter: Record<string, string>) =>
      expectStatus(
        await auditor.request('GET', `/api/v1/audit/workflows?${new URLSearchParams(filter)}`),
        200,
        `audit list ${JSON.stringify(filter)}`,
      ).json<Listed>();
    const purchases = await eventually(
      'the audit list shows every purchase completed',
      async () => {
        const listed = await list({
          type: 'PurchaseWorkflow',
          manufacturerId,
          status: 'completed',
          pageSize: '100',
        });
        return new Set(listed.items.map((i) => i.orderNumber)).size === PURCHASES ? listed : undefined;
      },
      30_000,
    );
    expect([...new Set(purchases.items.map((i) => i.orderNumber))].sort()).toEqual(
      orders.map((o) => o.orderNumber).sort(),
    );
    const one = await list({ type: 'PurchaseWorkflow', orderNumber: second.orderNumber });
    expect(one.items.length).toBeGreaterThan(0);
    expect(one.items.every((i) => i.orderNumber === second.orderNumber)).toBe(true);
    const claims = await eventually(
      'the audit list shows the claim running',
      async () => {
        const listed = await list({ type: 'ClaimWorkflow', manufacturerId, status: 'running' });
        return listed.total === 1 ? listed : undefined;
      },
      30_000,
    );
    expect(claims.items[0]?.orderNumber).toBe(first.orderNumber);
    const planCreations = await list({ type: 'PlanCreationWorkflow', manufacturerId });
    expect(planCreations.items.map((i) => i.status)).toEqual(['completed']);
    // Another manufacturer's filter finds none of these.
    expect((await list({ manufacturerId: randomUUID() })).total).toBe(0);

    // Both web processes served, and the supervisor restarted only the worker we killed.
    expect(cluster.loadBalancer.forwarded.every((n) => n > 0)).toBe(true);
    expect(cluster.restarts.map((r) => r.service)).toEqual(['worker-1']);
  }, 300_000);
});
