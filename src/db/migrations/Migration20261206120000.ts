import { Migration } from '@mikro-orm/migrations';

/** WeChat Pay (issue 15): a third payment provider on orders, payments and their notifications. */
const TABLES = [
  ['purchase_order', 'payment_provider'],
  ['payment', 'provider'],
  ['payment_event', 'provider'],
] as const;

export class Migration20261206120000 extends Migration {
  override async up(): Promise<void> {
    for (const [table, column] of TABLES) {
      this.addSql(`alter table "${table}" drop constraint if exists "${table}_${column}_check";`);
      this.addSql(
        `alter table "${table}" add constraint "${table}_${column}_check" check("${column}" in ('sandbox', 'alipay', 'wechatpay'));`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const [table, column] of TABLES) {
      this.addSql(`alter table "${table}" drop constraint if exists "${table}_${column}_check";`);
      this.addSql(
        `alter table "${table}" add constraint "${table}_${column}_check" check("${column}" in ('sandbox', 'alipay'));`,
      );
    }
  }
}
