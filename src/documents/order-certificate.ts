/**
 * The electronic warranty certificate (patent part 10, purchase step 4
 * "confirmation"): an A4 PDF in Simplified Chinese and English that the
 * consumer downloads after paying. It carries everything needed to claim
 * later — order number, the unit's serial number, the coverage period — and
 * the full clause text frozen with the plan version that was bought, flowing
 * over as many pages as it takes, each page numbered and marked with the
 * order number. It prints a read-only verification code and link (never the
 * order's access link: a copy of the certificate must not cancel the order),
 * and once the order is cancelled or ended it is rendered again marked void.
 */

import PDFDocument from 'pdfkit';
import { assertCalendarDate, chinaDateTime, compareDates } from '../domain/coverage.ts';
import { formatFen } from '../domain/money.ts';
import type { ClauseSnapshot } from '../domain/plan-draft.ts';
import { label } from '../i18n/labels.ts';
import {
  FONT_BOLD,
  FONT_MONO,
  FONT_MONO_BOLD,
  FONT_REGULAR,
  fontRuns,
  loadCjkFonts,
  monoOr,
  primaryCovers,
  registerCjkFonts,
} from './fonts.ts';
import { collectPdf } from './pdf-output.ts';
import { renderQrPng } from './plan-qr.ts';

export interface WarrantyCertificate {
  orderNumber: string;
  planNameZh: string;
  planNameEn: string;
  planVersion: number;
  manufacturerName: string;
  brand: string;
  productName: string;
  model: string;
  serialNumber: string;
  consumerName: string;
  /** YYYY-MM-DD */
  productPurchaseDate: string;
  /** YYYY-MM-DD, first covered day */
  coverageStart: string;
  /** YYYY-MM-DD, last covered day (inclusive) */
  coverageEnd: string;
  /** Integer fen (1/100 of the currency unit). */
  amountFen: number;
  /** ISO 4217 code, normally 'CNY'. */
  currency: string;
  /**
   * When the payment was captured. An ISO 8601 date-time (with Z or an
   * offset) is printed as China time; anything else is printed as given.
   */
  paidAt: string;
  /** Read-only check of the cover (status, dates), printed and encoded as a QR code. */
  verificationUrl: string;
  /** The code in verificationUrl, printed for reading out over the phone. */
  verificationCode: string;
  /**
   * Set once the certificate no longer stands for cover: the order was cancelled (refunded) or
   * ended (the plan was fulfilled by a replacement), on that China date (YYYY-MM-DD).
   */
  voided?: { status: 'cancelled' | 'ended'; on: string };
  clauses: ClauseSnapshot[];
  /** The plan's term; printed when given. */
  termMonths?: number;
  /** The claim cap (the product's retail price the order was sold under); printed when given. */
  claimCap?: { amountFen: number; currency: string };
}

export interface WarrantyCertificateRenderOptions {
  /**
   * Written as the PDF's CreationDate (and so also fixes the file ID). With
   * the same certificate and date the output is byte-for-byte the same;
   * without it pdfkit stamps the current time.
   */
  creationDate?: Date;
}

export const CERTIFICATE_TITLE = '延长保修电子凭证 / Extended Warranty Certificate';

// A4 portrait in PDF points (210 mm x 297 mm).
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN_X = 50;
const MARGIN_TOP = 50;
/** Leaves room for the footer line under the flowing text. */
const MARGIN_BOTTOM = 60;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;

const QR_SIZE = 132;
const QR_GAP = 18;
const LABEL_WIDTH = 128;
const TABLE_WIDTH = CONTENT_WIDTH - QR_SIZE - QR_GAP;
const VALUE_WIDTH = TABLE_WIDTH - LABEL_WIDTH;

