/**
 * The clause library: its search (the library's list and the admin's), and
 * its curation by the platform admin, where every change is a new version
 * stored with who made it; published plans keep the text they froze.
 */
import { randomUUID } from 'node:crypto';
import { type FilterQuery, type ObjectQuery, raw } from '@mikro-orm/core';
import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../db/unique-constraints.ts';
import type { ProductCategory } from '../domain/catalog.ts';
import type { CLAUSE_STATUSES } from '../domain/entities/clause.entity.ts';
import { Clause, ClauseRevision, User } from '../domain/entities/index.ts';
import { conflict, errorMessage, fieldProblem, notFound } from '../domain/errors.ts';
import { tokenize } from '../domain/matching.ts';

/**
 * The columns a clause's text search reads, in the order they are tried: a text without Chinese
 * is most likely in the English ones, and a match there saves reading the Chinese.
 */
const textColumns = (q: string) =>
  /[\u3400-\u9fff]/.test(q)
    ? (['titleZh', 'bodyZh', 'titleEn', 'bodyEn'] as const)
    : (['titleEn', 'bodyEn', 'titleZh', 'bodyZh'] as const);

/**
 * `q` as a case-insensitive substring of a clause's titles or bodies (or of its key, for the
 * admin), matched as typed: LIKE wildcards in it are escaped. Where an index can narrow the
 * candidates first, the filter says so (`indexed`): a single letter or character has neither a
 * trigram nor a bigram, and is in most clauses anyway.
 */
function textFilter(q: string, alsoKey: boolean): { where: ObjectQuery<Clause>; indexed: boolean } {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const inColumns = (columns: ReturnType<typeof textColumns> | readonly ['key']) => ({
    $or: columns.map((column) => ({ [column]: { $ilike: pattern } })),
  });
  const narrowing: ObjectQuery<Clause>[] = [];
  // clause_search_index holds the trigrams of the titles and bodies as one text: a clause holding
  // q in one of them holds q's trigrams (three letters or digits in a row).
  if (/[\p{L}\p{N}]{3}/u.test(q))
    narrowing.push({
      [raw(
        (alias) =>
          `clause_search_text(${alias}.title_zh, ${alias}.title_en, ${alias}.body_zh, ${alias}.body_en) like lower(?)`,
        [pattern],
      )]: [],
    });
  // Two Chinese characters have no trigram, but a clause holding them holds them as one of its
  // bigram tokens (match_lexemes), which clause_match_index finds among the active clauses.
  const bigrams = [...tokenize(q)].filter((token) => /^[\u3400-\u9fff]{2}$/.test(token));
  if (bigrams.length > 0)
    narrowing.push({
      [raw(
        (alias) => `${alias}.match_lexemes @@ ?::tsquery`,
        [bigrams.map((bigram) => `'${bigram}'`).join(' & ')],
      )]: [],
    });
  const inText = { $and: [...narrowing, inColumns(textColumns(q))] };
  return {
    where: alsoKey ? { $or: [inColumns(['key']), inText] } : inText,
    indexed: narrowing.length > 0,
  };
}

