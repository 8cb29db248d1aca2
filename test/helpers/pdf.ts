/** Reading generated PDFs back in tests: text per page and the embedded images, via pdf.js. */
import jsQRModule from 'jsqr';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
// In Node, pdf.js runs its worker code on the main thread ("fake worker"): it
// imports ./pdf.worker.mjs next to pdf.mjs itself, so no workerSrc is needed.
import { getDocument, ImageKind, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

// jsqr is CommonJS with `exports.default`; under NodeNext the default import is the module object.
export const jsQR = jsQRModule.default;

export async function openPdf(buf: Buffer): Promise<PDFDocumentProxy> {
  return getDocument({
    data: new Uint8Array(buf),
    verbosity: 0,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
  }).promise;
}

export async function pageText(page: PDFPageProxy): Promise<string> {
  const content = await page.getTextContent();
  return content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
}

export async function allPageTexts(pdf: PDFDocumentProxy): Promise<string[]> {
  const texts: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) texts.push(await pageText(await pdf.getPage(i)));
  return texts;
}

export interface DecodedImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** pdf.js decoded image data (1 bpp grey, RGB or RGBA) to RGBA for jsQR. */
export function toRgba(img: DecodedImage): Uint8ClampedArray {
  const { width, height, kind, data } = img;
  const out = new Uint8ClampedArray(width * height * 4);
  if (kind === ImageKind.RGBA_32BPP) {
    out.set(data.subarray(0, out.length));
  } else if (kind === ImageKind.RGB_24BPP) {
    for (let i = 0, j = 0; i < width * height; i++, j += 3) {
      out[i * 4] = data[j] as number;
      out[i * 4 + 1] = data[j + 1] as number;
      out[i * 4 + 2] = data[j + 2] as number;
      out[i * 4 + 3] = 255;
    }
  } else if (kind === ImageKind.GRAYSCALE_1BPP) {
    const rowBytes = (width + 7) >> 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = ((data[y * rowBytes + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
        const v = bit ? 255 : 0;
        const o = (y * width + x) * 4;
        out[o] = v;
        out[o + 1] = v;
        out[o + 2] = v;
        out[o + 3] = 255;
      }
    }
  } else {
    throw new Error(`unexpected image kind ${kind}`);
  }
  return out;
}

export async function decodePageImages(page: PDFPageProxy): Promise<DecodedImage[]> {
  const ops = await page.getOperatorList();
  const ids = ops.fnArray.flatMap((fn, i) =>
    fn === OPS.paintImageXObject ? [(ops.argsArray[i] as [string])[0]] : [],
  );
  return Promise.all(
    ids.map(
      (id) =>
        new Promise<DecodedImage>((resolve) => {
          (id.startsWith('g_') ? page.commonObjs : page.objs).get(id, resolve);
        }),
    ),
  );
}
