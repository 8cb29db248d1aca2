import { Migration } from '@mikro-orm/migrations';

/**
 * Clause matching (issue 5, P3):
 * - it needs to know how common a token is among one category's clauses, not the whole
 *   library's: a category's own words (厨房, 空调) are in most of its clauses but in few of the
 *   library's. ANALYZE keeps the most common "category:token" pairs of this expression, and
 *   "category:" alone, whose share is the category's;
 * - it ranks every case of the draft's category from five columns: an index holding them
 *   answers without reading the table.
 */
export class Migration20261125220000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function clause_match_category_lexemes(categories text[], lexemes tsvector) returns tsvector
language sql immutable strict parallel safe as $$
  select array_to_tsvector(array(
    select category || ':' || lexeme
    from unnest(categories) as category, unnest(array_append(tsvector_to_array(lexemes), '')) as lexeme
  ))
$$;`);
    this.addSql(
      `create statistics "clause_match_category_stats" on (clause_match_category_lexemes("categories", "match_lexemes")) from "clause";`,
    );
    this.addSql(
      `create index "plan_case_ranking_index" on "plan_case" ("category") include ("id", "retail_price_fen", "term_months", "price_fen", "coverage_types");`,
    );
    this.addSql(`drop index "plan_case_category_index";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "plan_case_category_index" on "plan_case" ("category");`);
    this.addSql(`drop index "plan_case_ranking_index";`);
    this.addSql(`drop statistics "clause_match_category_stats";`);
    this.addSql(`drop function clause_match_category_lexemes(text[], tsvector);`);
  }
}
