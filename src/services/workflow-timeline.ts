/**
 * A workflow's history told in business words for auditors: who submitted,
 * who approved, which provider paid with which event id, when the order was
 * recorded or refunded, with timestamps and durations. Event types, activity
 * types and Update/Signal names are translated here; anything unknown still
 * shows, in plain words derived from its name, so no step is ever hidden.
 *
 * Personal data stays out of the words: the consumer's name, phone and serial
 * number travel in payloads (the raw history has them) but are never quoted.
 */

import type { EntityManager } from '@mikro-orm/postgresql';
import type { PayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { durationToMs } from '../domain/duration.ts';
import { User } from '../domain/entities/index.ts';
import { formatFen } from '../domain/money.ts';
import { isUuid } from '../domain/uuid.ts';
import { timestampToMs } from '../temporal/timestamps.ts';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
type Payloads = proto.temporal.api.common.v1.IPayloads | null | undefined;
type Failure = proto.temporal.api.failure.v1.IFailure | null | undefined;
const EventType = proto.temporal.api.enums.v1.EventType;

export type StepOutcome = 'done' | 'failed' | 'rejected' | 'in_progress' | 'cancelled' | 'info';
export type StepKind =
  | 'start'
  | 'update'
  | 'signal'
  | 'activity'
  | 'timer'
  | 'stage'
  | 'end'
  | 'problem'
  | 'other';

export interface TimelineStep {
  /** The history event the step begins at (links the timeline to the raw JSON). */
  eventId: number;
  at: string;
  kind: StepKind;
  /** Machine code, e.g. "activity.recordPaidOrder", "signal.payment", "update.review". */
  step: string;
  outcome: StepOutcome;
  textZh: string;
  textEn: string;
  /** The platform user who acted (Update/Signal arguments naming a user), resolved to a name. */
  actorId: string | null;
  actorName: string | null;
  /** Scheduled → closed for activities, accepted → completed for Updates, start → close for the run. */
  durationMs: number | null;
  attempts: number | null;
  details: Record<string, string | number | boolean | null>;
}

interface Words {
  zh: string;
  en: string;
}

const PROVIDERS: Record<string, Words> = {
  sandbox: { zh: '沙箱支付', en: 'the sandbox gateway' },
  alipay: { zh: '支付宝', en: 'Alipay' },
};
const providerWords = (provider: unknown): Words =>
  PROVIDERS[String(provider)] ?? { zh: String(provider), en: String(provider) };

/** Business stages (YanbaoBusinessStatus) of every workflow, in both languages. */
const STAGES: Record<string, Words> = {
  entry: { zh: '录入', en: 'entry' },
  matching: { zh: '条款匹配', en: 'clause matching' },
  awaiting_selection: { zh: '等待选择条款', en: 'awaiting clause selection' },
  awaiting_review: { zh: '等待审核', en: 'awaiting review' },
  publishing: { zh: '发布中', en: 'publishing' },
  published: { zh: '已发布', en: 'published' },
  expired: { zh: '已过期', en: 'expired' },
  registration: { zh: '登记', en: 'registration' },
  awaiting_payment: { zh: '等待付款', en: 'awaiting payment' },
  recording: { zh: '记录订单', en: 'recording the order' },
  confirming: { zh: '发送确认', en: 'confirming' },
  completed: { zh: '已完成', en: 'completed' },
  rejected: { zh: '已拒绝', en: 'rejected' },
  issuing: { zh: '生成单机码', en: 'issuing unit codes' },
  rendering: { zh: '渲染中', en: 'rendering' },
  done: { zh: '已完成', en: 'done' },
  failed: { zh: '失败', en: 'failed' },
  submitted: { zh: '已提交', en: 'submitted' },
  accepted: { zh: '已受理', en: 'accepted' },
  repaired: { zh: '已维修', en: 'repaired' },
  closed: { zh: '已关闭', en: 'closed' },
  requested: { zh: '已申请', en: 'requested' },
  refunding: { zh: '退款中', en: 'refunding' },
};

const ORDER_STATUSES: Record<string, Words> = {
  pending_payment: { zh: '待付款', en: 'awaiting payment' },
  active: { zh: '生效中', en: 'active' },
  expired: { zh: '已过期', en: 'expired' },
  cancelled: { zh: '已退保', en: 'cancelled' },
  ended: { zh: '已履约结束', en: 'ended' },
};
const orderStatusWords = (status: unknown): Words =>
  ORDER_STATUSES[String(status)] ?? { zh: String(status), en: String(status) };

const REPAIR_OUTCOMES: Record<string, Words> = {
  repaired: { zh: '已修复', en: 'repaired' },
  replaced: { zh: '换新', en: 'replaced' },
  no_fault_found: { zh: '未发现故障', en: 'no fault found' },
};
const outcomeWords = (outcome: unknown): Words =>
  REPAIR_OUTCOMES[String(outcome)] ?? { zh: String(outcome), en: String(outcome).replaceAll('_', ' ') };

/** "15 minutes" → "15 分"/"15 min"; a value that is not a duration is shown as it is. */
function durationWords(value: unknown): Words {
  try {
    const ms = durationToMs(String(value));
    return { zh: formatDuration(ms, 'zh'), en: formatDuration(ms, 'en') };
  } catch {
    return { zh: text(value), en: text(value) };
  }
}
export const stageWords = (stage: string): Words =>
  STAGES[stage] ?? { zh: stage, en: stage.replaceAll('_', ' ') };

/** "acceptClaim" → "accept claim". */
const humanize = (name: string) =>
  name
    .replace(/Workflow$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase()
    .trim();
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** 1500 → "1.5 s"/"1.5 秒"; 5 400 000 → "1 h 30 min"/"1 小时 30 分". */
export function formatDuration(ms: number, lang: 'zh' | 'en'): string {
  const units: [number, string, string][] = [
    [86_400_000, '天', 'd'],
    [3_600_000, '小时', 'h'],
    [60_000, '分', 'min'],
    [1000, '秒', 's'],
  ];
  if (ms < 1000) return lang === 'zh' ? `${Math.round(ms)} 毫秒` : `${Math.round(ms)} ms`;
  if (ms < 60_000) {
    const seconds = Math.round(ms / 100) / 10;
    return lang === 'zh' ? `${seconds} 秒` : `${seconds} s`;
  }
  const parts: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [size, zh, en] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(lang === 'zh' ? `${n} ${zh}` : `${n} ${en}`);
    rest -= n * size;
  }
  return parts.join(' ');
}

const money = (amountFen: unknown, currency: unknown) =>
  Number.isSafeInteger(amountFen) && typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)
    ? formatFen(amountFen as number, currency)
    : '?';

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** Arguments naming the user who acts, in every workflow's messages. */
const ACTOR_KEYS = [
  'submittedBy',
  'reviewerId',
  'approvedBy',
  'decidedBy',
  'recordedBy',
  'closedBy',
  'handledBy',
  'userId',
  'actorId',
  'by',
];
function actorIn(args: unknown[]): string | null {
  for (const arg of args) {
    if (typeof arg === 'string') continue;
    const fields = record(arg);
    for (const key of ACTOR_KEYS) {
      const value = fields[key];
      if (isUuid(value)) return value;
    }
  }
  return null;
}

