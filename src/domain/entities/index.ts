import { Cancellation } from './cancellation.entity.ts';
import { Claim, ClaimPhoto } from './claim.entity.ts';
import { Clause } from './clause.entity.ts';
import { ClauseRevision } from './clause-revision.entity.ts';
import { LoginThrottle } from './login-throttle.entity.ts';
import { MainProduct } from './main-product.entity.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Notification } from './notification.entity.ts';
import { Order } from './order.entity.ts';
import { OrderCertificate } from './order-certificate.entity.ts';
import { OrderStatsDaily } from './order-stats.entity.ts';
import { PasswordReset } from './password-reset.entity.ts';
import { Payment } from './payment.entity.ts';
import { PaymentEvent } from './payment-event.entity.ts';
import { PhoneChallenge } from './phone-challenge.entity.ts';
import { PhoneReveal } from './phone-reveal.entity.ts';
import { Plan } from './plan.entity.ts';
import { PlanCase } from './plan-case.entity.ts';
import { PlanDocument } from './plan-document.entity.ts';
import { PlanDraft } from './plan-draft.entity.ts';
import { PlanSaleEvent } from './plan-sale-event.entity.ts';
import { PlanVersion } from './plan-version.entity.ts';
import { Refund } from './refund.entity.ts';
import { SandboxCallback, SandboxPayment } from './sandbox-payment.entity.ts';
import { Session } from './session.entity.ts';
import { UnitCode, UnitQrBatch } from './unit-code.entity.ts';
import { User } from './user.entity.ts';

export {
  Cancellation,
  Claim,
  ClaimPhoto,
  Clause,
  ClauseRevision,
  LoginThrottle,
  MainProduct,
  Manufacturer,
  Notification,
  Order,
  OrderCertificate,
  OrderStatsDaily,
  PasswordReset,
  Payment,
  PaymentEvent,
  PhoneChallenge,
  PhoneReveal,
  Plan,
  PlanCase,
  PlanDocument,
  PlanDraft,
  PlanSaleEvent,
  PlanVersion,
  Refund,
  SandboxCallback,
  SandboxPayment,
  Session,
  UnitCode,
  UnitQrBatch,
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
  PlanSaleEvent,
  Plan,
  PlanVersion,
  PlanDocument,
  Notification,
  Order,
  Payment,
  PaymentEvent,
  Refund,
  OrderCertificate,
  PhoneChallenge,
  SandboxPayment,
  SandboxCallback,
  UnitQrBatch,
  UnitCode,
  Claim,
  ClaimPhoto,
  Cancellation,
  ClauseRevision,
  OrderStatsDaily,
  LoginThrottle,
  PasswordReset,
  PhoneReveal,
];
