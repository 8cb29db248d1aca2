/**
 * A page's content is a view: a function returning a lit-html template that reads its words through t().
 * mountView draws it into <main id="main"> and draws it again when the language changes; lit updates only
 * the words, so whatever was typed or filled in by the page stays. A page that keeps its data in a state
 * object reads it in the view and calls the returned draw() after changing it.
 */
import { tx } from './dom.js';
import { onLangChange, t } from './i18n.js';
import { html, render } from './lit.js';

export function mountView(view, root = document.getElementById('main')) {
  const draw = () => render(view(), root);
  draw();
  onLangChange(draw);
  // Regions the page fills itself start with "loading" or a placeholder word, outside the view (lit must not
  // own what the page replaces), translated in place like everything the page builds.
  for (const region of root.querySelectorAll('[data-loading]'))
    region.append(tx('common.loading', undefined, 'p', { class: 'muted' }));
  for (const region of root.querySelectorAll('[data-placeholder]'))
    region.append(tx(region.dataset.placeholder));
  return draw;
}

/** "Loading…" where a list or a form will be, for views that draw from their state. */
export const loading = () => html`<p class="muted">${t('common.loading')}</p>`;
