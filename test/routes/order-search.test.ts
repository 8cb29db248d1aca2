/**
 * The manufacturer's order search (issue 14 §1) over real HTTP and PostgreSQL:
 * orders bought through the purchase flow on two plans of two products, more
 * paid orders written straight to the table (some paid at the same instant,
 * so the id breaks ties), a cancellation, and another manufacturer with an
 * order of the same holder. Every filter and search, cursor pagination
 * without duplicates or gaps, tenant isolation, the masked phone, the
 * logged reveal, and bad input named field by field.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '../../src/domain/coverage.ts';
import { Cancellation, Order, PhoneReveal } from '../../src/domain/entities/index.ts';
import { orderNumberFor, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { planDraftWorkflowId } from '../../src/temporal/plan-creation.client.ts';
import { ApiSession } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import {
  addUser,
  createDraft,
  createProduct,
  PHONE_DRAFT,
  pickSelection,
  waitForStage,
} from '../helpers/plan-fixtures.ts';
import { nextSerial, pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

interface Item {
  orderNumber: string;
  status: string;
  planId: string;
  productId: string;
  holderName: string;
  phoneMasked: string;
  serialNumber: string;
  paidAt: string;
}
interface ListPage {
  items: Item[];
  nextCursor: string | null;
}

describe('order search API', () => {
  let h: Harness;
  let seller: Awaited<ReturnType<typeof publishedPlan>>;
  let stranger: Awaited<ReturnType<typeof publishedPlan>>;
  let second: { planId: string; productId: string; code: string };
  /** Orders bought through the flow: [plan A 王小明, plan A 张三, plan B 李四]. */
  const bought: Order[] = [];
  let strangerOrder: Order;
  let unpaidOrderNumber: string;
  /** Every paid order of the seller, newest first (paidAt desc, id desc). */
  let expected: Order[] = [];

  async function paidOrder(planCode: string, overrides: Record<string, unknown>) {
    const placed = await register(h, registration(planCode, overrides));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    return h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
  }

  /** A second plan, on a second product, of the seller's manufacturer. */
  async function secondPlan() {
    const editor = seller.editor.session;
    const approver = await addUser(editor, ['approver'], () => new ApiSession(h.app));
    const productId = (await createProduct(editor, { model: `X-${randomUUID().slice(0, 6)}` })).id;
    const draft = await createDraft(editor, productId);
    const { suggestions } = await waitForStage(editor, draft.id, 'awaiting_selection');
    const selected = await editor.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
      clauseIds: pickSelection(suggestions, PHONE_DRAFT.coverageTypes),
    });
    expect(selected.statusCode, selected.body).toBe(200);
    await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, { decision: 'approve' });
    const published = await h.client.workflow.getHandle(planDraftWorkflowId(draft.id)).result();
    if (!published) throw new Error('plan was not published');
    return { ...published, productId };
  }

  const list = async (query = '', session = seller.editor.session) => {
    const response = await session.request('GET', `/api/v1/orders${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as ListPage;
  };
  const numbers = (page: ListPage) => page.items.map((i) => i.orderNumber);

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    seller = await publishedPlan(h);
    stranger = await publishedPlan(h);
    second = await secondPlan();
    bought.push(
      await paidOrder(seller.code, { consumerName: '王小明', consumerPhone: '13800001111' }),
      await paidOrder(seller.code, { consumerName: '张三', consumerPhone: '13912345678' }),
      await paidOrder(second.code, { consumerName: 'Li Si', consumerPhone: '13700002222' }),
    );
    // The same holder buys from another manufacturer.
    strangerOrder = await paidOrder(stranger.code, { consumerName: '张三', consumerPhone: '13912345678' });
    // Registered, never paid: not in the list.
    unpaidOrderNumber = (await register(h, registration(seller.code, { consumerName: '张三' }))).orderNumber;

    // 24 more paid orders straight into the table, paid 40 days ago and earlier, two by two at the same instant.
    const em = h.db.orm.em.fork();
    const template = bought[0] as Order;
    const base = Date.now() - 40 * 86_400_000;
    for (let i = 0; i < 24; i++) {
      const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = template;
      const key = randomUUID().replaceAll('-', '');
      em.create(Order, {
        ...fields,
        orderNumber: orderNumberFor(key, h.config.linkSecret),
        idempotencyKey: `${key}${key}`,
        consumerName: `赵${i}`,
        consumerPhone: `+861360000${String(1000 + i)}`,
        serialNumber: nextSerial(),
        status: i % 6 === 5 ? 'ended' : 'active',
        paidAt: new Date(base - Math.floor(i / 2) * 86_400_000),
      });
    }
    // 张三's order at the seller is cancelled and refunded.
    const cancelled = bought[1] as Order;
    await em.nativeUpdate(Order, { id: cancelled.id }, { status: 'cancelled', cancelledAt: new Date() });
    em.create(Cancellation, {
      order: cancelled.id,
      workflowId: `cancellation-test-${cancelled.orderNumber}`,
      withinCoolingOff: true,
      refundFen: cancelled.amountFen,
      status: 'refunded',
      refundedAt: new Date(),
    });
    await em.flush();
    expected = await h.db.orm.em
      .fork()
      .find(
        Order,
        { manufacturer: template.manufacturer, paidAt: { $ne: null } },
        { orderBy: { paidAt: 'desc', id: 'desc' } },
      );
  }, 180_000);
  afterAll(() => h?.close());

  it('lists paid orders only, newest first, with the phone masked', async () => {
    const page = await list('?limit=100');
    expect(expected).toHaveLength(27);
    expect(numbers(page)).toEqual(expected.map((o) => o.orderNumber));
    expect(page.nextCursor).toBeNull();
    expect(numbers(page)).not.toContain(unpaidOrderNumber);
    const zhang = page.items.find((i) => i.orderNumber === bought[1]?.orderNumber);
    expect(zhang).toMatchObject({ holderName: '张三', phoneMasked: '+86139****5678', status: 'cancelled' });
    expect(JSON.stringify(page)).not.toContain('13912345678');
  });

  it('pages by cursor without duplicates or gaps, ties on the paid instant broken by id', async () => {
    for (const limit of [1, 4, 5, 26]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: ListPage = await list(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...numbers(page));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(expected.map((o) => o.orderNumber));
      expect(pages).toBe(Math.ceil(27 / limit));
    }
  });

  it('filters by plan, product, status and paid days, and combines them', async () => {
    const onlyB = await list(`?planId=${second.planId}`);
    expect(numbers(onlyB)).toEqual([bought[2]?.orderNumber]);
    expect(numbers(await list(`?productId=${second.productId}`))).toEqual([bought[2]?.orderNumber]);
    expect(numbers(await list(`?planId=${seller.planId}&limit=100`))).toHaveLength(26);
    expect(numbers(await list(`?productId=${seller.productId}&limit=100`))).toHaveLength(26);
    expect(numbers(await list('?status=cancelled'))).toEqual([bought[1]?.orderNumber]);
    const ended = await list('?status=ended&limit=100');
    expect(ended.items.map((i) => i.status)).toEqual(['ended', 'ended', 'ended', 'ended']);
    const today = chinaDate(new Date());
    const recent = await list(`?paidFrom=${today}&paidTo=${today}`);
    expect(numbers(recent).sort()).toEqual(bought.map((o) => o.orderNumber).sort());
    // Paid 40 and 41 days ago (China time): the first four of the older orders.
    const old = expected.filter((o) => (o.paidAt as Date).getTime() < Date.now() - 39 * 86_400_000);
    const from = chinaDate(old[3]?.paidAt as Date);
    const to = chinaDate(old[0]?.paidAt as Date);
    const days = await list(`?paidFrom=${from}&paidTo=${to}&limit=100`);
    expect(numbers(days)).toEqual(
      old.filter((o) => chinaDate(o.paidAt as Date) >= from).map((o) => o.orderNumber),
    );
    expect(numbers(await list(`?paidFrom=${addDays(today, 1)}`))).toEqual([]);
    expect(numbers(await list(`?planId=${second.planId}&status=cancelled`))).toEqual([]);
  });

  it('searches by order number, serial, full phone, last 4 digits and the start of the name', async () => {
    const [wang, zhang, li] = bought as [Order, Order, Order];
    expect(numbers(await list(`?orderNumber=${zhang.orderNumber}`))).toEqual([zhang.orderNumber]);
    expect(numbers(await list(`?serialNumber=${li.serialNumber.toLowerCase()}`))).toEqual([li.orderNumber]);
    expect(numbers(await list('?phone=13912345678'))).toEqual([zhang.orderNumber]);
    expect(numbers(await list(`?phone=${encodeURIComponent('+86 139 1234 5678')}`))).toEqual([
      zhang.orderNumber,
    ]);
    expect(numbers(await list('?phone=5678'))).toEqual([zhang.orderNumber]);
    expect(numbers(await list('?phone=1111'))).toEqual([wang.orderNumber]);
    expect(numbers(await list(`?name=${encodeURIComponent('张三')}`))).toEqual([zhang.orderNumber]);
    expect(numbers(await list(`?name=${encodeURIComponent('王')}`))).toEqual([wang.orderNumber]);
    expect(numbers(await list('?name=li%20s'))).toEqual([li.orderNumber]);
    // LIKE's wildcards are literal: '%' and '_' match only themselves.
    expect(numbers(await list('?name=%25'))).toEqual([]);
    expect(numbers(await list('?name=_'))).toEqual([]);
    expect(numbers(await list(`?name=${encodeURIComponent('赵1')}&limit=100`))).toHaveLength(11);
    expect(numbers(await list(`?name=${encodeURIComponent('张三')}&phone=1111`))).toEqual([]);
  });

  it("never lists or opens another manufacturer's order", async () => {
    expect(numbers(await list('?phone=5678', stranger.editor.session))).toEqual([strangerOrder.orderNumber]);
    expect(numbers(await list(`?orderNumber=${strangerOrder.orderNumber}`))).toEqual([]);
    const all = await list('?limit=100');
    expect(numbers(all)).not.toContain(strangerOrder.orderNumber);
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/phone-reveal'],
    ] as const) {
      const response = await seller.editor.session.request(
        method,
        `/api/v1/orders/${strangerOrder.orderNumber}${path}`,
      );
      expect(response.statusCode, `${method} ${path}`).toBe(404);
      expect(response.body).not.toContain('13912345678');
    }
    expect(await h.db.orm.em.fork().count(PhoneReveal, { order: strangerOrder.id })).toBe(0);
    // Another manufacturer's plan or product as a filter is not found either.
    expect(
      (await seller.editor.session.request('GET', `/api/v1/orders?planId=${stranger.planId}`)).statusCode,
    ).toBe(404);
    expect(
      (await seller.editor.session.request('GET', `/api/v1/orders?productId=${stranger.productId}`))
        .statusCode,
    ).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/orders' })).statusCode).toBe(401);
    const cancellations = await stranger.editor.session.request('GET', '/api/v1/cancellations');
    expect(cancellations.json()).toEqual({ items: [], nextCursor: null });
  });

  it('shows one order in full with the phone masked, and reveals the phone only with a log entry', async () => {
    const zhang = bought[1] as Order;
    const response = await seller.editor.session.request('GET', `/api/v1/orders/${zhang.orderNumber}`);
    expect(response.statusCode, response.body).toBe(200);
    const detail = response.json();
    expect(response.body).not.toContain('13912345678');
    expect(detail).toMatchObject({
      orderNumber: zhang.orderNumber,
      status: 'cancelled',
      holder: { name: '张三', phoneMasked: '+86139****5678' },
      unit: { serialNumber: zhang.serialNumber },
      coverage: { start: zhang.coverageStart, end: zhang.coverageEnd },
      plan: { id: seller.planId, code: seller.code },
      planVersion: { version: 1 },
      product: { id: seller.productId },
      payments: [{ status: 'captured', amountFen: zhang.amountFen }],
      refunds: [],
      claims: [],
      cancellation: { status: 'refunded', refundFen: zhang.amountFen, withinCoolingOff: true },
      phoneReveals: [],
    });

    const revealed = await seller.editor.session.request(
      'POST',
      `/api/v1/orders/${zhang.orderNumber}/phone-reveal`,
    );
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toMatchObject({ orderNumber: zhang.orderNumber, phone: '+8613912345678' });
    const log = await h.db.orm.em.fork().find(PhoneReveal, { order: zhang.id });
    expect(log).toEqual([
      expect.objectContaining({ user: seller.editor.me.user.id, manufacturer: zhang.manufacturer }),
    ]);
    expect(log[0]?.createdAt.toISOString()).toBe(revealed.json().revealedAt);
    const after = (await seller.editor.session.request('GET', `/api/v1/orders/${zhang.orderNumber}`)).json();
    expect(after.phoneReveals).toEqual([
      { userEmail: seller.editor.email, revealedAt: revealed.json().revealedAt },
    ]);
    // A reveal needs the CSRF token like every write.
    const forged = await seller.editor.session.request(
      'POST',
      `/api/v1/orders/${zhang.orderNumber}/phone-reveal`,
      undefined,
      { 'x-csrf-token': 'forged' },
    );
    expect(forged.statusCode).toBe(403);
    expect(await h.db.orm.em.fork().count(PhoneReveal, { order: zhang.id })).toBe(1);
  });

  it('lists cancellations by cursor, filtered by status and requested day', async () => {
    const zhang = bought[1] as Order;
    const today = chinaDate(new Date());
    const own = await seller.editor.session.request(
      'GET',
      `/api/v1/cancellations?status=refunded&requestedFrom=${today}&requestedTo=${today}&limit=1`,
    );
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toEqual({
      items: [expect.objectContaining({ orderNumber: zhang.orderNumber, status: 'refunded' })],
      nextCursor: null,
    });
    for (const query of [
      'status=requested',
      `requestedFrom=${addDays(today, 1)}`,
      `requestedTo=${addDays(today, -1)}`,
    ])
      expect(
        (await seller.editor.session.request('GET', `/api/v1/cancellations?${query}`)).json().items,
      ).toEqual([]);
  });

  it('answers bad input with field-level 400s', async () => {
    const bad = async (query: string, fields: string[]) => {
      const response = await seller.editor.session.request('GET', `/api/v1/orders?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(
        response
          .json()
          .fields.map((f: { field: string }) => f.field)
          .sort(),
        query,
      ).toEqual(fields.sort());
    };
    await bad('limit=101', ['querystring.limit']);
    await bad('limit=0', ['querystring.limit']);
    await bad('status=pending_payment', ['querystring.status']);
    await bad('planId=nope', ['querystring.planId']);
    await bad('paidFrom=2026-13-01', ['querystring.paidFrom']);
    await bad('paidFrom=2026-02-02&paidTo=2026-02-01', ['querystring.paidFrom']);
    await bad('phone=12', ['querystring.phone']);
    await bad('phone=not-a-number', ['querystring.phone']);
    await bad('orderNumber=yb123', ['querystring.orderNumber']);
    await bad('name=%20%20', ['querystring.name']);
    await bad('cursor=!!', ['querystring.cursor']);
    await bad(`cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`, ['querystring.cursor']);
    await bad('cursor=abc', ['querystring.cursor']);
    const cancellations = await seller.editor.session.request('GET', '/api/v1/cancellations?cursor=abc');
    expect(cancellations.statusCode).toBe(400);
    expect(cancellations.json().fields).toEqual([
      { field: 'querystring.cursor', code: 'errors:field.notCursor', message: expect.any(String) },
    ]);
    expect((await seller.editor.session.request('GET', '/api/v1/orders/YB123')).statusCode).toBe(400);
  });
});
