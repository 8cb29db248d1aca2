import { Migration } from '@mikro-orm/migrations';

export class Migration20261125152740 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "payment_event" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "provider" text check ("provider" in ('sandbox', 'alipay')) not null, "provider_event_id" varchar(128) not null, "provider_payment_id" varchar(64) not null, "order_number" varchar(32) not null, "kind" text check ("kind" in ('captured', 'closed', 'refunded')) not null, "amount_fen" int not null, "currency" varchar(3) not null, "raw_body" text not null, constraint "payment_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "payment_event_order_number_index" on "payment_event" ("order_number");`);
    this.addSql(
      `alter table "payment_event" add constraint "payment_event_provider_provider_event_id_unique" unique ("provider", "provider_event_id");`,
    );

    this.addSql(
      `create table "phone_challenge" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "phone" varchar(20) not null, "code_hash" varchar(64) not null, "expires_at" timestamptz not null, "attempts" int not null default 0, "consumed_at" timestamptz null, constraint "phone_challenge_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "phone_challenge_phone_created_at_index" on "phone_challenge" ("phone", "created_at");`,
    );

    this.addSql(
      `create table "sandbox_payment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "order_number" varchar(32) not null, "subject" varchar(200) not null, "amount_fen" int not null, "currency" varchar(3) not null, "notify_url" text not null, "return_url" text not null, "status" text check ("status" in ('pending', 'paid', 'declined', 'closed', 'refunded')) not null default 'pending', "behaviour" jsonb not null default '{}', "refunded_fen" int not null default 0, constraint "sandbox_payment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "sandbox_payment_order_number_index" on "sandbox_payment" ("order_number");`);

    this.addSql(
      `create table "sandbox_callback" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "sandbox_payment_id" uuid not null, "event_id" varchar(64) not null, "copy" int not null default 1, "body" text not null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "delivered_at" timestamptz null, "last_error" text null, constraint "sandbox_callback_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "sandbox_callback_delivered_at_next_attempt_at_index" on "sandbox_callback" ("delivered_at", "next_attempt_at");`,
    );
    this.addSql(
      `alter table "sandbox_callback" add constraint "sandbox_callback_sandbox_payment_id_event_id_copy_unique" unique ("sandbox_payment_id", "event_id", "copy");`,
    );

    this.addSql(
      `create table "unit_qr_batch" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "manufacturer_id" uuid not null, "plan_id" uuid not null, "format" text check ("format" in ('zip', 'pdf')) not null, "total" int not null, "done" int not null default 0, "status" text check ("status" in ('running', 'done', 'failed')) not null default 'running', "workflow_id" varchar(100) not null, "content" bytea null, constraint "unit_qr_batch_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "unit_qr_batch_manufacturer_id_index" on "unit_qr_batch" ("manufacturer_id");`);
    this.addSql(
      `alter table "unit_qr_batch" add constraint "unit_qr_batch_workflow_id_unique" unique ("workflow_id");`,
    );

    this.addSql(
      `create table "unit_code" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "plan_id" uuid not null, "batch_id" uuid not null, "serial_number" varchar(100) not null, constraint "unit_code_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "unit_code_batch_id_index" on "unit_code" ("batch_id");`);
    this.addSql(
      `alter table "unit_code" add constraint "unit_code_plan_id_serial_number_unique" unique ("plan_id", "serial_number");`,
    );

    this.addSql(
      `create table "purchase_order" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "order_number" varchar(32) not null, "idempotency_key" varchar(64) not null, "manufacturer_id" uuid not null, "plan_id" uuid not null, "plan_version_id" uuid not null, "product_id" uuid not null, "consumer_name" varchar(100) not null, "consumer_phone" varchar(20) not null, "serial_number" varchar(100) not null, "product_purchase_date" date not null, "payment_provider" text check ("payment_provider" in ('sandbox', 'alipay')) not null, "amount_fen" int not null, "currency" varchar(3) not null, "status" text check ("status" in ('pending_payment', 'active', 'expired', 'cancelled')) not null default 'pending_payment', "coverage_start" date null, "coverage_end" date null, "paid_at" timestamptz null, "expired_at" timestamptz null, constraint "purchase_order_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_order_number_unique" unique ("order_number");`,
    );
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_idempotency_key_unique" unique ("idempotency_key");`,
    );
    this.addSql(
      `create index "purchase_order_manufacturer_id_created_at_index" on "purchase_order" ("manufacturer_id", "created_at");`,
    );
    this.addSql(`create index "purchase_order_consumer_phone_index" on "purchase_order" ("consumer_phone");`);

    this.addSql(
      `create table "payment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "order_id" uuid not null, "provider" text check ("provider" in ('sandbox', 'alipay')) not null, "provider_payment_id" varchar(64) not null, "pay_url" text not null, "amount_fen" int not null, "currency" varchar(3) not null, "status" text check ("status" in ('created', 'captured', 'closed', 'refunded')) not null default 'created', "captured_at" timestamptz null, constraint "payment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "payment_order_id_index" on "payment" ("order_id");`);
    this.addSql(
      `alter table "payment" add constraint "payment_provider_provider_payment_id_unique" unique ("provider", "provider_payment_id");`,
    );

    this.addSql(
      `create table "refund" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "payment_id" uuid not null, "reason" text check ("reason" in ('late_payment', 'cancellation')) not null, "amount_fen" int not null, "currency" varchar(3) not null, "provider_refund_id" varchar(64) not null, constraint "refund_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "refund" add constraint "refund_payment_id_reason_unique" unique ("payment_id", "reason");`,
    );

    this.addSql(
      `create table "order_certificate" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "order_id" uuid not null, "content" bytea not null, constraint "order_certificate_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "order_certificate" add constraint "order_certificate_order_id_unique" unique ("order_id");`,
    );

    this.addSql(
      `alter table "sandbox_callback" add constraint "sandbox_callback_sandbox_payment_id_foreign" foreign key ("sandbox_payment_id") references "sandbox_payment" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "unit_qr_batch" add constraint "unit_qr_batch_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "unit_qr_batch" add constraint "unit_qr_batch_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "unit_code" add constraint "unit_code_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "unit_code" add constraint "unit_code_batch_id_foreign" foreign key ("batch_id") references "unit_qr_batch" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_plan_version_id_foreign" foreign key ("plan_version_id") references "plan_version" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_product_id_foreign" foreign key ("product_id") references "main_product" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "payment" add constraint "payment_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "refund" add constraint "refund_payment_id_foreign" foreign key ("payment_id") references "payment" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "order_certificate" add constraint "order_certificate_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade;`,
    );
    // One pending or active order per plan and unit, enforced by the database under concurrency.
    this.addSql(
      `create unique index "purchase_order_one_live_per_unit" on "purchase_order" ("plan_id", "serial_number") where "status" in ('pending_payment', 'active');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "sandbox_callback" drop constraint "sandbox_callback_sandbox_payment_id_foreign";`,
    );

    this.addSql(`alter table "unit_code" drop constraint "unit_code_batch_id_foreign";`);

    this.addSql(`alter table "payment" drop constraint "payment_order_id_foreign";`);

    this.addSql(`alter table "order_certificate" drop constraint "order_certificate_order_id_foreign";`);

    this.addSql(`alter table "refund" drop constraint "refund_payment_id_foreign";`);

    this.addSql(`drop table if exists "payment_event" cascade;`);

    this.addSql(`drop table if exists "phone_challenge" cascade;`);

    this.addSql(`drop table if exists "sandbox_payment" cascade;`);

    this.addSql(`drop table if exists "sandbox_callback" cascade;`);

    this.addSql(`drop table if exists "unit_qr_batch" cascade;`);

    this.addSql(`drop table if exists "unit_code" cascade;`);

    this.addSql(`drop table if exists "purchase_order" cascade;`);

    this.addSql(`drop table if exists "payment" cascade;`);

    this.addSql(`drop table if exists "refund" cascade;`);

    this.addSql(`drop table if exists "order_certificate" cascade;`);
  }
}
