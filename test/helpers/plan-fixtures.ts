/** Builders for the manufacturer side, through the real HTTP API. */
import { expect } from 'vitest';
import type { CoverageType } from '../../src/domain/catalog.ts';
import type { MatchingResult } from '../../src/domain/plan-draft.ts';
import type { ApiSession } from './api-session.ts';

export const PHONE_PRODUCT = {
  brand: '星河',
  name: '星河 X5 智能手机',
  model: 'XH-X5-256',
  category: 'smartphone',
  retailPriceFen: 299_900,
  baseWarrantyMonths: 12,
  launchDate: '2026-03-01',
  serialPattern: '^XH[0-9]{10}$',
};

export const PHONE_DRAFT = {
  nameZh: '星河手机两年全面保障',
  nameEn: 'Xinghe Phone 2-Year Complete Care',
  termMonths: 24,
  coverageStartRule: { kind: 'after_base_warranty' },
  priceFen: 29_900,
  purchaseWindowDays: 90,
  coverageTypes: ['parts_labour', 'screen', 'battery'] as CoverageType[],
};

export async function createProduct(session: ApiSession, overrides: Record<string, unknown> = {}) {
  const response = await session.request('POST', '/api/v1/products', { ...PHONE_PRODUCT, ...overrides });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
}

export async function createDraft(
  session: ApiSession,
  productId: string,
  overrides: Record<string, unknown> = {},
) {
  const response = await session.request('POST', '/api/v1/plan-drafts', {
    productId,
    ...PHONE_DRAFT,
    ...overrides,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; workflowId: string };
}

/** Adds a user to the session's manufacturer and returns its logged-in session. */
export async function addUser(admin: ApiSession, roles: string[], makeSession: () => ApiSession) {
  const email = `${roles.join('-')}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = 'another long passphrase';
  const created = await admin.request('POST', '/api/v1/manufacturer/users', {
    displayName: roles.join('/'),
    email,
    password,
    roles,
  });
  expect(created.statusCode, created.body).toBe(201);
  const session = makeSession();
  expect((await session.login(email, password)).statusCode).toBe(200);
  return { session, id: created.json().id as string, email };
}

/** Waits until the draft's workflow reaches a stage (polls the API, which queries the workflow). */
export async function waitForStage(session: ApiSession, draftId: string, stage: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await session.request('GET', `/api/v1/plan-drafts/${draftId}`);
    const body = response.json();
    if (body.workflow?.stage === stage)
      return body as { suggestions: MatchingResult; workflow: { stage: string } };
    if (Date.now() > deadline)
      throw new Error(`draft ${draftId} stuck at ${body.workflow?.stage}, wanted ${stage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The best suggested clause for every coverage type the plan needs. */
export function pickSelection(suggestions: MatchingResult, wanted: readonly CoverageType[]): string[] {
  const needed = new Set<CoverageType>([...wanted, 'exclusions', 'claim_procedure', 'cancellation_refund']);
  const picked: string[] = [];
  for (const type of needed) {
    const best = suggestions.clauses.find((c) => c.coverageType === type);
    if (!best) throw new Error(`no suggestion of type ${type}`);
    picked.push(best.clauseId);
  }
  return picked;
}
