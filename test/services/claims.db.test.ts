/**
 * The claims service on PostgreSQL without Temporal: claim numbers, filing a
 * claim up to the workflow start (every refusal, the same form sent again, and
 * the compensating delete when the workflow cannot start), the desk's lookups,
 * queue and detail, and the decision's own validation.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { CoverageType } from '../../src/domain/catalog.ts';
import { CLAIM_NUMBER_PATTERN } from '../../src/domain/claim-rules.ts';
import { addDays, chinaDate } from '../../src/domain/coverage.ts';
import { Claim, ClaimPhoto, type Order } from '../../src/domain/entities/index.ts';
import { fieldProblem } from '../../src/domain/errors.ts';
import { orderAccessToken } from '../../src/domain/order-links.ts';
import { claimFingerprint } from '../../src/domain/request-fingerprint.ts';
import { translate } from '../../src/i18n/catalogue.ts';
import { consumerClaimView, deskDetail, deskQueue, photosOf } from '../../src/services/claim-view.ts';
import {
  approvedRepairFen,
  type ClaimForm,
  type ClaimUpload,
  claimNumberFor,
  consumerClaim,
  decideClaim,
  deskClaim,
  fileClaim,
  newClaimKey,
} from '../../src/services/claims.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { inEnglish, refusal } from '../helpers/messages.ts';
import { activeOrderRow, planRows } from '../helpers/order-rows.ts';

/** This tier has no Temporal: every use of the client fails, as with an unreachable server. */
const temporalDown = new Proxy({} as Client, {
  get() {
    throw new Error('Temporal is unreachable');
  },
});

const config = loadConfig({ linkSecret: 'a-link-secret-for-the-claims-service-test' });
const SLA = config.claims;
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const NO_UPLOAD: ClaimUpload = { photos: [], extra: 0, problems: [] };
const png = (fileName = 'screen.png') => ({
  fileName,
  declaredType: 'image/png',
  bytes: PNG,
  truncated: false,
});

const form = (over: Partial<ClaimForm> = {}): ClaimForm => ({
  faultDescription: '屏幕有一条竖线',
  faultDate: chinaDate(new Date()),
  contactPhone: '13987654321',
  coverageType: 'screen',
  idempotencyKey: newClaimKey(),
  ...over,
});

let db: TestDatabase;
const em = () => db.orm.em.fork() as EntityManager;
/** A plan covering the screen, the coverage type the claims below are filed for. */
const SCREEN = { coverageTypes: ['screen', 'parts_labour'] as CoverageType[] };

beforeAll(async () => {
  db = await createTestDatabase(inject('templateDatabase'));
});
afterAll(async () => {
  await db?.drop();
});

/** A claim row as the workflow's activities leave it. */
async function claimRow(order: Order, over: Partial<Claim> = {}) {
  const e = em();
  const claimNumber = claimNumberFor(order.orderNumber, newClaimKey(), config.linkSecret);
  const claim = e.create(Claim, {
    id: randomUUID(),
    claimNumber,
    order: order.id,
    manufacturer: order.manufacturer,
    faultDescription: 'no picture',
    faultDate: chinaDate(new Date()),
    contactPhone: '+8613987654321',
    coverageType: 'screen',
    workflowId: `claim-${claimNumber}`,
    ...over,
  });
  await e.flush();
  return claim;
}

/** The order's claims, and all photos: what filing a claim writes. */
const written = async (order: Order) => ({
  claims: await em().count(Claim, { order: order.id }),
  photos: await em().count(ClaimPhoto, {}),
});

describe('claim numbers', () => {
  it('are one number per order and form key, unguessable without the secret', () => {
    const key = newClaimKey();
    const number = claimNumberFor('YB1', key, 's1');
    expect(number).toMatch(new RegExp(CLAIM_NUMBER_PATTERN));
    expect(claimNumberFor('YB1', key, 's1')).toBe(number);
    expect(claimNumberFor('YB2', key, 's1')).not.toBe(number);
    expect(claimNumberFor('YB1', newClaimKey(), 's1')).not.toBe(number);
    expect(claimNumberFor('YB1', key, 's2')).not.toBe(number);
  });

  it('takes form keys the API schema accepts', () => {
    expect(newClaimKey()).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  });
});

