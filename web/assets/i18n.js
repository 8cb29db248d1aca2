/**
 * The web pages' words, from the server's message catalogue (src/i18n/locales/<locale>/<namespace>.json, served
 * as /i18n/<locale>.json): Simplified Chinese (default) and English.
 *
 * A page's view (a lit-html template, see view.js) calls t() and is drawn again when the language changes.
 * Text built outside a view carries `data-i18n="key"` with `data-i18n-args`, `data-zh`/`data-en` for
 * bilingual data, `data-reason` for matching reasons or `data-message` for server messages; switching
 * language re-applies those in place. Neither loses what was typed.
 *
 * Keys: `namespace:key` (e.g. `labels:coverage.screen`); a bare `audit.…` key is in the `audit` namespace, any
 * other bare key in `portal`.
 */

export const LANGS = ['zh-CN', 'en'];
/** The server draws a page's first paint in this cookie's language (src/routes/pages/web-pages.ts). */
const LANG_COOKIE = 'yanbao_lang';

/** Both languages at once (they are small and cached), so switching needs no wait. */
const CATALOGUES = Object.fromEntries(
  await Promise.all(
    LANGS.map(async (lang) => {
      const response = await fetch(`/i18n/${lang}.json`);
      return [lang, response.ok ? await response.json() : {}];
    }),
  ),
);

function storedLang() {
  const value = document.cookie.match(new RegExp(`(?:^|;\\s*)${LANG_COOKIE}=([^;]*)`))?.[1];
  return LANGS.includes(value) ? value : null;
}

let current = storedLang() ?? 'zh-CN';
const listeners = new Set();

export const getLang = () => current;
export const isZh = () => current === 'zh-CN';

/** The catalogue's text for a key in one language, or undefined. */
function lookup(lang, key) {
  const colon = key.indexOf(':');
  const [namespace, path] =
    colon >= 0
      ? [key.slice(0, colon), key.slice(colon + 1)]
      : key.startsWith('audit.')
        ? ['audit', key.slice('audit.'.length)]
        : ['portal', key];
  const resources = CATALOGUES[lang]?.[namespace];
  // Flat keys (`nav.dashboard`) and nested tables (`coverage.screen`) both occur, as in i18next.
  if (typeof resources?.[path] === 'string') return resources[path];
  const text = path.split('.').reduce((node, part) => node?.[part], resources);
  return typeof text === 'string' ? text : undefined;
}

/** Translates a key, filling `{{name}}` placeholders; an unknown key shows itself (easy to spot). */
export function t(key, args = {}) {
  const text = lookup(current, key) ?? lookup('zh-CN', key) ?? key;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
}

export const categoryLabel = (category) => t(`labels:category.${category}`);
export const coverageLabel = (type) => t(`labels:coverage.${type}`);
export const stageLabel = (stage) => t(`labels:stage.${stage}`);
export const roleLabel = (role) => t(`labels:role.${role}`);
export function startRuleLabel(rule) {
  if (rule?.kind === 'waiting_days' && rule.days)
    return t('labels:startRule.waiting_days_n', { n: rule.days });
  return t(`labels:startRule.${rule?.kind}`);
}

/** Picks the text for the current language from a Chinese/English pair. */
export const pick = (zhText, enText) => (isZh() ? zhText || enText : enText || zhText);

/** A param that is a category or coverage type key shows as its label; anything else as it is. */
function shownParam(name, value) {
  const label = (key) => {
    const text = t(key);
    return text === key ? value : text;
  };
  if (name === 'category') return label(`labels:category.${value}`);
  if (name === 'type') return label(`labels:coverage.${value}`);
  if (name === 'categories')
    return String(value)
      .split(/,\s*/)
      .map((category) => label(`labels:category.${category}`))
      .join(isZh() ? '、' : ', ');
  return value;
}

/**
 * The words of a message the server sent as data ("namespace:key.path" and its params: errors, matching
 * reasons), so it follows the language switch like every other text; an unknown code shows itself.
 */
export function catalogueMessage({ code, params = {} }) {
  const plural =
    typeof params.count === 'number'
      ? lookup(current, `${code}_${new Intl.PluralRules(current).select(params.count)}`)
      : undefined;
  const text = plural ?? lookup(current, code);
  if (typeof text !== 'string') return code;
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name) =>
    name in params ? String(shownParam(name, params[name])) : whole,
  );
}

/** A matching reason in words; a draft matched before reasons had codes keeps its English text. */
export const reasonLabel = (reason) => (typeof reason === 'string' ? reason : catalogueMessage(reason));

/** Re-applies every translated attribute under `root` for the current language. */
export function applyI18n(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) {
    const args = node.dataset.i18nArgs ? JSON.parse(node.dataset.i18nArgs) : {};
    node.textContent = t(node.dataset.i18n, args);
  }
  for (const [attribute, data] of [
    ['placeholder', 'i18nPlaceholder'],
    ['aria-label', 'i18nAriaLabel'],
    ['title', 'i18nTitle'],
    ['alt', 'i18nAlt'],
  ]) {
    const selector = `[data-${data.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
    for (const node of root.querySelectorAll(selector)) node.setAttribute(attribute, t(node.dataset[data]));
  }
  for (const node of root.querySelectorAll('[data-zh], [data-en]')) {
    node.textContent = pick(node.dataset.zh ?? '', node.dataset.en ?? '');
  }
  for (const node of root.querySelectorAll('[data-reason]'))
    node.textContent = reasonLabel(JSON.parse(node.dataset.reason));
  for (const node of root.querySelectorAll('[data-message]'))
    node.textContent = catalogueMessage(JSON.parse(node.dataset.message));
  if (root === document) document.documentElement.lang = current;
}

export function setLang(lang) {
  if (!LANGS.includes(lang) || lang === current) return;
  current = lang;
  // biome-ignore lint/suspicious/noDocumentCookie: one fixed name and value; the Cookie Store API is not in every browser clerks use yet.
  document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=31536000; samesite=lax`;
  applyI18n(document);
  for (const listener of listeners) listener(lang);
}

export const toggleLang = () => setLang(isZh() ? 'en' : 'zh-CN');

/** For the rare text that is not expressible as attributes (e.g. formatted sentences built by a page). */
export function onLangChange(listener) {
  listeners.add(listener);
}
