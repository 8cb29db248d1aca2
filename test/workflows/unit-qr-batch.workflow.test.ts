/**
 * UnitQrBatchWorkflow on the real Temporal dev server, worker, database and
 * API: ZIP and PDF batches with progress, signed per-unit codes that decode,
 * re-issued units counted once, field-level refusals that start nothing,
 * tenant isolation and 409 before the output exists.
 */
import { randomUUID } from 'node:crypto';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { unzipSync } from 'fflate';
import jsQRModule from 'jsqr';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitBatchActivities, LABELS_PER_PAGE } from '../../activities/unit-batch.activities.ts';
import {
  MainProduct,
  Manufacturer,
  Order,
  Plan,
  UnitCode,
  UnitQrBatch,
} from '../../src/domain/entities/index.ts';
import { MAX_SERIAL_LENGTH } from '../../src/domain/serial-batch.ts';
import { verifyUnitToken } from '../../src/domain/unit-token.ts';
import { createNotifier, logSink } from '../../src/notifications/notifier.ts';
import type { UnitQrBatchWorkflow } from '../../workflows/unit-qr-batch.workflow.ts';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { recordHistory } from '../helpers/histories.ts';
import { addUser, PHONE_DRAFT } from '../helpers/plan-fixtures.ts';
import { platformUser } from '../helpers/platform-staff.ts';
import { publishedPlan, registration } from '../helpers/purchase-fixtures.ts';

const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

interface BatchView {
  id: string;
  planId: string;
  format: string;
  total: number;
  done: number;
  status: string;
  workflowId: string;
  downloadUrl: string | null;
}

