import { Migration } from '@mikro-orm/migrations';

/**
 * What an order was sold under, frozen on the order: the main product's retail
 * price (the claim cap) and its currency, base warranty months and serial
 * pattern. Existing orders take them from their product as it is now — the
 * closest record there is of what they were sold under.
 */
export class Migration20261203110000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "purchase_order" add column "product_retail_price_fen" int null, add column "product_currency" varchar(3) null, add column "product_base_warranty_months" int null, add column "product_serial_pattern" varchar(200) null;`,
    );
    this.addSql(`update "purchase_order" o
   set "product_retail_price_fen" = mp."retail_price_fen",
       "product_currency" = mp."currency",
       "product_base_warranty_months" = mp."base_warranty_months",
       "product_serial_pattern" = mp."serial_pattern"
  from "main_product" mp
 where mp."id" = o."product_id";`);
    this.addSql(
      `alter table "purchase_order" alter column "product_retail_price_fen" set not null, alter column "product_currency" set not null, alter column "product_base_warranty_months" set not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "purchase_order" drop column "product_retail_price_fen", drop column "product_currency", drop column "product_base_warranty_months", drop column "product_serial_pattern";`,
    );
  }
}
