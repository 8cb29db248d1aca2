/** Published plans with their public code and current version. */
import { get } from '../../assets/api.js';
import { bi, byId, h, tx } from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';
import { productNameMap, statusBadge } from './tables.js';

mountView(
  () => html`
    <div class="page-head">
      <h1>${t('plans.heading')}</h1>
    </div>
    <section class="card">
      <div class="table-wrap" id="plan-list" data-loading></div>
    </section>
  `,
);

await bootPortal('plans');
const [{ items }, productNames] = await Promise.all([get('/plans?limit=200'), productNameMap(get)]);

const list = byId('plan-list');
if (items.length === 0) {
  list.replaceChildren(tx('plans.empty', undefined, 'p', { class: 'muted' }));
} else {
  const head = h(
    'tr',
    {},
    h('th', {}, tx('drafts.name')),
    h('th', {}, tx('plans.code')),
    h('th', {}, tx('draft.product')),
    h('th', {}, tx('plan.status')),
    h('th', { class: 'num' }, tx('plans.version')),
    h('th', {}, tx('plans.created')),
  );
  const rows = items.map((plan) =>
    h(
      'tr',
      { 'data-plan-id': plan.id },
      h('td', {}, h('a', { href: `/portal/plan.html?id=${plan.id}` }, bi(plan.nameZh, plan.nameEn))),
      h('td', { class: 'mono' }, plan.code),
      h('td', {}, productNames.get(plan.productId) ?? '—'),
      h('td', {}, statusBadge('planStatus', plan.status)),
      h('td', { class: 'num' }, `v${plan.currentVersion}`),
      h('td', {}, formatDateTime(plan.createdAt)),
    ),
  );
  list.replaceChildren(
    h('table', { 'data-testid': 'plan-table' }, h('thead', {}, head), h('tbody', {}, rows)),
  );
}
