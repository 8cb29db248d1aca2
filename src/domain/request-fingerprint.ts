/**
 * What an idempotency key stands for: a fingerprint of the request it first
 * came with, stored with the row that request wrote. The same key sent again
 * with the same request is a retry (the first answer again); with a different
 * request it is refused (422 `idempotency_key_reused`), as payment APIs do,
 * instead of silently answering with something the caller did not ask for.
 */
import { createHash } from 'node:crypto';
import { normalizeMobile } from './phone.ts';

type Field = string | number | null;

/**
 * sha256 (hex) of the request's kind and fields as canonical JSON (keys
 * sorted), so no value can pass for a neighbour's ("a|b" vs "a", "b").
 */
export function requestFingerprint(kind: string, fields: Record<string, Field>): string {
  const canonical = JSON.stringify([
    kind,
    Object.keys(fields)
      .sort()
      .map((key) => [key, fields[key]]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Text as a person meant it: trimmed, one Unicode form (a re-sent form may re-encode it). */
const text = (value: string) => value.normalize('NFC').trim();
/** A phone in E.164 when it is one, so "139 1234 5678" and "+8613912345678" are the same request. */
const phone = (value: string) => normalizeMobile(value) ?? text(value);

export interface RegistrationRequest {
  planId: string;
  consumerName: string;
  consumerPhone: string;
  serialNumber: string;
  /** YYYY-MM-DD */
  productPurchaseDate: string;
  paymentProvider: string;
}

/** A consumer's registration: the plan (so another manufacturer's plan is another request) and what they entered. */
export const registrationFingerprint = (r: RegistrationRequest) =>
  requestFingerprint('registration', {
    planId: r.planId,
    consumerName: text(r.consumerName),
    consumerPhone: phone(r.consumerPhone),
    serialNumber: text(r.serialNumber),
    productPurchaseDate: r.productPurchaseDate,
    paymentProvider: r.paymentProvider,
  });

export interface ClaimRequest {
  faultDescription: string;
  /** YYYY-MM-DD */
  faultDate: string;
  contactPhone: string;
  coverageType: string;
  /** The photos' bytes, in the order they were sent. */
  photos: Uint8Array[];
}

/** A repair request, photos included (by their sha256). */
export const claimFingerprint = (c: ClaimRequest) =>
  requestFingerprint('claim', {
    faultDescription: text(c.faultDescription),
    faultDate: c.faultDate,
    contactPhone: phone(c.contactPhone),
    coverageType: c.coverageType,
    photos: c.photos.map((bytes) => createHash('sha256').update(bytes).digest('hex')).join(','),
  });

export interface CancellationRequest {
  /** Blank means none. */
  reason?: string | null | undefined;
  /** The refund the consumer was shown, when the request names one. */
  expectedRefundFen?: number | null | undefined;
}

/** A cancellation: the order is its key, the reason and the refund the consumer confirmed are its body. */
export const cancellationFingerprint = (c: CancellationRequest) =>
  requestFingerprint('cancellation', {
    reason: c.reason ? text(c.reason) || null : null,
    expectedRefundFen: c.expectedRefundFen ?? null,
  });
