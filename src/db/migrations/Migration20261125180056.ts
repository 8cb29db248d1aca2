import { Migration } from '@mikro-orm/migrations';

/**
 * Clause matching in the database (issue 5, P3): the tokens of every clause,
 * kept by PostgreSQL, and an index that finds the active clauses of one
 * category, coverage type and number of categories, and among them those
 * holding given tokens.
 */
export class Migration20261125180056 extends Migration {
  override async up(): Promise<void> {
    // `tokenize` of src/domain/matching.ts: lower-case English words of 3+ letters and Chinese
    // character bigrams (a lone character stays itself). Words of 2 KB and more, which tsvector
    // refuses, are left out: no draft name is that long, so they could never match.
    this.addSql(`create function clause_match_tokens(doc text) returns text[]
language sql immutable strict parallel safe as $$
  select coalesce(array_agg(distinct token), '{}')
  from (
    select word[1] as token from regexp_matches(lower(doc), '[a-z]{3,}', 'g') as word
    union all
    select substr(run[1], i, 2)
    from regexp_matches(doc, '[\\u3400-\\u9fff]+', 'g') as run,
         generate_series(1, greatest(length(run[1]) - 1, 1)) as i
  ) as tokens
  where octet_length(token) < 2048
$$;`);
    // One key per category a clause applies to: category, coverage type, number of categories.
    this.addSql(`create function clause_match_tiers(categories text[], coverage_type text) returns text[]
language sql immutable strict parallel safe as $$
  select array(select category || ':' || coverage_type || ':' || cardinality(categories) from unnest(categories) as category)
$$;`);
    this.addSql(
      `alter table "clause" add column "match_lexemes" tsvector generated always as (array_to_tsvector(clause_match_tokens("title_zh" || ' ' || "title_en" || ' ' || "body_zh" || ' ' || "body_en"))) stored not null;`,
    );
    // Kept in the row (not TOASTed) where it fits: matching reads it for thousands of rows per draft.
    this.addSql(`alter table "clause" alter column "match_lexemes" set storage main;`);
    this.addSql(
      `create index "clause_match_index" on "clause" using gin (clause_match_tiers("categories", "coverage_type"), "match_lexemes") where "status" = 'active';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "clause_match_index";`);
    this.addSql(`alter table "clause" drop column "match_lexemes";`);
    this.addSql(`drop function clause_match_tiers(text[], text);`);
    this.addSql(`drop function clause_match_tokens(text);`);
  }
}
