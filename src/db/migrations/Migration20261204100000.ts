import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox retries: attempts, the next attempt's time, the last error, the provider and its
 * message id, a `failed` status for messages that ran out of attempts, and the order whose
 * certificate a message carries, and an SMS's template with its variables. Messages already
 * delivered were sent once.
 */
export class Migration20261204100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "notification" drop constraint if exists "notification_status_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_status_check" check("status" in ('pending', 'delivered', 'failed'));`,
    );
    this.addSql(
      `alter table "notification" add column "attempts" int not null default 0, add column "next_attempt_at" timestamptz null, add column "last_attempt_at" timestamptz null, add column "last_error" varchar(1000) null, add column "provider" varchar(20) null, add column "provider_message_id" varchar(255) null, add column "certificate_of_id" uuid null, add column "template" text check ("template" in ('order_confirmed', 'order_cancelled', 'claim_update', 'lookup_code')) null, add column "template_params" jsonb null;`,
    );
    this.addSql(
      `alter table "notification" add constraint "notification_certificate_of_id_foreign" foreign key ("certificate_of_id") references "purchase_order" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `update "notification" set "attempts" = 1, "last_attempt_at" = "delivered_at" where "status" = 'delivered';`,
    );
    this.addSql(`update "notification" set "next_attempt_at" = "created_at" where "status" = 'pending';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notification" drop constraint "notification_certificate_of_id_foreign";`);
    this.addSql(
      `alter table "notification" drop column "attempts", drop column "next_attempt_at", drop column "last_attempt_at", drop column "last_error", drop column "provider", drop column "provider_message_id", drop column "certificate_of_id", drop column "template", drop column "template_params";`,
    );
    this.addSql(`update "notification" set "status" = 'pending' where "status" = 'failed';`);
    this.addSql(`alter table "notification" drop constraint if exists "notification_status_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_status_check" check("status" in ('pending', 'delivered'));`,
    );
  }
}
