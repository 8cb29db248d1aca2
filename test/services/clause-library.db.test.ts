/**
 * The clause library's curation on PostgreSQL, without HTTP or Temporal:
 * every change a new version stored with who made it, a seeded version stored
 * before it is superseded, stale edits and taken keys refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Clause, ClauseRevision, User } from '../../src/domain/entities/index.ts';
import {
  addClause,
  type ClauseText,
  clauseRevisions,
  editClause,
  findClauses,
  setClauseStatus,
} from '../../src/services/clause-library.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { inEnglish, refusal, said } from '../helpers/messages.ts';
import { createPlatformUser } from '../helpers/platform-staff.ts';

let db: TestDatabase;
let admin: { id: string; displayName: string };
const em = () => db.orm.em.fork();

const TEXT: ClauseText = {
  coverageType: 'screen',
  categories: ['smartphone'],
  titleZh: '屏幕意外损坏',
  titleEn: 'Accidental screen damage',
  bodyZh: '保障期内屏幕意外破裂，免费更换一次。',
  bodyEn: 'One free screen replacement for accidental cracks during cover.',
};
const newKey = () => `test-clause-${randomUUID().slice(0, 8)}`;

/** A seeded clause nobody has edited: no stored revision yet. */
async function seededClause() {
  const revised = (await em().find(ClauseRevision, {})).map((r) => r.clause);
  return em().findOneOrFail(Clause, { id: { $nin: revised }, status: 'active' }, { orderBy: { key: 'asc' } });
}

beforeAll(async () => {
  db = await createTestDatabase(inject('templateDatabase'));
  const { email } = await createPlatformUser(db.orm, 'platform_admin');
  const user = await em().findOneOrFail(User, { email });
  admin = { id: user.id, displayName: user.displayName };
});
afterAll(() => db?.drop());

describe('addClause', () => {
  it('adds version 1 with its revision, and refuses a taken key without storing anything', async () => {
    const key = newKey();
    const clause = await addClause(em(), { key, ...TEXT }, admin.id);
    expect(clause).toMatchObject({ key, version: 1, status: 'active', ...TEXT });
    const revisions = await em().find(ClauseRevision, { clause: clause.id });
    expect(revisions).toMatchObject([{ version: 1, editedBy: admin.id, titleEn: TEXT.titleEn }]);

    const taken = await refusal(addClause(em(), { key, ...TEXT, titleEn: 'Another' }, admin.id));
    expect(taken.detail).toEqual({ code: 'errors:clauseKeyTaken' });
    expect(said(taken)).toEqual({ status: 409, message: 'a clause with this key exists' });
    expect(inEnglish(taken.fields)).toEqual([{ field: 'key', message: 'is already in the library' }]);
    expect(await em().count(Clause, { key })).toBe(1);
    expect(await em().count(ClauseRevision, { clause: clause.id })).toBe(1);
  });
});

