import { Migration } from '@mikro-orm/migrations';

/**
 * The refund rule's computation frozen with each cancellation (issue 10 item 19), so the
 * audit timeline states it as computed. Rows recorded before keep null: their basis was
 * not kept and is not guessed.
 *
 * The order state a stored certificate shows (items 13, 18): certificates stored before
 * keep null, so they are rendered again (with the verification code instead of the order
 * link, and void if the order was cancelled) on their next download.
 */
export class Migration20261203150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "cancellation" add column "refund_quote" jsonb null;`);
    this.addSql(`alter table "order_certificate" add column "rendered_for" varchar(16) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "order_certificate" drop column "rendered_for";`);
    this.addSql(`alter table "cancellation" drop column "refund_quote";`);
  }
}
