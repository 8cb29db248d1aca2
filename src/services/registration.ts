/**
 * A consumer's registration from the QR landing page or the public API:
 * checked completely at the edge (nothing starts for bad input), then handed
 * to PurchaseWorkflow, whose registration step checks it again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../config.ts';
import { chinaDate } from '../domain/coverage.ts';
import { MainProduct, Manufacturer, Order, Plan, PlanVersion } from '../domain/entities/index.ts';
import type { PaymentProviderName } from '../domain/entities/order.entity.ts';
import {
  conflict,
  DomainError,
  errorMessage,
  type FieldProblem,
  fieldProblem,
  idempotencyKeyReused,
  invalid,
} from '../domain/errors.ts';
import { orderUrl, purchaseWorkflowId } from '../domain/order-links.ts';
import { coverageOffer, type OfferFacts, registrationProblems } from '../domain/registration.ts';
import { registrationFingerprint } from '../domain/request-fingerprint.ts';
import { verifyUnitToken } from '../domain/unit-token.ts';
import type { PaymentProviders } from '../payments/provider.ts';
import { placeOrder } from '../temporal/purchase.client.ts';

export interface RegistrationForm {
  planCode: string;
  /** From a per-unit QR code: fixes the serial number. */
  unitToken?: string | undefined;
  consumerName: string;
  consumerPhone: string;
  serialNumber?: string | undefined;
  productPurchaseDate: string;
  paymentProvider: PaymentProviderName;
  /** Random per rendered form: a resubmission of the same form is the same order. */
  idempotencyKey: string;
}

export interface RegistrationDeps {
  em: EntityManager;
  client: Client;
  config: AppConfig;
  payments: PaymentProviders;
  /** The request's logger: the registration's line carries the order number and workflow id. */
  log: FastifyBaseLogger;
}

export const notOnSale = () => new DomainError('not_on_sale', 404, errorMessage('notOnSale'));

/** The plan a public code names, with what the landing page shows; null when it is unknown. */
export async function planForSale(em: EntityManager, code: string) {
  const plan = await em.findOne(Plan, { code });
  if (!plan) return null;
  const [version, product, manufacturer] = await Promise.all([
    em.findOneOrFail(PlanVersion, { plan: plan.id, version: plan.currentVersion }),
    em.findOneOrFail(MainProduct, { id: plan.product }),
    em.findOneOrFail(Manufacturer, { id: plan.manufacturer }),
  ]);
  const onSale = plan.status === 'on_sale' && manufacturer.status === 'active';
  return { plan, version, product, manufacturer, onSale };
}

/** Every plan on sale for a product, oldest first, each with its current (frozen) version. */
export async function plansOnSaleOf(em: EntityManager, productId: string) {
  const plans = await em.find(
    Plan,
    { product: productId, status: 'on_sale' },
    { orderBy: { createdAt: 'asc' } },
  );
  const versions = await em.find(PlanVersion, { plan: { $in: plans.map((p) => p.id) } });
  return plans.map((plan) => ({
    plan,
    version: versions.find((v) => v.plan === plan.id && v.version === plan.currentVersion) as PlanVersion,
  }));
}

/** What decides a purchase date's cover and price for this plan, on `today` (China date). */
export function offerFacts(
  { version, product }: Pick<NonNullable<Awaited<ReturnType<typeof planForSale>>>, 'version' | 'product'>,
  productPurchaseDate: string,
  today: string,
): OfferFacts {
  return {
    productPurchaseDate,
    rule: version.coverageStartRule,
    baseWarrantyMonths: product.baseWarrantyMonths,
    termMonths: version.termMonths,
    priceFen: version.priceFen,
    launchDate: product.launchDate,
    purchaseWindowDays: version.purchaseWindowDays,
    today,
  };
}

/**
 * The dates and price a purchase date would buy under a plan today, or the
 * field problem that refuses it: the same rule a registration is checked by.
 */
export async function coveragePreview(em: EntityManager, planCode: string, productPurchaseDate: string) {
  const found = await planForSale(em, planCode);
  if (!found?.onSale) throw notOnSale();
  const quotedOn = chinaDate(new Date());
  const { problem, offer } = coverageOffer(offerFacts(found, productPurchaseDate, quotedOn));
  if (!offer) throw invalid(problem ? [problem] : []);
  return { offer, quotedOn, currency: found.version.currency, fullPriceFen: found.version.priceFen };
}

export async function submitRegistration(deps: RegistrationDeps, form: RegistrationForm) {
  const { em, client, config, payments } = deps;
  const found = await planForSale(em, form.planCode);
  if (!found?.onSale) throw notOnSale();
  const { plan, product } = found;
  const problems: FieldProblem[] = [];
  let serialNumber = form.serialNumber?.trim() ?? '';
  if (form.unitToken) {
    const claim = verifyUnitToken(form.unitToken, config.linkSecret);
    const claimedPlan = claim ? await em.findOne(Plan, { code: claim.planCode }) : null;
    if (!claim || claimedPlan?.product !== product.id)
      throw invalid([fieldProblem('unitToken', 'unitTokenInvalid')]);
    serialNumber = claim.serialNumber;
  } else if (serialNumber === '') {
    problems.push(fieldProblem('serialNumber', 'blank'));
  }
  if (!payments[form.paymentProvider])
    problems.push(fieldProblem('paymentProvider', 'providerUnavailable', { provider: form.paymentProvider }));
  const checked = registrationProblems({
    consumerName: form.consumerName,
    consumerPhone: form.consumerPhone,
    serialNumber,
    serialPattern: product.serialPattern ?? null,
    ...offerFacts(found, form.productPurchaseDate, chinaDate(new Date())),
  });
  problems.push(...checked.problems.filter((p) => !(serialNumber === '' && p.field === 'serialNumber')));
  if (problems.length > 0 || !checked.phone) throw invalid(problems);
  const registration = {
    idempotencyKey: form.idempotencyKey,
    planId: plan.id,
    consumerName: form.consumerName.trim(),
    consumerPhone: checked.phone,
    serialNumber,
    productPurchaseDate: form.productPurchaseDate,
    paymentProvider: form.paymentProvider,
  };
  const fingerprint = registrationFingerprint(registration);
  // The key's first registration is already stored: a different one under it is refused here; the
  // workflow's Update validator and the registration activity refuse it when both arrive at once.
  const prior = await em.findOne(Order, { idempotencyKey: form.idempotencyKey });
  if (prior?.requestFingerprint && prior.requestFingerprint !== fingerprint) throw idempotencyKeyReused();
  const live = await em.findOne(Order, {
    plan: plan.id,
    serialNumber,
    status: { $in: ['pending_payment', 'active'] },
    idempotencyKey: { $ne: form.idempotencyKey },
  });
  if (live)
    throw conflict(errorMessage('unitAlreadyCovered'), [fieldProblem('serialNumber', 'alreadyCovered')]);
  const result = await placeOrder(client, config, { ...registration, fingerprint }, plan.manufacturer);
  deps.log.info(
    { orderNumber: result.orderNumber, workflowId: purchaseWorkflowId(result.orderNumber) },
    'purchase registered',
  );
  return { ...result, orderUrl: orderUrl(config.publicBaseUrl, result.orderNumber, config.linkSecret) };
}
