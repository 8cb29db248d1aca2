/**
 * The printable plan label (patent part 7, "publish and QR issuance"): an A6
 * sheet with the plan's names in Chinese and English, the product it covers,
 * the QR code of the public landing page, the price and the term. Approvers
 * download it after publishing and print it for packaging or the shop counter.
 */

import PDFDocument from 'pdfkit';
import { formatFen } from '../domain/money.ts';
import {
  FONT_BOLD,
  FONT_MONO,
  FONT_MONO_BOLD,
  FONT_REGULAR,
  loadCjkFonts,
  monoOr,
  registerCjkFonts,
} from './fonts.ts';
import { collectPdf } from './pdf-output.ts';
import { renderQrPng } from './plan-qr.ts';

export interface PlanLabel {
  planNameZh: string;
  planNameEn: string;
  manufacturerName: string;
  brand: string;
  productName: string;
  model: string;
  /** Integer fen (1/100 of the currency unit). */
  priceFen: number;
  /** ISO 4217 code, normally 'CNY'. */
  currency: string;
  termMonths: number;
  /** What the QR code encodes, e.g. https://yanbao.example/w/Ab3dE9xQ */
  publicUrl: string;
  /** Printed under the QR code. */
  planCode: string;
  version: number;
}

export interface PlanLabelRenderOptions {
  /**
   * Written as the PDF's CreationDate (and so also fixes the file ID). With
   * the same label and date the output is byte-for-byte the same; without it
   * pdfkit stamps the current time.
   */
  creationDate?: Date;
}

// A6 portrait, in PDF points (105 mm x 148 mm).
const PAGE_WIDTH = 297.64;
const PAGE_HEIGHT = 419.53;
const MARGIN = 20;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const QR_SIZE = 150;

const INK = '#111111';
const MUTED = '#555555';

function validate(label: PlanLabel): void {
  if (!Number.isSafeInteger(label.termMonths) || label.termMonths <= 0) {
    throw new RangeError(`termMonths must be a positive integer, got ${String(label.termMonths)}`);
  }
  if (!Number.isSafeInteger(label.version) || label.version <= 0) {
    throw new RangeError(`version must be a positive integer, got ${String(label.version)}`);
  }
  if (label.publicUrl.trim() === '') {
    throw new TypeError('publicUrl must not be empty');
  }
}

/** Renders the label as a one-page A6 PDF. */
export async function renderPlanLabelPdf(
  label: PlanLabel,
  options: PlanLabelRenderOptions = {},
): Promise<Buffer> {
  validate(label);
  const price = formatFen(label.priceFen, label.currency);
  const [fonts, qrPng] = await Promise.all([loadCjkFonts(), renderQrPng(label.publicUrl)]);

  const doc = new PDFDocument({
    size: [PAGE_WIDTH, PAGE_HEIGHT],
    margin: 0,
    autoFirstPage: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `${label.planNameZh} / ${label.planNameEn}`,
      Author: label.manufacturerName,
      Subject: `${label.brand} ${label.productName} ${label.model}`,
      Keywords: `${label.planCode} v${label.version}`,
      Creator: 'Yanbao',
      ...(options.creationDate === undefined ? {} : { CreationDate: options.creationDate }),
    },
  });
  const done = collectPdf(doc);

  registerCjkFonts(doc, fonts);

  let y = MARGIN;
  /** Writes a block of at most maxLines lines (ellipsis beyond) and moves y below it. */
  const block = (
    text: string,
    font: string,
    size: number,
    opts: { color?: string; align?: 'left' | 'center'; maxLines?: number; gapAfter?: number } = {},
  ): void => {
    doc
      .font(font)
      .fontSize(size)
      .fillColor(opts.color ?? INK);
    const lineHeight = doc.currentLineHeight(true);
    const textOptions = { width: CONTENT_WIDTH, align: opts.align ?? 'left', lineGap: 0 };
    const height = Math.min(doc.heightOfString(text, textOptions), lineHeight * (opts.maxLines ?? 1));
    doc.text(text, MARGIN, y, { ...textOptions, height, ellipsis: true });
    y += height + (opts.gapAfter ?? 0);
  };

  // Plan name, Chinese then English.
  block(label.planNameZh, FONT_BOLD, 15, { maxLines: 2, gapAfter: 1 });
  block(label.planNameEn, FONT_REGULAR, 10, { color: MUTED, maxLines: 2, gapAfter: 6 });

  doc
    .moveTo(MARGIN, y)
    .lineTo(PAGE_WIDTH - MARGIN, y)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  y += 6;

  // What the plan covers.
  block(`厂商 / Manufacturer: ${label.manufacturerName}`, FONT_REGULAR, 8, { gapAfter: 1 });
  block(`品牌 / Brand: ${label.brand}`, FONT_REGULAR, 8, { gapAfter: 1 });
  block(`产品 / Product: ${label.productName}`, FONT_REGULAR, 8, { gapAfter: 1 });
  block(`型号 / Model: ${label.model}`, FONT_REGULAR, 8, { gapAfter: 6 });

  // The QR code, centred, with the URL and the plan code under it.
  doc.image(qrPng, (PAGE_WIDTH - QR_SIZE) / 2, y, { width: QR_SIZE, height: QR_SIZE });
  y += QR_SIZE + 2;
  block(label.publicUrl, monoOr(FONT_MONO, label.publicUrl), 7, {
    color: MUTED,
    align: 'center',
    maxLines: 2,
    gapAfter: 2,
  });
  block(label.planCode, monoOr(FONT_MONO_BOLD, label.planCode), 11, { align: 'center', gapAfter: 8 });

  // Price and term, both languages.
  const monthsEn = label.termMonths === 1 ? 'month' : 'months';
  block(`价格 / Price ${price}`, FONT_BOLD, 12, { align: 'center', gapAfter: 2 });
  block(`延保期限 ${label.termMonths} 个月 / Term ${label.termMonths} ${monthsEn}`, FONT_REGULAR, 9, {
    align: 'center',
    gapAfter: 6,
  });
  block('扫码查看条款并购买 / Scan to read the terms and buy', FONT_BOLD, 9, { align: 'center' });

  // Version in the bottom corner (fixed position, independent of the flow above).
  doc.font(FONT_REGULAR).fontSize(6).fillColor(MUTED);
  const versionText = `版本 / Version ${label.version}`;
  const versionY = Math.max(y + 2, PAGE_HEIGHT - MARGIN / 2 - doc.currentLineHeight(true));
  doc.text(versionText, MARGIN, versionY, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });

  doc.end();
  return done;
}
