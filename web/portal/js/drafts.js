/** Every plan draft of the manufacturer, newest activity first. */
import { get } from '../../assets/api.js';
import { byId } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';
import { draftTable, productNameMap } from './tables.js';

mountView(
  () => html`
    <div class="page-head">
      <h1>${t('drafts.heading')}</h1>
      <a class="button" href="/portal/draft-new.html" id="draft-new" data-testid="draft-new">${t('drafts.new')}</a>
    </div>
    <section class="card">
      <div class="table-wrap" id="draft-list" data-loading></div>
    </section>
  `,
);

const me = await bootPortal('drafts');
byId('draft-new').hidden = !hasRole(me, 'editor');
const [drafts, productNames] = await Promise.all([get('/plan-drafts?limit=200'), productNameMap(get)]);
byId('draft-list').replaceChildren(draftTable(drafts.items, 'drafts.empty', { productNames }));