describe('UnitQrBatchWorkflow', () => {
  let h: Harness;
  let a: Awaited<ReturnType<typeof signUp>>;
  let b: Awaited<ReturnType<typeof signUp>>;
  let plan: { id: string; code: string; nameZh: string };

  beforeAll(async () => {
    h = await startHarness();
    b = await signUp(h.app, 'Beta');
    const published = await publishedPlan(h);
    a = published.editor;
    plan = { id: published.planId, code: published.code, nameZh: PHONE_DRAFT.nameZh };
  });
  afterAll(() => h?.close());

  const issue = (body: unknown, session = a.session, planId = plan.id) =>
    session.request('POST', `/api/v1/plans/${planId}/unit-batches`, body);

  /** Polls the progress endpoint like the portal does; returns the final view and every `done` seen. */
  async function waitForBatch(id: string, timeoutMs = 60_000) {
    const seen: number[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await a.session.request('GET', `/api/v1/unit-batches/${id}`);
      expect(response.statusCode, response.body).toBe(200);
      const batch = response.json() as BatchView;
      seen.push(batch.done);
      if (batch.status !== 'running') return { batch, seen };
      if (Date.now() > deadline) throw new Error(`batch ${id} still running at ${batch.done}/${batch.total}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const decodePng = (bytes: Uint8Array) => {
    const image = PNG.sync.read(Buffer.from(bytes));
    return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
  };

  it('renders a ZIP of 250 signed per-unit QR codes for a range', async () => {
    const started = performance.now();
    const created = await issue({ range: { from: 'XH0000000001', to: 'XH0000000250' }, format: 'zip' });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json() as BatchView;
    expect(view).toMatchObject({ planId: plan.id, format: 'zip', total: 250, status: 'running', done: 0 });
    expect(view.workflowId).toBe(`unit-batch-${view.id}`);

    const { batch, seen } = await waitForBatch(view.id);
    console.info(`250-unit ZIP batch: ${(performance.now() - started).toFixed(0)} ms end to end`);
    expect(batch).toMatchObject({ status: 'done', done: 250, total: 250 });
    expect(batch.downloadUrl).toBe(`/api/v1/unit-batches/${view.id}/download`);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));

    const download = await a.session.request('GET', batch.downloadUrl as string);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="yanbao-${plan.code}-units-\\w{8}\\.zip"$`),
    );
    const files = unzipSync(new Uint8Array(download.rawPayload));
    const pngs = Object.keys(files).filter((name) => name.endsWith('.png'));
    expect(pngs).toHaveLength(250);
    expect(pngs[0]).toBe('XH0000000001.png');
    expect(pngs.at(-1)).toBe('XH0000000250.png');

    const url = decodePng(files['XH0000000117.png'] as Uint8Array) as string;
    expect(url).toMatch(/^https:\/\/yanbao\.test\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    const token = url.slice('https://yanbao.test/u/'.length);
    expect(verifyUnitToken(token, h.config.linkSecret)).toEqual({
      planCode: plan.code,
      serialNumber: 'XH0000000117',
    });
    const csv = new TextDecoder().decode(files['serials.csv']).split('\r\n');
    expect(csv[0]).toBe('serial,url');
    expect(csv).toContain(`XH0000000117,${url}`);

    const result = await h.client.workflow.getHandle(view.workflowId).result();
    await recordHistory(h.client, view.workflowId, 'unit-qr-batch-zip');
    expect(result).toMatchObject({ total: 250, newUnits: 250 });
    expect(await h.db.orm.em.fork().count(UnitCode, { plan: plan.id })).toBe(250);

    // The auditors' timeline names the issuing manufacturer, the plan and the serial range.
    const em = h.db.orm.em.fork();
    const issuedFor = await em.findOneOrFail(Plan, { id: plan.id });
    const issuer = await em.findOneOrFail(Manufacturer, { id: issuedFor.manufacturer });
    const auditor = await platformUser(h, 'auditor');
    const timeline = await auditor.request('GET', `/api/v1/audit/workflows/${view.workflowId}`);
    expect(timeline.statusCode, timeline.body).toBe(200);
    expect((timeline.json().steps as { step: string; textEn: string }[])[0]).toMatchObject({
      step: 'workflow.started',
      textEn: `Per-unit QR batch ${view.id} started by ${issuer.name} for ${issuedFor.nameEn} (${plan.code}): serials XH0000000001 to XH0000000250`,
    });
  });

  it('shows progress while a large batch renders, refuses the download until done, and counts units once', async () => {
    const created = await issue({ range: { from: 'XH0000000201', to: 'XH0000003200' }, format: 'zip' });
    expect(created.statusCode, created.body).toBe(201);
    const { id, total, workflowId } = created.json() as BatchView;
    expect(total).toBe(3000);

    const early = await a.session.request('GET', `/api/v1/unit-batches/${id}/download`);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'conflict', message: expect.stringMatching(/of 3000/) });

    const { batch, seen } = await waitForBatch(id);
    expect(batch).toMatchObject({ status: 'done', done: 3000 });
    expect(seen.some((done) => done > 0 && done < 3000)).toBe(true);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));

    // 201..250 were issued by the first batch: same rows, same codes; the plan has 3,200 distinct units.
    expect(await h.client.workflow.getHandle(workflowId).result()).toMatchObject({
      total: 3000,
      newUnits: 2950,
    });
    const em = h.db.orm.em.fork();
    expect(await em.count(UnitCode, { plan: plan.id })).toBe(3200);
    const list = await a.session.request('GET', `/api/v1/plans/${plan.id}/unit-batches`);
    expect(list.json().total).toBe(2);
    expect(list.json().items[0]).toMatchObject({ id, status: 'done' });
    expect(list.json().items[0]).not.toHaveProperty('content');
  });

  it('renders a multi-page A4 PDF label sheet from a list', async () => {
    const serials = Array.from({ length: 32 }, (_, i) => ` XH${String(5001 + (i % 30)).padStart(10, '0')} `);
    const created = await issue({ serials, format: 'pdf' });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json() as BatchView;
    expect(view.total).toBe(30);

    const { batch } = await waitForBatch(view.id);
    expect(batch).toMatchObject({ status: 'done', done: 30, format: 'pdf' });
    const download = await a.session.request('GET', `/api/v1/unit-batches/${view.id}/download`);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(/\.pdf"$/);
    const pdf = await getDocument({ data: new Uint8Array(download.rawPayload), verbosity: 0 }).promise;
    try {
      expect(pdf.numPages).toBe(Math.ceil(30 / LABELS_PER_PAGE));
      const page = await pdf.getPage(1);
      const [, , width, height] = page.view;
      expect(width).toBeCloseTo(595.28, 1);
      expect(height).toBeCloseTo(841.89, 1);
      const text = (await page.getTextContent()).items
        .map((item) => ('str' in item ? item.str : ''))
        .join('\n');
      expect(text).toContain('XH0000005001');
      expect(text).toContain(plan.nameZh);
      expect(text).toContain(PHONE_DRAFT.nameEn);
      const last = (await (await pdf.getPage(2)).getTextContent()).items.map((i) =>
        'str' in i ? i.str : '',
      );
      expect(last).toContain('XH0000005030');
    } finally {
      await pdf.destroy();
    }
  });

  it('renders again after an interrupted attempt: progress never moves back, the bytes are the same', async () => {
    const em = h.db.orm.em.fork();
    const { manufacturer } = await em.findOneOrFail(Plan, { id: plan.id });
    const id = randomUUID();
    em.create(UnitQrBatch, {
      id,
      manufacturer,
      plan: plan.id,
      format: 'pdf',
      total: 175,
      workflowId: `test-${id}`,
    });
    await em.flush();
    const units = { range: { from: 'XH0000009001', to: 'XH0000009175' } };
    const { renderUnitBatch } = createUnitBatchActivities({
      orm: h.db.orm,
      config: h.config,
      payments: h.payments,
      notifications: createNotifier(
        logSink(() => {}),
        h.config,
      ),
    });
    const stored = () => em.fork().findOneOrFail(UnitQrBatch, { id });

    // The first attempt is cancelled after its second heartbeat (100 units).
    const first = new MockActivityEnvironment();
    first.on('heartbeat', (done: number) => {
      if (done === 100) first.cancel();
    });
    await expect(first.run(renderUnitBatch, id, units)).rejects.toBeInstanceOf(CancelledFailure);
    expect(await stored()).toMatchObject({ status: 'running', done: 100, content: null });

    const heartbeats: number[] = [];
    const second = new MockActivityEnvironment();
    second.on('heartbeat', (done: number) => heartbeats.push(done));
    const seen: number[] = [];
    second.on('heartbeat', async () => seen.push((await stored()).done));
    const result = await second.run(renderUnitBatch, id, units);
    expect(heartbeats).toEqual([50, 100, 150]);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(100);
    const done = await stored();
    expect(done).toMatchObject({ status: 'done', done: 175 });
    expect(result).toEqual({ total: 175, bytes: done.content?.length });

    // A retry after the output was stored does not render again.
    const third = new MockActivityEnvironment();
    third.on('heartbeat', () => expect.unreachable('rendered twice'));
    expect(await third.run(renderUnitBatch, id, units)).toEqual(result);

    // Deterministic: forced to render once more, it writes the very same bytes.
    await em.nativeUpdate(UnitQrBatch, { id }, { status: 'running' });
    await new MockActivityEnvironment().run(renderUnitBatch, id, units);
    expect(
      Buffer.compare(Buffer.from((await stored()).content as Buffer), Buffer.from(done.content as Buffer)),
    ).toBe(0);
  });

  it('marks the batch failed when an activity gives up, and the download says so', async () => {
    const em = h.db.orm.em.fork();
    const { manufacturer } = await em.findOneOrFail(Plan, { id: plan.id });
    const id = randomUUID();
    // The stored total disagrees with the units: issueUnitCodes refuses, non-retryably.
    em.create(UnitQrBatch, {
      id,
      manufacturer,
      plan: plan.id,
      format: 'zip',
      total: 5,
      workflowId: `unit-batch-${id}`,
    });
    await em.flush();
    const handle = await h.client.workflow.start<typeof UnitQrBatchWorkflow>('UnitQrBatchWorkflow', {
      taskQueue: h.config.temporal.taskQueue,
      workflowId: `unit-batch-${id}`,
      args: [{ batchId: id, units: { range: { from: 'XH0000000001', to: 'XH0000000003' } } }],
    });
    await expect(handle.result()).rejects.toThrow();
    const { batch } = await waitForBatch(id);
    expect(batch).toMatchObject({ status: 'failed', downloadUrl: null });
    const download = await a.session.request('GET', `/api/v1/unit-batches/${id}/download`);
    expect(download.statusCode).toBe(409);
    expect(download.json().message).toMatch(/failed/);
    expect(await em.count(UnitCode, { batch: id })).toBe(0);
  });

  it('refuses bad input with field-level 400s and starts nothing', async () => {
    const em = h.db.orm.em.fork();
    const before = await em.count(UnitQrBatch);
    const many = Array.from({ length: 10_001 }, (_, i) => `XH${String(i).padStart(10, '0')}`);
    const bad: [Record<string, unknown>, string][] = [
      [{ range: { from: 'XH0000000250', to: 'XH0000000001' } }, 'range.to'],
      [{ range: { from: 'XH0000000001', to: 'XG0000000250' } }, 'range.to'],
      [{ range: { from: 'XH00000001', to: 'XH0000000250' } }, 'range.from'],
      [{ range: { from: 'XH0000000001', to: 'XH0000020000' } }, 'range'],
      [{ range: { from: 'XH0000000001' } }, 'range.to'],
      [{ serials: ['XH0000000001', 'AB0000000002'] }, 'serials/1'],
      [{ serials: ['XH0000000001', '../../etc'] }, 'serials/1'],
      [{ serials: many }, 'serials'],
      [{ serials: [''] }, 'serials.0'],
      [{}, 'serials'],
      [{ serials: ['XH0000000001'], format: 'gif' }, 'format'],
      [{ serials: ['XH0000000001'], format: undefined }, 'format'],
    ];
    for (const [over, field] of bad) {
      const response = await issue({ format: 'zip', ...over });
      expect(response.statusCode, `${field}: ${response.body}`).toBe(400);
      expect(response.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const notAPlan = await issue(
      { serials: ['XH0000000001'], format: 'zip' },
      a.session,
      '00000000-0000-4000-8000-000000000000',
    );
    expect(notAPlan.statusCode).toBe(404);
    expect(await em.count(UnitQrBatch)).toBe(before);
  });

  it('lets only editors and admins issue, and only for a plan on sale', async () => {
    const approverOnly = await addUser(a.session, ['approver'], () => new ApiSession(h.app));
    const body = { serials: ['XH0000000001'], format: 'zip' };
    expect((await issue(body, approverOnly.session)).statusCode).toBe(403);
    // Approvers download labels, so they can read batches.
    expect(
      (await approverOnly.session.request('GET', `/api/v1/plans/${plan.id}/unit-batches`)).statusCode,
    ).toBe(200);

    const em = h.db.orm.em.fork();
    await em.nativeUpdate(Plan, { id: plan.id }, { status: 'retired' });
    try {
      const retired = await issue(body);
      expect(retired.statusCode).toBe(409);
    } finally {
      await em.nativeUpdate(Plan, { id: plan.id }, { status: 'on_sale' });
    }
  });

  it('keeps manufacturer B away from A’s plan and batches', async () => {
    const list = (await a.session.request('GET', `/api/v1/plans/${plan.id}/unit-batches`)).json();
    const batchId = list.items[0].id as string;
    const before = await h.db.orm.em.fork().count(UnitQrBatch);
    const s = b.session;
    expect(
      (await issue({ range: { from: 'XH0000000001', to: 'XH0000000002' }, format: 'zip' }, s)).statusCode,
    ).toBe(404);
    expect((await s.request('GET', `/api/v1/plans/${plan.id}/unit-batches`)).statusCode).toBe(404);
    expect((await s.request('GET', `/api/v1/unit-batches/${batchId}`)).statusCode).toBe(404);
    expect((await s.request('GET', `/api/v1/unit-batches/${batchId}/download`)).statusCode).toBe(404);
    expect(await h.db.orm.em.fork().count(UnitQrBatch)).toBe(before);
    const anonymous = new ApiSession(h.app);
    expect((await anonymous.request('GET', `/api/v1/unit-batches/${batchId}`)).statusCode).toBe(401);
  });

  it('issues, prints, scans and registers a unit with the longest serial the API accepts', async () => {
    // Its own plan, whose product takes serials of up to MAX_SERIAL_LENGTH characters.
    const long = await publishedPlan(h);
    await h.db.orm.em
      .fork()
      .nativeUpdate(
        MainProduct,
        { id: long.productId },
        { serialPattern: `XH[0-9]{${MAX_SERIAL_LENGTH - 2}}` },
      );
    const serial = `XH${'7'.repeat(MAX_SERIAL_LENGTH - 2)}`;
    const created = await long.editor.session.request('POST', `/api/v1/plans/${long.planId}/unit-batches`, {
      serials: [serial],
      format: 'zip',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json() as BatchView;
    let batch: BatchView;
    for (;;) {
      batch = (await long.editor.session.request('GET', `/api/v1/unit-batches/${id}`)).json() as BatchView;
      if (batch.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(batch.status).toBe('done');
    const download = await long.editor.session.request('GET', batch.downloadUrl as string);
    const printed = unzipSync(new Uint8Array(download.rawPayload))[`${serial}.png`] as Uint8Array;
    const url = decodePng(printed) as string;
    const path = url.slice('https://yanbao.test'.length);
    expect(path.length).toBeGreaterThan(100); // past Fastify's default maxParamLength

    const scanned = await h.app.inject({ method: 'GET', url: path });
    expect(scanned.statusCode, scanned.body.slice(0, 300)).toBe(200);
    expect(scanned.body).toContain(serial);
    const { serialNumber: _typed, ...form } = registration(long.code);
    const registered = await h.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form as Record<string, string>).toString(),
    });
    expect(registered.statusCode, registered.body.slice(0, 300)).toBe(303);
    expect(registered.headers.location).toMatch(/\/sandbox\/checkout\/[0-9a-f-]{36}$/);
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { plan: long.planId });
    expect(order.serialNumber).toBe(serial);
  });
});
