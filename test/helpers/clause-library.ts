/**
 * A large clause library and realistic drafts for clause matching, shared by
 * bench/clause-matching.ts (100,000 clauses, 10,000 plans) and
 * test/workflows/clause-matching.test.ts (a few thousand).
 *
 * Each generated clause is a variant of one of the seeded clauses (bilingual
 * title and body), retitled for a brand and product line, with one or two
 * extra bilingual sentences out of a pool; 60 % are narrowed to one of the
 * base clause's categories, 20 % to two, 20 % keep them all; 3 % are retired.
 * Each plan: a category (phones most common), a brand, a retail price
 * log-spread around the category's typical price, a term of 1 to 5 years, a
 * price of 4–15 % of retail, parts and labour plus each other benefit with
 * probability 0.3, and ten clauses of its category. Everything is
 * pseudo-random from fixed seeds, so every run builds the same library.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  BENEFIT_COVERAGE_TYPES,
  type CoverageType,
  PRODUCT_CATEGORIES,
  type ProductCategory,
} from '../../src/domain/catalog.ts';
import type { DraftProfile } from '../../src/domain/matching.ts';

// ——— vocabulary shared by the generated library and the drafts ———

const BRANDS: [zh: string, en: string][] = [
  ['星驰', 'Xingchi'],
  ['澜图', 'Lantu'],
  ['云岫', 'Yunxiu'],
  ['衡石', 'Hengshi'],
  ['锦屏', 'Jinping'],
  ['北辰', 'Beichen'],
  ['青禾', 'Qinghe'],
  ['远帆', 'Yuanfan'],
  ['知音', 'Zhiyin'],
  ['华曜', 'Huayao'],
  ['松果', 'Songguo'],
  ['海岚', 'Hailan'],
  ['朗逸', 'Langyi'],
  ['明川', 'Mingchuan'],
  ['禾风', 'Hefeng'],
  ['晨曦', 'Chenxi'],
];

const PRODUCTS: Record<ProductCategory, { zh: string; en: string; retailFen: number; weight: number }> = {
  smartphone: { zh: '智能手机', en: 'smartphone', retailFen: 299_900, weight: 5 },
  laptop: { zh: '笔记本电脑', en: 'laptop', retailFen: 599_900, weight: 3 },
  tablet: { zh: '平板电脑', en: 'tablet', retailFen: 259_900, weight: 2 },
  tv: { zh: '智能电视', en: 'smart TV', retailFen: 399_900, weight: 2 },
  refrigerator: { zh: '冰箱', en: 'refrigerator', retailFen: 459_900, weight: 2 },
  washing_machine: { zh: '洗衣机', en: 'washing machine', retailFen: 329_900, weight: 2 },
  air_conditioner: { zh: '空调', en: 'air conditioner', retailFen: 369_900, weight: 2 },
  small_kitchen_appliance: { zh: '厨房小电', en: 'kitchen appliance', retailFen: 59_900, weight: 2 },
};

const EXTRA_SENTENCES: [zh: string, en: string][] = [
  ['本条款仅适用于在中国大陆销售的产品。', 'This clause applies only to products sold in mainland China.'],
  ['服务网点以官方网站公布的名单为准。', 'Service centres are those listed on the official website.'],
  ['维修周期一般不超过七个工作日。', 'A repair normally takes no more than seven working days.'],
  ['更换的零部件享有九十天质保。', 'Replaced parts carry a ninety-day warranty.'],
  ['请保留购买凭证以便核验。', 'Keep your proof of purchase so that it can be verified.'],
  ['偏远地区的上门服务可能另行预约。', 'On-site visits to remote areas may need a separate appointment.'],
  ['服务热线每天八点至二十点提供咨询。', 'The service hotline answers every day from 8:00 to 20:00.'],
  ['电池容量低于百分之八十时可申请更换。', 'A battery below eighty percent capacity may be replaced.'],
  ['屏幕碎裂需提供完整的故障照片。', 'A cracked screen needs complete photos of the damage.'],
  ['进液损坏以检测报告为准。', 'Liquid damage is assessed on the inspection report.'],
  ['压缩机与制冷系统享受延长保修。', 'The compressor and sealed cooling system have an extended warranty.'],
  ['电机与主板故障免费维修。', 'Motor and mainboard failures are repaired free of charge.'],
  [
    '换新产品为同型号或性能不低于原产品的型号。',
    'A replacement is the same model or one performing at least as well.',
  ],
  ['人为损坏不在本条款保障范围内。', 'Damage caused deliberately is not covered by this clause.'],
  ['退保时按剩余天数比例退还费用。', 'On cancellation the fee is refunded in proportion to the days left.'],
  ['所有维修记录可在订单页面查询。', 'Every repair is listed on the order page.'],
];

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;
const sqlArray = (items: string[]) => `array[${items.map(sqlText).join(', ')}]`;
/** A category's value out of a per-category table, as SQL. */
const byCategory = (category: string, value: (c: ProductCategory) => string | number) =>
  `(jsonb_build_object(${PRODUCT_CATEGORIES.map((c) => `${sqlText(c)}, ${typeof value(c) === 'number' ? value(c) : sqlText(String(value(c)))}`).join(', ')}) ->> ${category})`;
