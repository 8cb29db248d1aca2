import { Migration } from '@mikro-orm/migrations';

/**
 * The service desk's work queue (issue 14 §5): its list by status and age, the to-do counts and the
 * overdue filter (claims past their SLA: submitted by filing time, accepted by decision time), and the
 * search by a phone's last four digits. (manufacturer_id, status, created_at) replaces (manufacturer_id, status).
 */
export class Migration20261206110000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "claim_manufacturer_id_status_index";`);
    this.addSql(`create index "claim_desk_waiting" on "claim" ("manufacturer_id", "status", "created_at");`);
    this.addSql(
      `create index "claim_desk_decided" on "claim" ("manufacturer_id", "decided_at") where "status" = 'accepted';`,
    );
    this.addSql(
      `create index "claim_desk_phone_last4" on "claim" ("manufacturer_id", right("contact_phone", 4));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "claim_desk_waiting";`);
    this.addSql(`drop index "claim_desk_decided";`);
    this.addSql(`drop index "claim_desk_phone_last4";`);
    this.addSql(
      `create index "claim_manufacturer_id_status_index" on "claim" ("manufacturer_id", "status");`,
    );
  }
}
