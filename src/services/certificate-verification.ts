/**
 * What the verification code on a certificate shows anyone holding it: the
 * cover's status and dates, the plan and product, the serial masked — never
 * the holder's name or phone, and nothing that acts on the order.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { type CoverStatus, coverStatus, maskSerial } from '../domain/cover-status.ts';
import { chinaDate } from '../domain/coverage.ts';
import { Order } from '../domain/entities/index.ts';
import { notFound } from '../domain/errors.ts';
import { verifyCertificateVerificationCode } from '../domain/order-links.ts';
import { orderContext } from './order-view.ts';

export interface CertificateVerification {
  orderNumber: string;
  status: CoverStatus;
  /** YYYY-MM-DD, both inclusive; null when the order was never paid. */
  coverageStart: string | null;
  coverageEnd: string | null;
  /** China date the order was cancelled or ended, when it was. */
  terminatedOn: string | null;
  plan: { nameZh: string; nameEn: string; version: number };
  product: { brand: string; name: string; model: string };
  serialNumberMasked: string;
  checkedOn: string;
}

/** The cover behind a certificate's code; a wrong code looks like a missing order. */
export async function verifyCertificate(
  em: EntityManager,
  orderNumber: string,
  code: string,
  secret: string,
  today = chinaDate(new Date()),
): Promise<CertificateVerification> {
  const order = verifyCertificateVerificationCode(orderNumber, code, secret)
    ? await em.findOne(Order, { orderNumber })
    : null;
  if (!order) throw notFound('certificate');
  const { plan, version, product } = await orderContext(em, order);
  const terminatedAt =
    order.status === 'cancelled' ? order.cancelledAt : order.status === 'ended' ? order.endedAt : null;
  return {
    orderNumber: order.orderNumber,
    status: coverStatus(
      {
        status: order.status,
        coverageStart: order.coverageStart ?? null,
        coverageEnd: order.coverageEnd ?? null,
      },
      today,
    ),
    coverageStart: order.coverageStart ?? null,
    coverageEnd: order.coverageEnd ?? null,
    terminatedOn: terminatedAt ? chinaDate(terminatedAt) : null,
    plan: { nameZh: plan.nameZh, nameEn: plan.nameEn, version: version.version },
    product: { brand: product.brand, name: product.name, model: product.model },
    serialNumberMasked: maskSerial(order.serialNumber),
    checkedOn: today,
  };
}