/** A pseudo-random number in [0, 1) from an integer SQL expression: reproducible run to run. */
const rand = (seed: string) => `((hashint8((${seed})::bigint) & 2147483647) / 2147483648.0)`;
const pick = (items: string[], seed: string) =>
  `(${sqlArray(items)})[1 + floor(${rand(seed)} * ${items.length})::int]`;

/** Runs SQL on one connection inside a transaction (temporary tables live there). */
async function inTransaction(orm: MikroORM, statements: string[]): Promise<void> {
  await orm.em.fork().transactional(async (tx) => {
    for (const text of statements) await tx.execute(text);
  });
}

/** Grows the seeded library to `clauses` more clauses and `plans` published plans. */
export async function growClauseLibrary(orm: MikroORM, clauses: number, plans: number): Promise<void> {
  const categoryByWeight = PRODUCT_CATEGORIES.flatMap((c) => Array<string>(PRODUCTS[c].weight).fill(c));
  const extraZh = (seed: string) =>
    pick(
      EXTRA_SENTENCES.map(([zh]) => zh),
      seed,
    );
  const extraEn = (seed: string) =>
    pick(
      EXTRA_SENTENCES.map(([, en]) => en),
      seed,
    );
  await inTransaction(orm, [
    `create temp table base on commit drop as
       select row_number() over (order by key) - 1 as n, * from clause`,
    `insert into clause (id, created_at, updated_at, key, coverage_type, categories,
                         title_zh, title_en, body_zh, body_en, version, status)
     select gen_random_uuid(), now(), now(), left('bench-' || g || '-' || b.key, 100), b.coverage_type, v.cats,
            left(v.brand_zh || ${byCategory('v.cats[1]', (c) => PRODUCTS[c].zh)} || b.title_zh, 100),
            left(v.brand_en || ' ' || ${byCategory('v.cats[1]', (c) => PRODUCTS[c].en)} || ': ' || b.title_en, 200),
            b.body_zh || ${extraZh('g * 4 + 1')} || case when g % 3 = 0 then ${extraZh('g * 4 + 2')} else '' end,
            b.body_en || ' ' || ${extraEn('g * 4 + 1')}
              || case when g % 3 = 0 then ' ' || ${extraEn('g * 4 + 2')} else '' end,
            1, case when ${rand('g * 4 + 3')} < 0.03 then 'retired' else 'active' end
       from generate_series(1, ${clauses}) as g
       join base b on b.n = g % (select count(*) from base)
       cross join lateral (select
         case when g % 10 < 6 then array[b.categories[1 + (g / 10) % cardinality(b.categories)]]
              when g % 10 < 8 and cardinality(b.categories) > 1 then array[
                b.categories[1 + (g / 10) % cardinality(b.categories)],
                b.categories[1 + (g / 10 + 1) % cardinality(b.categories)]]
              else b.categories end as cats,
         (${sqlArray(BRANDS.map(([zh]) => zh))})[1 + (g / 13) % ${BRANDS.length}] as brand_zh,
         (${sqlArray(BRANDS.map(([, en]) => en))})[1 + (g / 13) % ${BRANDS.length}] as brand_en) as v`,
    // Every active clause of each category, numbered, to hand plans ten clauses of their category.
    `create temp table category_clause on commit drop as
       select category, row_number() over (partition by category order by id) as n, id
         from clause, unnest(categories) as category where status = 'active'`,
    'create index on category_clause (category, n)',
    `create temp table category_size on commit drop as
       select category, count(*) as size from category_clause group by category`,
    'analyze category_clause',
    `insert into plan_case (id, created_at, updated_at, key, source, category, manufacturer_name, brand,
                            product_name, model, retail_price_fen, plan_name_zh, plan_name_en, term_months,
                            price_fen, coverage_start_rule, coverage_types, clause_ids)
     select gen_random_uuid(), now(), now(), 'bench-plan-' || g, 'published', p.category,
            p.brand_zh || '科技有限公司 (' || p.brand_en || ' Technology Co., Ltd.)', p.brand_en,
            p.brand_zh || p.product_zh, upper(left(p.brand_en, 2)) || '-' || g, p.retail,
            left(p.brand_zh || p.product_zh || p.years || '年延保', 100),
            left(p.brand_en || ' ' || p.product_en || ' ' || p.years || '-Year Extended Care', 200),
            12 * p.years, round(p.retail * (0.04 + 0.11 * ${rand('g * 16 + 1')})), '{"kind": "after_base_warranty"}',
            array['parts_labour'] || array(
              select t from unnest(${sqlArray(BENEFIT_COVERAGE_TYPES.filter((t) => t !== 'parts_labour'))})
                with ordinality as u(t, i) where ${rand('g * 16 + 2 + i')} < 0.3),
            array(select cc.id::text from generate_series(1, 10) as j
                    join category_clause cc on cc.category = p.category
                     and cc.n = 1 + floor(${rand('g * 16 + 5 + j')} * s.size)::int)
       from generate_series(1, ${plans}) as g
       cross join lateral (select
         ${pick(categoryByWeight, 'g * 16')} as category,
         (${sqlArray(BRANDS.map(([zh]) => zh))})[1 + g % ${BRANDS.length}] as brand_zh,
         (${sqlArray(BRANDS.map(([, en]) => en))})[1 + g % ${BRANDS.length}] as brand_en,
         1 + floor(5 * ${rand('g * 16 + 3')})::int as years) as q
       cross join lateral (select q.*,
         ${byCategory('q.category', (c) => PRODUCTS[c].zh)} as product_zh,
         ${byCategory('q.category', (c) => PRODUCTS[c].en)} as product_en,
         round(${byCategory('q.category', (c) => PRODUCTS[c].retailFen)}::int
               * exp((${rand('g * 16 + 4')} - 0.5) * 2.2))::int as retail) as p
       join category_size s on s.category = p.category`,
  ]);
  // Statistics and the visibility map, as autovacuum would leave them.
  await orm.em.fork().execute('vacuum analyze clause');
  await orm.em.fork().execute('vacuum analyze plan_case');
}

