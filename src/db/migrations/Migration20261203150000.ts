import { Migration } from '@mikro-orm/migrations';

/**
 * The refund rule's computation frozen with each cancellation (issue 10 item 19), so the
 * audit timeline states it as computed. Rows recorded before keep null: their basis was
 * not kept and is not guessed.
 */
export class Migration20261203150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "cancellation" add column "refund_quote" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "cancellation" drop column "refund_quote";`);
  }
}
