import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderQrPng, renderQrSvg } from '../../src/documents/plan-qr.ts';

// jsqr is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const jsQR = jsQRModule.default;

function decodePng(buf: Buffer): {
  text: string | undefined;
  width: number;
  height: number;
  colorType: number;
} {
  const png = PNG.sync.read(buf);
  const code = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  return { text: code?.data, width: png.width, height: png.height, colorType: png.colorType };
}

const URLS = [
  'https://yanbao.example/w/Ab3dE9xQ',
  'https://yanbao.example/w/Ab3dE9xQ/terms/clauses/accidental-damage?lang=zh-CN&utm_source=packaging&utm_medium=qr&utm_campaign=2025-spring-launch&ref=HX-X9-256&v=3#purchase',
  `https://yanbao.example/w/${'a1B2c3D4'.repeat(20)}?q=${encodeURIComponent('手机 全面保障 & more')}`,
];

describe('renderQrPng', () => {
  it.each(URLS)('decodes back to exactly the URL: %s', async (url) => {
    const buf = await renderQrPng(url);
    expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const decoded = decodePng(buf);
    expect(decoded.text).toBe(url);
    expect(decoded.width).toBe(decoded.height);
    // About 512 px: a whole number of pixels per module, nearest to 512.
    expect(decoded.width).toBeGreaterThanOrEqual(400);
    expect(decoded.width).toBeLessThanOrEqual(640);
  });

  it('is greyscale without alpha, so it embeds in a PDF without a soft mask', async () => {
    const decoded = decodePng(await renderQrPng(URLS[0] as string));
    expect(decoded.colorType).toBe(0);
  });

  it('keeps a 4-module white quiet zone around the symbol', async () => {
    const png = PNG.sync.read(await renderQrPng(URLS[0] as string));
    // Version 3 at level M for this URL: 29 modules + 2 x 4 quiet zone = 37 modules.
    const scale = png.width / 37;
    expect(Number.isInteger(scale)).toBe(true);
    const quiet = 4 * scale;
    const isWhite = (x: number, y: number) => png.data[(y * png.width + x) * 4] === 255;
    for (let i = 0; i < png.width; i++) {
      for (let j = 0; j < quiet; j++) {
        expect(
          isWhite(i, j) && isWhite(j, i) && isWhite(i, png.height - 1 - j) && isWhite(png.width - 1 - j, i),
        ).toBe(true);
      }
    }
    // The finder pattern starts right after the quiet zone.
    expect(isWhite(quiet, quiet)).toBe(false);
  });

  it('is deterministic', async () => {
    const [a, b] = await Promise.all([renderQrPng(URLS[1] as string), renderQrPng(URLS[1] as string)]);
    expect(a.equals(b)).toBe(true);
  });
});

describe('renderQrSvg', () => {
  it('is a standalone SVG document with a path', async () => {
    const svg = await renderQrSvg(URLS[0] as string);
    expect(svg).toContain('<svg');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toMatch(/viewBox="0 0 37 37"/);
    expect(svg).toMatch(/<path[^>]* d="M/);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it('differs for different URLs', async () => {
    const [a, b] = await Promise.all(URLS.slice(0, 2).map((u) => renderQrSvg(u)));
    expect(a).not.toBe(b);
  });
});