const INK = '#111111';
const MUTED = '#5a5a5a';
const RULE = '#b0b0b0';
const ACCENT = '#8a1c1c';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function validate(c: WarrantyCertificate): void {
  for (const key of [
    'orderNumber',
    'serialNumber',
    'verificationUrl',
    'verificationCode',
    'planNameZh',
    'planNameEn',
  ] as const) {
    if (typeof c[key] !== 'string' || c[key].trim() === '') {
      throw new TypeError(`${key} must be a non-empty string`);
    }
  }
  if (!Number.isSafeInteger(c.planVersion) || c.planVersion <= 0) {
    throw new RangeError(`planVersion must be a positive integer, got ${String(c.planVersion)}`);
  }
  if (c.termMonths !== undefined && (!Number.isSafeInteger(c.termMonths) || c.termMonths <= 0)) {
    throw new RangeError(`termMonths must be a positive integer, got ${String(c.termMonths)}`);
  }
  assertCalendarDate(c.productPurchaseDate, 'productPurchaseDate');
  assertCalendarDate(c.coverageStart, 'coverageStart');
  assertCalendarDate(c.coverageEnd, 'coverageEnd');
  if (compareDates(c.coverageStart, c.coverageEnd) > 0) {
    throw new RangeError(`coverageEnd ${c.coverageEnd} is before coverageStart ${c.coverageStart}`);
  }
  if (!Array.isArray(c.clauses)) throw new TypeError('clauses must be an array');
  if (c.voided !== undefined) {
    if (c.voided.status !== 'cancelled' && c.voided.status !== 'ended')
      throw new RangeError(`voided.status must be cancelled or ended, got ${String(c.voided.status)}`);
    assertCalendarDate(c.voided.on, 'voided.on');
  }
}

/** The void mark's words: what happened to the order, and when. */
function voidWords(voided: NonNullable<WarrantyCertificate['voided']>) {
  return voided.status === 'cancelled'
    ? {
        stamp: '已作废 VOID',
        zh: `本凭证已作废：订单已于 ${voided.on} 退保，保障已终止。`,
        en: `VOID: this order was cancelled on ${voided.on}; it gives no cover.`,
      }
    : {
        stamp: '已终止 ENDED',
        zh: `本凭证已终止：产品已于 ${voided.on} 换新，延保已履约完毕。`,
        en: `ENDED: the unit was replaced on ${voided.on}, which fulfilled the plan; it gives no further cover.`,
      };
}

const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}]/u;

/**
 * A run's text as readers take it from the page: text extractors (poppler's pdftotext,
 * and the viewers built on it) read glyphs in drawing order and reorder right-to-left
 * script themselves, so a right-to-left run, drawn reversed, is given in drawing order too.
 */
function drawingOrder(run: string): string {
  return RIGHT_TO_LEFT.test(run) ? [...run].reverse().join('') : run;
}

/** '2025-03-20 14:05:09 (UTC+8)' for an ISO 8601 instant, null for anything else. */
function chinaTimeOf(paidAt: string): string | null {
  if (!ISO_INSTANT.test(paidAt)) return null;
  const at = new Date(paidAt);
  return Number.isNaN(at.getTime()) ? null : `${chinaDateTime(at)} (UTC+8)`;
}

