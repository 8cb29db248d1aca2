/**
 * Activities of UnitQrBatchWorkflow: issue the batch's UnitCode rows, then
 * render one signed QR code per unit into a ZIP of PNGs or an A4 PDF label
 * sheet, writing progress to UnitQrBatch.done every PROGRESS_EVERY units.
 *
 * Idempotence:
 * - UnitCode is unique per (plan, serial). Re-issuing a serial in a later
 *   batch reuses the existing row (it keeps the batch that first issued it), so
 *   the table counts distinct units per plan — the denominator of attach rates.
 *   The token is a pure function of (plan code, serial, secret), so a re-issued
 *   unit gets the very same QR code.
 * - Rendering is deterministic (same tokens, fixed ZIP mtime and PDF date), so
 *   a retried render produces the same bytes; progress only ever moves up, and
 *   a batch already stored as done is not rendered again. Partial output is
 *   not kept between attempts: the table has nowhere to put it, and a rerun of
 *   10,000 units costs well under a minute.
 */

import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { crc32, deflateSync } from 'node:zlib';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { zipSync } from 'fflate';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import {
  FONT_BOLD,
  FONT_MONO_BOLD,
  FONT_REGULAR,
  loadCjkFonts,
  monoOr,
  registerCjkFonts,
} from '../src/documents/fonts.ts';
import { collectPdf } from '../src/documents/pdf-output.ts';
import { Plan, UnitCode, UnitQrBatch } from '../src/domain/entities/index.ts';
import { expandSerialBatch, type SerialBatchRequest } from '../src/domain/serial-batch.ts';
import { signUnitToken, unitUrl } from '../src/domain/unit-token.ts';
import { problemsInEnglish } from '../src/i18n/errors.ts';
import { markAttachedUnitsOfBatch } from '../src/services/statistics.ts';
import type { ActivityDeps } from './index.ts';

export const UNIT_BATCH_ERRORS = {
  invalidBatch: 'InvalidUnitBatch',
} as const;

/** Progress is written (and a heartbeat sent) after every this many units. */
export const PROGRESS_EVERY = 50;
const INSERT_CHUNK = 1000;

const reject = (message: string) =>
  ApplicationFailure.create({ type: UNIT_BATCH_ERRORS.invalidBatch, message, nonRetryable: true });

export interface UnitLabel {
  serial: string;
  /** What the QR code encodes: PUBLIC_BASE_URL/u/<signed token>. */
  url: string;
}

type Progress = (done: number) => Promise<void>;

// ---------------------------------------------------------------- QR code PNG

const QR_OPTIONS = { errorCorrectionLevel: 'M' } as const;
const QUIET_ZONE = 4;
const TARGET_PNG_WIDTH = 512;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/**
 * A 1-bit greyscale PNG of the QR code (level M, 4-module quiet zone, whole
 * pixels per module, about 512 px), the same code as the plan's QR PNG. Encoded
 * here from the module matrix rather than through qrcode's RGBA renderer: about
 * 8× faster and a third of the size, which matters at 10,000 units.
 */
