/**
 * One message catalogue per language, read by the server (pages, SMS, PDFs, API error messages) and the portal.
 * Each namespace is one JSON file per locale: `locales/<locale>/<namespace>.json`. Code and data carry
 * `{ code, params }` (code = "namespace:key.path"); only the edge turns them into words, through `translate`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Static } from '@sinclair/typebox';
import i18next, { type Resource } from 'i18next';
import type { MessageSchema } from '../domain/schemas.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** A message in data form: what happened, not how it reads. */
export type Message = Static<typeof MessageSchema>;

const LOCALES_DIR = new URL('./locales/', import.meta.url);

/** Every namespace file of every locale, as i18next resources. */
export function loadResources(): Resource {
  const resources: Resource = {};
  for (const locale of LOCALES) {
    const dir = new URL(`${locale}/`, LOCALES_DIR);
    resources[locale] = Object.fromEntries(
      readdirSync(dir)
        .filter((file) => file.endsWith('.json'))
        .map((file) => [
          file.slice(0, -'.json'.length),
          JSON.parse(readFileSync(new URL(file, dir), 'utf8')),
        ]),
    );
  }
  return resources;
}

const catalogue = i18next.createInstance();
await catalogue.init({
  resources: loadResources(),
  lng: DEFAULT_LOCALE,
  // A missing key shows as the key itself (tests look for that), never as another language's words.
  fallbackLng: false,
  initAsync: false,
  // Escaping belongs to the renderer (HTML, SMS, PDF each escape their own way).
  interpolation: { escapeValue: false },
});

/** The words for a message in one locale; an unknown code comes back as the code itself. */
export function translate(locale: Locale, message: Message | string): string {
  const { code, params } = typeof message === 'string' ? { code: message, params: undefined } : message;
  // i18next would answer the key without its namespace; the whole code is easier to spot on a page.
  // With the params: a plural message exists only as its `_one`/`_other` forms, found by `count`.
  if (!catalogue.exists(code, { ...params, lng: locale })) return code;
  return catalogue.t(code, { ...params, lng: locale });
}

/** Whether the catalogue has words for this code in this locale. */
export function hasMessage(locale: Locale, code: string): boolean {
  return catalogue.exists(code, { lng: locale });
}

/** One namespace of one locale as stored (placeholders not filled), e.g. for a page's words or the portal. */
export function catalogueNamespace(locale: Locale, namespace: string): Record<string, unknown> {
  return catalogue.getResourceBundle(locale, namespace) ?? {};
}
