import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlanLabel, renderPlanLabelPdf } from '../../src/documents/plan-label.ts';
import { type DecodedImage, decodePageImages, jsQR, openPdf, pageText, toRgba } from '../helpers/pdf.ts';

const LABEL: PlanLabel = {
  planNameZh: '手机全面保障延保 24 个月',
  planNameEn: 'Phone Complete Care 24 Months',
  manufacturerName: '华星电子有限公司',
  brand: 'Huaxing',
  productName: '星耀 X9 智能手机',
  model: 'HX-X9-256',
  priceFen: 19900,
  currency: 'CNY',
  termMonths: 24,
  publicUrl: 'https://yanbao.example/w/Ab3dE9xQ',
  planCode: 'Ab3dE9xQ',
  version: 3,
};
const FIXED_DATE = new Date('2025-01-01T00:00:00Z');

describe('renderPlanLabelPdf', () => {
  let buf: Buffer;
  let pdf: PDFDocumentProxy;
  let page: PDFPageProxy;

  beforeAll(async () => {
    buf = await renderPlanLabelPdf(LABEL, { creationDate: FIXED_DATE });
    pdf = await openPdf(buf);
    page = await pdf.getPage(1);
  }, 30_000);

  afterAll(async () => {
    await pdf?.destroy();
  });

  it('is a one-page A6 PDF with a title', async () => {
    expect(buf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.numPages).toBe(1);
    const [, , w, h] = page.view;
    expect(w).toBeCloseTo(297.64, 1);
    expect(h).toBeCloseTo(419.53, 1);
    const { info } = await pdf.getMetadata();
    expect(info).toMatchObject({ Title: `${LABEL.planNameZh} / ${LABEL.planNameEn}` });
  });

  it('has the plan name in both languages, the product, price, term, URL and code as text', async () => {
    const text = await pageText(page);
    expect(text).toContain('手机全面保障延保 24 个月');
    expect(text).toContain('Phone Complete Care 24 Months');
    expect(text).toContain('华星电子有限公司');
    expect(text).toContain('HX-X9-256');
    expect(text).toContain('¥199.00');
    expect(text).toContain('价格 / Price ¥199.00');
    expect(text).toContain('延保期限 24 个月 / Term 24 months');
    expect(text).toContain('扫码查看条款并购买 / Scan to read the terms and buy');
    expect(text).toContain('https://yanbao.example/w/Ab3dE9xQ');
    expect(text).toContain('Ab3dE9xQ');
    expect(text).toContain('Version 3');
  });

  it('embeds the QR code as an image that decodes to the public URL', async () => {
    const images = await decodePageImages(page);
    expect(images).toHaveLength(1);
    const img = images[0] as DecodedImage;
    expect(img.width).toBeGreaterThanOrEqual(400);
    expect(img.width).toBe(img.height);
    const code = jsQR(toRgba(img), img.width, img.height);
    expect(code?.data).toBe(LABEL.publicUrl);
  });

  it('is byte-for-byte deterministic for a fixed creation date', async () => {
    const again = await renderPlanLabelPdf(LABEL, { creationDate: FIXED_DATE });
    expect(again.equals(buf)).toBe(true);
  });

  it('stays on one page with very long names and URL', async () => {
    const long = await renderPlanLabelPdf({
      ...LABEL,
      planNameZh: '超长名称的手机全面保障延保计划'.repeat(6),
      planNameEn: 'A Very Long English Plan Name For Testing Wrapping '.repeat(5),
      manufacturerName: '某某某电子科技股份有限公司'.repeat(4),
      productName: 'Product name '.repeat(10),
      publicUrl: `https://yanbao.example/w/Ab3dE9xQ?${'x=1&'.repeat(30)}`,
      priceFen: 1_234_567_89,
      termMonths: 1,
    });
    const doc = await openPdf(long);
    try {
      expect(doc.numPages).toBe(1);
      const text = await pageText(await doc.getPage(1));
      expect(text).toContain('¥1,234,567.89');
      expect(text).toContain('延保期限 1 个月 / Term 1 month');
    } finally {
      await doc.destroy();
    }
  });

  it('rejects invalid money and terms', async () => {
    await expect(renderPlanLabelPdf({ ...LABEL, priceFen: 199.5 })).rejects.toThrow(RangeError);
    await expect(renderPlanLabelPdf({ ...LABEL, termMonths: 0 })).rejects.toThrow(RangeError);
  });
});