export function renderUnitQrPng(url: string): Buffer {
  const { modules } = QRCode.create(url, QR_OPTIONS);
  const n = modules.size;
  const span = n + 2 * QUIET_ZONE;
  const scale = Math.max(1, Math.round(TARGET_PNG_WIDTH / span));
  const px = span * scale;
  const rowBytes = Math.ceil(px / 8);
  const raw = Buffer.alloc((rowBytes + 1) * px, 0xff);
  const row = Buffer.alloc(rowBytes);
  for (let my = 0; my < span; my++) {
    row.fill(0xff);
    const qy = my - QUIET_ZONE;
    if (qy >= 0 && qy < n)
      for (let qx = 0; qx < n; qx++) {
        if (!modules.data[qy * n + qx]) continue;
        const x0 = (qx + QUIET_ZONE) * scale;
        for (let x = x0; x < x0 + scale; x++) row[x >> 3] = (row[x >> 3] as number) & ~(0x80 >> (x & 7));
      }
    for (let s = 0; s < scale; s++) {
      const offset = (my * scale + s) * (rowBytes + 1);
      raw[offset] = 0; // filter type None
      row.copy(raw, offset + 1);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(px, 0);
  header.writeUInt32BE(px, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale; compression, filter and interlace bytes stay 0
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `<serial>.png` per unit (stored, PNGs do not compress further) plus a serial,url CSV for label software. */
export async function renderUnitZip(labels: UnitLabel[], mtime: Date, progress: Progress): Promise<Buffer> {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as UnitLabel;
    files[`${label.serial}.png`] = renderUnitQrPng(label.url);
    if ((i + 1) % PROGRESS_EVERY === 0) await progress(i + 1);
  }
  files['serials.csv'] = Buffer.from(
    `serial,url\r\n${labels.map((l) => `${l.serial},${l.url}`).join('\r\n')}\r\n`,
    'utf8',
  );
  return Buffer.from(zipSync(files, { level: 0, mtime }));
}

// --------------------------------------------------------------- PDF label sheet

// A4 portrait in points, cut into a 3 × 5 grid of 63 × 56 mm labels.
const A4_WIDTH = 595.28;
const A4_HEIGHT = 841.89;
const SHEET_MARGIN = 24;
export const LABEL_COLUMNS = 3;
export const LABEL_ROWS = 5;
export const LABELS_PER_PAGE = LABEL_COLUMNS * LABEL_ROWS;
const CELL_WIDTH = (A4_WIDTH - 2 * SHEET_MARGIN) / LABEL_COLUMNS;
const CELL_HEIGHT = (A4_HEIGHT - 2 * SHEET_MARGIN) / LABEL_ROWS;
const CELL_PADDING = 8;
/** 96 pt ≈ 34 mm including the quiet zone: a 45-module code gets 0.6 mm modules. */
const LABEL_QR_SIZE = 96;

/** The QR code as filled vector squares (runs merged per row): sharp at any print size, tiny in the PDF. */
function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(url, QR_OPTIONS);
  const n = modules.size;
  const m = size / (n + 2 * QUIET_ZONE);
  for (let qy = 0; qy < n; qy++) {
    let run = -1;
    for (let qx = 0; qx <= n; qx++) {
      const dark = qx < n && modules.data[qy * n + qx] === 1;
      if (dark && run < 0) run = qx;
      if (!dark && run >= 0) {
        doc.rect(x + (QUIET_ZONE + run) * m, y + (QUIET_ZONE + qy) * m, (qx - run) * m, m);
        run = -1;
      }
    }
  }
  doc.fillColor('#000000').fill();
}

export interface LabelSheet {
  planCode: string;
  planNameZh: string;
  planNameEn: string;
  labels: UnitLabel[];
  /** Fixes the PDF's CreationDate and file ID, so a re-render gives the same bytes. */
  creationDate: Date;
}

/** One multi-page A4 PDF, LABELS_PER_PAGE labels a page: QR code, serial, plan name in Chinese and English. */
export async function renderUnitLabelSheet(sheet: LabelSheet, progress: Progress): Promise<Buffer> {
  const fonts = await loadCjkFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `${sheet.planNameZh} / ${sheet.planNameEn} — 单品二维码 / Per-unit QR codes`,
      Keywords: sheet.planCode,
      Creator: 'Yanbao',
      CreationDate: sheet.creationDate,
    },
  });
  const done = collectPdf(doc);
  registerCjkFonts(doc, fonts);

  const pages = Math.ceil(sheet.labels.length / LABELS_PER_PAGE);
  const textWidth = CELL_WIDTH - 2 * CELL_PADDING;
  const line = (text: string, font: string, size: number, color: string, x: number, y: number) => {
    doc.font(font).fontSize(size).fillColor(color);
    const height = doc.currentLineHeight(true);
    doc.text(text, x, y, { width: textWidth, height, align: 'center', ellipsis: true, lineGap: 0 });
    return y + height;
  };

  for (let i = 0; i < sheet.labels.length; i++) {
    const slot = i % LABELS_PER_PAGE;
    if (slot === 0) {
      doc.addPage({ size: 'A4', margin: 0 });
      const page = i / LABELS_PER_PAGE + 1;
      doc
        .font(FONT_REGULAR)
        .fontSize(6)
        .fillColor('#777777')
        .text(`${sheet.planCode} · ${page}/${pages}`, SHEET_MARGIN, A4_HEIGHT - SHEET_MARGIN + 8, {
          width: A4_WIDTH - 2 * SHEET_MARGIN,
          align: 'right',
          lineBreak: false,
        });
    }
    const label = sheet.labels[i] as UnitLabel;
    const cellX = SHEET_MARGIN + (slot % LABEL_COLUMNS) * CELL_WIDTH;
    const cellY = SHEET_MARGIN + Math.floor(slot / LABEL_COLUMNS) * CELL_HEIGHT;
    // Cut guide.
    doc
      .rect(cellX, cellY, CELL_WIDTH, CELL_HEIGHT)
      .lineWidth(0.3)
      .dash(2, { space: 2 })
      .strokeColor('#bbbbbb')
      .stroke()
      .undash();
    drawQr(doc, label.url, cellX + (CELL_WIDTH - LABEL_QR_SIZE) / 2, cellY + CELL_PADDING, LABEL_QR_SIZE);
    let y = cellY + CELL_PADDING + LABEL_QR_SIZE + 1;
    const x = cellX + CELL_PADDING;
    y = line(label.serial, monoOr(FONT_MONO_BOLD, label.serial), 10, '#111111', x, y) + 1;
    y = line(sheet.planNameZh, FONT_BOLD, 7.5, '#111111', x, y);
    y = line(sheet.planNameEn, FONT_REGULAR, 6.5, '#444444', x, y) + 1;
    line('扫码登记延保 / Scan to get extended warranty', FONT_REGULAR, 5.5, '#666666', x, y);
    if ((i + 1) % PROGRESS_EVERY === 0) await progress(i + 1);
  }
  doc.end();
  return done;
}

