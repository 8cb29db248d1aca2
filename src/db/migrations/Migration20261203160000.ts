import { Migration } from '@mikro-orm/migrations';

/**
 * A declined or failed payment attempt: providers report it (`payment_event.kind` 'failed') and
 * the purchase workflow closes that payment as 'failed', so the order page can say why it ended.
 */
export class Migration20261203160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "payment_event" drop constraint if exists "payment_event_kind_check";`);
    this.addSql(`alter table "payment" drop constraint if exists "payment_status_check";`);
    this.addSql(
      `alter table "payment_event" add constraint "payment_event_kind_check" check("kind" in ('captured', 'closed', 'refunded', 'failed'));`,
    );
    this.addSql(
      `alter table "payment" add constraint "payment_status_check" check("status" in ('created', 'captured', 'closed', 'failed', 'refunded'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payment" drop constraint if exists "payment_status_check";`);
    this.addSql(`alter table "payment_event" drop constraint if exists "payment_event_kind_check";`);
    this.addSql(
      `alter table "payment" add constraint "payment_status_check" check("status" in ('created', 'captured', 'closed', 'refunded'));`,
    );
    this.addSql(
      `alter table "payment_event" add constraint "payment_event_kind_check" check("kind" in ('captured', 'closed', 'refunded'));`,
    );
  }
}
