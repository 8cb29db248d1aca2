/**
 * The web pages' words, from the server's message catalogue (src/i18n/locales/<locale>/<namespace>.json, served
 * as /i18n/<locale>.json): Simplified Chinese (default) and English.
 *
 * Static text carries `data-i18n="key"` (plus `data-i18n-placeholder`,
 * `data-i18n-aria-label`, `data-i18n-title`); text rendered from data carries
 * `data-i18n` with `data-i18n-args`, `data-zh`/`data-en` for bilingual data, or
 * `data-reason` for matching reasons. Switching language re-applies all of
 * them in place, so pages never re-render (and never lose what was typed).
 *
 * Keys: `namespace:key` (e.g. `labels:coverage.screen`); a bare `audit.…` key is in the `audit` namespace, any
 * other bare key in `portal`.
 */

export const LANGS = ['zh-CN', 'en'];
const STORAGE_KEY = 'yanbao.lang';

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
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(value) ? value : null;
  } catch {
    return null;
  }
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

const listOf = (csv) =>
  csv
    .split(/,\s*/)
    .map(categoryLabel)
    .join(isZh() ? '、' : ', ');

/** The matching service explains its scores in English phrases; these patterns put them in words of the current language. */
const REASONS = [
  [/^same category \((\w+)\)$/, (m) => t('reason.sameCategory', { category: categoryLabel(m[1]) })],
  [/^same retail price band$/, () => t('reason.samePriceBand')],
  [/^same term \((\d+) months\)$/, (m) => t('reason.sameTerm', { n: m[1] })],
  [/^covers (\d+)% the same risks$/, (m) => t('reason.coversSame', { n: m[1] })],
  [/^covers wanted (\w+)$/, (m) => t('reason.coversWanted', { type: coverageLabel(m[1]) })],
  [/^standard term: (\w+)$/, (m) => t('reason.standardTerm', { type: coverageLabel(m[1]) })],
  [/^written for ([\w, ]+)$/, (m) => t('reason.writtenFor', { categories: listOf(m[1]) })],
  [/^text matches the draft \((\d+)%\)$/, (m) => t('reason.textMatches', { n: m[1] })],
  [/^used by (\d+)% of similar plans$/, (m) => t('reason.usedBy', { n: m[1] })],
];
export function reasonLabel(reason) {
  for (const [pattern, render] of REASONS) {
    const match = pattern.exec(reason);
    if (match) return render(match);
  }
  return reason;
}

/** Server validation messages are English; the common ones are put in words of the current language. */
const MESSAGES = [
  [/^must have required property/, () => t('msg.required')],
  [
    /^must NOT have fewer than 1 characters$|^must match pattern "\\S"$|^must not be blank$/,
    () => t('msg.blank'),
  ],
  [/^must NOT have fewer than (\d+) characters$/, (m) => t('msg.minLength', { n: m[1] })],
  [/^must NOT have more than (\d+) characters$/, (m) => t('msg.maxLength', { n: m[1] })],
  [/^must match format "email"$/, () => t('msg.email')],
  [/^must match format "date"$/, () => t('msg.date')],
  [/^must be integer$/, () => t('msg.integer')],
  [/^must be >= (\d+)$/, (m) => t('msg.minimum', { n: m[1] })],
  [/^must be <= (\d+)$/, (m) => t('msg.maximum', { n: m[1] })],
  [/^must be one of: /, () => t('msg.oneOf')],
  [/^must NOT have fewer than 1 items$/, () => t('msg.atLeastOne')],
  [/^is not a valid mobile phone number$/, () => t('msg.phone')],
  [/^is already registered$/, () => t('msg.alreadyRegistered')],
  [/^say what should change$/, () => t('msg.sayWhatChanges')],
  [/^must be exactly 18 characters$/, () => t('msg.usccLength')],
  [/^character (\d+) \('(.)'\) is not allowed/, (m) => t('msg.usccCharacter', { n: m[1], c: m[2] })],
  [/^check digit does not match$/, () => t('msg.usccCheck')],
  [/^must be at least 100 fen/, () => t('msg.minFen')],
  [/^must be below the main product's retail price$/, () => t('msg.belowRetail')],
  [/^already exists for this brand$/, () => t('msg.modelExists')],
  [/^is more than a year in the future$/, () => t('msg.launchFuture')],
  [/^is before 2000-01-01$/, () => t('msg.before2000')],
  [/^is not a valid regular expression$/, () => t('msg.badRegex')],
  [/^is not one of your main products$/, () => t('msg.notYourProduct')],
  [/^must include at least one benefit/, () => t('msg.needBenefit')],
  [/^four-eyes rule/, () => t('msg.fourEyes')],
  [/^does not match the product's serial format (.*)$/, (m) => t('msg.serialFormat', { pattern: m[1] })],
  [/^may contain only letters, digits/, () => t('msg.serialCharacters')],
  [/^must not come before range\.from$/, () => t('msg.rangeBefore')],
  [
    /^must start with the same prefix as range\.from \((.*)\)$/,
    (m) => t('msg.rangePrefix', { prefix: m[1] }),
  ],
  [
    /^must have as many digits after the prefix as range\.from \((\d+)\)$/,
    (m) => t('msg.rangeDigits', { n: m[1] }),
  ],
  [/^must end in digits/, () => t('msg.rangeEndDigits')],
  [
    /^(?:covers|has|the list and the range together cover) (\d+) (?:units|serial numbers); at most (\d+) per batch$/,
    (m) => t('msg.batchLimit', { n: m[1], max: m[2] }),
  ],
  [/^must NOT have more than (\d+) items$/, (m) => t('msg.tooManyItems', { n: m[1] })],
  [
    /^(\d+) serial number\(s\) in the range, first (\S+), does not match/,
    (m) => t('msg.rangeMisses', { n: m[1], first: m[2] }),
  ],
  [/^has (\d+) more invalid serial number\(s\) not listed here$/, (m) => t('msg.moreInvalid', { n: m[1] })],
  [/^give a list of serial numbers, a range, or both$/, () => t('units.needUnits')],
  [/^is empty$/, () => t('msg.blank')],
  [/^say why the claim is rejected$/, () => t('msg.rejectReason')],
  [
    /^exceeds the claim cap: (\S+) left of the product's retail price (\S+)$/,
    (m) => t('msg.claimCap', { left: m[1], retail: m[2] }),
  ],
  [/^is longer than (\d+) characters$/, (m) => t('msg.maxLength', { n: m[1] })],
  [
    /^no clause of coverage type (\w+) is selected$/,
    (m) => t('msg.missingType', { type: coverageLabel(m[1]) }),
  ],
];
export function serverMessage(message) {
  for (const [pattern, render] of MESSAGES) {
    const match = pattern.exec(message);
    if (match) return render(match);
  }
  return message;
}

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
    node.textContent = reasonLabel(node.dataset.reason);
  for (const node of root.querySelectorAll('[data-message]'))
    node.textContent = serverMessage(node.dataset.message);
  if (root === document) document.documentElement.lang = current;
}

export function setLang(lang) {
  if (!LANGS.includes(lang) || lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private browsing may refuse storage; the switch still works for this page.
  }
  applyI18n(document);
  for (const listener of listeners) listener(lang);
}

export const toggleLang = () => setLang(isZh() ? 'en' : 'zh-CN');

/** For the rare text that is not expressible as attributes (e.g. formatted sentences built by a page). */
export function onLangChange(listener) {
  listeners.add(listener);
}