/** What a workflow start says, by workflow type. */
function startWords(type: string, input: Record<string, unknown>): Words {
  switch (type) {
    case 'PurchaseWorkflow': {
      const window = durationWords(input.paymentTimeout);
      return {
        zh: `订单 ${text(input.orderNumber)} 的购买流程开始（付款时限 ${window.zh}）`,
        en: `Purchase of order ${text(input.orderNumber)} began (payment window ${window.en})`,
      };
    }
    case 'ClaimWorkflow': {
      const due = durationWords(input.decisionSla);
      return {
        zh: `报修 ${text(input.claimNumber)} 已提交（应在 ${due.zh} 内受理）`,
        en: `Repair request ${text(input.claimNumber)} filed (decision due within ${due.en})`,
      };
    }
    case 'CancellationWorkflow':
      return {
        zh: `订单 ${text(input.orderNumber)} 于 ${text(input.requestedOn)} 申请退保`,
        en: `Cancellation of order ${text(input.orderNumber)} requested on ${text(input.requestedOn)}`,
      };
    case 'StatsRollupWorkflow':
      return { zh: '销售统计汇总开始', en: 'Sales statistics roll-up began' };
    case 'PlanCreationWorkflow':
      return {
        zh: `方案草稿 ${text(input.draftId)} 进入方案创建流程`,
        en: `Plan draft ${text(input.draftId)} entered plan creation`,
      };
    case 'UnitQrBatchWorkflow':
      return {
        zh: `单机二维码批次 ${text(input.batchId)} 开始生成`,
        en: `Per-unit QR batch ${text(input.batchId)} started`,
      };
    default:
      return { zh: `${type} 流程开始`, en: `${capitalize(humanize(type))} workflow started` };
  }
}

