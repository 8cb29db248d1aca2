/**
 * One order as the manufacturer's staff see it (issue 14 §1): the holder with
 * the phone masked, coverage, the plan version it bought, payments, refunds,
 * claims and the cancellation; and the full phone number on request, logged
 * in phone_reveal before it is answered.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cancellation, Claim, Order, Payment, PhoneReveal, Refund, User } from '../domain/entities/index.ts';
import { notFound } from '../domain/errors.ts';
import { maskPhone } from '../domain/phone.ts';
import { orderContext } from './order-view.ts';

/** The manufacturer's own order; another manufacturer's is not found, like a missing one. */
export async function manufacturerOrder(em: EntityManager, manufacturerId: string, orderNumber: string) {
  const order = await em.findOne(Order, { orderNumber, manufacturer: manufacturerId });
  if (!order) throw notFound('order');
  return order;
}

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

export async function orderDetail(em: EntityManager, manufacturerId: string, orderNumber: string) {
  const order = await manufacturerOrder(em, manufacturerId, orderNumber);
  const [{ plan, version, product }, payments, claims, cancellation, reveals] = await Promise.all([
    orderContext(em, order),
    em.find(Payment, { order: order.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(Claim, { order: order.id }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.findOne(Cancellation, { order: order.id }),
    em.find(PhoneReveal, { order: order.id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 20 }),
  ]);
  const refunds = await em.find(
    Refund,
    { payment: { $in: payments.map((p) => p.id) } },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const revealers = await em.find(User, { id: { $in: reveals.map((r) => r.user) } });
  const emailOf = new Map(revealers.map((u) => [u.id, u.email]));
  return {
    orderNumber: order.orderNumber,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
    paidAt: iso(order.paidAt),
    expiredAt: iso(order.expiredAt),
    cancelledAt: iso(order.cancelledAt),
    endedAt: iso(order.endedAt),
    amountFen: order.amountFen,
    currency: order.currency,
    paymentProvider: order.paymentProvider,
    holder: { name: order.consumerName, phoneMasked: maskPhone(order.consumerPhone) },
    unit: {
      serialNumber: order.serialNumber,
      productPurchaseDate: order.productPurchaseDate,
      retailPriceFen: order.productRetailPriceFen,
      currency: order.productCurrency,
      baseWarrantyMonths: order.productBaseWarrantyMonths,
    },
    coverage: { start: order.coverageStart ?? null, end: order.coverageEnd ?? null },
    plan: { id: plan.id, code: plan.code, nameZh: plan.nameZh, nameEn: plan.nameEn },
    planVersion: {
      version: version.version,
      termMonths: version.termMonths,
      priceFen: version.priceFen,
      currency: version.currency,
      coolingOffDays: version.coolingOffDays,
      coverageTypes: version.coverageTypes,
      publishedAt: version.publishedAt.toISOString(),
    },
    product: { id: product.id, brand: product.brand, name: product.name, model: product.model },
    payments: payments.map((p) => ({
      provider: p.provider,
      providerPaymentId: p.providerPaymentId,
      amountFen: p.amountFen,
      currency: p.currency,
      status: p.status,
      createdAt: p.createdAt.toISOString(),
      capturedAt: iso(p.capturedAt),
    })),
    refunds: refunds.map((r) => ({
      reason: r.reason,
      amountFen: r.amountFen,
      currency: r.currency,
      providerRefundId: r.providerRefundId,
      createdAt: r.createdAt.toISOString(),
    })),
    claims: claims.map((c) => ({
      claimNumber: c.claimNumber,
      status: c.status,
      coverageType: c.coverageType,
      faultDate: c.faultDate,
      repairCostFen: c.repairCostFen ?? null,
      outcome: c.outcome ?? null,
      createdAt: c.createdAt.toISOString(),
    })),
    cancellation: cancellation
      ? {
          status: cancellation.status,
          withinCoolingOff: cancellation.withinCoolingOff,
          approvedClaimsFen: cancellation.approvedClaimsFen,
          refundFen: cancellation.refundFen,
          reason: cancellation.reason ?? null,
          requestedAt: cancellation.createdAt.toISOString(),
          refundedAt: iso(cancellation.refundedAt),
        }
      : null,
    phoneReveals: reveals.map((r) => ({
      userEmail: emailOf.get(r.user) ?? null,
      revealedAt: r.createdAt.toISOString(),
    })),
  };
}

/** The holder's full phone number for a staff member, logged (who, when) before it is answered. */
export async function revealPhone(
  em: EntityManager,
  deps: { manufacturerId: string; userId: string },
  orderNumber: string,
) {
  const order = await manufacturerOrder(em, deps.manufacturerId, orderNumber);
  const reveal = em.create(PhoneReveal, {
    order: order.id,
    manufacturer: deps.manufacturerId,
    user: deps.userId,
  });
  await em.flush();
  return {
    orderNumber: order.orderNumber,
    phone: order.consumerPhone,
    revealedAt: reveal.createdAt.toISOString(),
  };
}
