/**
 * Small DOM helpers shared by the pages: element building, translated text
 * nodes, field-level error display and flash notices. No framework.
 */
import { ApiError } from './api.js';
import { catalogueMessage, pick, reasonLabel, t } from './i18n.js';

/** Builds an element: h('a', { href, class: 'button' }, 'text', child). `on*` attributes become listeners. */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'checked' || key === 'value' || key === 'disabled' || key === 'selected')
      node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

/** A span whose text follows the language: tx('nav.products') or tx('common.months', { n: 12 }). */
export function tx(key, args, tag = 'span', attributes = {}) {
  const dataset = { i18n: key, ...(args ? { i18nArgs: JSON.stringify(args) } : {}) };
  return h(
    tag,
    { ...attributes, dataset: { ...(attributes.dataset ?? {}), ...dataset } },
    t(key, args ?? {}),
  );
}

/** A span showing the Chinese or English member of a pair, following the language. */
export function bi(zhText, enText, tag = 'span', attributes = {}) {
  return h(
    tag,
    { ...attributes, dataset: { ...(attributes.dataset ?? {}), zh: zhText, en: enText } },
    pick(zhText, enText),
  );
}

/** A matching reason in words of the current language. */
export const reason = (reason) =>
  h('li', { dataset: { reason: JSON.stringify(reason) } }, reasonLabel(reason));

/** A server message ({ code, params }) in words of the current language, following the language switch. */
const serverText = ({ code, params }) =>
  h('span', { dataset: { message: JSON.stringify({ code, params }) } }, catalogueMessage({ code, params }));

export function clear(node) {
  node.replaceChildren();
  return node;
}

export const byId = (id) => document.getElementById(id);

export const param = (name) => new URLSearchParams(location.search).get(name);

/** Field paths from the API ("company.usccCode", "clauseIds/3") in the dotted form used by data-field. */
const dotted = (field) => field.replace(/\//g, '.');

function fieldContainer(root, field) {
  const parts = dotted(field).split('.');
  while (parts.length > 0) {
    const found = root.querySelector(`[data-field="${CSS.escape(parts.join('.'))}"]`);
    if (found) return found;
    parts.pop();
  }
  return null;
}

let errorIds = 0;
function errorNodeOf(container) {
  let node = container.querySelector(':scope > .field-error');
  if (!node) {
    node = h('p', { class: 'field-error', id: `field-error-${++errorIds}`, role: 'alert' });
    container.append(node);
  }
  return node;
}

/** Removes every error shown under `root`. */
export function clearErrors(root) {
  for (const node of root.querySelectorAll('.field-error')) {
    node.hidden = true;
    node.replaceChildren();
  }
  for (const node of root.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const node of root.querySelectorAll('.has-error')) node.classList.remove('has-error');
  const summary = root.querySelector('[data-role="form-error"]');
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
}

/** Shows one message next to a field: a server field problem ({ code, params }) or a page's { key, args }. */
export function showFieldError(root, field, message) {
  const container = fieldContainer(root, field);
  if (!container) return false;
  container.classList.add('has-error');
  const node = errorNodeOf(container);
  // Ajv may report one blank field twice (minLength and pattern): say it once.
  const text = message.code ? catalogueMessage(message) : t(message.key, message.args);
  if ([...node.children].some((child) => child.textContent === text)) return true;
  const line = message.code ? serverText(message) : tx(message.key, message.args);
  if (node.childNodes.length > 0) node.append(' · ');
  node.append(line);
  node.hidden = false;
  const control = container.querySelector('input, select, textarea');
  if (control) {
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', node.id);
  }
  return true;
}

/** The text of an error for people: network trouble, server trouble, or the API's own message. */
export function errorMessage(error) {
  if (error instanceof ApiError) {
    if (error.status >= 500) return { key: 'common.serverError' };
    // The API's words are in the language the page asked for; its code follows a later switch too.
    return error.detail ? { detail: error.detail } : { text: error.message };
  }
  return { key: 'common.networkError' };
}

/** Fills a notice element with an error, translated and following the language. */
export function setNotice(node, content, kind = 'error') {
  node.className = `notice notice-${kind}`;
  node.replaceChildren(
    content.key
      ? tx(content.key, content.args)
      : content.detail
        ? serverText(content.detail)
        : h('span', {}, content.text),
  );
  node.hidden = false;
}

/**
 * Shows an API error on a form: field problems next to their inputs, the rest
 * (and a summary) in the form's [data-role="form-error"] box.
 */
export function showErrors(root, error) {
  clearErrors(root);
  const summary = root.querySelector('[data-role="form-error"]');
  const fields = error instanceof ApiError ? error.fields : [];
  const unplaced = fields.filter((f) => !showFieldError(root, f.field, f));
  if (!summary) return;
  if (fields.length > 0 && unplaced.length === 0) {
    setNotice(summary, { key: 'common.fixFields' });
  } else if (unplaced.length > 0) {
    setNotice(summary, { text: unplaced.map((f) => `${f.field}: ${f.message}`).join('; ') });
  } else {
    setNotice(summary, errorMessage(error));
  }
  const first = root.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
  else summary.scrollIntoView({ block: 'nearest' });
}

/** Shows client-side problems ({ field: { key, args } }) the same way as the server's. */
export function showLocalErrors(root, problems) {
  clearErrors(root);
  for (const [field, message] of Object.entries(problems)) showFieldError(root, field, message);
  const summary = root.querySelector('[data-role="form-error"]');
  if (summary) setNotice(summary, { key: 'common.fixFields' });
  root.querySelector('[aria-invalid="true"]')?.focus();
}

/** Trimmed text of a named control. */
export const fieldValue = (form, name) => String(form.elements.namedItem(name)?.value ?? '').trim();

/** A whole number from a control, the raw text when it is not one (the server explains), or undefined when empty. */
export function integerOf(form, name) {
  const text = fieldValue(form, name);
  if (text === '') return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/** Disables a form's submit buttons while a request is in flight. */
export async function busy(form, work) {
  const buttons = form.querySelectorAll('button');
  for (const button of buttons) button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    for (const button of buttons) button.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

/**
 * The submit handler of a form: no page load, earlier errors cleared and the buttons disabled
 * while `send(event, form)` runs. A refusal is shown at its fields, then handed to `refused`
 * when the page has more to do (reload what someone else changed meanwhile, say).
 * Views bind it as `@submit=${submitting(send)}`.
 */
export const submitting = (send, refused) => async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  await busy(form, async () => {
    try {
      await send(event, form);
    } catch (error) {
      showErrors(form, error);
      await refused?.(error);
    }
  });
};

/** Sends a form on submit (see submitting), for a form the page found by id. */
export const onSubmit = (form, send, refused) => form.addEventListener('submit', submitting(send, refused));

const FLASH_KEY = 'yanbao.flash';

/** A notice shown on the next page (after a redirect). */
export function flashNext(key) {
  try {
    sessionStorage.setItem(FLASH_KEY, key);
  } catch {
    // Without storage the next page simply shows no notice.
  }
}

export function takeFlash() {
  try {
    const key = sessionStorage.getItem(FLASH_KEY);
    sessionStorage.removeItem(FLASH_KEY);
    return key;
  } catch {
    return null;
  }
}

/** Shows a short success notice at the top of the main area. */
export function flash(key) {
  const main = document.querySelector('main');
  if (!main) return;
  main.querySelector(':scope > .notice-flash')?.remove();
  const node = h(
    'div',
    { class: 'notice notice-success notice-flash', role: 'status', 'data-testid': 'flash' },
    tx(key),
  );
  main.prepend(node);
}
