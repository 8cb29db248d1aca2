/**
 * Fonts shared by every generated PDF (plan labels, warranty certificates).
 * Chinese needs an embedded CJK font: Noto Sans SC (SIL Open Font License)
 * from the installed @expo-google-fonts/noto-sans-sc package, which also
 * covers Latin. pdfkit embeds only the glyphs a document uses, so the 10 MB
 * TTF files cost tens of kilobytes per PDF. The standard Courier fonts need no
 * embedding and are used for printable-ASCII codes, serials and URLs.
 *
 * Names and other entered text may hold what Noto Sans SC lacks — emoji, or
 * the scripts of China's minorities (Uyghur in Arabic script, Tibetan,
 * Mongolian). pdfkit has no per-glyph fallback, so such text is split into
 * runs by which font of a chain has the glyph (fontRuns) and each run drawn
 * in its font: Noto Sans SC → Noto Emoji (monochrome outlines; colour bitmap
 * emoji fonts cannot be embedded) → Noto Sans Arabic → Noto Serif Tibetan
 * (no sans is packaged). Mongolian is missing: fontkit cannot read the
 * packaged Noto Sans Mongolian's layout tables. A fallback font is embedded
 * (as a subset) only when a run uses it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type PDFDocument from 'pdfkit';

export const FONT_REGULAR = 'NotoSansSC-Regular';
export const FONT_BOLD = 'NotoSansSC-Bold';
/** Standard PDF font (no embedding); only for printable ASCII. */
export const FONT_MONO = 'Courier';
export const FONT_MONO_BOLD = 'Courier-Bold';

/** A font of the fallback chain, registered under its own names. */
export interface FallbackFont {
  regularName: string;
  boldName: string;
  regular: Buffer;
  /** The regular face again where the package has no bold. */
  bold: Buffer;
  /** The parsed regular face: which code points it has, and the shaping of a run. */
  face: fontkit.Font;
}

export interface CjkFonts {
  regular: Buffer;
  bold: Buffer;
  /** Parsed Noto Sans SC: the first font of the chain. */
  face: fontkit.Font;
  /** Tried in order for what Noto Sans SC lacks. */
  fallbacks: FallbackFont[];
}

/** The fallback chain: npm package, file stem, and whether the package has a bold face. */
const FALLBACKS = [
  { pkg: '@expo-google-fonts/noto-emoji', stem: 'NotoEmoji', name: 'NotoEmoji', bold: true },
  { pkg: '@expo-google-fonts/noto-sans-arabic', stem: 'NotoSansArabic', name: 'NotoSansArabic', bold: true },
  {
    pkg: '@expo-google-fonts/noto-serif-tibetan',
    stem: 'NotoSerifTibetan',
    name: 'NotoSerifTibetan',
    bold: true,
  },
] as const;

function parse(buffer: Buffer): fontkit.Font {
  const font = fontkit.create(buffer);
  if (!('hasGlyphForCodePoint' in font)) throw new TypeError('expected a single font, got a collection');
  return font;
}

let fontsPromise: Promise<CjkFonts> | undefined;

/** Noto Sans SC and the fallback chain from the installed npm packages, read once per process. */
export function loadCjkFonts(): Promise<CjkFonts> {
  if (fontsPromise === undefined) {
    const require = createRequire(import.meta.url);
    const dirOf = (pkg: string) => path.dirname(require.resolve(`${pkg}/package.json`));
    const dir = dirOf('@expo-google-fonts/noto-sans-sc');
    const fallbacks = Promise.all(
      FALLBACKS.map(async ({ pkg, stem, name, bold }) => {
        const [regular, boldFace] = await Promise.all([
          readFile(path.join(dirOf(pkg), '400Regular', `${stem}_400Regular.ttf`)),
          bold ? readFile(path.join(dirOf(pkg), '700Bold', `${stem}_700Bold.ttf`)) : null,
        ]);
        return {
          regularName: `${name}-Regular`,
          boldName: bold ? `${name}-Bold` : `${name}-Regular`,
          regular,
          bold: boldFace ?? regular,
          face: parse(regular),
        };
      }),
    );
    const pending = Promise.all([
      readFile(path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf')),
      readFile(path.join(dir, '700Bold', 'NotoSansSC_700Bold.ttf')),
      fallbacks,
    ]).then(([regular, bold, chain]) => ({ regular, bold, face: parse(regular), fallbacks: chain }));
    // Do not cache a failure: a later call may succeed (e.g. after a transient I/O error).
    pending.catch(() => {
      if (fontsPromise === pending) fontsPromise = undefined;
    });
    fontsPromise = pending;
  }
  return fontsPromise;
}

/** Registers the fonts under FONT_REGULAR and FONT_BOLD, and the fallback chain under its names. */
export function registerCjkFonts(doc: InstanceType<typeof PDFDocument>, fonts: CjkFonts): void {
  doc.registerFont(FONT_REGULAR, fonts.regular);
  doc.registerFont(FONT_BOLD, fonts.bold);
  for (const f of fonts.fallbacks) {
    doc.registerFont(f.regularName, f.regular);
    if (f.boldName !== f.regularName) doc.registerFont(f.boldName, f.bold);
  }
}

export interface FontRun {
  /** Registered font name to draw the run in. */
  font: string;
  text: string;
  /** The parsed face, to check coverage or shaping. */
  face: fontkit.Font;
}

/**
 * Code points that belong to the character before them (joiners, variation selectors,
 * combining marks, emoji modifiers and tags): never a reason to change font mid-character.
 */
const CLINGS =
  /^(?:\u200c|\u200d|\u20e3|[\ufe00-\ufe0f]|\p{M}|[\u{1f3fb}-\u{1f3ff}]|[\u{e0020}-\u{e007f}])$/u;
/** Spaces and punctuation any font may show: kept in the current run, so a right-to-left phrase is shaped and ordered as one. */
const NEUTRAL = /^[\s\p{P}]$/u;

/**
 * Splits text into runs of one font each: a character goes to the first font of the chain
 * (Noto Sans SC, then the fallbacks) that has its glyph; what no font has stays in the
 * primary font. `font` names the primary font to use (FONT_REGULAR or FONT_BOLD).
 */
export function fontRuns(text: string, fonts: CjkFonts, font: string = FONT_REGULAR): FontRun[] {
  const bold = font === FONT_BOLD;
  const primary = { name: font, face: fonts.face };
  const chain = [
    primary,
    ...fonts.fallbacks.map((f) => ({ name: bold ? f.boldName : f.regularName, face: f.face })),
  ];
  const runs: FontRun[] = [];
  let current: FontRun | undefined;
  for (const char of text) {
    const cp = char.codePointAt(0) as number;
    const clings = CLINGS.test(char) || (NEUTRAL.test(char) && current?.face.hasGlyphForCodePoint(cp));
    if (current && clings) {
      current.text += char;
      continue;
    }
    const target = chain.find((f) => f.face.hasGlyphForCodePoint(cp)) ?? primary;
    if (current?.font === target.name) {
      current.text += char;
      continue;
    }
    current = { font: target.name, text: char, face: target.face };
    runs.push(current);
  }
  return runs;
}

/** True when the primary font shows every character itself (one run, no fallback). */
export function primaryCovers(text: string, fonts: CjkFonts): boolean {
  for (const char of text) if (!fonts.face.hasGlyphForCodePoint(char.codePointAt(0) as number)) return false;
  return true;
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
