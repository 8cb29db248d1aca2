/**
 * Order numbers and access links, derived with HMAC from a server secret: the
 * same form submission always maps to the same order (idempotent "Pay"),
 * and nobody can guess another consumer's order or link.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function mac(secret: string, purpose: string, value: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}:${value}`).digest();
}

/** "YB" + 14 characters (70 bits) from the idempotency key of the consumer's submission. */
export function orderNumberFor(idempotencyKey: string, secret: string): string {
  const bytes = mac(secret, 'order-number', idempotencyKey);
  let out = 'YB';
  for (let i = 0; i < 14; i++) out += BASE32[(bytes[i] as number) % 32];
  return out;
}

export const ORDER_NUMBER_PATTERN = '^YB[A-Z2-9]{14}$';

export function orderAccessToken(orderNumber: string, secret: string): string {
  return mac(secret, 'order-access', orderNumber).subarray(0, 18).toString('base64url');
}

export function verifyOrderAccessToken(orderNumber: string, token: string, secret: string): boolean {
  const expected = Buffer.from(orderAccessToken(orderNumber, secret));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The code printed on a certificate (and in its QR code): it opens a read-only check of the
 * cover, never the order, so a copy of the certificate cannot cancel it or file claims. Its
 * own HMAC purpose, so it is never a valid access token (nor the token derivable from it).
 */
export function certificateVerificationCode(orderNumber: string, secret: string): string {
  const bytes = mac(secret, 'certificate-verification', orderNumber);
  let out = '';
  for (let i = 0; i < 12; i++) out += BASE32[(bytes[i] as number) % 32];
  return out;
}

export const VERIFICATION_CODE_PATTERN = '^[A-Z2-9]{12}$';

export function verifyCertificateVerificationCode(
  orderNumber: string,
  code: string,
  secret: string,
): boolean {
  const expected = Buffer.from(certificateVerificationCode(orderNumber, secret));
  const given = Buffer.from(code);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const certificateVerificationUrl = (publicBaseUrl: string, orderNumber: string, secret: string) =>
  `${publicBaseUrl}/v/${orderNumber}/${certificateVerificationCode(orderNumber, secret)}`;

export const orderUrl = (publicBaseUrl: string, orderNumber: string, secret: string) =>
  `${publicBaseUrl}/o/${orderNumber}?t=${orderAccessToken(orderNumber, secret)}`;

export const purchaseWorkflowId = (orderNumber: string) => `purchase-${orderNumber}`;