/** A small seeded PRNG (mulberry32), so every run times the same drafts. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLAN_WORDS: [zh: string, en: string][] = [
  ['全面保障', 'Complete Care'],
  ['延长保修', 'Extended Warranty'],
  ['意外保', 'Accident Protection'],
  ['安心换新', 'Worry-free Replacement'],
  ['屏幕电池保', 'Screen and Battery Cover'],
  ['上门维修', 'On-site Repair'],
];

/** Drafts as editors write them: a brand's product, a plan name in both languages, the risks covered. */
export function makeDrafts(count: number): DraftProfile[] {
  const random = prng(20_261_125);
  const choose = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const weighted = PRODUCT_CATEGORIES.flatMap((c) => Array<ProductCategory>(PRODUCTS[c].weight).fill(c));
  return Array.from({ length: count }, () => {
    const category = choose(weighted);
    const product = PRODUCTS[category];
    const [brandZh, brandEn] = choose(BRANDS);
    const [wordZh, wordEn] = choose(PLAN_WORDS);
    const years = 1 + Math.floor(random() * 4);
    const retailPriceFen = Math.round(product.retailFen * Math.exp((random() - 0.5) * 2));
    const coverageTypes: CoverageType[] = BENEFIT_COVERAGE_TYPES.filter(
      (t) => t === 'parts_labour' || random() < 0.3,
    );
    const model = `${brandEn.slice(0, 2).toUpperCase()}${Math.floor(random() * 90) + 10}`;
    return {
      category,
      retailPriceFen,
      termMonths: 12 * years,
      priceFen: Math.round(retailPriceFen * (0.05 + random() * 0.08)),
      coverageTypes,
      coverageStartRule: { kind: 'after_base_warranty' },
      // What the activity matches on: plan names, product name and brand.
      text: `${brandZh}${product.zh}${years}年${wordZh} ${brandEn} ${years}-Year ${wordEn} ${model} ${product.zh} ${brandEn}`,
    };
  });
}
