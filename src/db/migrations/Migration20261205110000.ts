import { Migration } from '@mikro-orm/migrations';

/**
 * The manufacturer's order search (issue 14 §1): one index per filter and search of the order
 * list and one for the cancellation list, so every page is an index range scan over a million
 * orders; and phone_reveal, the log of who was shown a holder's full phone number.
 */
export class Migration20261205110000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "phone_reveal" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "order_id" uuid not null, "manufacturer_id" uuid not null, "user_id" uuid not null, constraint "phone_reveal_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "phone_reveal_order_id_created_at_index" on "phone_reveal" ("order_id", "created_at");`,
    );

    this.addSql(
      `alter table "phone_reveal" add constraint "phone_reveal_order_id_foreign" foreign key ("order_id") references "purchase_order" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "phone_reveal" add constraint "phone_reveal_manufacturer_id_foreign" foreign key ("manufacturer_id") references "manufacturer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "phone_reveal" add constraint "phone_reveal_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade;`,
    );

    this.addSql(
      `create index "purchase_order_paid_list" on "purchase_order" ("manufacturer_id", "paid_at", "id") where "paid_at" is not null;`,
    );
    this.addSql(
      `create index "purchase_order_paid_by_status" on "purchase_order" ("manufacturer_id", "status", "paid_at", "id") where "paid_at" is not null;`,
    );
    this.addSql(
      `create index "purchase_order_paid_by_plan" on "purchase_order" ("plan_id", "paid_at", "id") where "paid_at" is not null;`,
    );
    this.addSql(
      `create index "purchase_order_paid_by_product" on "purchase_order" ("product_id", "paid_at", "id") where "paid_at" is not null;`,
    );
    this.addSql(
      `create index "purchase_order_phone_last4" on "purchase_order" ("manufacturer_id", right("consumer_phone", 4), "paid_at", "id") where "paid_at" is not null;`,
    );
    this.addSql(
      `create index "purchase_order_serial_search" on "purchase_order" ("manufacturer_id", lower("serial_number"));`,
    );
    this.addSql(
      `create index "purchase_order_name_search" on "purchase_order" ("manufacturer_id", lower("consumer_name") text_pattern_ops);`,
    );

    this.addSql(`create index "cancellation_created_at_id_index" on "cancellation" ("created_at", "id");`);
    this.addSql(
      `create index "cancellation_status_created_at_id_index" on "cancellation" ("status", "created_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "phone_reveal" cascade;`);

    this.addSql(`drop index "cancellation_created_at_id_index";`);
    this.addSql(`drop index "cancellation_status_created_at_id_index";`);

    this.addSql(`drop index "purchase_order_paid_list";`);
    this.addSql(`drop index "purchase_order_paid_by_status";`);
    this.addSql(`drop index "purchase_order_paid_by_plan";`);
    this.addSql(`drop index "purchase_order_paid_by_product";`);
    this.addSql(`drop index "purchase_order_phone_last4";`);
    this.addSql(`drop index "purchase_order_serial_search";`);
    this.addSql(`drop index "purchase_order_name_search";`);
  }
}
