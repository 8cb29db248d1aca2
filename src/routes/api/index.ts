import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adminRoutes } from './admin.ts';
import { auditRoutes } from './audit.ts';
import { auditMessageRoutes } from './audit-messages.ts';
import { authRoutes } from './auth.ts';
import { cancellationRoutes } from './cancellations.ts';
import { claimRoutes } from './claims.ts';
import { clauseRoutes } from './clauses.ts';
import { manufacturerRoutes } from './manufacturer.ts';
import { orderRoutes } from './orders.ts';
import { paymentCallbackRoutes } from './payment-callbacks.ts';
import { planDraftRoutes } from './plan-drafts.ts';
import { planRoutes } from './plans.ts';
import { productRoutes } from './products.ts';
import { publicOrderRoutes } from './public-orders.ts';
import { statisticsRoutes } from './statistics.ts';
import { unitBatchRoutes } from './unit-batches.ts';
import { workflowRoutes } from './workflows.ts';

/** Everything under /api/v1. */
export const apiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(authRoutes);
  await app.register(manufacturerRoutes);
  await app.register(productRoutes);
  await app.register(clauseRoutes);
  await app.register(planDraftRoutes);
  await app.register(planRoutes);
  await app.register(unitBatchRoutes);
  await app.register(publicOrderRoutes);
  await app.register(paymentCallbackRoutes);
  await app.register(claimRoutes);
  await app.register(cancellationRoutes);
  await app.register(orderRoutes);
  await app.register(workflowRoutes);
  await app.register(statisticsRoutes);
  await app.register(auditRoutes);
  await app.register(auditMessageRoutes);
  await app.register(adminRoutes);
};