/** Updates: what the person asked for. */
function updateWords(name: string, args: unknown[]): Words {
  const input = record(args[0]);
  switch (name) {
    case 'register':
      return {
        zh: `消费者登记购买（支付方式：${providerWords(input.paymentProvider).zh}）`,
        en: `Consumer registered the unit and chose to pay with ${providerWords(input.paymentProvider).en}`,
      };
    case 'submitSelection': {
      const clauses = Array.isArray(input.clauseIds) ? input.clauseIds.length : 0;
      const custom = Array.isArray(input.customClauses) ? input.customClauses.length : 0;
      return {
        zh: `提交条款选择：条款库 ${clauses} 条，自定义 ${custom} 条`,
        en: `Clause selection submitted: ${clauses} library clause(s), ${custom} custom`,
      };
    }
    case 'review':
      return input.decision === 'approve'
        ? { zh: '审核通过', en: 'Approved' }
        : {
            zh: `要求修改：${text(input.comment)}`,
            en: `Changes requested: ${text(input.comment)}`,
          };
    case 'decide':
      return input.decision === 'accept'
        ? { zh: '售后受理报修', en: 'Service desk accepted the repair request' }
        : {
            zh: `售后拒绝报修：${text(input.reason)}`,
            en: `Service desk rejected the repair request: ${text(input.reason)}`,
          };
    case 'recordRepair':
      return {
        zh: `售后登记维修结果：${outcomeWords(input.outcome).zh}，费用 ${money(input.repairCostFen, 'CNY')}`,
        en: `Service desk reported the repair: ${outcomeWords(input.outcome).en}, cost ${money(input.repairCostFen, 'CNY')}`,
      };
    case 'close':
      return { zh: '售后关闭报修', en: 'Service desk closed the repair request' };
    case 'requestCancellation':
      return { zh: '消费者确认退保', en: 'Consumer confirmed the cancellation' };
    default:
      return { zh: `收到请求 ${name}`, en: `${capitalize(humanize(name))} requested` };
  }
}

function signalWords(name: string, args: unknown[]): { words: Words; details: TimelineStep['details'] } {
  const input = record(args[0]);
  if (name === 'payment') {
    const provider = providerWords(input.provider);
    const amount = money(input.amountFen, input.currency);
    const kind = text(input.kind);
    const kindZh = kind === 'captured' ? '付款成功' : kind === 'closed' ? '付款关闭' : kind;
    return {
      words: {
        zh: `收到${provider.zh}的付款通知：${kindZh} ${amount}，事件编号 ${text(input.eventId)}，支付单号 ${text(input.providerPaymentId)}`,
        en: `Payment received from ${provider.en}: ${kind} ${amount}, event id ${text(input.eventId)}, payment ${text(input.providerPaymentId)}`,
      },
      details: {
        provider: text(input.provider),
        eventId: text(input.eventId),
        providerPaymentId: text(input.providerPaymentId),
        kind,
        amountFen: Number.isSafeInteger(input.amountFen) ? (input.amountFen as number) : null,
        currency: text(input.currency),
      },
    };
  }
  if (name === 'paymentFailed') {
    const provider = providerWords(input.provider);
    return {
      words: {
        zh: `收到${provider.zh}的付款失败通知（已拒绝），事件编号 ${text(input.eventId)}，支付单号 ${text(input.providerPaymentId)}`,
        en: `Payment declined at ${provider.en}: event id ${text(input.eventId)}, payment ${text(input.providerPaymentId)}`,
      },
      details: {
        provider: text(input.provider),
        eventId: text(input.eventId),
        providerPaymentId: text(input.providerPaymentId),
      },
    };
  }
  return {
    words: { zh: `收到信号 ${name}`, en: `${capitalize(humanize(name))} signalled` },
    details: {},
  };
}