describe('fileClaim without its workflow', () => {
  const deps = () => ({ em: em(), client: temporalDown, config });

  it('refuses an order that is not active, writing nothing', async () => {
    const order = await activeOrderRow(em(), await planRows(em(), SCREEN), { status: 'cancelled' });
    const before = await written(order);
    const err = await refusal(fileClaim(deps(), order, form(), NO_UPLOAD, []));
    expect(err.status).toBe(409);
    expect(await written(order)).toEqual(before);
  });

  it('names every malformed field at once, with what the plan does not cover, writing nothing', async () => {
    const order = await activeOrderRow(em(), await planRows(em(), SCREEN));
    const before = await written(order);
    const notAnImage = { ...png('note.png'), bytes: Buffer.from('plain text') };
    const err = await refusal(
      fileClaim(
        deps(),
        order,
        form({ contactPhone: '12', coverageType: 'battery' }),
        { photos: [notAnImage], extra: 0, problems: [fieldProblem('body', 'tooManyParts')] },
        [fieldProblem('faultDescription', 'minLength', { limit: 1 })],
      ),
    );
    expect(err.status).toBe(400);
    expect(err.fields.map((f) => f.field).sort()).toEqual(
      ['body', 'contactPhone', 'coverageType', 'faultDescription', 'photos/0'].sort(),
    );
    expect(await written(order)).toEqual(before);
  });

  it('refuses a well-formed claim the plan does not cover with 422, naming the date and the type', async () => {
    const order = await activeOrderRow(em(), await planRows(em(), SCREEN));
    const before = await written(order);
    const err = await refusal(
      fileClaim(
        deps(),
        order,
        form({ coverageType: 'battery', faultDate: addDays(order.coverageStart as string, -1) }),
        NO_UPLOAD,
        [],
      ),
    );
    expect([err.status, err.code]).toEqual([422, 'claim_not_covered']);
    expect(err.fields.map((f) => f.field).sort()).toEqual(['coverageType', 'faultDate']);
    expect(await written(order)).toEqual(before);
  });

  it('answers the same form again with its claim, and a key reused with another form 422', async () => {
    const order = await activeOrderRow(em(), await planRows(em(), SCREEN));
    const sent = form();
    const fingerprint = claimFingerprint({
      faultDescription: sent.faultDescription,
      faultDate: sent.faultDate,
      contactPhone: '+8613987654321',
      coverageType: sent.coverageType,
      photos: [],
    });
    // Already accepted: its workflow runs, so nothing needs Temporal here.
    const filed = await claimRow(order, {
      claimNumber: claimNumberFor(order.orderNumber, sent.idempotencyKey, config.linkSecret),
      requestFingerprint: fingerprint,
      status: 'accepted',
    });
    const before = await written(order);
    expect((await fileClaim(deps(), order, sent, NO_UPLOAD, [])).id).toBe(filed.id);
    const err = await refusal(
      fileClaim(deps(), order, { ...sent, faultDescription: 'something else' }, NO_UPLOAD, []),
    );
    expect([err.status, err.code]).toEqual([422, 'idempotency_key_reused']);
    expect(await written(order)).toEqual(before);
  });

  it('takes the claim and its photos back when its workflow cannot start, so the consumer can retry', async () => {
    const order = await activeOrderRow(em(), await planRows(em(), SCREEN));
    const before = await written(order);
    await expect(
      fileClaim(deps(), order, form(), { photos: [png(), png('back.png')], extra: 0, problems: [] }, []),
    ).rejects.toThrow('Temporal is unreachable');
    expect(await written(order)).toEqual(before);
  });
});

describe('lookups', () => {
  it("opens a consumer's claim only with the order link's token, and only the order's own", async () => {
    const rows = await planRows(em(), SCREEN);
    const [order, other] = [await activeOrderRow(em(), rows), await activeOrderRow(em(), rows)];
    const claim = await claimRow(order);
    const token = orderAccessToken(order.orderNumber, config.linkSecret);
    const link = { orderNumber: order.orderNumber, claimNumber: claim.claimNumber, token };
    expect((await consumerClaim(em(), link, config.linkSecret)).claim.id).toBe(claim.id);
    expect(
      (await refusal(consumerClaim(em(), { ...link, token: 'x'.repeat(24) }, config.linkSecret))).code,
    ).toBe('not_found');
    const otherLink = {
      orderNumber: other.orderNumber,
      claimNumber: claim.claimNumber,
      token: orderAccessToken(other.orderNumber, config.linkSecret),
    };
    expect((await refusal(consumerClaim(em(), otherLink, config.linkSecret))).status).toBe(404);
  });

  it("gives the service desk its own manufacturer's claims and no other's", async () => {
    const [mine, theirs] = [await planRows(em(), SCREEN), await planRows(em(), SCREEN)];
    const claim = await claimRow(await activeOrderRow(em(), mine));
    expect((await deskClaim(em(), mine.manufacturerId, claim.claimNumber)).id).toBe(claim.id);
    expect((await refusal(deskClaim(em(), theirs.manufacturerId, claim.claimNumber))).status).toBe(404);
  });
});

