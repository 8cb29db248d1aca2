import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FONT_BOLD, FONT_REGULAR, fontRuns, loadCjkFonts } from '../../src/documents/fonts.ts';
import {
  CERTIFICATE_TITLE,
  renderWarrantyCertificatePdf,
  type WarrantyCertificate,
} from '../../src/documents/order-certificate.ts';
import type { ClauseSnapshot } from '../../src/domain/plan-draft.ts';
import {
  allPageTexts,
  type DecodedImage,
  decodePageImages,
  jsQR,
  openPdf,
  pageText,
  toRgba,
} from '../helpers/pdf.ts';

const CLAUSES: ClauseSnapshot[] = [
  {
    clauseId: '0c7e8a52-4d5e-4b7a-9a59-3f0e3c1f5a01',
    key: 'parts-labour-defects-general',
    version: 2,
    coverageType: 'parts_labour',
    titleZh: '材料及工艺缺陷保修',
    titleEn: 'Defects in materials and workmanship',
    bodyZh:
      '服务期内，产品在正常使用条件下因材料或制造工艺缺陷出现功能性故障的，我方免费提供维修所需的零部件及维修人工。',
    bodyEn:
      'During the Coverage Period, if the product suffers a functional failure under normal use caused by a defect in materials or workmanship, we will provide the parts and labour needed for the repair free of charge.',
  },
  {
    clauseId: null,
    key: null,
    version: 1,
    coverageType: 'accidental_damage',
    titleZh: '意外跌落与碰撞',
    titleEn: 'Accidental drops and impacts',
    bodyZh: '因意外跌落、碰撞导致产品无法正常使用的，服务期内可免费维修一次。',
    bodyEn:
      'One free repair during the Coverage Period when an accidental drop or impact stops the product working.',
  },
  {
    clauseId: '0c7e8a52-4d5e-4b7a-9a59-3f0e3c1f5a03',
    key: 'exclusions-general',
    version: 1,
    coverageType: 'exclusions',
    titleZh: '除外责任',
    titleEn: 'What is not covered',
    bodyZh: '人为故意损坏、未经授权的拆修、丢失或被盗不在保障范围内。',
    bodyEn: 'Intentional damage, unauthorised repairs, loss and theft are not covered.',
  },
];

const CERTIFICATE: WarrantyCertificate = {
  orderNumber: 'YB20250320K7Q4M9XZ',
  planNameZh: '手机全面保障延保 24 个月',
  planNameEn: 'Phone Complete Care 24 Months',
  planVersion: 3,
  manufacturerName: '华星电子有限公司',
  brand: 'Huaxing',
  productName: '星耀 X9 智能手机',
  model: 'HX-X9-256',
  serialNumber: 'HX9A1234567890',
  consumerName: '张小明',
  productPurchaseDate: '2025-03-15',
  coverageStart: '2026-03-15',
  coverageEnd: '2028-03-14',
  amountFen: 19900,
  currency: 'CNY',
  paidAt: '2025-03-20T06:05:09.123Z',
  verificationUrl: 'https://yanbao.example/v/YB20250320K7Q4M9XZ/K7Q4M9XZHX2A',
  verificationCode: 'K7Q4M9XZHX2A',
  clauses: CLAUSES,
  termMonths: 24,
  claimCap: { amountFen: 599_900, currency: 'CNY' },
};
const FIXED_DATE = new Date('2025-01-01T00:00:00Z');

function longClauses(): ClauseSnapshot[] {
  const types = [
    'parts_labour',
    'screen',
    'battery',
    'on_site_service',
    'exclusions',
    'general_terms',
  ] as const;
  return Array.from({ length: 30 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return {
      clauseId: null,
      key: `long-${n}`,
      version: 1,
      coverageType: types[i % types.length] as (typeof types)[number],
      titleZh: `长条款甲${n}号：保障范围与责任`,
      titleEn: `Long clause A${n}: scope and liability`,
      bodyZh:
        '服务期内，产品在正常使用条件下出现功能性故障的，我方免费提供维修所需的零部件及人工，并承担往返运费。'.repeat(
          8,
        ),
      bodyEn:
        'During the Coverage Period we repair functional failures under normal use free of charge, including parts, labour and return shipping. '.repeat(
          6,
        ),
    };
  });
}