/** Renders the certificate as an A4 PDF of one or more pages. */
export async function renderWarrantyCertificatePdf(
  certificate: WarrantyCertificate,
  options: WarrantyCertificateRenderOptions = {},
): Promise<Buffer> {
  const c = certificate;
  validate(c);
  const price = formatFen(c.amountFen, c.currency);
  const [fonts, qrPng] = await Promise.all([loadCjkFonts(), renderQrPng(c.verificationUrl)]);
  const voided = c.voided === undefined ? null : voidWords(c.voided);

  const doc = new PDFDocument({
    size: [PAGE_WIDTH, PAGE_HEIGHT],
    margins: { top: MARGIN_TOP, bottom: MARGIN_BOTTOM, left: MARGIN_X, right: MARGIN_X },
    autoFirstPage: true,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `${CERTIFICATE_TITLE} ${c.orderNumber}`,
      Author: c.manufacturerName,
      Subject: `${c.planNameZh} / ${c.planNameEn}`,
      Keywords: `${c.orderNumber} ${c.serialNumber}`,
      Creator: 'Yanbao',
      ...(options.creationDate === undefined ? {} : { CreationDate: options.creationDate }),
    },
  });
  const done = collectPdf(doc);
  registerCjkFonts(doc, fonts);

  const maxY = (): number => PAGE_HEIGHT - MARGIN_BOTTOM;
  const rule = (y: number, color = RULE, width = 0.5): void => {
    doc
      .moveTo(MARGIN_X, y)
      .lineTo(PAGE_WIDTH - MARGIN_X, y)
      .lineWidth(width)
      .strokeColor(color)
      .stroke();
  };

  // --- Title ---------------------------------------------------------------
  doc.font(FONT_BOLD).fontSize(18).fillColor(INK);
  doc.text(CERTIFICATE_TITLE, MARGIN_X, MARGIN_TOP, { width: CONTENT_WIDTH, lineBreak: false });
  let y = MARGIN_TOP + doc.currentLineHeight(true) + 2;
  doc.font(FONT_REGULAR).fontSize(8.5).fillColor(MUTED);
  doc.text(`原厂延保 · ${c.manufacturerName} / Original-manufacturer extended warranty`, MARGIN_X, y, {
    width: CONTENT_WIDTH,
    height: doc.currentLineHeight(true),
    ellipsis: true,
  });
  y = doc.y + 8;
  rule(y, ACCENT, 1.2);
  y += 12;
  if (voided) {
    doc.font(FONT_BOLD).fontSize(11).fillColor(ACCENT);
    doc.text(voided.zh, MARGIN_X, y, { width: CONTENT_WIDTH });
    doc
      .font(FONT_REGULAR)
      .fontSize(9)
      .text(voided.en, MARGIN_X, doc.y + 1, { width: CONTENT_WIDTH });
    y = doc.y + 10;
  }

  // --- Order details (left) and QR code (right) ------------------------------
  const tableTop = y;
  interface Line {
    text: string;
    font?: string;
    size?: number;
    color?: string;
    /** Lines to wrap to before an ellipsis; default 2. */
    maxLines?: number;
  }
  /** One labelled row of one or more value lines; each wraps to at most maxLines lines. */
  const row = (label: string, ...lines: Line[]): void => {
    doc.font(FONT_REGULAR).fontSize(8).fillColor(MUTED);
    doc.text(label, MARGIN_X, y + 1.5, { width: LABEL_WIDTH - 6, lineBreak: false });
    for (const line of lines) {
      doc
        .font(line.font ?? FONT_REGULAR)
        .fontSize(line.size ?? 10)
        .fillColor(line.color ?? INK);
      const textOptions = { width: VALUE_WIDTH, lineGap: 1 };
      const font = line.font ?? FONT_REGULAR;
      if ((font === FONT_REGULAR || font === FONT_BOLD) && !primaryCovers(line.text, fonts)) {
        // Emoji or a minority script: each run in the font of the chain that has its glyphs.
        // Shaped glyphs (Arabic joining forms sharing one body glyph, Tibetan stacks) cannot
        // map back to characters one by one, so the line carries its text as ActualText.
        const runs = fontRuns(line.text, fonts, font);
        doc.markContent('Span', { actual: runs.map((run) => drawingOrder(run.text)).join('') });
        runs.forEach((run, i) => {
          doc.font(run.font);
          const continued = i < runs.length - 1;
          if (i === 0) doc.text(run.text, MARGIN_X + LABEL_WIDTH, y, { ...textOptions, continued });
          else doc.text(run.text, { continued });
        });
        doc.endMarkedContent();
        y = doc.y;
        continue;
      }
      const height = Math.min(
        doc.heightOfString(line.text, textOptions),
        (doc.currentLineHeight(true) + 1) * (line.maxLines ?? 2),
      );
      doc.text(line.text, MARGIN_X + LABEL_WIDTH, y, { ...textOptions, height, ellipsis: true });
      y += height;
    }
    y += 6;
  };

  row('订单号 / Order No.', { text: c.orderNumber, font: monoOr(FONT_MONO_BOLD, c.orderNumber), size: 11 });
  row('延保计划 / Plan', { text: c.planNameZh, font: FONT_BOLD }, { text: c.planNameEn, size: 9 });
  row('计划版本 / Plan version', { text: `第 ${c.planVersion} 版 / Version ${c.planVersion}`, size: 9.5 });
  if (c.termMonths !== undefined) {
    const monthsEn = c.termMonths === 1 ? 'month' : 'months';
    row('延保期限 / Term', { text: `${c.termMonths} 个月 / ${c.termMonths} ${monthsEn}`, size: 9.5 });
  }
  row('厂商 / Manufacturer', { text: c.manufacturerName });
  row('品牌与产品 / Product', { text: `${c.brand} ${c.productName}` });
  row('型号 / Model', { text: c.model, font: monoOr(FONT_MONO, c.model) });
  row('序列号 / Serial No.', {
    text: c.serialNumber,
    font: monoOr(FONT_MONO_BOLD, c.serialNumber),
    size: 11,
  });
  row('持有人 / Holder', { text: c.consumerName });
  row('产品购买日期 / Product bought', { text: c.productPurchaseDate });
  if (c.voided) {
    // No valid-looking period: what there is, is the termination; the bought period only as history.
    row(
      '保障期间 / Coverage period',
      {
        text: `已于 ${c.voided.on} 终止`,
        font: FONT_BOLD,
        size: 11,
        color: ACCENT,
      },
      {
        text: `Terminated on ${c.voided.on}. 原购买期间 / Period bought: ${c.coverageStart} – ${c.coverageEnd}`,
        size: 7.5,
        color: MUTED,
      },
    );
  } else {
    row(
      '保障期间 / Coverage period',
      { text: `${c.coverageStart} 至 ${c.coverageEnd}`, font: FONT_BOLD, size: 11 },
      {
        text: `${c.coverageStart} to ${c.coverageEnd}，首尾两日均含 / both days included`,
        size: 7.5,
        color: MUTED,
        maxLines: 1,
      },
    );
  }
  row('实付金额 / Price paid', { text: price, font: FONT_BOLD });
  if (c.claimCap !== undefined) {
    row(
      '赔付上限 / Claim cap',
      { text: formatFen(c.claimCap.amountFen, c.claimCap.currency), size: 9.5 },
      { text: "购买时主产品零售价 / the product's retail price when bought", size: 7.5, color: MUTED },
    );
  }
  const paidAtChina = chinaTimeOf(c.paidAt);
  if (paidAtChina === null) {
    row('支付时间 / Paid at', { text: c.paidAt, size: 9.5 });
  } else {
    row(
      '支付时间 / Paid at',
      { text: paidAtChina, size: 9.5 },
      { text: '北京时间 / China Standard Time', size: 7.5, color: MUTED, maxLines: 1 },
    );
  }

  const qrX = PAGE_WIDTH - MARGIN_X - QR_SIZE;
  doc.image(qrPng, qrX, tableTop, { width: QR_SIZE, height: QR_SIZE });
  doc.font(FONT_REGULAR).fontSize(7.5).fillColor(MUTED);
  doc.text('扫码验证保障状态', qrX, tableTop + QR_SIZE + 2, { width: QR_SIZE, align: 'center' });
  doc.text('Scan to verify the cover', qrX, doc.y, { width: QR_SIZE, align: 'center' });
  y = Math.max(y, doc.y + 6);

  // The verification link in full, on as many lines as it needs (no ellipsis: it must stay usable).
  doc.font(FONT_REGULAR).fontSize(8).fillColor(MUTED);
  doc.text('验证码 / Verification code', MARGIN_X, y + 1.5, { width: LABEL_WIDTH - 6, lineBreak: false });
  doc.font(monoOr(FONT_MONO_BOLD, c.verificationCode)).fontSize(10).fillColor(INK);
  doc.text(c.verificationCode, MARGIN_X + LABEL_WIDTH, y, { width: CONTENT_WIDTH - LABEL_WIDTH });
  y = doc.y + 4;
  doc.font(FONT_REGULAR).fontSize(8).fillColor(MUTED);
  doc.text('验证网址 / Verify at', MARGIN_X, y + 1.5, { width: LABEL_WIDTH - 6, lineBreak: false });
  doc.font(monoOr(FONT_MONO, c.verificationUrl)).fontSize(8).fillColor(INK);
  doc.text(c.verificationUrl, MARGIN_X + LABEL_WIDTH, y + 1.5, { width: CONTENT_WIDTH - LABEL_WIDTH });
  doc.font(FONT_REGULAR).fontSize(7.5).fillColor(MUTED);
  doc.text(
    '验证只显示保障状态与日期。查看订单、报修或退保请用购买短信中的订单链接，或用手机号查询订单。 ' +
      'Verification shows the cover status and dates only. To see the order, claim or cancel, use the order link from your purchase message, or look the order up by phone.',
    MARGIN_X + LABEL_WIDTH,
    doc.y + 3,
    { width: CONTENT_WIDTH - LABEL_WIDTH, lineGap: 1 },
  );
  y = doc.y + 10;
  rule(y);
  y += 10;

  // --- Clauses, flowing over as many pages as needed -------------------------
  doc.font(FONT_BOLD).fontSize(13).fillColor(INK);
  doc.text('保障条款 / Terms and clauses', MARGIN_X, y, { width: CONTENT_WIDTH });
  doc.font(FONT_REGULAR).fontSize(8).fillColor(MUTED);
  doc.text(
    `保障内容以下列条款为准（计划第 ${c.planVersion} 版冻结文本）。Coverage is defined by the clauses below, as frozen with version ${c.planVersion} of the plan.`,
    MARGIN_X,
    doc.y + 2,
    { width: CONTENT_WIDTH, lineGap: 1 },
  );
  doc.y += 8;

  /** Starts a new page unless `needed` points fit under the current position. */
  const keep = (needed: number): void => {
    if (doc.y + needed > maxY()) doc.addPage();
  };
  const flow = (text: string, font: string, size: number, color: string, lineGap: number): void => {
    doc.font(font).fontSize(size).fillColor(color);
    doc.text(text, MARGIN_X, doc.y, { width: CONTENT_WIDTH, lineGap });
  };

  if (c.clauses.length === 0) {
    flow('（本计划无条款）/ (This plan has no clauses.)', FONT_REGULAR, 9.5, MUTED, 2);
  }
  c.clauses.forEach((clause, index) => {
    const typeZh = label('zh-CN', 'coverage', clause.coverageType);
    const typeEn = label('en', 'coverage', clause.coverageType);
    // Keep the heading with the first lines of the Chinese body.
    keep(70);
    flow(`${index + 1}. ${typeZh} / ${typeEn}`, FONT_REGULAR, 7.5, ACCENT, 0);
    doc.y += 1;
    flow(clause.titleZh, FONT_BOLD, 11, INK, 1);
    doc.y += 1;
    flow(clause.bodyZh, FONT_REGULAR, 9.5, INK, 2.5);
    doc.y += 4;
    // Keep the English title with the first lines of its body.
    keep(36);
    flow(clause.titleEn, FONT_BOLD, 9.5, INK, 1);
    doc.y += 1;
    flow(clause.bodyEn, FONT_REGULAR, 8.5, '#333333', 1.5);
    doc.y += 12;
  });

  // --- Footer on every page: order number and page x of n ---------------------
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing into the bottom margin must not trigger an automatic page break.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const footerY = PAGE_HEIGHT - MARGIN_BOTTOM + 22;
    doc
      .moveTo(MARGIN_X, footerY - 6)
      .lineTo(PAGE_WIDTH - MARGIN_X, footerY - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.font(FONT_REGULAR).fontSize(7.5).fillColor(MUTED);
    const mark = voided ? `${voided.stamp} · ` : '';
    doc.text(`${mark}${CERTIFICATE_TITLE} · 订单号 / Order No. ${c.orderNumber}`, MARGIN_X, footerY, {
      width: CONTENT_WIDTH * 0.72,
      height: doc.currentLineHeight(true),
      ellipsis: true,
    });
    if (voided) {
      // A large diagonal mark across every page, translucent so the text under it stays legible.
      doc.save();
      doc.rotate(-30, { origin: [PAGE_WIDTH / 2, PAGE_HEIGHT / 2] });
      doc.font(FONT_BOLD).fontSize(60).fillColor(ACCENT).fillOpacity(0.22);
      doc.text(voided.stamp, 0, PAGE_HEIGHT / 2 - 50, {
        width: PAGE_WIDTH,
        align: 'center',
        lineBreak: false,
      });
      doc.restore();
      doc.font(FONT_REGULAR).fontSize(7.5).fillColor(MUTED);
    }
    const n = i - range.start + 1;
    doc.text(`第 ${n} 页，共 ${range.count} 页 / Page ${n} of ${range.count}`, MARGIN_X, footerY, {
      width: CONTENT_WIDTH,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }

  doc.end();
  return done;
}
