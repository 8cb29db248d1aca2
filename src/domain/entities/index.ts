import { Clause } from './clause.entity.ts';
import { MainProduct } from './main-product.entity.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Notification } from './notification.entity.ts';
import { Plan } from './plan.entity.ts';
import { PlanCase } from './plan-case.entity.ts';
import { PlanDocument } from './plan-document.entity.ts';
import { PlanDraft } from './plan-draft.entity.ts';
import { PlanVersion } from './plan-version.entity.ts';
import { Session } from './session.entity.ts';
import { User } from './user.entity.ts';

export {
  Clause,
  MainProduct,
  Manufacturer,
  Notification,
  Plan,
  PlanCase,
  PlanDocument,
  PlanDraft,
  PlanVersion,
  Session,
  User,
};

export const ALL_ENTITIES = [
  Manufacturer,
  User,
  Session,
  MainProduct,
  Clause,
  PlanCase,
  PlanDraft,
  Plan,
  PlanVersion,
  PlanDocument,
  Notification,
];