describe('editClause', () => {
  it('stores a seeded clause’s first version before the edit supersedes it, at the time it was written', async () => {
    const seeded = await seededClause();
    const edited = await editClause(em(), seeded.id, admin.id, seeded.version, {
      ...TEXT,
      coverageType: seeded.coverageType,
    });
    expect(edited.version).toBe(seeded.version + 1);
    const revisions = await em().find(ClauseRevision, { clause: seeded.id }, { orderBy: { version: 'asc' } });
    expect(revisions.map((r) => [r.version, r.editedBy, r.titleEn])).toEqual([
      [seeded.version, null, seeded.titleEn],
      [seeded.version + 1, admin.id, TEXT.titleEn],
    ]);
    expect(revisions[0]?.createdAt).toEqual(seeded.updatedAt);
  });

  it('refuses an edit of a version that is no longer current, and makes no version of the same text', async () => {
    const clause = await addClause(em(), { key: newKey(), ...TEXT }, admin.id);
    const stale = await refusal(editClause(em(), clause.id, admin.id, 2, { ...TEXT, titleEn: 'Later' }));
    expect(said(stale)).toEqual({
      status: 409,
      message: 'the clause is at version 1; reload it and edit again',
    });
    expect(stale.fields).toEqual([
      { field: 'version', code: 'errors:field.staleVersion', params: { expected: 2, actual: 1 } },
    ]);
    expect(inEnglish(stale.fields)).toEqual([{ field: 'version', message: 'is 2, the clause is at 1' }]);

    // The same text with its categories in another order is no change.
    const twoCategories = await editClause(em(), clause.id, admin.id, 1, {
      ...TEXT,
      categories: ['smartphone', 'tablet'],
    });
    expect(twoCategories.version).toBe(2);
    const same = await editClause(em(), clause.id, admin.id, 2, {
      ...TEXT,
      categories: ['tablet', 'smartphone'],
    });
    expect(same.version).toBe(2);
    expect(await em().count(ClauseRevision, { clause: clause.id })).toBe(2);
  });

  it('answers 404 for a clause that is not in the library', async () => {
    expect(said(await refusal(editClause(em(), randomUUID(), admin.id, 1, TEXT)))).toEqual({
      status: 404,
      message: 'clause not found',
    });
  });
});

describe('setClauseStatus', () => {
  it('retires and restores as new versions, refusing a clause already so', async () => {
    const clause = await addClause(em(), { key: newKey(), ...TEXT }, admin.id);
    expect(await setClauseStatus(em(), clause.id, admin.id, 'retired')).toMatchObject({
      version: 2,
      status: 'retired',
    });
    expect(said(await refusal(setClauseStatus(em(), clause.id, admin.id, 'retired')))).toEqual({
      status: 409,
      message: 'the clause is already retired',
    });
    expect(await setClauseStatus(em(), clause.id, admin.id, 'active')).toMatchObject({
      version: 3,
      status: 'active',
    });
    const revisions = await em().find(ClauseRevision, { clause: clause.id }, { orderBy: { version: 'asc' } });
    expect(revisions.map((r) => r.status)).toEqual(['active', 'retired', 'active']);
  });
});

describe('clauseRevisions', () => {
  it('shows a seeded clause nobody edited as its unstored first version', async () => {
    const seeded = await seededClause();
    expect(await clauseRevisions(em(), seeded.id)).toEqual([
      expect.objectContaining({
        version: seeded.version,
        titleEn: seeded.titleEn,
        editedBy: null,
        at: seeded.createdAt.toISOString(),
        stored: false,
      }),
    ]);
  });

  it('lists the versions newest first with the name of who made each', async () => {
    const clause = await addClause(em(), { key: newKey(), ...TEXT }, admin.id);
    await editClause(em(), clause.id, admin.id, 1, { ...TEXT, titleEn: 'Screen cover' });
    const revisions = await clauseRevisions(em(), clause.id);
    expect(revisions.map((r) => [r.version, r.titleEn, r.editedBy, r.stored])).toEqual([
      [2, 'Screen cover', admin, true],
      [1, TEXT.titleEn, admin, true],
    ]);
  });

  it('answers 404 for a clause that is not in the library', async () => {
    expect((await refusal(clauseRevisions(em(), randomUUID()))).status).toBe(404);
  });
});

describe('findClauses', () => {
  it('matches LIKE wildcards literally, and the key only where the admin asks for it', async () => {
    const key = newKey();
    await addClause(em(), { key, ...TEXT, titleEn: 'Cover of 100% of parts_and labour' }, admin.id);
    const page = { limit: 10, offset: 0 };
    const keys = async (q: string, alsoKey: boolean) =>
      (await findClauses(em(), { q, ...page }, undefined, { alsoKey }))[0].map((c) => c.key);
    expect(await keys('100%', false)).toEqual([key]);
    expect(await keys('100_', false)).toEqual([]);
    expect(await keys('parts_and', false)).toEqual([key]);
    expect(await keys('partsXand', false)).toEqual([]);
    expect(await keys(key, false)).toEqual([]);
    expect(await keys(key, true)).toEqual([key]);
  });
});
