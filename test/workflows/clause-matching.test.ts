/**
 * Clause matching in the database (src/services/clause-matching.ts) on a real
 * PostgreSQL library of a few thousand clauses: the same suggestions as
 * scoring the whole category in memory, whatever the draft.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm } from '../../src/db/orm.config.ts';
import { BENEFIT_COVERAGE_TYPES, PRODUCT_CATEGORIES } from '../../src/domain/catalog.ts';
import { type DraftProfile, tokenize } from '../../src/domain/matching.ts';
import { matchDraft } from '../../src/services/clause-matching.ts';
import { growClauseLibrary, makeDrafts } from '../helpers/clause-library.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { matchInMemory } from '../helpers/matching-reference.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject('templateDatabase'));
  await growClauseLibrary(db.orm, 3000, 400);
});
afterAll(() => db?.drop());

const fork = () => db.orm.em.fork();

/** Words and characters the library's texts are made of, so drafts share some tokens with clauses and not others. */
const WORDS = [
  '屏幕',
  '电池',
  '压缩机',
  '星驰',
  '澜图',
  '手机',
  '冰箱',
  '洗衣机',
  '上门',
  '维修',
  '延保',
  '全面',
  'screen',
  'battery',
  'compressor',
  'Xingchi',
  'Lantu',
  'phone',
  'refrigerator',
  'repair',
  'warranty',
  'year',
  'care',
  'X5',
  '256G',
];

const draftArbitrary: fc.Arbitrary<DraftProfile> = fc.record({
  category: fc.constantFrom(...PRODUCT_CATEGORIES),
  retailPriceFen: fc.integer({ min: 5_000, max: 5_000_000 }),
  termMonths: fc.integer({ min: 6, max: 72 }),
  priceFen: fc.integer({ min: 1_000, max: 500_000 }),
  coverageTypes: fc.subarray([...BENEFIT_COVERAGE_TYPES], { minLength: 1 }),
  coverageStartRule: fc.constant({ kind: 'after_base_warranty' as const }),
  text: fc
    .array(
      fc.tuple(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 })), fc.constantFrom(' ', '')),
      {
        maxLength: 12,
      },
    )
    .map((parts) => parts.map(([word, separator]) => word + separator).join('')),
});

