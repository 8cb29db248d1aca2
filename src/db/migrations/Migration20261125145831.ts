import { Migration } from '@mikro-orm/migrations';

export class Migration20261125145831 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "clause" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "key" varchar(100) not null, "coverage_type" text check ("coverage_type" in ('parts_labour', 'accidental_damage', 'liquid_damage', 'screen', 'battery', 'on_site_service', 'replacement', 'exclusions', 'claim_procedure', 'cancellation_refund', 'general_terms')) not null, "categories" text[] not null, "title_zh" varchar(100) not null, "title_en" varchar(200) not null, "body_zh" text not null, "body_en" text not null, "version" int not null default 1, "status" text check ("status" in ('active', 'retired')) not null default 'active', constraint "clause_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "clause" add constraint "clause_key_unique" unique ("key");`);
    this.addSql(`create index "clause_coverage_type_index" on "clause" ("coverage_type");`);

    this.addSql(
      `create table "manufacturer" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(200) not null, "uscc_code" varchar(18) not null, "contact_name" varchar(100) not null, "contact_phone" varchar(20) not null, "email" varchar(254) not null, "status" text check ("status" in ('active', 'suspended')) not null default 'active', constraint "manufacturer_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "manufacturer" add constraint "manufacturer_uscc_code_unique" unique ("uscc_code");`,
    );

    this.addSql(
      `create table "main_product" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "manufacturer_id" uuid not null, "brand" varchar(100) not null, "name" varchar(200) not null, "model" varchar(100) not null, "category" text check ("category" in ('smartphone', 'laptop', 'tablet', 'tv', 'refrigerator', 'washing_machine', 'air_conditioner', 'small_kitchen_appliance')) not null, "retail_price_fen" int not null, "currency" varchar(3) not null default 'CNY', "base_warranty_months" int not null, "launch_date" date not null, "serial_pattern" varchar(200) null, constraint "main_product_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "main_product" add constraint "main_product_manufacturer_id_brand_model_unique" unique ("manufacturer_id", "brand", "model");`,
    );

    this.addSql(
      `create table "notification" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "dedupe_key" varchar(200) not null, "channel" text check ("channel" in ('email', 'sms')) not null, "recipient" varchar(254) not null, "subject" varchar(200) not null, "body" text not null, "status" text check ("status" in ('pending', 'delivered')) not null default 'pending', "delivered_at" timestamptz null, constraint "notification_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "notification" add constraint "notification_dedupe_key_unique" unique ("dedupe_key");`,
    );
    this.addSql(`create index "notification_status_index" on "notification" ("status");`);

    this.addSql(
      `create table "plan_case" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "key" varchar(100) not null, "source" text check ("source" in ('library', 'published')) not null, "category" text check ("category" in ('smartphone', 'laptop', 'tablet', 'tv', 'refrigerator', 'washing_machine', 'air_conditioner', 'small_kitchen_appliance')) not null, "manufacturer_name" varchar(200) not null, "brand" varchar(100) not null, "product_name" varchar(200) not null, "model" varchar(100) not null, "retail_price_fen" int not null, "plan_name_zh" varchar(100) not null, "plan_name_en" varchar(200) not null, "term_months" int not null, "price_fen" int not null, "coverage_start_rule" jsonb not null, "coverage_types" text[] not null, "clause_ids" text[] not null, constraint "plan_case_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "plan_case" add constraint "plan_case_key_unique" unique ("key");`);
    this.addSql(`create index "plan_case_category_index" on "plan_case" ("category");`);

    this.addSql(
      `create table "app_user" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "manufacturer_id" uuid not null, "email" varchar(254) not null, "display_name" varchar(100) not null, "password_hash" varchar(200) not null, "roles" text[] not null, constraint "app_user_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(
      `create table "user_session" ("token_hash" varchar(64) not null, "user_id" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "user_session_pkey" primary key ("token_hash"));`,
    );
    this.addSql(`create index "user_session_expires_at_index" on "user_session" ("expires_at");`);

    this.addSql(
      `create table "plan_draft" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "manufacturer_id" uuid not null, "product_id" uuid not null, "created_by_id" uuid not null, "name_zh" varchar(100) not null, "name_en" varchar(200) not null, "term_months" int not null, "coverage_start_rule" jsonb not null, "price_fen" int not null, "currency" varchar(3) not null default 'CNY', "purchase_window_days" int not null, "coverage_types" text[] not null, "status" text check ("status" in ('entered', 'awaiting_selection', 'awaiting_review', 'published', 'expired')) not null default 'entered', "workflow_id" varchar(100) not null, "suggestions" jsonb null, "selection" jsonb null, "submitted_by_id" uuid null, "submitted_at" timestamptz null, "reviews" jsonb not null default '[]', constraint "plan_draft_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "plan_draft" add constraint "plan_draft_workflow_id_unique" unique ("workflow_id");`,
    );
    this.addSql(
      `create index "plan_draft_manufacturer_id_status_index" on "plan_draft" ("manufacturer_id", "status");`,
    );

    this.addSql(
      `create table "plan" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "manufacturer_id" uuid not null, "product_id" uuid not null, "draft_id" uuid not null, "code" varchar(16) not null, "name_zh" varchar(100) not null, "name_en" varchar(200) not null, "status" text check ("status" in ('on_sale', 'retired')) not null default 'on_sale', "current_version" int not null, constraint "plan_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "plan_manufacturer_id_index" on "plan" ("manufacturer_id");`);
    this.addSql(`alter table "plan" add constraint "plan_draft_id_unique" unique ("draft_id");`);
    this.addSql(`alter table "plan" add constraint "plan_code_unique" unique ("code");`);

    this.addSql(
      `create table "plan_version" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "plan_id" uuid not null, "version" int not null, "term_months" int not null, "coverage_start_rule" jsonb not null, "price_fen" int not null, "currency" varchar(3) not null, "purchase_window_days" int not null, "coverage_types" text[] not null, "clauses" jsonb not null, "submitted_by_id" uuid not null, "approved_by_id" uuid not null, "published_at" timestamptz not null, constraint "plan_version_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "plan_version" add constraint "plan_version_plan_id_version_unique" unique ("plan_id", "version");`,
    );

    this.addSql(
      `create table "plan_document" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "plan_version_id" uuid not null, "kind" text check ("kind" in ('qr_png', 'qr_svg', 'label_pdf')) not null, "content_type" varchar(100) not null, "content" bytea not null, constraint "plan_document_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "plan_document" add constraint "plan_document_plan_version_id_kind_unique" unique ("plan_version_id", "kind");`,
    );

    this.addSql(
      `alter table "main_product" add constraint "main_product_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "app_user" add constraint "app_user_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "user_session" add constraint "user_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "plan_draft" add constraint "plan_draft_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "plan_draft" add constraint "plan_draft_product_id_foreign" foreign key ("product_id") references "main_product" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "plan_draft" add constraint "plan_draft_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "plan_draft" add constraint "plan_draft_submitted_by_id_foreign" foreign key ("submitted_by_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "plan" add constraint "plan_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "plan" add constraint "plan_product_id_foreign" foreign key ("product_id") references "main_product" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "plan" add constraint "plan_draft_id_foreign" foreign key ("draft_id") references "plan_draft" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "plan_version" add constraint "plan_version_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "plan_version" add constraint "plan_version_submitted_by_id_foreign" foreign key ("submitted_by_id") references "app_user" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "plan_version" add constraint "plan_version_approved_by_id_foreign" foreign key ("approved_by_id") references "app_user" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "plan_document" add constraint "plan_document_plan_version_id_foreign" foreign key ("plan_version_id") references "plan_version" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "main_product" drop constraint "main_product_manufacturer_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_manufacturer_id_foreign";`);

    this.addSql(`alter table "plan_draft" drop constraint "plan_draft_manufacturer_id_foreign";`);

    this.addSql(`alter table "plan" drop constraint "plan_manufacturer_id_foreign";`);

    this.addSql(`alter table "plan_draft" drop constraint "plan_draft_product_id_foreign";`);

    this.addSql(`alter table "plan" drop constraint "plan_product_id_foreign";`);

    this.addSql(`alter table "user_session" drop constraint "user_session_user_id_foreign";`);

    this.addSql(`alter table "plan_draft" drop constraint "plan_draft_created_by_id_foreign";`);

    this.addSql(`alter table "plan_draft" drop constraint "plan_draft_submitted_by_id_foreign";`);

    this.addSql(`alter table "plan_version" drop constraint "plan_version_submitted_by_id_foreign";`);

    this.addSql(`alter table "plan_version" drop constraint "plan_version_approved_by_id_foreign";`);

    this.addSql(`alter table "plan" drop constraint "plan_draft_id_foreign";`);

    this.addSql(`alter table "plan_version" drop constraint "plan_version_plan_id_foreign";`);

    this.addSql(`alter table "plan_document" drop constraint "plan_document_plan_version_id_foreign";`);

    this.addSql(`drop table if exists "clause" cascade;`);

    this.addSql(`drop table if exists "manufacturer" cascade;`);

    this.addSql(`drop table if exists "main_product" cascade;`);

    this.addSql(`drop table if exists "notification" cascade;`);

    this.addSql(`drop table if exists "plan_case" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "user_session" cascade;`);

    this.addSql(`drop table if exists "plan_draft" cascade;`);

    this.addSql(`drop table if exists "plan" cascade;`);

    this.addSql(`drop table if exists "plan_version" cascade;`);

    this.addSql(`drop table if exists "plan_document" cascade;`);
  }
}
