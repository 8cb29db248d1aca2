/**
 * /metrics on the web server: only with the bearer token, and what it shows after a real plan, a paid
 * and a pending purchase and a refused callback (HTTP by route pattern, business counts from the database).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { activeOrder, pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ metricsToken: TOKEN }, { listen: true });
});
afterAll(async () => {
  await h?.close();
});

const scrape = (authorization?: string) =>
  h.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

/** The value of one series in Prometheus text format, e.g. `yanbao_orders{status="active"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('refuses a scrape without the token or with a wrong one', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN.slice(1)}`, `Bearer ${TOKEN}x`, TOKEN]) {
      const res = await scrape(authorization);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).not.toContain('yanbao_');
    }
  });

  it('does not exist when no token is configured', async () => {
    const app = await buildApp(
      { ...h.app.deps, config: { ...h.config, metricsToken: null } },
      { logger: false },
    );
    try {
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('shows requests by route pattern and orders, plans and refused callbacks', async () => {
    const plan = await publishedPlan(h);
    const paid = await activeOrder(h, plan.code);
    const pending = await register(h, registration(plan.code));
    for (const order of [paid, pending]) {
      const { pathname, search } = new URL(order.orderUrl);
      const page = await h.app.inject({ method: 'GET', url: `${pathname}${search}` });
      expect(page.statusCode).toBe(200);
    }
    const unsigned = await h.app.inject({
      method: 'POST',
      url: '/api/v1/payments/sandbox/notify',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ id: 'evt_1', order_number: pending.orderNumber }),
    });
    expect(unsigned.statusCode).toBe(400);

    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(
      sample(
        text,
        'yanbao_http_request_duration_seconds_count{method="POST",route="/api/v1/public/orders",status_code="201"}',
      ),
    ).toBe(2);
    expect(
      sample(
        text,
        'yanbao_http_request_duration_seconds_count{method="GET",route="/o/:orderNumber",status_code="200"}',
      ),
    ).toBe(2);
    // No series per order: the order numbers appear in no label.
    for (const order of [paid, pending]) expect(text).not.toContain(order.orderNumber);
    expect(sample(text, 'yanbao_orders{status="active"}')).toBe(1);
    expect(sample(text, 'yanbao_orders{status="pending_payment"}')).toBe(1);
    expect(sample(text, 'yanbao_orders{status="expired"}')).toBe(0);
    expect(sample(text, 'yanbao_orders_paid')).toBe(1);
    expect(sample(text, 'yanbao_plans{status="on_sale"}')).toBe(1);
    expect(sample(text, 'yanbao_claims{status="submitted"}')).toBe(0);
    expect(
      sample(text, 'yanbao_payment_callbacks_refused_total{provider="sandbox",reason="malformed"}'),
    ).toBe(1);

    // Counted again at the next scrape: the pending order, paid now, leaves pending_payment.
    await pay(h, pending.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(pending.orderNumber)).result();
    const later = (await scrape(`Bearer ${TOKEN}`)).body;
    expect(sample(later, 'yanbao_orders{status="active"}')).toBe(2);
    expect(sample(later, 'yanbao_orders{status="pending_payment"}')).toBe(0);
    expect(sample(later, 'yanbao_orders_paid')).toBe(2);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });
});
