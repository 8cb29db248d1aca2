/**
 * Fonts shared by every generated PDF (plan labels, warranty certificates).
 * Chinese needs an embedded CJK font: Noto Sans SC (SIL Open Font License)
 * from the installed @expo-google-fonts/noto-sans-sc package, which also
 * covers Latin. pdfkit embeds only the glyphs a document uses, so the 10 MB
 * TTF files cost tens of kilobytes per PDF. The standard Courier fonts need no
 * embedding and are used for printable-ASCII codes, serials and URLs.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type PDFDocument from 'pdfkit';

export const FONT_REGULAR = 'NotoSansSC-Regular';
export const FONT_BOLD = 'NotoSansSC-Bold';
/** Standard PDF font (no embedding); only for printable ASCII. */
export const FONT_MONO = 'Courier';
export const FONT_MONO_BOLD = 'Courier-Bold';

export interface CjkFonts {
  regular: Buffer;
  bold: Buffer;
}

let fontsPromise: Promise<CjkFonts> | undefined;

/** Noto Sans SC regular and bold from the installed npm package, read once per process. */
export function loadCjkFonts(): Promise<CjkFonts> {
  if (fontsPromise === undefined) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
    const pending = Promise.all([
      readFile(path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf')),
      readFile(path.join(dir, '700Bold', 'NotoSansSC_700Bold.ttf')),
    ]).then(([regular, bold]) => ({ regular, bold }));
    // Do not cache a failure: a later call may succeed (e.g. after a transient I/O error).
    pending.catch(() => {
      if (fontsPromise === pending) fontsPromise = undefined;
    });
    fontsPromise = pending;
  }
  return fontsPromise;
}

/** Registers the fonts under FONT_REGULAR and FONT_BOLD on a document. */
export function registerCjkFonts(doc: InstanceType<typeof PDFDocument>, fonts: CjkFonts): void {
  doc.registerFont(FONT_REGULAR, fonts.regular);
  doc.registerFont(FONT_BOLD, fonts.bold);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** True when Courier (WinAnsi, no embedding) can show the text as is. */
export function isPrintableAscii(text: string): boolean {
  return PRINTABLE_ASCII.test(text);
}

/** The given monospace font for printable ASCII, the regular CJK font otherwise. */
export function monoOr(monoFont: string, text: string): string {
  return isPrintableAscii(text) ? monoFont : FONT_REGULAR;
}