describe('matchDraft', () => {
  it('suggests exactly what scoring the whole category in memory suggests', async () => {
    let narrowedReads = 0;
    for (const draft of makeDrafts(25)) {
      const em = fork();
      // A group read filtered by tokens twice: rare tokens first, then its other clauses narrowed
      // to those holding enough common tokens (params: the draft's tokens, the group's tiers, …).
      const execute = em.execute.bind(em);
      const filteredGroups: string[] = [];
      em.execute = ((sql: string, params?: unknown[]) => {
        if (sql.includes('::tsquery')) filteredGroups.push(String(params?.[1]));
        return execute(sql, params);
      }) as typeof em.execute;
      expect(await matchDraft(em, draft), draft.text).toEqual(await matchInMemory(fork(), draft));
      if (new Set(filteredGroups).size < filteredGroups.length) narrowedReads++;
    }
    // The library's statistics (analyzed when it was grown) make both paths happen.
    expect(narrowedReads).toBeGreaterThan(0);
  });

  it('agrees with the in-memory reference for any draft, even without table statistics', async () => {
    await fc.assert(
      fc.asyncProperty(draftArbitrary, async (draft) => {
        expect(await matchDraft(fork(), draft)).toEqual(await matchInMemory(fork(), draft));
      }),
      { numRuns: 30 },
    );
    // Without statistics every token counts as rare: a different path, the same answers. A new
    // process (here a new ORM) reads the statistics afresh; the first keeps them for a minute.
    await fork().execute('alter statistics clause_match_category_stats set statistics 0');
    await fork().execute('analyze clause');
    const withoutStatistics = await openOrm(db.url, { pool: { min: 0, max: 2 } });
    try {
      await fc.assert(
        fc.asyncProperty(draftArbitrary, async (draft) => {
          expect(await matchDraft(withoutStatistics.em.fork(), draft)).toEqual(
            await matchInMemory(fork(), draft),
          );
        }),
        { numRuns: 15 },
      );
    } finally {
      await withoutStatistics.close();
      await fork().execute('alter statistics clause_match_category_stats set statistics -1');
      await fork().execute('analyze clause');
    }
  });

  it('ranks a clause whose text changed by its new text, and never a retired one', async () => {
    const [target] = await fork().execute<{ id: string; key: string; coverage_type: string }[]>(
      `select id, key, coverage_type from clause
        where status = 'active' and categories = '{refrigerator}' and coverage_type = 'parts_labour' limit 1`,
    );
    if (!target) throw new Error('the grown library has no refrigerator parts clause');
    const draft: DraftProfile = {
      category: 'refrigerator',
      retailPriceFen: 459_900,
      termMonths: 36,
      priceFen: 39_900,
      coverageTypes: ['parts_labour'],
      coverageStartRule: { kind: 'after_base_warranty' },
      text: '霜降蓝鲸 Frostwhale quasarcooling',
    };
    // Words no clause holds yet: only the edited clause matches the draft's text.
    await fork().execute(
      `update clause set body_en = body_en || ' Frostwhale quasarcooling 霜降蓝鲸' where id = ?`,
      [target.id],
    );
    const edited = await matchDraft(fork(), draft);
    const suggested = edited.clauses.find((c) => c.key === target.key);
    expect(suggested?.reasons).toContainEqual({ code: 'matching:textMatches', params: { n: 100 } });
    expect(
      edited.clauses.filter((c) => c.reasons.some((r) => r.code === 'matching:textMatches')),
    ).toHaveLength(1);
    expect(edited).toEqual(await matchInMemory(fork(), draft));

    await fork().execute(`update clause set status = 'retired' where id = ?`, [target.id]);
    const retired = await matchDraft(fork(), draft);
    expect(retired.clauses.map((c) => c.key)).not.toContain(target.key);
    expect(retired).toEqual(await matchInMemory(fork(), draft));
  });

  it('suggests only clauses of the category, wanted or standard terms first', async () => {
    const [draft] = makeDrafts(1) as [DraftProfile];
    const result = await matchDraft(fork(), draft);
    expect(result.clauses).toHaveLength(40);
    const keys = result.clauses.map((c) => c.key);
    const rows = await fork().execute<{ key: string; categories: string[]; status: string }[]>(
      'select key, categories, status from clause where key = any(array(select jsonb_array_elements_text(?::jsonb)))',
      [JSON.stringify(keys)],
    );
    for (const row of rows) {
      expect(row.categories).toContain(draft.category);
      expect(row.status).toBe('active');
    }
    expect([
      ...draft.coverageTypes,
      'exclusions',
      'claim_procedure',
      'cancellation_refund',
      'general_terms',
    ]).toContain(result.clauses[0]?.coverageType);
  });
});

describe('clause_match_tokens', () => {
  /** Mixed text: ASCII letters in both cases, digits, punctuation, spaces, Chinese characters and others. */
  const mixedText = fc
    .array(
      fc.oneof(
        fc.constantFrom(...WORDS),
        fc.stringMatching(/^[A-Za-z]{1,8}$/),
        fc.stringMatching(/^[\u4e00-\u4e2f\u3400-\u3405\u9ff0-\u9fff]{1,5}$/),
        fc.constantFrom(' ', '，', '。', '-', '2', 'é', 'ß', '\n', 'Ω', '𠀀', 'ａ'),
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join(''));

  it('holds the same tokens as tokenize', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mixedText, { minLength: 1, maxLength: 20 }), async (texts) => {
        const rows = await fork().execute<{ tokens: string[] }[]>(
          'select clause_match_tokens(doc) as tokens from jsonb_array_elements_text(?::jsonb) with ordinality as t(doc, n) order by n',
          [JSON.stringify(texts)],
        );
        texts.forEach((text, i) => {
          expect([...(rows[i]?.tokens ?? [])].sort(), text).toEqual([...tokenize(text)].sort());
        });
      }),
      { numRuns: 50 },
    );
  });
});