describe('desk decisions', () => {
  it('refuse a rejection without a reason before anything is looked up', async () => {
    const err = await refusal(
      decideClaim({ em: em(), client: temporalDown, config }, 'no-such-maker', 'CLNOSUCHCLAIM0000', {
        decision: 'reject',
        reason: '   ',
        decidedBy: 'nobody',
      }),
    );
    expect(err.status).toBe(400);
    expect(inEnglish(err.fields)).toEqual([{ field: 'reason', message: 'say why the claim is rejected' }]);
  });

  it('refuse an action on a claim in another stage with 409, before the workflow is asked', async () => {
    const rows = await planRows(em(), SCREEN);
    const claim = await claimRow(await activeOrderRow(em(), rows), { status: 'accepted' });
    const err = await refusal(
      decideClaim({ em: em(), client: temporalDown, config }, rows.manufacturerId, claim.claimNumber, {
        decision: 'accept',
        reason: '',
        decidedBy: rows.userId,
      }),
    );
    expect([err.status, translate('en', err.detail)]).toEqual([409, 'the claim is accepted, not submitted']);
  });
});

describe('views', () => {
  it("lists the desk's queue: open claims oldest first, finished ones newest first, with photo counts", async () => {
    const rows = await planRows(em(), SCREEN);
    const order = await activeOrderRow(em(), rows);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const older = await claimRow(order, { createdAt: at(30) });
    const newer = await claimRow(order, { createdAt: at(10) });
    const closedOld = await claimRow(order, { status: 'closed', createdAt: at(50) });
    const closedNew = await claimRow(order, { status: 'closed', createdAt: at(20) });
    await claimRow(await activeOrderRow(em(), await planRows(em(), SCREEN)));
    const e = em();
    for (const name of ['a.png', 'b.png'])
      e.create(ClaimPhoto, {
        claim: newer.id,
        fileName: name,
        contentType: 'image/png',
        sizeBytes: 1,
        content: PNG,
      });
    await e.flush();

    const open = await deskQueue(em(), rows.manufacturerId, SLA, {
      status: 'submitted',
      limit: 10,
      offset: 0,
    });
    expect(open.total).toBe(2);
    expect(open.items.map((i) => [i.claimNumber, i.photoCount])).toEqual([
      [older.claimNumber, 0],
      [newer.claimNumber, 2],
    ]);
    expect(open.items[0]?.product).toBe(`星河 洗衣机 ${rows.productModel}`);
    const closed = await deskQueue(em(), rows.manufacturerId, SLA, {
      status: 'closed',
      limit: 10,
      offset: 0,
    });
    expect(closed.items.map((i) => i.claimNumber)).toEqual([closedNew.claimNumber, closedOld.claimNumber]);
    expect((await deskQueue(em(), rows.manufacturerId, SLA, { limit: 1, offset: 0 })).total).toBe(4);
  });

  it("shows the desk the claim cap from the order's approved repairs, without the workflow when Temporal cannot say", async () => {
    const rows = await planRows(em(), SCREEN);
    const order = await activeOrderRow(em(), rows);
    const claim = await claimRow(order, { status: 'repaired', repairCostFen: 50_000, outcome: 'repaired' });
    await claimRow(order, { status: 'closed', repairCostFen: 20_000, outcome: 'repaired' });
    await claimRow(order);
    expect(await approvedRepairFen(em(), order.id)).toBe(70_000);
    expect(await approvedRepairFen(em(), order.id, claim.id)).toBe(20_000);

    const detail = await deskDetail(
      {
        em: em(),
        client: temporalDown,
        config: { ...config, temporal: { ...config.temporal, webUiUrl: null } },
      },
      claim,
    );
    expect(detail.cap).toEqual({ retailPriceFen: 599_900, approvedFen: 70_000, remainingFen: 529_900 });
    expect(detail.workflow).toBeNull();
    // Manufacturer staff get the business timeline, never a way into the Temporal UI.
    expect(detail).not.toHaveProperty('temporalUiUrl');
    expect(detail.order.planNameEn).toBe('Two-year extension');
  });

  it("shows the consumer only the claim's own photos, each behind the order link's token", async () => {
    const order = await activeOrderRow(em(), await planRows(em(), SCREEN));
    const [claim, other] = [await claimRow(order), await claimRow(order)];
    const e = em();
    e.create(ClaimPhoto, {
      claim: claim.id,
      fileName: 'a.png',
      contentType: 'image/png',
      sizeBytes: 1,
      content: PNG,
    });
    e.create(ClaimPhoto, {
      claim: other.id,
      fileName: 'b.png',
      contentType: 'image/png',
      sizeBytes: 1,
      content: PNG,
    });
    await e.flush();
    const view = consumerClaimView(claim, order, await photosOf(em(), [claim.id, other.id]), 'a/b+c');
    expect(view.photos).toHaveLength(1);
    expect(view.photos[0]?.url).toBe(
      `/api/v1/public/orders/${order.orderNumber}/claims/${claim.claimNumber}/photos/${view.photos[0]?.id}?t=a%2Fb%2Bc`,
    );
  });
});
