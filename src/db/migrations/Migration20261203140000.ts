import { Migration } from '@mikro-orm/migrations';

/**
 * Refunds made at the provider (a merchant refunding in Alipay's console) are recorded as
 * `provider_console`, one per refund request there; Yanbao's own stay one per payment and reason.
 */
export class Migration20261203140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "refund" drop constraint if exists "refund_reason_check";`);
    this.addSql(
      `alter table "refund" add constraint "refund_reason_check" check("reason" in ('late_payment', 'cancellation', 'provider_console'));`,
    );
    this.addSql(`alter table "refund" drop constraint "refund_payment_id_reason_unique";`);
    this.addSql(
      `create unique index "refund_payment_id_reason_unique" on "refund" ("payment_id", "reason") where "reason" <> 'provider_console';`,
    );
    this.addSql(
      `create unique index "refund_payment_id_provider_refund_id_unique" on "refund" ("payment_id", "provider_refund_id") where "reason" = 'provider_console';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "refund" where "reason" = 'provider_console';`);
    this.addSql(`drop index "refund_payment_id_provider_refund_id_unique";`);
    this.addSql(`drop index "refund_payment_id_reason_unique";`);
    this.addSql(
      `alter table "refund" add constraint "refund_payment_id_reason_unique" unique ("payment_id", "reason");`,
    );
    this.addSql(`alter table "refund" drop constraint if exists "refund_reason_check";`);
    this.addSql(
      `alter table "refund" add constraint "refund_reason_check" check("reason" in ('late_payment', 'cancellation'));`,
    );
  }
}
