import type { EntityManager } from '@mikro-orm/postgresql';
import { type Static, Type } from '@sinclair/typebox';
import type { Client } from '@temporalio/client';
import { PURCHASE_STAGES } from '../../workflows/purchase.messages.ts';
import {
  MainProduct,
  Notification,
  Order,
  Payment,
  Plan,
  PlanVersion,
  Refund,
} from '../domain/entities/index.ts';
import { ORDER_STATUSES } from '../domain/entities/order.entity.ts';
import { notFound } from '../domain/errors.ts';
import { verifyOrderAccessToken } from '../domain/order-links.ts';
import { StringEnum } from '../domain/schemas.ts';
import { purchaseStatus } from '../temporal/purchase.client.ts';

/** A certificate exists for every order whose payment was recorded (it has a coverage window). */
export const certificateAvailable = (order: Order) => Boolean(order.paidAt && order.coverageStart);

const IsoDateOrNull = Type.Union([Type.String({ format: 'date' }), Type.Null()]);

/** An order as its owner sees it, with each purchase step done or not: what the status page polls. */
export const OrderViewSchema = Type.Object({
  orderNumber: Type.String(),
  status: StringEnum(ORDER_STATUSES),
  stage: Type.Union([StringEnum(PURCHASE_STAGES), Type.Null()], {
    description: "the purchase workflow's stage while payment is pending, else null",
  }),
  steps: Type.Object({
    registered: Type.Boolean(),
    paid: Type.Boolean(),
    recorded: Type.Boolean(),
    confirmed: Type.Boolean({ description: 'the confirmation message was delivered' }),
  }),
  amountFen: Type.Integer({ description: 'price paid, integer fen' }),
  currency: Type.String(),
  serialNumber: Type.String(),
  claimCapFen: Type.Integer({ description: "the product's retail price frozen on the order, integer fen" }),
  claimCapCurrency: Type.String(),
  coverageStart: IsoDateOrNull,
  coverageEnd: IsoDateOrNull,
  paymentDeclined: Type.Boolean(),
  payUrl: Type.Union([Type.String(), Type.Null()], { description: 'where to pay while payment is open' }),
  certificateReady: Type.Boolean(),
  refundedFen: Type.Integer({ description: 'sum of refunds, integer fen' }),
});
export type OrderView = Static<typeof OrderViewSchema>;

export async function orderView(em: EntityManager, client: Client, order: Order): Promise<OrderView> {
  const [payment, confirmation, refunds, workflow] = await Promise.all([
    em.findOne(Payment, { order: order.id }, { orderBy: { createdAt: 'asc' } }),
    em.findOne(Notification, { dedupeKey: `order-confirmation:${order.orderNumber}` }),
    em.find(Refund, { payment: { $in: (await em.find(Payment, { order: order.id })).map((p) => p.id) } }),
    order.status === 'pending_payment' ? purchaseStatus(client, order.orderNumber) : Promise.resolve(null),
  ]);
  return {
    orderNumber: order.orderNumber,
    status: order.status,
    stage: workflow?.stage ?? null,
    steps: {
      registered: true,
      paid: payment?.status === 'captured' || order.status === 'active',
      recorded: order.status === 'active',
      confirmed: certificateAvailable(order) && confirmation?.status === 'delivered',
    },
    amountFen: order.amountFen,
    currency: order.currency,
    serialNumber: order.serialNumber,
    // The claim cap as sold: the product's retail price frozen on the order when it was registered.
    claimCapFen: order.productRetailPriceFen,
    claimCapCurrency: order.productCurrency,
    coverageStart: order.coverageStart ?? null,
    coverageEnd: order.coverageEnd ?? null,
    // Declined: the provider reported the attempt failed and the order ended; it can be bought again.
    paymentDeclined: payment?.status === 'failed',
    payUrl: order.status === 'pending_payment' && payment?.status === 'created' ? payment.payUrl : null,
    // Rendered on first download (services/order-certificate.ts), so ready once the order is recorded.
    certificateReady: certificateAvailable(order),
    refundedFen: refunds.reduce((sum, r) => sum + r.amountFen, 0),
  };
}

/** The order a link names, only with its access token; null for a wrong token as for a missing order. */
export const findOrderByLink = async (
  em: EntityManager,
  orderNumber: string,
  token: string,
  secret: string,
) => (verifyOrderAccessToken(orderNumber, token, secret) ? await em.findOne(Order, { orderNumber }) : null);

/** The order a link names; a wrong token is refused like a missing order (404). */
export async function orderByLink(em: EntityManager, orderNumber: string, token: string, secret: string) {
  const order = await findOrderByLink(em, orderNumber, token, secret);
  if (!order) throw notFound('order');
  return order;
}

/** Plan, version and product of an order, for pages and certificates. */
export async function orderContext(em: EntityManager, order: Order) {
  const [plan, version, product] = await Promise.all([
    em.findOneOrFail(Plan, { id: order.plan }),
    em.findOneOrFail(PlanVersion, { id: order.planVersion }),
    em.findOneOrFail(MainProduct, { id: order.product }),
  ]);
  return { plan, version, product };
}
