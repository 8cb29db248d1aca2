import { Migration } from '@mikro-orm/migrations';

/**
 * Managing a manufacturer's users: deactivation (app_user.deactivated_at), the emailed
 * password links (password_reset, one per user, token stored as its SHA-256) and the
 * language those emails are written in (manufacturer.locale, Chinese for everyone so far).
 */
export class Migration20261205100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "password_reset" ("user_id" uuid not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "password_reset_pkey" primary key ("user_id"));`,
    );
    this.addSql(
      `alter table "password_reset" add constraint "password_reset_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `alter table "password_reset" add constraint "password_reset_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "manufacturer" add column "locale" text check ("locale" in ('zh-CN', 'en')) not null default 'zh-CN';`,
    );

    this.addSql(`alter table "app_user" add column "deactivated_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "password_reset" cascade;`);

    this.addSql(`alter table "app_user" drop column "deactivated_at";`);

    this.addSql(`alter table "manufacturer" drop column "locale";`);
  }
}