/** Activities: what the step did, in the words of its result. */
function activityWords(name: string, args: unknown[], result: unknown): Words {
  const second = record(args[1]);
  const out = record(result);
  switch (name) {
    // PurchaseWorkflow
    case 'registerOrder':
      return {
        zh: `订单 ${text(result)} 已登记，等待付款`,
        en: `Order ${text(result)} registered, awaiting payment`,
      };
    case 'createPayment':
      return {
        zh: '已在支付渠道创建付款，消费者前往付款',
        en: 'Payment created at the provider; consumer sent to pay',
      };
    case 'registerPurchase':
      return {
        zh: `订单 ${text(out.orderNumber)} 已登记，已在支付渠道创建付款（${orderStatusWords(out.status).zh}）`,
        en: `Order ${text(out.orderNumber)} registered and payment created at the provider (${orderStatusWords(out.status).en})`,
      };
    case 'orderStatus':
      return {
        zh: `查询订单状态：${orderStatusWords(result).zh}`,
        en: `Order status checked: ${orderStatusWords(result).en}`,
      };
    case 'closePayment':
      return out.alreadyCaptured
        ? {
            zh: '付款时限已到，支付渠道答复已付款',
            en: 'Payment window over; the provider says it was already paid',
          }
        : { zh: '付款时限已到，已关闭支付单', en: 'Payment window over; payment closed at the provider' };
    case 'closeFailedPayment':
      return out.alreadyCaptured
        ? {
            zh: '付款失败后关闭支付单，支付渠道答复已付款',
            en: 'Closing the declined payment; the provider says it was paid after all',
          }
        : { zh: '付款失败，已关闭支付单', en: 'Payment declined; payment closed at the provider' };
    case 'expireOrder':
      return { zh: '订单未付款，已过期', en: 'Order expired unpaid' };
    case 'recordPaidOrder': {
      const payment = text(second.providerPaymentId);
      if (result === 'recorded')
        return {
          zh: `订单已记录：支付单 ${payment} 已收款，保障生效`,
          en: `Order recorded: payment ${payment} captured, coverage active`,
        };
      // Older workers answered a repeated capture this way; their histories still show it.
      if (result === 'already_recorded')
        return {
          zh: `重复的付款通知（支付单 ${payment}），订单早已记录`,
          en: `Repeated notification for payment ${payment}; order already recorded`,
        };
      if (result === 'not_pending')
        return {
          zh: `支付单 ${payment} 到账时订单已不在等待付款，款项已退回`,
          en: `Payment ${payment} arrived for an order no longer waiting for it; refunded`,
        };
      return { zh: `记录付款 ${payment}`, en: `Recording payment ${payment}` };
    }
    case 'refundLatePayment':
      return {
        zh: `逾期付款已通过${providerWords(second.provider).zh}退款：${money(second.amountFen, second.currency)}（支付单 ${text(second.providerPaymentId)}）`,
        en: `Late payment refunded through ${providerWords(second.provider).en}: ${money(second.amountFen, second.currency)} (payment ${text(second.providerPaymentId)})`,
      };
    case 'issueCertificate':
      return { zh: '已生成电子延保凭证', en: 'Warranty certificate issued' };
    case 'sendOrderConfirmation':
      return { zh: '已向消费者发送确认短信', en: 'Confirmation SMS sent to the consumer' };
    // PlanCreationWorkflow
    case 'enterDraft':
      return {
        zh: `草稿已按主产品校验（品类 ${text(out.category)}）`,
        en: `Draft checked against its main product (${text(out.category)})`,
      };
    case 'matchClauses': {
      const cases = Array.isArray(out.cases) ? out.cases.length : 0;
      const clauses = Array.isArray(out.clauses) ? out.clauses.length : 0;
      return {
        zh: `条款匹配完成：相似方案 ${cases} 个，推荐条款 ${clauses} 条`,
        en: `Clauses matched: ${cases} similar plan(s), ${clauses} clause(s) suggested`,
      };
    }
    case 'recordSelection':
      return { zh: '条款选择已保存，等待审核', en: 'Clause selection stored for review' };
    case 'recordReview':
      return second.decision === 'approve'
        ? { zh: '审核结论已保存：通过', en: 'Review stored: approved' }
        : { zh: '审核结论已保存：要求修改', en: 'Review stored: changes requested' };
    case 'sendReviewReminder':
      return {
        zh: `第 ${text(args[1])} 次审核提醒已发送给 ${text(result)} 位审核人`,
        en: `Review reminder #${text(args[1])} sent to ${text(result)} approver(s)`,
      };
    case 'expireDraft':
      return { zh: '草稿长期无人处理，已过期', en: 'Draft expired after being left untouched' };
    case 'publishPlan':
      return {
        zh: `方案已发布：公开编号 ${text(out.code)}，版本 ${text(out.version)}`,
        en: `Plan published: code ${text(out.code)}, version ${text(out.version)}`,
      };
    case 'issuePlanDocuments':
      return { zh: '已生成二维码和打印标签', en: 'QR code and printable label issued' };
    // UnitQrBatchWorkflow
    case 'issueUnitCodes':
      return {
        zh: `已生成单机码 ${text(out.total)} 个（新增 ${text(out.newUnits)} 个）`,
        en: `Unit codes issued: ${text(out.total)} (${text(out.newUnits)} new)`,
      };
    case 'renderUnitBatch':
      return { zh: '批次文件已生成', en: 'Batch file rendered' };
    case 'markUnitBatchFailed':
      return { zh: `批次标记为失败：${text(args[1])}`, en: `Batch marked failed: ${text(args[1])}` };
    // ClaimWorkflow
    case 'recordClaimDecision':
      return second.decision === 'accept'
        ? { zh: '受理结果已保存：受理', en: 'Decision stored: accepted' }
        : {
            zh: `受理结果已保存：拒绝（${text(second.reason)}）`,
            en: `Decision stored: rejected (${text(second.reason)})`,
          };
    case 'recordClaimRepair': {
      const refused = record(out.refused);
      if (out.refused)
        return {
          zh: `维修记录被拒绝：${text(refused.message)}`,
          en: `Repair record refused: ${text(refused.field)} ${text(refused.message)}`,
        };
      return {
        zh: `维修已记录：${outcomeWords(second.outcome).zh}，费用 ${money(second.repairCostFen, 'CNY')}，配件 ${text(second.parts) || '—'}`,
        en: `Repair recorded: ${outcomeWords(second.outcome).en}, cost ${money(second.repairCostFen, 'CNY')}, parts ${text(second.parts) || '—'}`,
      };
    }
    case 'closeClaim':
      return { zh: '报修已关闭', en: 'Repair request closed' };
    case 'announceClaimStep':
      return {
        zh: `已通知消费者：报修${stageWords(text(args[1])).zh}`,
        en: `Consumer notified: repair request ${stageWords(text(args[1])).en}`,
      };
    case 'remindClaimDesk':
      return args[1] === 'repair'
        ? {
            zh: `第 ${text(args[2])} 次提醒售后：维修待登记`,
            en: `Reminder #${text(args[2])} to the service desk: repair awaited`,
          }
        : {
            zh: `第 ${text(args[2])} 次提醒售后：报修待受理`,
            en: `Reminder #${text(args[2])} to the service desk: decision awaited`,
          };
    // CancellationWorkflow
    case 'recordCancellation':
      return refundWords(out);
    case 'refundCancellation':
      return result
        ? {
            zh: `退款已通过支付渠道发出：退款号 ${text(out.providerRefundId)}`,
            en: `Refund sent through the provider: refund id ${text(out.providerRefundId)}`,
          }
        : { zh: '无可退金额，未发起退款', en: 'Nothing to refund' };
    case 'completeCancellation':
      return { zh: '订单已退保，退款已结清', en: 'Order cancelled, refund settled' };
    case 'notifyCancellation':
      return { zh: '已通知消费者退保结果', en: 'Consumer told of the cancellation' };
    // StatsRollupWorkflow
    case 'rollUpOrderStats':
      return { zh: '每日销售统计已汇总', en: 'Daily sales statistics rolled up' };
    default:
      return { zh: `执行步骤：${name}`, en: capitalize(humanize(name)) };
  }
}