describe('renderWarrantyCertificatePdf', () => {
  let buf: Buffer;
  let renderMs: number;
  let pdf: PDFDocumentProxy;
  let texts: string[];

  beforeAll(async () => {
    const started = performance.now();
    buf = await renderWarrantyCertificatePdf(CERTIFICATE, { creationDate: FIXED_DATE });
    renderMs = performance.now() - started;
    pdf = await openPdf(buf);
    texts = await allPageTexts(pdf);
  }, 30_000);

  afterAll(async () => {
    await pdf?.destroy();
  });

  it('is an A4 PDF with a bilingual title naming the order', async () => {
    expect(buf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const page = await pdf.getPage(1);
    const [, , w, h] = page.view;
    expect(w).toBeCloseTo(595.28, 1);
    expect(h).toBeCloseTo(841.89, 1);
    const { info } = await pdf.getMetadata();
    expect(info).toMatchObject({
      Title: `延长保修电子凭证 / Extended Warranty Certificate ${CERTIFICATE.orderNumber}`,
    });
    // Noto Sans SC is embedded (as subsets), so the Chinese renders anywhere.
    expect(buf.includes('NotoSansSC-Regular')).toBe(true);
    expect(buf.includes('NotoSansSC-Bold')).toBe(true);
    // Fits comfortably in an e-mail or a download: one short page set, not megabytes of font.
    expect(buf.length).toBeLessThan(300_000);
    expect(renderMs).toBeLessThan(10_000);
  });

  it('prints the order, the unit, the coverage period and the payment', () => {
    const first = texts[0] as string;
    expect(first).toContain(CERTIFICATE_TITLE);
    expect(first).toContain('YB20250320K7Q4M9XZ');
    expect(first).toContain('HX9A1234567890');
    expect(first).toContain('2026-03-15 至 2028-03-14');
    expect(first).toContain('2026-03-15 to 2028-03-14');
    expect(first).toContain('手机全面保障延保 24 个月');
    expect(first).toContain('Phone Complete Care 24 Months');
    expect(first).toContain('Version 3');
    expect(first).toContain('24 个月 / 24 months');
    expect(first).toContain('华星电子有限公司');
    expect(first).toContain('Huaxing 星耀 X9 智能手机');
    expect(first).toContain('HX-X9-256');
    expect(first).toContain('张小明');
    expect(first).toContain('2025-03-15');
    expect(first).toContain('¥199.00');
    expect(first).toMatch(/赔付上限 \/ Claim cap\s*¥5,999\.00/);
    // 06:05:09Z is 14:05:09 in Beijing.
    expect(first).toContain('2025-03-20 14:05:09 (UTC+8)');
    expect(first).toContain(CERTIFICATE.verificationUrl);
    expect(first).toContain('K7Q4M9XZHX2A');
    expect(first).not.toMatch(/VOID|作废/);
  });

  it('prints every frozen clause in both languages with its coverage type', () => {
    const all = texts.join('\n');
    for (const clause of CLAUSES) {
      expect(all).toContain(clause.titleZh);
      expect(all).toContain(clause.titleEn);
    }
    expect(all).toContain('材料或制造工艺缺陷');
    expect(all).toContain('Intentional damage, unauthorised repairs');
    expect(all).toContain('1. 零部件与人工 / Parts and labour');
    expect(all).toContain('2. 意外损坏 / Accidental damage');
    expect(all).toContain('3. 除外责任 / Exclusions');
  });

  it('numbers its pages', () => {
    expect(pdf.numPages).toBeGreaterThanOrEqual(1);
    texts.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${pdf.numPages}`);
      expect(text).toContain(`第 ${i + 1} 页，共 ${pdf.numPages} 页`);
    });
  });

  it('embeds a QR code that decodes to the verification link', async () => {
    const images = await decodePageImages(await pdf.getPage(1));
    expect(images).toHaveLength(1);
    const img = images[0] as DecodedImage;
    expect(img.width).toBeGreaterThanOrEqual(400);
    expect(img.width).toBe(img.height);
    expect(jsQR(toRgba(img), img.width, img.height)?.data).toBe(CERTIFICATE.verificationUrl);
  });

  it('is byte-for-byte deterministic for a fixed creation date', async () => {
    const again = await renderWarrantyCertificatePdf(CERTIFICATE, { creationDate: FIXED_DATE });
    expect(again.equals(buf)).toBe(true);
  });

  it('flows 30 long clauses over several numbered pages, every title present, in order', async () => {
    const clauses = longClauses();
    const long = await renderWarrantyCertificatePdf(
      { ...CERTIFICATE, clauses },
      { creationDate: FIXED_DATE },
    );
    const doc = await openPdf(long);
    try {
      expect(doc.numPages).toBeGreaterThanOrEqual(5);
      const pages = await allPageTexts(doc);
      pages.forEach((text, i) => {
        expect(text).toContain(`Page ${i + 1} of ${doc.numPages}`);
        expect(text).toContain(`订单号 / Order No. ${CERTIFICATE.orderNumber}`);
      });
      const all = pages.join('\n');
      let last = -1;
      for (const clause of clauses) {
        const zh = all.indexOf(clause.titleZh);
        const en = all.indexOf(clause.titleEn);
        expect(zh, clause.titleZh).toBeGreaterThan(last);
        expect(en, clause.titleEn).toBeGreaterThan(zh);
        last = en;
      }
      // The order details stay on the first page only; the QR code too.
      expect(pages[0]).toContain('HX9A1234567890');
      expect(pages.slice(1).some((text) => text.includes('序列号 / Serial No.'))).toBe(false);
      expect(await decodePageImages(await doc.getPage(2))).toHaveLength(0);
    } finally {
      await doc.destroy();
    }
  }, 30_000);

  it('prints the whole verification link even when it is long, and a payment time it cannot parse as given', async () => {
    const verificationUrl = `https://yanbao.example/${'verify/'.repeat(12)}YB20250320K7Q4M9XZ/K7Q4M9XZHX2A`;
    const out = await renderWarrantyCertificatePdf({
      ...CERTIFICATE,
      verificationUrl,
      paidAt: '2025年3月20日 下午2点',
    });
    const doc = await openPdf(out);
    try {
      const text = await pageText(await doc.getPage(1));
      expect(text.replace(/\s+/g, '')).toContain(verificationUrl);
      expect(text).toContain('2025年3月20日 下午2点');
      const [img] = await decodePageImages(await doc.getPage(1));
      expect(img && jsQR(toRgba(img), img.width, img.height)?.data).toBe(verificationUrl);
    } finally {
      await doc.destroy();
    }
  });

  it('marks a cancelled order void on every page, with the date, and prints no valid-looking cover', async () => {
    const out = await renderWarrantyCertificatePdf({
      ...CERTIFICATE,
      clauses: longClauses(),
      voided: { status: 'cancelled', on: '2026-12-03' },
    });
    const doc = await openPdf(out);
    try {
      const pages = await allPageTexts(doc);
      expect(pages.length).toBeGreaterThan(1);
      for (const text of pages) expect(text).toContain('已作废 VOID');
      const first = pages[0] as string;
      expect(first).toContain('本凭证已作废：订单已于 2026-12-03 退保，保障已终止。');
      expect(first).toContain('VOID: this order was cancelled on 2026-12-03; it gives no cover.');
      expect(first).toContain('保障期间 / Coverage period 已于 2026-12-03 终止');
      expect(first).toContain('Terminated on 2026-12-03.');
      expect(first).not.toContain('2026-03-15 至 2028-03-14');
      expect(first).not.toContain('both days included');
    } finally {
      await doc.destroy();
    }
  }, 30_000);

  it('marks an order ended by a replacement as ended, with the date', async () => {
    const out = await renderWarrantyCertificatePdf({
      ...CERTIFICATE,
      voided: { status: 'ended', on: '2027-05-02' },
    });
    const doc = await openPdf(out);
    try {
      const first = await pageText(await doc.getPage(1));
      expect(first).toContain('已终止 ENDED');
      expect(first).toContain('本凭证已终止：产品已于 2027-05-02 换新，延保已履约完毕。');
      expect(first).toContain('保障期间 / Coverage period 已于 2027-05-02 终止');
      expect(first).not.toContain('2026-03-15 至 2028-03-14');
    } finally {
      await doc.destroy();
    }
  });

  it('renders a plan with no clauses', async () => {
    const out = await renderWarrantyCertificatePdf({ ...CERTIFICATE, clauses: [] });
    const doc = await openPdf(out);
    try {
      expect(doc.numPages).toBe(1);
      expect(await pageText(await doc.getPage(1))).toContain('This plan has no clauses');
    } finally {
      await doc.destroy();
    }
  });

  it('rejects invalid money, dates, versions and links', async () => {
    await expect(renderWarrantyCertificatePdf({ ...CERTIFICATE, amountFen: 199.5 })).rejects.toThrow(
      RangeError,
    );
    await expect(renderWarrantyCertificatePdf({ ...CERTIFICATE, currency: 'rmb' })).rejects.toThrow(
      TypeError,
    );
    await expect(renderWarrantyCertificatePdf({ ...CERTIFICATE, coverageEnd: '2026-02-30' })).rejects.toThrow(
      /coverageEnd/,
    );
    await expect(renderWarrantyCertificatePdf({ ...CERTIFICATE, coverageEnd: '2026-03-14' })).rejects.toThrow(
      RangeError,
    );
    await expect(
      renderWarrantyCertificatePdf({ ...CERTIFICATE, productPurchaseDate: '15/03/2025' }),
    ).rejects.toThrow(/productPurchaseDate/);
    await expect(renderWarrantyCertificatePdf({ ...CERTIFICATE, planVersion: 0 })).rejects.toThrow(
      RangeError,
    );
    await expect(renderWarrantyCertificatePdf({ ...CERTIFICATE, termMonths: 1.5 })).rejects.toThrow(
      RangeError,
    );
    await expect(renderWarrantyCertificatePdf({ ...CERTIFICATE, verificationUrl: ' ' })).rejects.toThrow(
      /verificationUrl/,
    );
    await expect(
      renderWarrantyCertificatePdf({ ...CERTIFICATE, voided: { status: 'cancelled', on: '2026-13-01' } }),
    ).rejects.toThrow(/voided.on/);
    await expect(renderWarrantyCertificatePdf({ ...CERTIFICATE, orderNumber: '' })).rejects.toThrow(
      /orderNumber/,
    );
  });
});

/** The text of a PDF as poppler's pdftotext reads it, without the bidi embedding marks it adds. */
function pdftotext(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'certificate-'));
  try {
    const file = path.join(dir, 'certificate.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
      /[\u202a-\u202e]/g,
      '',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Emoji and the scripts of China's minorities the font chain covers (issue 10 item 16). */
const NAMES = {
  emoji: '王五😀👍',
  uyghur: 'ئابدۇرېھىم',
  uyghurTwoWords: 'ئابدۇرېھىم ئەخمەت',
  tibetan: 'བཀྲ་ཤིས་',
  family: '李四👨‍👩‍👧',
};

describe('holder names beyond Chinese and Latin', () => {
  for (const [what, name] of Object.entries(NAMES)) {
    it(`prints ${what} (${name}) so that pdftotext gives it back`, async () => {
      const out = await renderWarrantyCertificatePdf({ ...CERTIFICATE, consumerName: name, clauses: [] });
      expect(pdftotext(out)).toContain(name);
      // Fallback fonts are embedded as subsets: the PDF stays small.
      expect(out.length).toBeLessThan(120_000);
    });
  }

  it('draws every character of those names with a real glyph, never .notdef', async () => {
    const fonts = await loadCjkFonts();
    for (const name of Object.values(NAMES))
      for (const font of [FONT_REGULAR, FONT_BOLD])
        for (const run of fontRuns(name, fonts, font)) {
          const glyphs = run.face.layout(run.text).glyphs;
          expect(
            glyphs.filter((g) => g.id === 0),
            `${name} in ${run.font}`,
          ).toEqual([]);
        }
    expect(fontRuns(NAMES.emoji, fonts).map((r) => [r.font, r.text])).toEqual([
      [FONT_REGULAR, '王五'],
      ['NotoEmoji-Regular', '😀👍'],
    ]);
    expect(fontRuns(NAMES.uyghurTwoWords, fonts, FONT_BOLD).map((r) => r.font)).toEqual([
      'NotoSansArabic-Bold',
    ]);
  });

  it('splits any text into runs that give it back whole, one font per run', async () => {
    const fonts = await loadCjkFonts();
    const pieces = fc.constantFrom(
      '王',
      'A',
      ' ',
      '，',
      '😀',
      '\u200d',
      '\ufe0f',
      'ئ',
      'ا',
      'ཀ',
      'ྲ',
      '\u{10ffff}',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (chars) => {
        const text = chars.join('');
        const runs = fontRuns(text, fonts);
        expect(runs.map((r) => r.text).join('')).toBe(text);
        for (const [i, run] of runs.entries()) {
          expect(run.text).not.toBe('');
          if (i > 0) expect(run.font).not.toBe(runs[i - 1]?.font);
        }
      }),
    );
  });
});