export interface ClauseListQuery {
  category?: ProductCategory | undefined;
  coverageType?: Clause['coverageType'] | undefined;
  ids?: string[] | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * A page of a clause list (the library's and the admin's) in coverage-type and key order, and
 * how many there are: filtered by status, category, coverage type, `ids` and the text `q`.
 */
export function findClauses(
  em: EntityManager,
  query: ClauseListQuery,
  status: (typeof CLAUSE_STATUSES)[number] | undefined,
  { alsoKey }: { alsoKey: boolean },
) {
  const text = query.q ? textFilter(query.q, alsoKey) : null;
  const where: FilterQuery<Clause> = {
    ...(status ? { status } : {}),
    ...(query.category ? { categories: { $contains: [query.category] } } : {}),
    ...(query.coverageType ? { coverageType: query.coverageType } : {}),
    ...(query.ids ? { id: { $in: query.ids } } : {}),
    ...text?.where,
  };
  // With an indexed text, the matches come from the search indexes and are sorted after. Walking
  // the coverage-type index in order instead, as PostgreSQL would (it expects matches everywhere),
  // reads half the library when they sit in one late coverage type: `|| ''` keeps it off that path.
  const coverageTypeOrder = text?.indexed ? raw((alias) => `${alias}.coverage_type || ''`) : 'coverageType';
  return em.findAndCount(Clause, where, {
    orderBy: { [coverageTypeOrder]: 'asc', key: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
}

const snapshot = (clause: Clause) => ({
  clause: clause.id,
  version: clause.version,
  coverageType: clause.coverageType,
  categories: [...clause.categories],
  titleZh: clause.titleZh,
  titleEn: clause.titleEn,
  bodyZh: clause.bodyZh,
  bodyEn: clause.bodyEn,
  status: clause.status,
});

/**
 * Changes a clause as one new version: the row is locked, the version the
 * admin edited must still be the current one, a seeded clause's first version
 * is stored before it is superseded, and the new version is stored with who made it.
 */
async function reviseClause(
  em: EntityManager,
  id: string,
  editedBy: string,
  expectedVersion: number | null,
  change: (clause: Clause) => boolean,
): Promise<Clause> {
  return em.transactional(async (tx) => {
    const clause = await tx.findOne(Clause, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!clause) throw notFound('clause');
    if (expectedVersion !== null && clause.version !== expectedVersion)
      throw conflict(errorMessage('clauseVersion', { version: clause.version }), [
        fieldProblem('version', 'staleVersion', { expected: expectedVersion, actual: clause.version }),
      ]);
    const before = snapshot(clause);
    const since = clause.updatedAt;
    if (!change(clause)) return clause;
    // Stored late, the seeded version keeps the time it was last written.
    if (!(await tx.count(ClauseRevision, { clause: clause.id, version: before.version })))
      tx.create(ClauseRevision, { ...before, editedBy: null, createdAt: since, updatedAt: since });
    clause.version = before.version + 1;
    tx.create(ClauseRevision, { ...snapshot(clause), editedBy });
    return clause;
  });
}

/** A clause's text as the admin writes it. */
export interface ClauseText {
  coverageType: Clause['coverageType'];
  categories: ProductCategory[];
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

/** Adds a clause to the library as version 1, stored with who added it; a taken key is a 409. */
export async function addClause(em: EntityManager, form: ClauseText & { key: string }, editedBy: string) {
  const keyTaken = conflict(errorMessage('clauseKeyTaken'), [fieldProblem('key', 'keyInLibrary')]);
  if (await em.count(Clause, { key: form.key })) throw keyTaken;
  const clause = em.create(Clause, { id: randomUUID(), ...form, version: 1, status: 'active' });
  em.create(ClauseRevision, { ...snapshot(clause), editedBy });
  await flushRefusingDuplicates(em, { [UNIQUE_CONSTRAINTS.clauseKey]: keyTaken });
  return clause;
}

/** Edits the text of `version` (409 when it is no longer current); the same text again changes nothing. */
export function editClause(
  em: EntityManager,
  id: string,
  editedBy: string,
  version: number,
  next: ClauseText,
) {
  return reviseClause(em, id, editedBy, version, (c) => {
    const same =
      c.coverageType === next.coverageType &&
      c.titleZh === next.titleZh &&
      c.titleEn === next.titleEn &&
      c.bodyZh === next.bodyZh &&
      c.bodyEn === next.bodyEn &&
      c.categories.length === next.categories.length &&
      c.categories.every((category) => next.categories.includes(category));
    if (same) return false;
    Object.assign(c, next, { categories: [...next.categories] });
    return true;
  });
}

/** Retires or restores a clause as a new version; a clause already so is a 409. */
export function setClauseStatus(
  em: EntityManager,
  id: string,
  editedBy: string,
  status: (typeof CLAUSE_STATUSES)[number],
) {
  return reviseClause(em, id, editedBy, null, (c) => {
    if (c.status === status) throw conflict(errorMessage('clauseAlready', { status }));
    c.status = status;
    return true;
  });
}

/** A clause's versions, newest first, with who made each; a seeded version never edited is shown unstored. */
export async function clauseRevisions(em: EntityManager, id: string) {
  const clause = await em.findOne(Clause, { id });
  if (!clause) throw notFound('clause');
  const revisions = await em.find(ClauseRevision, { clause: clause.id }, { orderBy: { version: 'desc' } });
  const editorIds = revisions.map((r) => r.editedBy).filter((editor): editor is string => editor !== null);
  const editors = new Map(
    (editorIds.length ? await em.find(User, { id: { $in: editorIds } }) : []).map((u) => [
      u.id,
      u.displayName,
    ]),
  );
  const views = revisions.map((r) => ({
    version: r.version,
    status: r.status,
    coverageType: r.coverageType,
    categories: r.categories,
    titleZh: r.titleZh,
    titleEn: r.titleEn,
    bodyZh: r.bodyZh,
    bodyEn: r.bodyEn,
    editedBy: r.editedBy ? { id: r.editedBy, displayName: editors.get(r.editedBy) ?? r.editedBy } : null,
    at: r.createdAt.toISOString(),
    stored: true,
  }));
  // A seeded clause nobody edited has no stored revision yet: its current text is version 1.
  if (!revisions.some((r) => r.version === clause.version))
    views.unshift({
      ...snapshot(clause),
      editedBy: null,
      at: clause.createdAt.toISOString(),
      stored: false,
    });
  return views;
}