/**
 * A recorded cancellation's refund told as it was computed: the amount paid, the basis the
 * refund rule took (src/domain/refund.ts), the pro-rating with its days, the approved repairs
 * deducted and the result, every figure from the quote frozen with the cancellation.
 */
function refundWords(out: Record<string, unknown>): Words {
  const currency = out.currency;
  const fen = (value: unknown) => money(value, currency);
  const q = record(out.refundQuote);
  const refund = fen(out.refundFen);
  if (out.refundQuote === undefined || out.refundQuote === null) {
    // Recorded before the computation was kept with it: state only what the record holds.
    const period = out.withinCoolingOff
      ? { zh: '冷静期内', en: 'inside the cooling-off period' }
      : { zh: '冷静期后', en: 'after the cooling-off period' };
    return {
      zh: `退保已记录：${period.zh}，扣除已批准维修 ${fen(out.approvedClaimsFen)}，退款 ${refund}（记录未保存支付金额与折算依据）`,
      en: `Cancellation recorded: ${period.en}, approved repairs ${fen(out.approvedClaimsFen)} deducted, refund ${refund} (the record kept no paid amount or refund basis)`,
    };
  }
  const paid = fen(q.amountFen);
  if (q.basis === 'cooling_off_full')
    return {
      zh: `退保已记录：支付 ${paid}；冷静期内（至 ${text(q.coolingOffEnds)}）且无报修，全额退款 ${refund}`,
      en: `Cancellation recorded: paid ${paid}; inside the cooling-off period (until ${text(q.coolingOffEnds)}) with no repair requested, full refund ${refund}`,
    };
  const why = q.withinCoolingOff
    ? {
        zh: `冷静期内（至 ${text(q.coolingOffEnds)}）但已有报修，按剩余保障天数折算`,
        en: `inside the cooling-off period (until ${text(q.coolingOffEnds)}) but a repair was requested, so pro-rated`,
      }
    : {
        zh: `冷静期已于 ${text(q.coolingOffEnds)} 结束，按剩余保障天数折算`,
        en: `the cooling-off period ended ${text(q.coolingOffEnds)}, so pro-rated`,
      };
  const days = `${text(q.remainingDays)}/${text(q.totalDays)}`;
  const proRated = fen(q.proRatedFen);
  const deducted = fen(q.approvedClaimsFen);
  // The rule floors the difference at zero; say so only where it did.
  const floored = Number(q.proRatedFen) < Number(q.approvedClaimsFen);
  const result = floored
    ? `max(0, ${proRated} − ${deducted}) = ${refund}`
    : `${proRated} − ${deducted} = ${refund}`;
  return {
    zh: `退保已记录：支付 ${paid}；${why.zh}：⌊${paid} × ${days} 天⌋ = ${proRated}；扣除已批准维修 ${deducted}；退款 ${result}`,
    en: `Cancellation recorded: paid ${paid}; ${why.en}: floor(${paid} × ${days} days) = ${proRated}; approved repairs ${deducted} deducted; refund ${result}`,
  };
}

