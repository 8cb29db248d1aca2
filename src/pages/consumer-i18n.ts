/**
 * Words of the consumer pages in Simplified Chinese (default) and English.
 * The request's ?lang= wins, then Accept-Language.
 */
import type { FastifyRequest } from 'fastify';
import type { CoverageStartRule } from '../domain/catalog.ts';
import { ORDER_STATUSES } from '../domain/entities/order.entity.ts';
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
    sandbox: label(locale, 'provider', 'sandbox'),
    alipay: label(locale, 'provider', 'alipay'),
  };
}

const ZH_MESSAGES: [RegExp, string | ((m: RegExpMatchArray) => string)][] = [
  [/^the service is busy; try again in a moment$/, '系统繁忙，请稍后再试'],
  [/^must not be blank$/, '不能为空'],
  [/^is not a valid mobile phone number$/, '不是有效的手机号码'],
  [/^does not look like this product's serial numbers$/, '与该产品的序列号格式不符'],
  [/^is in the future$/, '不能晚于今天'],
  [/^must be a date \(YYYY-MM-DD\)$/, '请填写日期'],
  [/^is not a calendar date$/, '不是有效日期'],
  [
    /^is more than (\d+) days ago: this plan can only be bought until ([\d-]+)$/,
    (m) => `已超过 ${m[1]} 天：该方案仅可在 ${m[2]} 前购买`,
  ],
  [/^is before 2000-01-01$/, '不能早于 2000-01-01'],
  [/^is before the product was launched on ([\d-]+)$/, (m) => `早于该产品上市日期 ${m[1]}`],
  [
    /^gives no cover: it ended on ([\d-]+) \(this plan could be bought until ([\d-]+)\)$/,
    (m) => `保障期已于 ${m[1]} 结束：该方案仅可在 ${m[2]} 前购买`,
  ],
  [
    /^leaves only (\d+) days of cover, until ([\d-]+), fewer than (\d+) \(this plan could be bought until ([\d-]+)\)$/,
    (m) => `保障期仅剩 ${m[1]} 天（至 ${m[2]}），不足 ${m[3]} 天：该方案仅可在 ${m[4]} 前购买`,
  ],
  [/^already has an active or pending order for this plan$/, '已有生效中或待付款的该方案订单'],
  [/^must NOT have fewer than 1 characters$/, '不能为空'],
  [/^must NOT have fewer than (\d+) characters$/, (m) => `至少 ${m[1]} 个字符`],
  [/^must NOT have more than (\d+) characters$/, (m) => `最多 ${m[1]} 个字符`],
  [/^must match format "date"$/, '请填写日期'],
  [/^must have required property/, '必填'],
];

/** Field messages come from the domain in English; shoppers reading Chinese get them in Chinese. */
export function localizeMessage(message: string, lang: Lang): string {
  if (lang === 'en') return message;
  for (const [pattern, zh] of ZH_MESSAGES) {
    const match = message.match(pattern);
    if (match) return typeof zh === 'string' ? zh : zh(match);
  }
  return message;
}
