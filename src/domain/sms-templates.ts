/**
 * The SMS kinds, each sent through a template the SMS provider approved (providers send no free
 * text), with these variables:
 * - order_confirmed: order, start, end, link
 * - order_cancelled: order, refund, link
 * - claim_update: claim, step, link
 * - lookup_code: code
 * The names map to the provider's template codes in the configuration (ALIYUN_SMS_TEMPLATES).
 */
export const SMS_TEMPLATES = ['order_confirmed', 'order_cancelled', 'claim_update', 'lookup_code'] as const;
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];
