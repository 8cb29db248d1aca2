/** UnitQrBatchWorkflow in auditors' words: which serials, issued by whom, for which plan. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { UnitBatchActivities } from '../../../activities/unit-batch.activities.ts';
import type { UnitBatchStage } from '../../../workflows/unit-qr-batch.messages.ts';
import { Manufacturer, Plan, UnitQrBatch } from '../../domain/entities/index.ts';
import { isUuid } from '../../domain/uuid.ts';
import type { Message } from '../../i18n/catalogue.ts';
import type { ActivityDescriber, WorkflowDescriber } from './engine.ts';
import { count, message, record, text } from './words.ts';

const STAGES = Object.keys({
  issuing: true,
  rendering: true,
  done: true,
  failed: true,
} satisfies Record<UnitBatchStage, true>);

/** The units a batch covers: its serial range and/or how many serials were listed. */
function units(request: unknown): Message {
  const { range, serials } = record(request);
  const from = text(record(range).from);
  const to = text(record(range).to);
  const listed = count(serials);
  if (from && listed) return message('unitBatch.units.rangeAndList', { from, to, listed });
  if (from) return message('unitBatch.units.range', { from, to });
  return message('unitBatch.units.list', { listed });
}

const activities = {
  issueUnitCodes: {
    doing: (args) => message('unitBatch.issueUnitCodes.doing', { units: units(args[1]) }),
    done: (_args, result) =>
      message('unitBatch.issueUnitCodes.done', {
        total: text(record(result).total),
        newUnits: text(record(result).newUnits),
      }),
  },
  renderUnitBatch: {
    doing: () => message('unitBatch.renderUnitBatch.doing'),
    done: () => message('unitBatch.renderUnitBatch.done'),
  },
  markUnitBatchFailed: {
    doing: (args) => message('unitBatch.markUnitBatchFailed', { reason: text(args[1]) }),
    done: (args) => message('unitBatch.markUnitBatchFailed', { reason: text(args[1]) }),
  },
} satisfies Record<keyof UnitBatchActivities, ActivityDescriber>;

export const unitQrBatchTimeline: WorkflowDescriber = {
  started: (input, facts) =>
    message(facts?.issuer && facts.plan ? 'unitBatch.startedBy' : 'unitBatch.started', {
      batchId: text(input.batchId),
      units: units(input.units),
      ...(facts?.issuer && facts.plan
        ? { issuer: facts.issuer, plan: message('plan.named', facts.plan) }
        : {}),
    }),
  activities,
  updates: {},
  signals: {},
  stages: STAGES,
  /** The manufacturer that issued the batch and the plan it is for (the history has only the batch id). */
  async facts(em: EntityManager, input) {
    const batchId = text(input.batchId);
    if (!isUuid(batchId)) return null;
    const batch = await em.findOne(UnitQrBatch, { id: batchId });
    if (!batch) return null;
    const [manufacturer, plan] = await Promise.all([
      em.findOne(Manufacturer, { id: batch.manufacturer }),
      em.findOne(Plan, { id: batch.plan }),
    ]);
    if (!manufacturer || !plan) return null;
    return { issuer: manufacturer.name, plan: { code: plan.code, nameZh: plan.nameZh, nameEn: plan.nameEn } };
  },
};
