/**
 * Words of the consumer pages in Simplified Chinese (default) and English.
 * The request's ?lang= wins, then Accept-Language.
 */
import type { FastifyRequest } from 'fastify';
import type { CoverageStartRule } from '../domain/catalog.ts';
import {
  ORDER_STATUSES,
  PAYMENT_PROVIDERS,
  type PaymentProviderName,
} from '../domain/entities/order.entity.ts';
import { catalogueNamespace, type Locale, translate } from '../i18n/catalogue.ts';
import { label } from '../i18n/labels.ts';

export type Lang = 'zh' | 'en';

/** The catalogue's locale for a page language. */
export const localeOf = (lang: Lang): Locale => (lang === 'zh' ? 'zh-CN' : 'en');

export function pickLang(request: FastifyRequest): Lang {
  const asked = (request.query as { lang?: string } | undefined)?.lang;
  if (asked === 'zh' || asked === 'en') return asked;
  // The client's languages by preference (q=0 dropped); the first zh-… or en-… wins, neither is zh.
  // Not request.language(['zh', 'en']): at equal q it prefers the exact tag, so `zh-CN, en` would be en.
  const first = request
    .languages()
    .map((tag) => tag.toLowerCase().split('-')[0])
    .find((primary) => primary === 'zh' || primary === 'en');
  return first === 'en' ? 'en' : 'zh';
}

export function startRuleInWords(rule: CoverageStartRule, baseWarrantyMonths: number, lang: Lang): string {
  const code = `consumer:startsWhen.${rule.kind}`;
  return translate(localeOf(lang), {
    code,
    params: { months: baseWarrantyMonths, days: rule.kind === 'waiting_days' ? rule.days : undefined },
  });
}

/** The catalogue's `consumer` namespace: the words of the consumer pages. */
type ConsumerWords = typeof import('../i18n/locales/zh-CN/consumer.json', { with: { type: 'json' }});

/** The consumer pages' words in one language; the few that take numbers are functions. */
export function words(lang: Lang) {
  const locale = localeOf(lang);
  const say = (key: string, params?: Record<string, unknown>) =>
    translate(locale, { code: `consumer:${key}`, params });
  const plain = catalogueNamespace(locale, 'consumer') as ConsumerWords;
  return {
    ...plain,
    months: (n: number) => say('months', { n }),
    window: (days: number) => say('window', { days }),
    status: Object.fromEntries(
      ORDER_STATUSES.map((status) => [status, label(locale, 'orderStatus', status)]),
    ) as Record<string, string>,
    provider: Object.fromEntries(
      PAYMENT_PROVIDERS.map((provider) => [provider, label(locale, 'provider', provider)]),
    ) as Record<PaymentProviderName, string>,
  };
}
