/**
 * The warranty certificate of a recorded order, rendered the first time it is
 * asked for (the order page's download, or a purchase workflow started before
 * rendering moved off its critical path) and stored once per order, so a
 * purchase completes without waiting for the PDF and every later download is
 * the same document.
 */
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config.ts';
import { renderWarrantyCertificatePdf } from '../documents/order-certificate.ts';
import { Manufacturer, type Order, OrderCertificate } from '../domain/entities/index.ts';
import { orderUrl } from '../domain/order-links.ts';
import { certificateAvailable, orderContext } from './order-view.ts';

/** The stored certificate PDF, rendered and stored on first use; null while the order is not recorded. */
export async function orderCertificatePdf(
  em: EntityManager,
  order: Order,
  config: Pick<AppConfig, 'publicBaseUrl' | 'linkSecret'>,
): Promise<Uint8Array | null> {
  const stored = await em.findOne(OrderCertificate, { order: order.id });
  if (stored) return stored.content;
  if (!certificateAvailable(order)) return null;
  const [{ plan, version, product }, manufacturer] = await Promise.all([
    orderContext(em, order),
    em.findOneOrFail(Manufacturer, { id: order.manufacturer }),
  ]);
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
    orderUrl: orderUrl(config.publicBaseUrl, order.orderNumber, config.linkSecret),
    clauses: version.clauses,
    // What the order was sold under: the version's term and the retail price frozen on the order.
    termMonths: version.termMonths,
    claimCap: { amountFen: order.productRetailPriceFen, currency: order.productCurrency },
  });
  // A fresh fork for the insert: two first downloads at once both render, one row wins.
  const writer = em.fork();
  writer.create(OrderCertificate, { order: order.id, content });
  try {
    await writer.flush();
    return content;
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    return (await em.fork().findOneOrFail(OrderCertificate, { order: order.id })).content;
  }
}