// ----------------------------------------------------------------- activities

async function loadBatch(em: EntityManager, batchId: string) {
  const batch = await em.findOne(UnitQrBatch, { id: batchId }, { exclude: ['content'] });
  if (!batch) throw reject(`unit QR batch ${batchId} does not exist`);
  const plan = await em.findOneOrFail(Plan, { id: batch.plan });
  return { batch, plan };
}

/** The batch's serials, exactly as the API accepted them (the API also checked the product's format). */
function serialsOf(units: SerialBatchRequest, total: number): string[] {
  const { serials, problems } = expandSerialBatch(units);
  if (problems.length > 0) throw reject(`the batch's units are invalid: ${problemsInEnglish(problems)}`);
  if (serials.length !== total) throw reject(`the batch expands to ${serials.length} units, not ${total}`);
  return serials;
}

export function createUnitBatchActivities({ orm, config }: ActivityDeps) {
  return {
    /** Step 1: a UnitCode per unit not issued before for this plan; returns how many are new. */
    async issueUnitCodes(
      batchId: string,
      units: SerialBatchRequest,
    ): Promise<{ total: number; newUnits: number }> {
      const em = orm.em.fork();
      const { batch, plan } = await loadBatch(em, batchId);
      const serials = serialsOf(units, batch.total);
      await em.transactional(async (tx) => {
        const now = new Date();
        for (let i = 0; i < serials.length; i += INSERT_CHUNK) {
          const rows = serials.slice(i, i + INSERT_CHUNK).map((serialNumber) => ({
            id: randomUUID(),
            plan: plan.id,
            batch: batch.id,
            serialNumber,
            createdAt: now,
            updatedAt: now,
          }));
          await tx
            .createQueryBuilder(UnitCode)
            .insert(rows)
            .onConflict(['plan', 'serialNumber'])
            .ignore()
            .execute();
        }
        await markAttachedUnitsOfBatch(tx, batch.id);
      });
      // Counted, not summed from inserts: a retry after a lost completion still reports the truth.
      const newUnits = await em.count(UnitCode, { batch: batch.id });
      return { total: serials.length, newUnits };
    },

    /** Step 2: renders the ZIP or PDF, heartbeating and writing progress, and stores it; status 'done'. */
    async renderUnitBatch(
      batchId: string,
      units: SerialBatchRequest,
    ): Promise<{ total: number; bytes: number }> {
      const ctx = Context.current();
      const em = orm.em.fork();
      const { batch, plan } = await loadBatch(em, batchId);
      if (batch.status === 'done') {
        const stored = await em.findOneOrFail(UnitQrBatch, { id: batch.id }, { fields: ['content'] });
        return { total: batch.total, bytes: stored.content?.length ?? 0 };
      }
      const labels = serialsOf(units, batch.total).map((serial) => ({
        serial,
        url: unitUrl(
          config.publicBaseUrl,
          signUnitToken({ planCode: plan.code, serialNumber: serial }, config.linkSecret),
        ),
      }));
      const progress: Progress = async (done) => {
        if (ctx.cancellationSignal.aborted) throw new CancelledFailure('the unit QR batch was cancelled');
        ctx.heartbeat(done);
        // Only upwards: a retry re-rendering from the start does not move the bar back.
        await em.nativeUpdate(
          UnitQrBatch,
          { id: batch.id, done: { $lt: done } },
          { done, updatedAt: new Date() },
        );
        await yieldToEventLoop();
      };
      const content =
        batch.format === 'zip'
          ? await renderUnitZip(labels, batch.createdAt, progress)
          : await renderUnitLabelSheet(
              {
                planCode: plan.code,
                planNameZh: plan.nameZh,
                planNameEn: plan.nameEn,
                labels,
                creationDate: batch.createdAt,
              },
              progress,
            );
      await em.nativeUpdate(
        UnitQrBatch,
        { id: batch.id },
        { content, status: 'done', done: labels.length, updatedAt: new Date() },
      );
      return { total: labels.length, bytes: content.length };
    },

    /** After the last retry: the portal shows the batch as failed instead of waiting forever. */
    async markUnitBatchFailed(batchId: string, reason: string): Promise<void> {
      const em = orm.em.fork();
      await em.nativeUpdate(
        UnitQrBatch,
        { id: batchId, status: 'running' },
        { status: 'failed', updatedAt: new Date() },
      );
      Context.current().log.warn('unit QR batch failed', { batchId, reason });
    },
  };
}

export type UnitBatchActivities = ReturnType<typeof createUnitBatchActivities>;
