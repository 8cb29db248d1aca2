import { Migration } from '@mikro-orm/migrations';

/**
 * Plans can stop and resume selling and gain new versions through review (issue 14 §3):
 * plan_sale_event, the record of who stopped or resumed a plan and when; plan_draft.revises_plan_id,
 * a draft that is a new version of a published plan (at most one open per plan); and
 * plan_version.draft_id, the draft each version was published from, so a retried publication
 * finds its version. Existing version 1 rows get their plan's draft.
 */
export class Migration20261206100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "plan_sale_event" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "plan_id" uuid not null, "manufacturer_id" uuid not null, "user_id" uuid not null, "action" text check ("action" in ('stopped', 'resumed')) not null, constraint "plan_sale_event_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "plan_sale_event_plan_id_created_at_index" on "plan_sale_event" ("plan_id", "created_at");`,
    );

    this.addSql(
      `alter table "plan_sale_event" add constraint "plan_sale_event_plan_id_foreign" foreign key ("plan_id") references "plan" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "plan_sale_event" add constraint "plan_sale_event_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "plan_sale_event" add constraint "plan_sale_event_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade;`,
    );

    this.addSql(`alter table "plan_draft" add column "revises_plan_id" uuid null;`);
    this.addSql(
      `alter table "plan_draft" add constraint "plan_draft_revises_plan_id_foreign" foreign key ("revises_plan_id") references "plan" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `create unique index "plan_draft_one_open_revision" on "plan_draft" ("revises_plan_id") where "status" in ('entered', 'awaiting_selection', 'awaiting_review');`,
    );

    this.addSql(`alter table "plan_version" add column "draft_id" uuid null;`);
    this.addSql(
      `alter table "plan_version" add constraint "plan_version_draft_id_foreign" foreign key ("draft_id") references "plan_draft" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "plan_version" add constraint "plan_version_draft_id_unique" unique ("draft_id");`,
    );
    this.addSql(
      `update "plan_version" v set "draft_id" = p."draft_id" from "plan" p where v."plan_id" = p."id" and v."version" = 1;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "plan_sale_event" cascade;`);

    this.addSql(`alter table "plan_draft" drop constraint "plan_draft_revises_plan_id_foreign";`);

    this.addSql(`alter table "plan_version" drop constraint "plan_version_draft_id_foreign";`);

    this.addSql(`drop index "plan_draft_one_open_revision";`);
    this.addSql(`alter table "plan_draft" drop column "revises_plan_id";`);

    this.addSql(`alter table "plan_version" drop constraint "plan_version_draft_id_unique";`);
    this.addSql(`alter table "plan_version" drop column "draft_id";`);
  }
}
