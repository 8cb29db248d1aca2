import { Migration } from '@mikro-orm/migrations';

export class Migration20261125175120 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "purchase_order_plan_id_serial_number_index" on "purchase_order" ("plan_id", "serial_number");`,
    );

    this.addSql(`create index "refund_created_at_index" on "refund" ("created_at");`);

    this.addSql(`create index "claim_created_at_index" on "claim" ("created_at");`);
    this.addSql(`create index "claim_repaired_at_index" on "claim" ("repaired_at");`);

    this.addSql(`create index "cancellation_refunded_at_index" on "cancellation" ("refunded_at");`);

    this.addSql(`alter table "unit_code" add column "attached_at" timestamptz null;`);
    // Units sold before this migration: marked once here, afterwards by the roll-up and unit batches.
    this.addSql(
      `update "unit_code" u set "attached_at" = o."paid_at" from "purchase_order" o where o."plan_id" = u."plan_id" and o."serial_number" = u."serial_number" and o."status" in ('active', 'cancelled', 'ended');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "unit_code" drop column "attached_at";`);

    this.addSql(`drop index "cancellation_refunded_at_index";`);

    this.addSql(`drop index "claim_created_at_index";`);
    this.addSql(`drop index "claim_repaired_at_index";`);

    this.addSql(`drop index "purchase_order_plan_id_serial_number_index";`);

    this.addSql(`drop index "refund_created_at_index";`);
  }
}
