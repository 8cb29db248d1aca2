/**
 * Words of the consumer pages in Simplified Chinese (default) and English.
 * The request's ?lang= wins, then Accept-Language.
 */
import type { FastifyRequest } from 'fastify';
import type { CoverageStartRule } from '../domain/catalog.ts';

export type Lang = 'zh' | 'en';

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
  switch (rule.kind) {
    case 'after_base_warranty':
      return lang === 'zh'
        ? `原厂 ${baseWarrantyMonths} 个月保修结束后次日开始`
        : `Starts the day after the ${baseWarrantyMonths}-month manufacturer warranty ends`;
    case 'from_purchase':
      return lang === 'zh' ? '自您购买产品之日起开始' : 'Starts on the day you bought the product';
    case 'waiting_days':
      return lang === 'zh'
        ? `付款后等待 ${rule.days} 天开始生效`
        : `Starts ${rule.days} days after you pay (waiting period)`;
  }
}

const WORDS = {
  zh: {
    switchTo: 'English',
    planOnSale: '原厂延保方案',
    term: '保障期限',
    months: (n: number) => `${n} 个月`,
    price: '价格',
    startRule: '生效规则',
    window: (d: number) => `产品购买后 ${d} 天内可购买`,
    covers: '保障内容',
    clauses: '完整条款',
    buy: '登记并购买',
    choosePlan: '选择方案',
    name: '姓名',
    phone: '手机号',
    serial: '产品序列号',
    serialLocked: '序列号已由包装上的二维码确定',
    purchaseDate: '产品购买日期',
    showDates: '查看我的保障日期',
    periodRule:
      '购买当日不计：2024-02-29 购买、12 个月原厂保修至 2025-02-28 止，延保自次日开始，不重叠、不间断。',
    baseWarrantyEnds: '原厂保修至',
    coverageStarts: '延保开始',
    coverageEnds: '延保结束',
    youPay: '应付金额',
    proRated: '保障期已开始：自今日起保障，按剩余 {covered}/{term} 天折算价格。',
    payment: '支付方式',
    sandbox: '模拟支付（沙箱）',
    alipay: '支付宝',
    pay: '去支付',
    fixErrors: '请修改以下内容：',
    notFoundTitle: '找不到该延保方案',
    notFoundBody: '二维码可能已失效或方案已下架。请联系产品厂商客服。',
    retiredTitle: '该方案已停止销售',
    badTokenTitle: '二维码无效',
    badTokenBody: '这个单品二维码无法识别，可能已被篡改。请扫描包装上的原始二维码。',
    orderTitle: '我的延保订单',
    orderNumber: '订单号',
    steps: ['已登记', '已付款', '已出单', '已发送凭证'],
    status: {
      pending_payment: '待付款',
      active: '保障中',
      expired: '已过期（未付款）',
      cancelled: '已取消',
      ended: '已履约（已换新）',
    } as Record<string, string>,
    coverage: '保障期',
    certificate: '下载电子凭证（PDF）',
    claims: '报修 / 查看维修进度',
    cancel: '退保',
    payNow: '继续支付',
    declined: '付款未成功（已拒绝），订单已关闭',
    buyAgain: '重新购买',
    lookupTitle: '查询我的延保',
    lookupIntro: '输入购买时使用的手机号，我们会发送一次性验证码。',
    sendCode: '发送验证码',
    code: '验证码',
    verify: '查询',
    codeSent: '验证码已发送，5 分钟内有效。',
    myOrders: '我的订单',
    noOrders: '该手机号下没有订单。',
    refundedLate: '付款在订单过期后到达，已原路退回。',
    stagingBanner: '测试环境：此处的支付均为模拟，不会扣款，购买的延保无效。',
  },
  en: {
    switchTo: '中文',
    planOnSale: "Manufacturer's extended warranty",
    term: 'Term',
    months: (n: number) => `${n} months`,
    price: 'Price',
    startRule: 'Coverage starts',
    window: (d: number) => `Can be bought within ${d} days after the product`,
    covers: 'What is covered',
    clauses: 'Full terms',
    buy: 'Register and buy',
    choosePlan: 'Choose a plan',
    name: 'Name',
    phone: 'Mobile phone',
    serial: 'Serial number',
    serialLocked: 'Serial number set by the QR code on the packaging',
    purchaseDate: 'Date you bought the product',
    showDates: 'Show my dates',
    periodRule:
      'The purchase day is not counted: a 12-month warranty on a unit bought 2024-02-29 ends 2025-02-28, and this cover starts the next day (no overlap, no gap).',
    baseWarrantyEnds: 'Manufacturer warranty ends',
    coverageStarts: 'Cover starts',
    coverageEnds: 'Cover ends',
    youPay: 'You pay',
    proRated:
      'Cover has already started: you are covered from today, priced for the {covered} of {term} days left.',
    payment: 'Payment method',
    sandbox: 'Simulated payment (sandbox)',
    alipay: 'Alipay',
    pay: 'Pay',
    fixErrors: 'Please correct:',
    notFoundTitle: 'Plan not found',
    notFoundBody: 'The QR code may be outdated or the plan withdrawn. Please contact the manufacturer.',
    retiredTitle: 'This plan is no longer on sale',
    badTokenTitle: 'Invalid QR code',
    badTokenBody:
      'This unit QR code cannot be read and may have been tampered with. Scan the original code on the packaging.',
    orderTitle: 'My extended warranty',
    orderNumber: 'Order number',
    steps: ['Registered', 'Paid', 'Order recorded', 'Certificate sent'],
    status: {
      pending_payment: 'Waiting for payment',
      active: 'Covered',
      expired: 'Expired (not paid)',
      cancelled: 'Cancelled',
      ended: 'Fulfilled (unit replaced)',
    } as Record<string, string>,
    coverage: 'Coverage',
    certificate: 'Download certificate (PDF)',
    claims: 'Request a repair / repair status',
    cancel: 'Cancel this plan',
    payNow: 'Continue to payment',
    declined: 'Payment declined; this order is closed',
    buyAgain: 'Buy again',
    lookupTitle: 'Find my extended warranty',
    lookupIntro: 'Enter the mobile number you bought with; we will text you a one-time code.',
    sendCode: 'Send code',
    code: 'Code',
    verify: 'Show my orders',
    codeSent: 'Code sent; valid for 5 minutes.',
    myOrders: 'My orders',
    noOrders: 'No orders for this number.',
    refundedLate: 'Your payment arrived after the order expired and has been refunded.',
    stagingBanner: 'Staging: payments here are simulated, nothing is charged and no cover is bought.',
  },
};

export const words = (lang: Lang) => WORDS[lang];
