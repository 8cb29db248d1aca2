/**
 * The warranty certificate of a recorded order, rendered the first time it is
 * asked for (the order page's download, or a purchase workflow started before
 * rendering moved off its critical path) and stored once per order, so a
 * purchase completes without waiting for the PDF and every later download is
 * the same document — until the order is cancelled or ended: a stored PDF
 * rendered for another state of the order is rendered again (marked void), so
 * a cancelled order never serves a valid-looking certificate.
 */
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config.ts';
import { renderWarrantyCertificatePdf, type WarrantyCertificate } from '../documents/order-certificate.ts';
import { chinaDate } from '../domain/coverage.ts';
import { Manufacturer, type Order, OrderCertificate } from '../domain/entities/index.ts';
import { certificateVerificationCode, certificateVerificationUrl } from '../domain/order-links.ts';
import { certificateAvailable, orderContext } from './order-view.ts';

/** What a stored certificate was rendered for: a valid one, or one voided by cancellation or end. */
export type CertificateState = 'valid' | 'cancelled' | 'ended';

export function certificateState(order: Order): CertificateState {
  return order.status === 'cancelled' || order.status === 'ended' ? order.status : 'valid';
}

function voidedOf(order: Order): WarrantyCertificate['voided'] {
  const state = certificateState(order);
  if (state === 'valid') return undefined;
  const at = state === 'cancelled' ? order.cancelledAt : order.endedAt;
  return { status: state, on: chinaDate(at ?? order.updatedAt) };
}

/** The certificate PDF for the order as it stands, rendered and stored when missing or stale; null while the order is not recorded. */
export async function orderCertificatePdf(
  em: EntityManager,
  order: Order,
  config: Pick<AppConfig, 'publicBaseUrl' | 'linkSecret'>,
): Promise<Uint8Array | null> {
  const state = certificateState(order);
  const stored = await em.findOne(OrderCertificate, { order: order.id });
  if (stored && stored.renderedFor === state) return stored.content;
  if (!certificateAvailable(order)) return null;
  const [{ plan, version, product }, manufacturer] = await Promise.all([
    orderContext(em, order),
    em.findOneOrFail(Manufacturer, { id: order.manufacturer }),
  ]);
  const voided = voidedOf(order);
  const content = await renderWarrantyCertificatePdf({
    orderNumber: order.orderNumber,
    planNameZh: plan.nameZh,
    planNameEn: plan.nameEn,
    planVersion: version.version,
    manufacturerName: manufacturer.name,
    brand: product.brand,
    productName: product.name,
    model: product.model,
    serialNumber: order.serialNumber,
    consumerName: order.consumerName,
    productPurchaseDate: order.productPurchaseDate,
    coverageStart: order.coverageStart ?? '',
    coverageEnd: order.coverageEnd ?? '',
    amountFen: order.amountFen,
    currency: order.currency,
    paidAt: (order.paidAt ?? new Date()).toISOString(),
    verificationUrl: certificateVerificationUrl(config.publicBaseUrl, order.orderNumber, config.linkSecret),
    verificationCode: certificateVerificationCode(order.orderNumber, config.linkSecret),
    clauses: version.clauses,
    // What the order was sold under: the version's term and the retail price frozen on the order.
    termMonths: version.termMonths,
    claimCap: { amountFen: order.productRetailPriceFen, currency: order.productCurrency },
    ...(voided ? { voided } : {}),
  });
  // A fresh fork for the write: two first downloads at once both render, one row wins.
  const writer = em.fork();
  if (stored) {
    // Rendered for an earlier state (or before the state was kept): replaced, never served as it was.
    await writer.nativeUpdate(OrderCertificate, { id: stored.id }, { content, renderedFor: state });
    return content;
  }
  writer.create(OrderCertificate, { order: order.id, content, renderedFor: state });
  try {
    await writer.flush();
    return content;
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    return (await em.fork().findOneOrFail(OrderCertificate, { order: order.id })).content;
  }
}
