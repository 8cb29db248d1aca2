/**
 * Activities of ClaimWorkflow: the service desk's decisions and repair
 * records, the consumer's SMS at each step and the desk's SLA reminders.
 * Each is idempotent: a step already recorded with the same values changes
 * nothing, and every message has its own outbox dedupe key.
 */
import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { capProblem, orderStatusAfterRepair } from '../src/domain/claim-rules.ts';
import { Claim, Manufacturer, Order, User } from '../src/domain/entities/index.ts';
import type { FieldProblem } from '../src/domain/errors.ts';
import { formatFen } from '../src/domain/money.ts';
import { orderAccessToken } from '../src/domain/order-links.ts';
import { translate } from '../src/i18n/catalogue.ts';
import { label } from '../src/i18n/labels.ts';
import { enqueueAndDeliver } from '../src/notifications/notifier.ts';
import { approvedRepairFen, claimPageUrl } from '../src/services/claims.ts';
import { tellMessage } from '../src/services/timeline/engine.ts';
import { durationText } from '../src/services/timeline/words.ts';
import {
  CLAIM_ERRORS,
  type ClaimStep,
  type DecisionInput,
  type RepairInput,
} from '../workflows/claim.messages.ts';
import type { ActivityDeps } from './index.ts';

const reject = (type: string, message: string, fields: FieldProblem[] = []) =>
  ApplicationFailure.create({ type, message, details: [fields], nonRetryable: true });

const OUTCOME_WORDS = {
  repaired: { zh: '已维修完成', en: 'has been repaired' },
  replaced: { zh: '已为您换新，本延保服务随之履行完毕', en: 'has been replaced; this fulfils your plan' },
  no_fault_found: { zh: '经检测未发现故障', en: 'was checked and no fault was found' },
} as const;

