import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 10: what an idempotency key first stood for (a fingerprint of the
 * request, null on rows from before), and failed-login counters shared by
 * every web process.
 */
export class Migration20261203130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "purchase_order" add column "request_fingerprint" varchar(64) null;`);
    this.addSql(`alter table "claim" add column "request_fingerprint" varchar(64) null;`);
    this.addSql(`alter table "cancellation" add column "request_fingerprint" varchar(64) null;`);
    this.addSql(
      `create table "login_throttle" ("key" varchar(300) not null, "failures" int not null, "window_started_at" timestamptz not null, constraint "login_throttle_pkey" primary key ("key"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_throttle";`);
    this.addSql(`alter table "cancellation" drop column "request_fingerprint";`);
    this.addSql(`alter table "claim" drop column "request_fingerprint";`);
    this.addSql(`alter table "purchase_order" drop column "request_fingerprint";`);
  }
}
