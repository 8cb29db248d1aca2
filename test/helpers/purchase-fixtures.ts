/** Builders for the consumer side: a published plan to buy, a registration, a sandbox payment. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { chinaDate } from '../../src/domain/coverage.ts';
import type { SandboxBehaviour } from '../../src/domain/entities/sandbox-payment.entity.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { planDraftWorkflowId } from '../../src/temporal/plan-creation.client.ts';
import { ApiSession, signUp } from './api-session.ts';
import type { Harness } from './harness.ts';
import {
  addUser,
  createDraft,
  createProduct,
  PHONE_DRAFT,
  pickSelection,
  waitForStage,
} from './plan-fixtures.ts';

/** A manufacturer with a published phone plan (through the real plan-creation workflow). */
export async function publishedPlan(
  h: Harness,
  overrides: Record<string, unknown> = {},
  productOverrides: Record<string, unknown> = {},
) {
  const editor = await signUp(h.app, 'Seller');
  const approver = await addUser(editor.session, ['approver'], () => new ApiSession(h.app));
  const productId = (await createProduct(editor.session, productOverrides)).id;
  const draft = await createDraft(editor.session, productId, overrides);
  const { suggestions } = await waitForStage(editor.session, draft.id, 'awaiting_selection');
  const submitted = await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
    clauseIds: pickSelection(suggestions, PHONE_DRAFT.coverageTypes),
  });
  expect(submitted.statusCode, submitted.body).toBe(200);
  await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, { decision: 'approve' });
  const published = await h.client.workflow.getHandle(planDraftWorkflowId(draft.id)).result();
  if (!published) throw new Error('plan was not published');
  return { ...published, editor, productId, draftId: draft.id };
}

let serial = 1_000_000_000;
export const nextSerial = () => `XH${String(serial++)}`;

/** A valid registration for the plan; the product was bought 10 days ago (China time). */
export function registration(planCode: string, overrides: Record<string, unknown> = {}) {
  return {
    planCode,
    consumerName: '张三',
    consumerPhone: '13912345678',
    serialNumber: nextSerial(),
    productPurchaseDate: chinaDate(new Date(Date.now() - 10 * 86_400_000)),
    paymentProvider: 'sandbox',
    idempotencyKey: randomUUID().replaceAll('-', ''),
    ...overrides,
  };
}

export async function register(h: Harness, body: Record<string, unknown>) {
  const response = await h.app.inject({ method: 'POST', url: '/api/v1/public/orders', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { orderNumber: string; payUrl: string; orderUrl: string };
}

export const sandboxPaymentId = (payUrl: string) => payUrl.split('/').pop() as string;

/** The body of the sandbox gateway's "payment captured" callback for a placed order; `over` alters it. */
export function sandboxCaptureEvent(
  placed: { orderNumber: string; payUrl: string },
  amountFen: number,
  over: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    id: `evt_${randomUUID()}`,
    type: 'payment.captured',
    payment_id: sandboxPaymentId(placed.payUrl),
    order_number: placed.orderNumber,
    amount_fen: amountFen,
    currency: 'CNY',
    created_at: new Date().toISOString(),
    ...over,
  });
}

/** Tells the sandbox gateway how to deliver this payment's callbacks (duplicates, delay, reorder). */
export async function setBehaviour(h: Harness, payUrl: string, behaviour: SandboxBehaviour) {
  const response = await h.app.inject({
    method: 'POST',
    url: `/sandbox/payments/${sandboxPaymentId(payUrl)}/behaviour`,
    payload: behaviour,
  });
  expect(response.statusCode, response.body).toBe(200);
}

/** The consumer pays on the sandbox checkout; the gateway then calls back asynchronously. */
export async function pay(h: Harness, payUrl: string) {
  const response = await h.app.inject({
    method: 'POST',
    url: `/sandbox/payments/${sandboxPaymentId(payUrl)}/pay`,
  });
  expect(response.statusCode, response.body).toBe(200);
}

/** A paid, active order for a new unit of the plan (needs a harness started with `{ listen: true }`). */
export async function activeOrder(h: Harness, planCode: string, overrides: Record<string, unknown> = {}) {
  const placed = await register(h, registration(planCode, overrides));
  await pay(h, placed.payUrl);
  await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
  return { ...placed, token: orderAccessToken(placed.orderNumber, h.config.linkSecret) };
}