function endWords(type: number, attributes: Record<string, unknown>, result: unknown): Words {
  const failure = record(attributes.failure);
  switch (type) {
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: {
      const stage = text(record(result).stage);
      return stage
        ? { zh: `流程结束：${stageWords(stage).zh}`, en: `Workflow completed: ${stageWords(stage).en}` }
        : { zh: '流程结束', en: 'Workflow completed' };
    }
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
      return { zh: `流程失败：${text(failure.message)}`, en: `Workflow failed: ${text(failure.message)}` };
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
      return {
        zh: `流程被终止：${text(attributes.reason)}`,
        en: `Workflow terminated: ${text(attributes.reason)}`,
      };
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
      return { zh: '流程已取消', en: 'Workflow cancelled' };
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
      return { zh: '流程超时', en: 'Workflow timed out' };
    default:
      return { zh: '流程以新的运行继续', en: 'Workflow continued as a new run' };
  }
}

const END_TYPES = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

/** Event types that are engine bookkeeping, not business steps (their effect shows in other steps). */
const SILENT_TYPES = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_TIMER_CANCELED,
  EventType.EVENT_TYPE_MARKER_RECORDED,
  EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
]);

/**
 * Turns a history into business steps. Pure apart from payload decoding, so
 * recorded fixture histories read the same as live ones.
 */
