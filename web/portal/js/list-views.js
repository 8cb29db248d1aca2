/**
 * What the portal's lit-html pages share: a view drawn from the page's state, the query kept in the address,
 * status badges, the API's problems next to their fields, and paging by the API's cursor. Everything here
 * returns templates, so a page re-renders from its state (and on a language switch) instead of building DOM.
 */
import { ApiError } from '../../assets/api.js';
import { catalogueMessage, t } from '../../assets/i18n.js';
import { html, nothing, render } from '../../assets/lit.js';
import { mountView } from '../../assets/view.js';

/**
 * Draws `view(state)` and returns `update(patch)`, which merges the patch into the state and draws again;
 * mountView draws it again on a language switch.
 */
export function mountState(state, view, root = document.getElementById('main')) {
  mountView(() => view(state), root);
  return (patch) => {
    Object.assign(state, patch);
    render(view(state), root);
  };
}

/** The address's query as an object of the named parameters (absent ones left out). */
export function readQuery(names) {
  const search = new URLSearchParams(location.search);
  return Object.fromEntries(names.filter((name) => search.get(name)).map((name) => [name, search.get(name)]));
}

/** Puts `params` in the address as a new history entry, so back and forward walk the searches. */
export function writeQuery(params) {
  const search = new URLSearchParams(Object.entries(params).filter(([, value]) => value));
  const text = search.toString();
  history.pushState(null, '', `${location.pathname}${text ? `?${text}` : ''}`);
}

/** A form's non-empty values, trimmed. */
export function formValues(form) {
  return Object.fromEntries(
    [...new FormData(form)]
      .map(([name, value]) => [name, String(value).trim()])
      .filter(([, value]) => value !== ''),
  );
}

export const badge = (concept, status) =>
  html`<span class="badge badge-${status}" data-status=${status}>${t(`labels:${concept}.${status}`)}</span>`;

/** A problem's words; a param naming another field (`{{other}}`) shows that field's label. */
function problemText(problem, labels) {
  if (!problem.code) return problem.message;
  const params = Object.fromEntries(
    Object.entries(problem.params ?? {}).map(([name, value]) => [
      name,
      typeof value === 'string' && labels[value] ? t(labels[value]) : value,
    ]),
  );
  return catalogueMessage({ code: problem.code, params });
}

/**
 * The API's problems with the given fields (e.g. "querystring.phone"), under the control they belong to;
 * one field may be reported twice by two schema rules, so each text is said once.
 */
export function fieldErrors(error, fields, labels = {}) {
  const problems = error instanceof ApiError ? error.fields.filter((f) => fields.includes(f.field)) : [];
  if (problems.length === 0) return nothing;
  const texts = [...new Set(problems.map((problem) => problemText(problem, labels)))];
  return html`<p class="field-error" role="alert" data-field-error=${fields[0]}>${texts.join(' · ')}</p>`;
}

/** True when the error names one of the fields (for aria-invalid). */
export const invalid = (error, fields) =>
  error instanceof ApiError && error.fields.some((f) => fields.includes(f.field));

/** The error as a notice, unless every problem it names is shown at a field of `placed`. */
export function errorNotice(error, placed = []) {
  if (!error) return nothing;
  let text;
  if (!(error instanceof ApiError)) text = t('common.networkError');
  else if (error.status >= 500) text = t('common.serverError');
  else if (error.fields.length > 0 && error.fields.every((f) => placed.includes(f.field)))
    text = t('common.fixFields');
  else if (error.fields.length > 0)
    text = error.fields.map((f) => `${f.field}: ${problemText(f, {})}`).join('; ');
  else text = error.detail ? catalogueMessage(error.detail) : error.message;
  return html`<div class="notice notice-error" role="alert" data-testid="page-error">${text}</div>`;
}

/** "First page" and "next page" by the API's cursor: `go(cursor)` opens a page (undefined: the first). */
export function pager({ cursor, nextCursor, go, testid = 'pager' }) {
  if (!cursor && !nextCursor) return nothing;
  return html`<nav class="pager" data-testid=${testid} aria-label=${t('list.paging')}>
    <button type="button" class="button button-secondary button-small" data-testid="${testid}-first"
      ?disabled=${!cursor} @click=${() => go(undefined)}>${t('list.firstPage')}</button>
    <button type="button" class="button button-secondary button-small" data-testid="${testid}-next"
      ?disabled=${!nextCursor} @click=${() => go(nextCursor)}>${t('list.nextPage')}</button>
  </nav>`;
}
