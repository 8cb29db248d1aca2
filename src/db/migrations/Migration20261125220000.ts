import { Migration } from '@mikro-orm/migrations';

/**
 * Clause matching (issue 5, P3) needs to know how common a token is among one category's
 * clauses, not the whole library's: a category's own words (厨房, 空调) are in most of its
 * clauses but in few of the library's. ANALYZE keeps the most common "category:token" pairs
 * of this expression, and "category:" alone, whose share is the category's.
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
  }

  override async down(): Promise<void> {
    this.addSql(`drop statistics "clause_match_category_stats";`);
    this.addSql(`drop function clause_match_category_lexemes(text[], tsvector);`);
  }
}