export function buildTimeline(
  workflowType: string,
  events: HistoryEvent[],
  converter: PayloadConverter,
): TimelineStep[] {
  const decode = (payloads: Payloads): unknown[] =>
    (payloads?.payloads ?? []).map((payload) => {
      try {
        return converter.fromPayload(payload);
      } catch {
        return null;
      }
    });
  const ms = (event: HistoryEvent) => timestampToMs(event.eventTime);
  const steps: TimelineStep[] = [];
  const byEvent = new Map<number, TimelineStep>();
  const activityArgs = new Map<number, { name: string; args: unknown[] }>();
  const timers = new Map<string, number>();
  let startMs: number | null = null;
  let lastStage: string | null = null;

  const add = (event: HistoryEvent, step: Omit<TimelineStep, 'eventId' | 'at' | 'actorName'>) => {
    const full: TimelineStep = {
      eventId: Number(event.eventId),
      at: new Date(ms(event)).toISOString(),
      actorName: null,
      ...step,
    };
    steps.push(full);
    byEvent.set(full.eventId, full);
    return full;
  };
  const failureMessage = (failure: Failure): string => {
    let message = failure?.message ?? '';
    for (let cause = failure?.cause; cause; cause = cause.cause)
      if (cause.message) message = message ? `${message}: ${cause.message}` : cause.message;
    return message;
  };
  const closeActivity = (
    event: HistoryEvent,
    scheduledEventId: unknown,
    outcome: StepOutcome,
    failure?: Failure,
    result?: unknown,
  ) => {
    const scheduled = Number(scheduledEventId);
    const step = byEvent.get(scheduled);
    const call = activityArgs.get(scheduled);
    if (!step || !call) return;
    step.durationMs = ms(event) - Date.parse(step.at);
    step.outcome = outcome;
    if (outcome === 'done') {
      const words = activityWords(call.name, call.args, result);
      step.textZh = words.zh;
      step.textEn = words.en;
    } else {
      const message = failureMessage(failure);
      const verbZh = outcome === 'cancelled' ? '已取消' : '失败';
      const verbEn = outcome === 'cancelled' ? 'cancelled' : 'failed';
      step.textZh = `${step.textZh}（${verbZh}${message ? `：${message}` : ''}）`;
      step.textEn = `${step.textEn} (${verbEn}${message ? `: ${message}` : ''})`;
      if (message) step.details.failure = message;
    }
  };

  for (const event of events) {
    const type = Number(event.eventType);
    if (SILENT_TYPES.has(type)) {
      if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        const started = event.activityTaskStartedEventAttributes;
        const step = byEvent.get(Number(started?.scheduledEventId));
        if (step) step.attempts = started?.attempt ?? 1;
      }
      continue;
    }
    switch (type) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const attributes = event.workflowExecutionStartedEventAttributes;
        startMs = ms(event);
        const input = record(decode(attributes?.input)[0]);
        const words = startWords(workflowType, input);
        add(event, {
          kind: 'start',
          step: 'workflow.started',
          outcome: 'done',
          textZh: words.zh,
          textEn: words.en,
          actorId: null,
          durationMs: null,
          attempts: attributes?.attempt ?? null,
          details: {
            workflowType,
            ...(attributes?.continuedExecutionRunId
              ? { continuedFromRunId: attributes.continuedExecutionRunId }
              : {}),
          },
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
        const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
        const name = request?.input?.name ?? '';
        const args = decode(request?.input?.args);
        const words = updateWords(name, args);
        const input = record(args[0]);
        add(event, {
          kind: 'update',
          step: `update.${name}`,
          outcome: 'in_progress',
          textZh: words.zh,
          textEn: words.en,
          actorId: actorIn(args),
          durationMs: null,
          attempts: null,
          details: {
            updateId: request?.meta?.updateId ?? null,
            ...(name === 'review' ? { decision: text(input.decision) } : {}),
            ...(name === 'register' ? { provider: text(input.paymentProvider) } : {}),
          },
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED: {
        const attributes = event.workflowExecutionUpdateCompletedEventAttributes;
        const step = byEvent.get(Number(attributes?.acceptedEventId));
        if (!step) break;
        step.durationMs = ms(event) - Date.parse(step.at);
        const failure = attributes?.outcome?.failure;
        if (failure) {
          const message = failureMessage(failure);
          step.outcome = 'rejected';
          step.textZh = `${step.textZh}（被拒绝：${message}）`;
          step.textEn = `${step.textEn} (rejected: ${message})`;
          step.details.failure = message;
        } else {
          step.outcome = 'done';
        }
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: {
        const attributes = event.workflowExecutionSignaledEventAttributes;
        const name = attributes?.signalName ?? '';
        const args = decode(attributes?.input);
        const { words, details } = signalWords(name, args);
        add(event, {
          kind: 'signal',
          step: `signal.${name}`,
          outcome: 'done',
          textZh: words.zh,
          textEn: words.en,
          actorId: actorIn(args),
          durationMs: null,
          attempts: null,
          details,
        });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const attributes = event.activityTaskScheduledEventAttributes;
        const name = attributes?.activityType?.name ?? '';
        const args = decode(attributes?.input);
        activityArgs.set(Number(event.eventId), { name, args });
        // Until it closes the step is named after the activity; its result's words replace this.
        add(event, {
          kind: 'activity',
          step: `activity.${name}`,
          outcome: 'in_progress',
          textZh: `执行步骤：${name}`,
          textEn: capitalize(humanize(name)),
          actorId: null,
          durationMs: null,
          attempts: null,
          details: { activity: name },
        });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const attributes = event.activityTaskCompletedEventAttributes;
        closeActivity(event, attributes?.scheduledEventId, 'done', null, decode(attributes?.result)[0]);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const attributes = event.activityTaskFailedEventAttributes;
        closeActivity(event, attributes?.scheduledEventId, 'failed', attributes?.failure);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attributes = event.activityTaskTimedOutEventAttributes;
        closeActivity(event, attributes?.scheduledEventId, 'failed', attributes?.failure);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
        const attributes = event.activityTaskCanceledEventAttributes;
        closeActivity(event, attributes?.scheduledEventId, 'cancelled');
        break;
      }
      case EventType.EVENT_TYPE_TIMER_STARTED: {
        const attributes = event.timerStartedEventAttributes;
        timers.set(attributes?.timerId ?? '', timestampToMs(attributes?.startToFireTimeout));
        break;
      }
      case EventType.EVENT_TYPE_TIMER_FIRED: {
        const attributes = event.timerFiredEventAttributes;
        const waited = timers.get(attributes?.timerId ?? '') ?? 0;
        add(event, {
          kind: 'timer',
          step: 'timer.fired',
          outcome: 'done',
          textZh: `等待 ${formatDuration(waited, 'zh')} 后计时结束`,
          textEn: `Waited ${formatDuration(waited, 'en')}; the timer fired`,
          actorId: null,
          durationMs: waited,
          attempts: null,
          details: {},
        });
        break;
      }
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const fields =
          event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
        const payload = fields.YanbaoBusinessStatus;
        if (!payload) break;
        const [stage] = decode({ payloads: [payload] });
        const value = Array.isArray(stage) ? text(stage[0]) : text(stage);
        if (!value || value === lastStage) break;
        lastStage = value;
        const words = stageWords(value);
        add(event, {
          kind: 'stage',
          step: 'stage',
          outcome: 'info',
          textZh: `进入阶段：${words.zh}`,
          textEn: `Stage: ${words.en}`,
          actorId: null,
          durationMs: null,
          attempts: null,
          details: { stage: value },
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED: {
        const attributes = event.workflowTaskFailedEventAttributes;
        const cause = proto.temporal.api.enums.v1.WorkflowTaskFailedCause[attributes?.cause ?? 0] ?? '';
        // An Update or Signal arriving mid-task makes the server ask again: routine, not a problem.
        if (cause === 'WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND') break;
        const message = failureMessage(attributes?.failure);
        add(event, {
          kind: 'problem',
          step: 'workflow.taskFailed',
          outcome: 'failed',
          textZh: `流程代码执行出错，将重试：${message}`,
          textEn: `Workflow code failed and will be retried: ${message}`,
          actorId: null,
          durationMs: null,
          attempts: null,
          details: { cause, failure: message },
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        add(event, {
          kind: 'problem',
          step: 'workflow.taskTimedOut',
          outcome: 'info',
          textZh: '工作进程未及时响应（可能重启），任务已重新派发',
          textEn: 'No worker answered in time (restarted?); the task was handed out again',
          actorId: null,
          durationMs: null,
          attempts: null,
          details: {},
        });
        break;
      default: {
        if (END_TYPES.has(type)) {
          const attributes = record(
            event.workflowExecutionCompletedEventAttributes ??
              event.workflowExecutionFailedEventAttributes ??
              event.workflowExecutionTerminatedEventAttributes ??
              event.workflowExecutionCanceledEventAttributes ??
              event.workflowExecutionTimedOutEventAttributes ??
              event.workflowExecutionContinuedAsNewEventAttributes,
          );
          const result = decode(event.workflowExecutionCompletedEventAttributes?.result)[0];
          const words = endWords(type, attributes, result);
          add(event, {
            kind: 'end',
            step: `workflow.${(EventType[type] ?? '').replace('EVENT_TYPE_WORKFLOW_EXECUTION_', '').toLowerCase()}`,
            outcome:
              type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED ||
              type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
                ? 'done'
                : type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED
                  ? 'cancelled'
                  : 'failed',
            textZh: words.zh,
            textEn: words.en,
            actorId: null,
            durationMs: startMs === null ? null : ms(event) - startMs,
            attempts: null,
            details: {},
          });
          break;
        }
        const name = (EventType[type] ?? `event ${type}`).replace(/^EVENT_TYPE_/, '').toLowerCase();
        add(event, {
          kind: 'other',
          step: `event.${name}`,
          outcome: 'info',
          textZh: `事件：${name.replaceAll('_', ' ')}`,
          textEn: `Event: ${name.replaceAll('_', ' ')}`,
          actorId: null,
          durationMs: null,
          attempts: null,
          details: {},
        });
      }
    }
  }
  return steps;
}

/** Names the people behind the steps (platform and manufacturer users), in one query. */
export async function nameActors(em: EntityManager, steps: TimelineStep[]): Promise<TimelineStep[]> {
  const ids = [...new Set(steps.map((s) => s.actorId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return steps;
  const users = await em.find(User, { id: { $in: ids } }, { fields: ['id', 'displayName'] });
  const names = new Map(users.map((u) => [u.id, u.displayName]));
  for (const step of steps) {
    if (!step.actorId) continue;
    const name = names.get(step.actorId) ?? step.actorId;
    step.actorName = name;
    if (step.step === 'update.review' || step.step === 'update.submitSelection') {
      step.textZh = `${step.textZh}（${name}）`;
      step.textEn = `${step.textEn} by ${name}`;
    } else {
      step.textZh = `${step.textZh}（操作人：${name}）`;
      step.textEn = `${step.textEn} (by ${name})`;
    }
  }
  return steps;
}

/** The Temporal Web UI page of a run, when the UI's address is configured. */
export function temporalUiUrl(
  webUiUrl: string | null,
  namespace: string,
  workflowId: string,
  runId: string,
): string | null {
  if (!webUiUrl) return null;
  return `${webUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}
