import { Migration } from '@mikro-orm/migrations';

export class Migration20261125160602 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "order_stats_daily" ("day" date not null, "manufacturer_id" uuid not null, "plan_id" uuid not null, "product_id" uuid not null, "orders" int not null default 0, "revenue_fen" bigint not null default 0, "cancellations" int not null default 0, "refunds_fen" bigint not null default 0, "claims" int not null default 0, "approved_claims" int not null default 0, "claim_cost_fen" bigint not null default 0, "updated_at" timestamptz not null, constraint "order_stats_daily_pkey" primary key ("day", "manufacturer_id", "plan_id"));`,
    );
    this.addSql(
      `create index "order_stats_daily_manufacturer_id_day_index" on "order_stats_daily" ("manufacturer_id", "day");`,
    );

    this.addSql(
      `create table "claim" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "claim_number" varchar(32) not null, "order_id" uuid not null, "manufacturer_id" uuid not null, "fault_description" text not null, "fault_date" date not null, "contact_phone" varchar(20) not null, "coverage_type" text check ("coverage_type" in ('parts_labour', 'accidental_damage', 'liquid_damage', 'screen', 'battery', 'on_site_service', 'replacement', 'exclusions', 'claim_procedure', 'cancellation_refund', 'general_terms')) not null, "status" text check ("status" in ('submitted', 'accepted', 'rejected', 'repaired', 'closed')) not null default 'submitted', "decision_reason" text null, "repair_cost_fen" int null, "parts" text null, "outcome" text check ("outcome" in ('repaired', 'replaced', 'no_fault_found')) null, "workflow_id" varchar(100) not null, "decided_at" timestamptz null, "repaired_at" timestamptz null, "closed_at" timestamptz null, "sla_reminders_sent" int not null default 0, constraint "claim_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "claim" add constraint "claim_claim_number_unique" unique ("claim_number");`);
    this.addSql(`create index "claim_order_id_index" on "claim" ("order_id");`);
    this.addSql(`alter table "claim" add constraint "claim_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(
      `create index "claim_manufacturer_id_status_index" on "claim" ("manufacturer_id", "status");`,
    );

    this.addSql(
      `create table "claim_photo" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "claim_id" uuid not null, "file_name" varchar(200) not null, "content_type" varchar(100) not null, "size_bytes" int not null, "content" bytea not null, constraint "claim_photo_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "claim_photo_claim_id_index" on "claim_photo" ("claim_id");`);

    this.addSql(
      `create table "cancellation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "order_id" uuid not null, "workflow_id" varchar(100) not null, "reason" text null, "within_cooling_off" boolean not null, "approved_claims_fen" int not null default 0, "refund_fen" int not null, "status" text check ("status" in ('requested', 'refunded')) not null default 'requested', "refunded_at" timestamptz null, constraint "cancellation_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "cancellation" add constraint "cancellation_order_id_unique" unique ("order_id");`,
    );
    this.addSql(
      `alter table "cancellation" add constraint "cancellation_workflow_id_unique" unique ("workflow_id");`,
    );

    this.addSql(
      `create table "clause_revision" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "clause_id" uuid not null, "version" int not null, "coverage_type" text check ("coverage_type" in ('parts_labour', 'accidental_damage', 'liquid_damage', 'screen', 'battery', 'on_site_service', 'replacement', 'exclusions', 'claim_procedure', 'cancellation_refund', 'general_terms')) not null, "categories" text[] not null, "title_zh" varchar(100) not null, "title_en" varchar(200) not null, "body_zh" text not null, "body_en" text not null, "status" text check ("status" in ('active', 'retired')) not null, "edited_by_id" uuid null, constraint "clause_revision_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "clause_revision" add constraint "clause_revision_clause_id_version_unique" unique ("clause_id", "version");`,
    );

    this.addSql(
      `alter table "order_stats_daily" add constraint "order_stats_daily_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "order_stats_daily" add constraint "order_stats_daily_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "order_stats_daily" add constraint "order_stats_daily_product_id_foreign" foreign key ("product_id") references "main_product" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "claim" add constraint "claim_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "claim_photo" add constraint "claim_photo_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "cancellation" add constraint "cancellation_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "clause_revision" add constraint "clause_revision_clause_id_foreign" foreign key ("clause_id") references "clause" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "clause_revision" add constraint "clause_revision_edited_by_id_foreign" foreign key ("edited_by_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "app_user" drop constraint "app_user_manufacturer_id_foreign";`);

    this.addSql(`alter table "purchase_order" drop constraint if exists "purchase_order_status_check";`);

    this.addSql(`alter table "app_user" alter column "manufacturer_id" drop default;`);
    this.addSql(
      `alter table "app_user" alter column "manufacturer_id" type uuid using ("manufacturer_id"::text::uuid);`,
    );
    this.addSql(`alter table "app_user" alter column "manufacturer_id" drop not null;`);
    this.addSql(
      `alter table "app_user" add constraint "app_user_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "plan_draft" add column "cooling_off_days" int not null default 30;`);

    this.addSql(`alter table "plan_version" add column "cooling_off_days" int not null default 30;`);

    this.addSql(
      `alter table "purchase_order" add column "cancelled_at" timestamptz null, add column "ended_at" timestamptz null;`,
    );
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_status_check" check("status" in ('pending_payment', 'active', 'expired', 'cancelled', 'ended'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "claim_photo" drop constraint "claim_photo_claim_id_foreign";`);

    this.addSql(`drop table if exists "order_stats_daily" cascade;`);

    this.addSql(`drop table if exists "claim" cascade;`);

    this.addSql(`drop table if exists "claim_photo" cascade;`);

    this.addSql(`drop table if exists "cancellation" cascade;`);

    this.addSql(`drop table if exists "clause_revision" cascade;`);

    this.addSql(`alter table "app_user" drop constraint "app_user_manufacturer_id_foreign";`);

    this.addSql(`alter table "purchase_order" drop constraint if exists "purchase_order_status_check";`);

    this.addSql(`alter table "app_user" alter column "manufacturer_id" drop default;`);
    this.addSql(
      `alter table "app_user" alter column "manufacturer_id" type uuid using ("manufacturer_id"::text::uuid);`,
    );
    this.addSql(`alter table "app_user" alter column "manufacturer_id" set not null;`);
    this.addSql(
      `alter table "app_user" add constraint "app_user_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade on delete no action;`,
    );

    this.addSql(`alter table "plan_draft" drop column "cooling_off_days";`);

    this.addSql(`alter table "plan_version" drop column "cooling_off_days";`);

    this.addSql(`alter table "purchase_order" drop column "cancelled_at", drop column "ended_at";`);

    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_status_check" check("status" in ('pending_payment', 'active', 'expired', 'cancelled'));`,
    );
    this.addSql(
      `CREATE UNIQUE INDEX purchase_order_one_live_per_unit ON public.purchase_order USING btree (plan_id, serial_number) WHERE (status = ANY (ARRAY['pending_payment'::text, 'active'::text]));`,
    );
  }
}