export function createClaimActivities({ orm, config, notifications }: ActivityDeps) {
  const loadClaim = async (em: EntityManager, claimNumber: string) => {
    const claim = await em.findOne(Claim, { claimNumber });
    if (!claim) throw reject(CLAIM_ERRORS.missing, `claim ${claimNumber} does not exist`);
    return claim;
  };
  const wrongStage = (claim: Claim, wanted: string) =>
    reject(CLAIM_ERRORS.wrongStage, `the claim is ${claim.status}, not ${wanted}`);

  return {
    /** Accept or reject, once: the same decision recorded again changes nothing. */
    async recordClaimDecision(claimNumber: string, decision: DecisionInput): Promise<void> {
      const em = orm.em.fork();
      const claim = await loadClaim(em, claimNumber);
      const target = decision.decision === 'accept' ? 'accepted' : 'rejected';
      if (claim.status === target) return;
      if (claim.status !== 'submitted') throw wrongStage(claim, 'submitted');
      claim.status = target;
      claim.decisionReason = decision.reason.trim() || null;
      claim.decidedAt = new Date();
      await em.flush();
    },

    /**
     * Records the repair in one transaction with the order row locked, so two
     * claims of one order cannot both slip under the cap: the order's approved
     * repair costs never exceed the retail price it was sold under. A replacement
     * ends the plan.
     */
    async recordClaimRepair(
      claimNumber: string,
      repair: RepairInput,
    ): Promise<{ refused: FieldProblem | null }> {
      return orm.em.fork().transactional(async (tx) => {
        const unlocked = await loadClaim(tx, claimNumber);
        const order = await tx.findOneOrFail(
          Order,
          { id: unlocked.order },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        const claim = await tx.findOneOrFail(Claim, { id: unlocked.id }, { refresh: true });
        if (claim.status === 'repaired' && claim.repairCostFen === repair.repairCostFen)
          return { refused: null };
        if (claim.status !== 'accepted') throw wrongStage(claim, 'accepted');
        // The retail price the order was sold under, not the product's current one.
        const problem = capProblem({
          retailPriceFen: order.productRetailPriceFen,
          approvedFen: await approvedRepairFen(tx, order.id, claim.id),
          repairCostFen: repair.repairCostFen,
          currency: order.productCurrency,
        });
        // A refusal is an answer, not a failure: the workflow turns it into the Update's error.
        if (problem) return { refused: problem };
        const now = new Date();
        claim.status = 'repaired';
        claim.repairCostFen = repair.repairCostFen;
        claim.parts = repair.parts.trim() || null;
        claim.outcome = repair.outcome;
        claim.repairedAt = now;
        const orderStatus = orderStatusAfterRepair(order.status, repair.outcome);
        if (orderStatus !== order.status) {
          order.status = orderStatus;
          order.endedAt = now;
        }
        return { refused: null };
      });
    },

    async closeClaim(claimNumber: string, _closedBy: string): Promise<void> {
      const em = orm.em.fork();
      const claim = await loadClaim(em, claimNumber);
      if (claim.status === 'closed') return;
      if (claim.status !== 'repaired') throw wrongStage(claim, 'repaired');
      claim.status = 'closed';
      claim.closedAt = new Date();
      await em.flush();
    },

    /** The consumer's SMS for a step, through the outbox: once per claim and step. */
    async announceClaimStep(claimNumber: string, step: ClaimStep): Promise<void> {
      const em = orm.em.fork();
      const claim = await loadClaim(em, claimNumber);
      const order = await em.findOneOrFail(Order, { id: claim.order });
      const link = claimPageUrl(
        config.publicBaseUrl,
        order.orderNumber,
        claimNumber,
        orderAccessToken(order.orderNumber, config.linkSecret),
      );
      const type = {
        zh: label('zh-CN', 'coverage', claim.coverageType),
        en: label('en', 'coverage', claim.coverageType),
      };
      const text = ((): { zh: string; en: string } => {
        switch (step) {
          case 'submitted':
            return {
              zh: `您的报修 ${claimNumber}（${type.zh}）已提交，厂商服务台会尽快处理。`,
              en: `Your repair request ${claimNumber} (${type.en}) was received; the manufacturer's service desk will handle it soon.`,
            };
          case 'accepted':
            return {
              zh: `厂商已受理您的报修 ${claimNumber}，将安排维修。${claim.decisionReason ? `说明：${claim.decisionReason}` : ''}`,
              en: `The manufacturer accepted your repair request ${claimNumber} and will arrange the repair.${claim.decisionReason ? ` Note: ${claim.decisionReason}` : ''}`,
            };
          case 'rejected':
            return {
              zh: `很抱歉，您的报修 ${claimNumber} 未被受理。原因：${claim.decisionReason ?? ''}`,
              en: `Sorry, your repair request ${claimNumber} was not accepted. Reason: ${claim.decisionReason ?? ''}`,
            };
          case 'repaired': {
            const outcome = OUTCOME_WORDS[claim.outcome ?? 'repaired'];
            const cost = formatFen(claim.repairCostFen ?? 0, order.currency);
            return {
              zh: `您报修的产品${outcome.zh}（报修 ${claimNumber}，延保承担 ${cost}）。`,
              en: `Your product ${outcome.en} (repair request ${claimNumber}, ${cost} paid by your plan).`,
            };
          }
          case 'closed':
            return {
              zh: `您的报修 ${claimNumber} 已结案，感谢您的耐心。`,
              en: `Your repair request ${claimNumber} is closed. Thank you for your patience.`,
            };
        }
      })();
      await enqueueAndDeliver(em, notifications, [
        {
          dedupeKey: `claim:${claimNumber}:${step}`,
          channel: 'sms',
          recipient: claim.contactPhone,
          subject: `报修进度 / Repair request ${claimNumber}: ${step}`,
          body: `${text.zh}查看进度：${link}\n${text.en} Details: ${link}`,
          template: { name: 'claim_update', params: { claim: claimNumber, step, link } },
        },
      ]);
    },

    /**
     * The service desk's reminder that a claim waits too long (email to the
     * manufacturer's approvers and admins), once per reminder and recipient;
     * the claim counts the reminders it caused.
     */
    async remindClaimDesk(claimNumber: string, waitingFor: 'decision' | 'repair', reminder: number) {
      const em = orm.em.fork();
      const claim = await loadClaim(em, claimNumber);
      const manufacturer = await em.findOneOrFail(Manufacturer, { id: claim.manufacturer });
      // Deactivated users are no longer the desk: they get no reminders.
      const users = await em.find(
        User,
        { manufacturer: manufacturer.id, deactivatedAt: null },
        { orderBy: { createdAt: 'asc' } },
      );
      const desk = users.filter((u) => u.roles.includes('approver') || u.roles.includes('admin'));
      const recipients = desk.length > 0 ? desk.map((u) => u.email) : [manufacturer.email];
      const link = `${config.publicBaseUrl}/portal/claims.html?claim=${claimNumber}`;
      const sla = waitingFor === 'decision' ? config.claims.decisionSla : config.claims.repairSla;
      // In the manufacturer's language, like every email to its staff.
      const words = {
        claim: claimNumber,
        sla: tellMessage(manufacturer.locale, durationText(sla)),
        reminder,
        link,
      };
      await enqueueAndDeliver(
        em,
        notifications,
        recipients.map((recipient) => ({
          dedupeKey: `claim-sla:${claimNumber}:${reminder}:${recipient}`,
          channel: 'email' as const,
          recipient,
          subject: translate(manufacturer.locale, { code: 'notifications:claimDesk.subject', params: words }),
          body: translate(manufacturer.locale, {
            code: `notifications:claimDesk.${waitingFor}`,
            params: words,
          }),
        })),
      );
      if (claim.slaRemindersSent < reminder) {
        claim.slaRemindersSent = reminder;
        await em.flush();
      }
    },
  };
}

export type ClaimActivities = ReturnType<typeof createClaimActivities>;
