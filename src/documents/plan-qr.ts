/**
 * QR codes for published plans (patent part 7, "publish and QR issuance"):
 * the code encodes the plan's public landing URL and is printed on packaging
 * and on the plan label.
 */

import type { QRCodeErrorCorrectionLevel, QRCodeToBufferOptions } from 'qrcode';
import QRCode from 'qrcode';

const ERROR_CORRECTION: QRCodeErrorCorrectionLevel = 'M';
/** Quiet zone, in modules (4 is the minimum the QR standard asks for). */
const MARGIN_MODULES = 4;
/** Wanted PNG edge length; the real one is the nearest whole multiple of the module count. */
const TARGET_PNG_WIDTH = 512;

/**
 * Pixels per module, so that every module is the same whole number of pixels
 * (crisp edges when printed) and the image is as close to 512 px as possible.
 */
function pngScale(url: string): number {
  const modules = QRCode.create(url, { errorCorrectionLevel: ERROR_CORRECTION }).modules.size;
  return Math.max(1, Math.round(TARGET_PNG_WIDTH / (modules + 2 * MARGIN_MODULES)));
}

/**
 * An 8-bit greyscale PNG (no alpha channel, so it embeds in a PDF as is),
 * error correction level M, a 4-module quiet zone, about 512 px wide.
 */
export async function renderQrPng(url: string): Promise<Buffer> {
  const options: QRCodeToBufferOptions = {
    type: 'png',
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: MARGIN_MODULES,
    scale: pngScale(url),
    // qrcode hands rendererOpts to pngjs: colorType 0 is greyscale without alpha.
    rendererOpts: { colorType: 0 } as QRCodeToBufferOptions['rendererOpts'],
  };
  return QRCode.toBuffer(url, options);
}

/** A standalone SVG document (with xmlns and a viewBox), same code parameters as the PNG. */
export async function renderQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, {
    type: 'svg',
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: MARGIN_MODULES,
    width: TARGET_PNG_WIDTH,
  });
}
