import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../src/config.ts';
import type { Notifier } from '../src/notifications/notifier.ts';
import type { PaymentProviders } from '../src/payments/provider.ts';
import { createCancellationActivities } from './cancellation.activities.ts';
import { createClaimActivities } from './claim.activities.ts';
import { createPlanCreationActivities } from './plan-creation.activities.ts';
import { createPurchaseActivities } from './purchase.activities.ts';
import { createStatsActivities } from './stats.activities.ts';
import { createUnitBatchActivities } from './unit-batch.activities.ts';

export interface ActivityDeps {
  orm: MikroORM;
  config: AppConfig;
  notifications: Notifier;
  payments: PaymentProviders;
}

/** Every activity the worker registers, built from explicitly injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlanCreationActivities({
      orm: deps.orm,
      publicBaseUrl: deps.config.publicBaseUrl,
      notifications: deps.notifications,
    }),
    ...createPurchaseActivities(deps),
    ...createUnitBatchActivities(deps),
    ...createClaimActivities(deps),
    ...createCancellationActivities(deps),
    ...createStatsActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
