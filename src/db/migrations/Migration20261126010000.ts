import { Migration } from '@mikro-orm/migrations';

/**
 * The clause library's text search (GET /clauses?q=, the admin's list) without
 * reading every clause: a trigram index over the searched text. pg_trgm is a
 * trusted extension of PostgreSQL's contrib (PGlite loads it too), so the
 * database owner may create it.
 */
export class Migration20261126010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    // What `q` is a case-insensitive substring of: both titles and both bodies, as one text.
    this.addSql(`create function clause_search_text(title_zh text, title_en text, body_zh text, body_en text) returns text
language sql immutable strict parallel safe as $$
  select lower(title_zh || ' ' || title_en || ' ' || body_zh || ' ' || body_en)
$$;`);
    this.addSql(
      `create index "clause_search_index" on "clause" using gin (clause_search_text("title_zh", "title_en", "body_zh", "body_en") gin_trgm_ops);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "clause_search_index";`);
    this.addSql(`drop function clause_search_text(text, text, text, text);`);
  }
}
