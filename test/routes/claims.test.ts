/**
 * Repair requests through HTTP against real PostgreSQL and Temporal: every bad
 * field named with nothing written, photo type and size limits (by magic
 * bytes, not just the declared type), tenant isolation for the service desk,
 * the link token for consumers, and photos served only to those two.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '../../src/domain/coverage.ts';
import { Claim, ClaimPhoto, Order } from '../../src/domain/entities/index.ts';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { fieldWords } from '../helpers/messages.ts';
import { addUser } from '../helpers/plan-fixtures.ts';
import { activeOrder as paidOrder, publishedPlan } from '../helpers/purchase-fixtures.ts';

const day = (offset: number) => chinaDate(new Date(Date.now() + offset * 86_400_000));
const key = () => crypto.randomUUID().replaceAll('-', '');

/** A tiny valid PNG (1×1) and a JPEG header: enough for the magic-byte check. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 1)]);

interface Part {
  name: string;
  value?: string;
  file?: { filename: string; type: string; content: Buffer };
}

/** A multipart/form-data body, built by hand like a browser would send it. */
function multipart(parts: Part[]) {
  const boundary = `----yanbao${key()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head = part.file
      ? `Content-Disposition: form-data; name="${part.name}"; filename="${part.file.filename}"\r\nContent-Type: ${part.file.type}\r\n`
      : `Content-Disposition: form-data; name="${part.name}"\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n`));
    chunks.push(part.file ? part.file.content : Buffer.from(part.value ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const fields = (over: Record<string, string> = {}) => ({
  faultDescription: '屏幕有一条竖线',
  faultDate: day(0),
  contactPhone: '13987654321',
  coverageType: 'screen',
  idempotencyKey: key(),
  ...over,
});
const asParts = (values: Record<string, string>): Part[] =>
  Object.entries(values).map(([name, value]) => ({ name, value }));
const photo = (filename: string, content: Buffer, type = 'image/png'): Part => ({
  name: 'photos',
  file: { filename, type, content },
});

describe('repair requests API', () => {
  let h: Harness;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  let order: { orderNumber: string; token: string };
  let otherOrder: { orderNumber: string; token: string };
  let other: Awaited<ReturnType<typeof signUp>>;

  const activeOrder = (code: string) => paidOrder(h, code);

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    plan = await publishedPlan(h, { coverageStartRule: { kind: 'from_purchase' } });
    order = await activeOrder(plan.code);
    otherOrder = await activeOrder(plan.code);
    other = await signUp(h.app, 'Rival');
  });
  afterAll(() => h?.close());

  const url = (o: { orderNumber: string; token: string }, suffix = '') =>
    `/api/v1/public/orders/${o.orderNumber}/claims${suffix}?t=${o.token}`;
  // Filing is rate-limited per address: each request of this file comes from its own.
  let address = 0;
  const from = () => ({ remoteAddress: `10.0.${Math.floor(++address / 250)}.${address % 250}` });
  const file = (o: { orderNumber: string; token: string }, parts: Part[]) =>
    h.app.inject({ method: 'POST', url: url(o), ...multipart(parts), ...from() });
  const fileJson = (o: { orderNumber: string; token: string }, payload: object) =>
    h.app.inject({ method: 'POST', url: url(o), payload, ...from() });
  const counts = async () => {
    const em = h.db.orm.em.fork();
    return { claims: await em.count(Claim), photos: await em.count(ClaimPhoto) };
  };
  const fieldNames = (body: string) => (JSON.parse(body).fields ?? []).map((f: { field: string }) => f.field);

  it('files a claim with photos as multipart, once per form, and shows it to the token holder', async () => {
    const values = fields();
    const parts = [...asParts(values), photo('屏幕.png', PNG), photo('IMG_0001.JPG', JPEG, 'image/jpeg')];
    const filed = await file(order, parts);
    expect(filed.statusCode, filed.body).toBe(201);
    const { claimNumber, status, claimUrl } = filed.json();
    expect(status).toBe('submitted');
    expect(claimUrl).toBe(
      `${h.config.publicBaseUrl}/o/${order.orderNumber}/claims/${claimNumber}?t=${order.token}`,
    );
    // The same form sent again is the same claim.
    const again = await file(order, parts);
    expect(again.statusCode).toBe(201);
    expect(again.json().claimNumber).toBe(claimNumber);
    const em = h.db.orm.em.fork();
    const claim = await em.findOneOrFail(Claim, { claimNumber });
    expect(await em.count(Claim, { order: claim.order })).toBe(1);
    expect(claim).toMatchObject({
      contactPhone: '+8613987654321',
      coverageType: 'screen',
      faultDate: values.faultDate,
    });
    const photos = await em.find(ClaimPhoto, { claim: claim.id }, { orderBy: { fileName: 'asc' } });
    expect(photos.map((p) => [p.fileName, p.contentType, p.sizeBytes])).toEqual([
      ['IMG_0001.JPG', 'image/jpeg', JPEG.length],
      ['屏幕.png', 'image/png', PNG.length],
    ]);

    const list = await h.app.inject({ method: 'GET', url: url(order) });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    const detail = await h.app.inject({ method: 'GET', url: url(order, `/${claimNumber}`) });
    expect(detail.json()).toMatchObject({
      claimNumber,
      status: 'submitted',
      faultDescription: '屏幕有一条竖线',
    });
    const png = detail.json().photos.find((p: { contentType: string }) => p.contentType === 'image/png');
    const served = await h.app.inject({ method: 'GET', url: png.url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('private, no-store');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(PNG)).toBe(true);
  });

  it('files a claim as JSON too', async () => {
    const response = await fileJson(order, fields({ coverageType: 'battery' }));
    expect(response.statusCode, response.body).toBe(201);
  });

  it('answers the same key with a different claim 422 idempotency_key_reused, changing nothing', async () => {
    const first = fields();
    const filed = await fileJson(order, first);
    expect(filed.statusCode, filed.body).toBe(201);
    const { claimNumber } = filed.json();
    const stored = await h.db.orm.em.fork().findOneOrFail(Claim, { claimNumber });
    // The same form again, however it was spaced: the same claim.
    const again = await fileJson(order, { ...first, faultDescription: ` ${first.faultDescription} ` });
    expect(again.statusCode).toBe(201);
    expect(again.json().claimNumber).toBe(claimNumber);
    const before = await counts();
    const reused = [
      await fileJson(order, { ...first, faultDescription: '电池鼓包，无法充电' }),
      await fileJson(order, { ...first, faultDate: day(-1) }),
      await fileJson(order, { ...first, coverageType: 'battery' }),
      // A photo the first form did not carry makes it another request too.
      await file(order, [...asParts(first), photo('屏幕.png', PNG)]),
    ];
    for (const response of reused) {
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json()).toMatchObject({
        error: 'idempotency_key_reused',
        fields: [{ field: 'idempotencyKey', message: 'was already used with a different request' }],
      });
    }
    expect(await counts()).toEqual(before);
    expect(await h.db.orm.em.fork().findOneOrFail(Claim, { claimNumber })).toMatchObject({
      faultDescription: stored.faultDescription,
      faultDate: stored.faultDate,
      coverageType: stored.coverageType,
      updatedAt: stored.updatedAt,
    });
  });

  it('lets only one of two different claims sent at once under one key win', async () => {
    for (let round = 0; round < 3; round++) {
      const first = fields();
      const second = { ...first, faultDescription: '电池鼓包，无法充电', coverageType: 'battery' };
      const answers = await Promise.all([fileJson(order, first), fileJson(order, second)]);
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses, answers.map((a) => a.body).join('\n')).toEqual([201, 422]);
      const won = answers[0]?.statusCode === 201 ? 0 : 1;
      const winner = [first, second][won] as typeof first;
      const { claimNumber } = (answers[won] as (typeof answers)[number]).json() as { claimNumber: string };
      expect(await h.db.orm.em.fork().findOneOrFail(Claim, { claimNumber })).toMatchObject({
        faultDescription: winner.faultDescription,
        coverageType: winner.coverageType,
      });
    }
  });

  it('names every bad field and writes nothing', async () => {
    const before = await counts();
    const cases: [Record<string, string>, string, number][] = [
      [{ faultDescription: '   ' }, 'faultDescription', 400],
      [{ faultDescription: 'x'.repeat(2001) }, 'faultDescription', 400],
      [{ faultDate: 'yesterday' }, 'faultDate', 400],
      [{ contactPhone: '12345' }, 'contactPhone', 400],
      [{ contactPhone: '010 6552 9988' }, 'contactPhone', 400],
      [{ coverageType: 'flood' }, 'coverageType', 400],
      [{ idempotencyKey: 'short' }, 'idempotencyKey', 400],
      // Well-formed, but not something the plan covers.
      [{ faultDate: day(1) }, 'faultDate', 422],
      [{ faultDate: day(-30) }, 'faultDate', 422],
      [{ coverageType: 'liquid_damage' }, 'coverageType', 422],
      [{ coverageType: 'exclusions' }, 'coverageType', 422],
    ];
    for (const [over, field, status] of cases) {
      for (const response of [
        await file(order, asParts(fields(over))),
        await fileJson(order, fields(over)),
      ]) {
        expect(response.statusCode, `${field}: ${response.body}`).toBe(status);
        expect(fieldNames(response.body), response.body).toContain(field);
      }
    }
    expect(
      fieldWords(JSON.parse((await file(order, asParts(fields({ faultDate: day(-30) })))).body).fields),
    ).toEqual([
      // Bought 10 days ago with from_purchase cover: the cover already running is sold from today.
      { field: 'faultDate', message: `is before coverage starts on ${day(0)}` },
    ]);
    // All problems at once, a missing field included.
    const { faultDescription: _, ...withoutDescription } = fields({ contactPhone: 'abc', faultDate: day(2) });
    const many = await file(order, [
      ...asParts(withoutDescription),
      photo('x.gif', Buffer.from('GIF89a....'), 'image/gif'),
    ]);
    expect(many.statusCode).toBe(400);
    expect(fieldNames(many.body).sort()).toEqual([
      'contactPhone',
      'faultDate',
      'faultDescription',
      'photos/0',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a fault from before the plan was paid, though coverage started earlier, naming the earliest date', async () => {
    // Cover that starts on paper before the payment: an order recorded before sales were dated from the
    // registration day (a from_purchase plan for a unit bought 10 days ago), or registered just before
    // midnight and paid after it.
    const em = h.db.orm.em.fork();
    const row = await em.findOneOrFail(Order, { orderNumber: order.orderNumber });
    const soldFrom = row.coverageStart;
    await em.nativeUpdate(Order, { id: row.id }, { coverageStart: day(-10) });
    try {
      await refusesFaultBeforePayment(chinaDate(row.paidAt as Date));
    } finally {
      await em.nativeUpdate(Order, { id: row.id }, { coverageStart: soldFrom });
    }
  });

  async function refusesFaultBeforePayment(paidOn: string) {
    const before = await counts();
    const message = `is before ${paidOn}, the earliest fault date this plan covers (it was bought on ${paidOn})`;
    for (const response of [
      await fileJson(order, fields({ faultDate: addDays(paidOn, -1) })),
      await file(order, asParts(fields({ faultDate: addDays(paidOn, -1) }))),
    ]) {
      expect(response.statusCode, response.body).toBe(422);
      expect(fieldWords(response.json().fields)).toEqual([{ field: 'faultDate', message }]);
    }
    expect(await counts()).toEqual(before);

    // The consumer page says so next to the field, in either language, and offers no earlier date.
    const page = (lang: string) =>
      h.app.inject({
        method: 'POST',
        url: `/o/${order.orderNumber}/claims?t=${order.token}&lang=${lang}`,
        ...multipart(asParts(fields({ faultDate: addDays(paidOn, -1) }))),
        ...from(),
      });
    const en = await page('en');
    expect(en.statusCode).toBe(422);
    expect(en.body).toContain(`id="faultDate-error">${message}</p>`);
    expect(en.body).toContain(`min="${paidOn}"`);
    const zh = await page('zh');
    expect(zh.body).toContain(`早于 ${paidOn}：本延保于 ${paidOn} 购买，只保障此后发生的故障`);

    const onPaymentDay = await fileJson(order, fields({ faultDate: paidOn }));
    expect(onPaymentDay.statusCode, onPaymentDay.body).toBe(201);
  }

  it('limits photos to four JPEG, PNG or WebP images of at most 5 MB, checked by their bytes', async () => {
    const before = await counts();
    const refused = async (parts: Part[]) => {
      const response = await file(order, [...asParts(fields()), ...parts]);
      expect(response.statusCode, response.body).toBe(400);
      return fieldWords(JSON.parse(response.body).fields);
    };
    expect(await refused([photo('a.png', Buffer.alloc(5 * 1024 * 1024 + 1, 0x89))])).toEqual([
      { field: 'photos/0', message: 'is larger than 5 MB' },
    ]);
    // Declared as PNG but it is not one; declared as a PDF although it is a PNG.
    expect(
      await refused([
        photo('ok.png', PNG),
        photo('fake.png', Buffer.from('<script>alert(1)</script>')),
        photo('doc.pdf', PNG, 'application/pdf'),
      ]),
    ).toEqual([
      { field: 'photos/1', message: 'must be a JPEG, PNG or WebP image' },
      { field: 'photos/2', message: 'must be a JPEG, PNG or WebP image' },
    ]);
    expect(await refused(Array.from({ length: 5 }, (_, i) => photo(`${i}.png`, PNG)))).toEqual([
      { field: 'photos', message: 'at most 4 photos' },
    ]);
    expect(await refused(Array.from({ length: 12 }, (_, i) => photo(`${i}.png`, PNG)))).toEqual([
      { field: 'photos', message: 'at most 4 photos' },
    ]);
    expect(await counts()).toEqual(before);

    // Exactly 5 MB, four of them, is fine; a file input left empty is no photo.
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 - PNG.length)]);
    const ok = await file(order, [
      ...asParts(fields()),
      ...Array.from({ length: 4 }, (_, i) => photo(`${i}.png`, big)),
      { name: 'photos', file: { filename: '', type: 'application/octet-stream', content: Buffer.alloc(0) } },
    ]);
    expect(ok.statusCode, ok.body).toBe(201);
    const claim = await h.db.orm.em.fork().findOneOrFail(Claim, { claimNumber: ok.json().claimNumber });
    expect(await h.db.orm.em.fork().count(ClaimPhoto, { claim: claim.id })).toBe(4);
  });

  it('reaches an order only with its token: a wrong one looks like a missing order', async () => {
    const before = await counts();
    const wrong = { orderNumber: order.orderNumber, token: otherOrder.token };
    const filed = await file(wrong, [...asParts(fields()), photo('a.png', PNG)]);
    expect(filed.statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: url(wrong) })).statusCode).toBe(404);
    const noToken = await h.app.inject({
      method: 'GET',
      url: `/api/v1/public/orders/${order.orderNumber}/claims`,
    });
    expect(noToken.statusCode).toBe(400);
    // Filing without the token is the same 400 naming it, as JSON, multipart or the no-JS page's form.
    for (const path of [
      `/api/v1/public/orders/${order.orderNumber}/claims`,
      `/o/${order.orderNumber}/claims`,
    ]) {
      for (const body of [{ payload: fields() }, multipart([...asParts(fields()), photo('a.png', PNG)])]) {
        const filedWithout = await h.app.inject({ method: 'POST', url: path, ...body, ...from() });
        expect(filedWithout.statusCode, filedWithout.body).toBe(400);
        expect(fieldNames(filedWithout.body)).toEqual(['querystring.t']);
      }
    }
    expect(await counts()).toEqual(before);

    // Another order's claim is not reachable through this order's link, nor its photos.
    const list = (await h.app.inject({ method: 'GET', url: url(order) })).json().items;
    const mine = list.find((c: { photos: unknown[] }) => c.photos.length > 0);
    const through = { orderNumber: otherOrder.orderNumber, token: otherOrder.token };
    expect(
      (await h.app.inject({ method: 'GET', url: url(through, `/${mine.claimNumber}`) })).statusCode,
    ).toBe(404);
    const photoPath = `/${mine.claimNumber}/photos/${mine.photos[0].id}`;
    expect((await h.app.inject({ method: 'GET', url: url(through, photoPath) })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: url(wrong, photoPath) })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: url(order, photoPath) })).statusCode).toBe(200);
  });

  it('serves the no-JS pages: field errors re-rendered in the language asked, a clear 404 for a wrong link', async () => {
    const before = await counts();
    const pageUrl = (o: { orderNumber: string; token: string }, lang = 'zh') =>
      `/o/${o.orderNumber}/claims?t=${o.token}&lang=${lang}`;
    const bad = await h.app.inject({
      method: 'POST',
      url: pageUrl(order, 'en'),
      ...multipart([
        ...asParts(fields({ faultDate: day(3), coverageType: '' })),
        photo('a.gif', Buffer.from('GIF89a')),
      ]),
      ...from(),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^text\/html/);
    expect(bad.body).toContain('id="faultDate-error"');
    expect(bad.body).toContain('is in the future');
    expect(bad.body).toContain('id="coverageType-error"');
    expect(bad.body).toContain('Photo 1: must be a JPEG, PNG or WebP image');
    expect(bad.body).toContain('Please choose the photos again.');
    // What was typed comes back.
    expect(bad.body).toContain('屏幕有一条竖线');
    const wrong = { orderNumber: order.orderNumber, token: otherOrder.token };
    const forged = await h.app.inject({
      method: 'POST',
      url: pageUrl(wrong),
      ...multipart([...asParts(fields()), photo('a.png', PNG)]),
      ...from(),
    });
    expect(forged.statusCode).toBe(404);
    expect(forged.headers['content-type']).toMatch(/^text\/html/);
    expect(forged.body).toContain('找不到该订单或报修');
    expect((await h.app.inject({ method: 'GET', url: pageUrl(wrong) })).statusCode).toBe(404);
    expect(await counts()).toEqual(before);

    const ok = await h.app.inject({
      method: 'POST',
      url: pageUrl(order),
      ...multipart([...asParts(fields()), photo('a.png', PNG)]),
      ...from(),
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toMatch(
      new RegExp(`^/o/${order.orderNumber}/claims/CL[A-Z2-9]{16}\\?t=${order.token}&filed=1$`),
    );
    const shown = await h.app.inject({ method: 'GET', url: ok.headers.location as string });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('已提交，等待厂商受理');
    expect(shown.body).toContain('data-testid="claim-photo"');
  });

  it("shows the service desk only its own manufacturer's claims and photos", async () => {
    const desk = plan.editor.session;
    const queue = await desk.request('GET', '/api/v1/claims?status=submitted');
    expect(queue.statusCode).toBe(200);
    const items = queue.json().items as { claimNumber: string; photoCount: number; orderNumber: string }[];
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.every((c) => c.orderNumber === order.orderNumber)).toBe(true);
    const withPhotos = items.find((c) => c.photoCount === 2) as { claimNumber: string };
    const detail = await desk.request('GET', `/api/v1/claims/${withPhotos.claimNumber}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      status: 'submitted',
      contactPhone: '+8613987654321',
      order: { orderNumber: order.orderNumber, status: 'active' },
      cap: { retailPriceFen: 299_900, approvedFen: 0, remainingFen: 299_900 },
      workflow: { status: 'submitted' },
    });
    const photoUrl = detail.json().photos[0].url as string;
    const served = await desk.request('GET', photoUrl);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toMatch(/^image\//);

    // Another manufacturer: an empty queue, and 404 for this claim, its photos and every action.
    const rival = other.session;
    expect((await rival.request('GET', '/api/v1/claims')).json()).toEqual({ items: [], total: 0 });
    expect((await rival.request('GET', `/api/v1/claims/${withPhotos.claimNumber}`)).statusCode).toBe(404);
    expect((await rival.request('GET', photoUrl)).statusCode).toBe(404);
    const accept = await rival.request('POST', `/api/v1/claims/${withPhotos.claimNumber}/decision`, {
      decision: 'accept',
    });
    expect(accept.statusCode).toBe(404);
    expect((await rival.request('POST', `/api/v1/claims/${withPhotos.claimNumber}/close`)).statusCode).toBe(
      404,
    );
    // Nobody without a session; the consumer's link token does not open the desk's photo route.
    expect((await h.app.inject({ method: 'GET', url: photoUrl })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: `${photoUrl}?t=${order.token}` })).statusCode).toBe(401);
    expect(
      (await h.db.orm.em.fork().findOneOrFail(Claim, { claimNumber: withPhotos.claimNumber })).status,
    ).toBe('submitted');
  });

  it('lets every member read the desk but only approvers and admins act', async () => {
    const editorOnly = await addUser(plan.editor.session, ['editor'], () => new ApiSession(h.app));
    const items = (await editorOnly.session.request('GET', '/api/v1/claims')).json().items as {
      claimNumber: string;
    }[];
    expect(items.length).toBeGreaterThan(0);
    const target = items[0]?.claimNumber as string;
    const refused = await editorOnly.session.request('POST', `/api/v1/claims/${target}/decision`, {
      decision: 'accept',
    });
    expect(refused.statusCode).toBe(403);
    // Bad desk input is named at the edge.
    const desk = plan.editor.session;
    const bad = await desk.request('POST', `/api/v1/claims/${target}/decision`, { decision: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(fieldNames(bad.body)).toEqual(['decision']);
    const badRepair = await desk.request('POST', `/api/v1/claims/${target}/repair`, {
      repairCostFen: -5,
      outcome: 'fixed',
    });
    expect(badRepair.statusCode).toBe(400);
    expect(fieldNames(badRepair.body).sort()).toEqual(['outcome', 'repairCostFen']);
    // Repairing a claim that is not accepted yet is a conflict, not a change.
    const early = await desk.request('POST', `/api/v1/claims/${target}/repair`, {
      repairCostFen: 100,
      outcome: 'repaired',
    });
    expect(early.statusCode).toBe(409);
    expect((await desk.request('GET', '/api/v1/claims?status=lost')).statusCode).toBe(400);
    expect((await desk.request('GET', '/api/v1/claims/CL123')).statusCode).toBe(400);
  });
});
