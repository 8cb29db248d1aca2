/** The platform admin suspends and reactivates manufacturers (with a reason the manufacturer is told). */
import { query } from '../../assets/api.js';
import { busy, byId, errorMessage, fieldValue, flash, h, setNotice, tx } from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { mountView } from '../../assets/view.js';
import { bootStaff, get, post } from './frame.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('admin.manufacturers.heading')}</h1>
        <p class="lead">${t('admin.manufacturers.lead')}</p>
      </div>
    </div>
    <section class="card">
      <form id="manufacturer-filter" class="grid-3" novalidate>
        <div class="field">
          <label for="manufacturer-status">${t('admin.clauses.status')}</label>
          <select id="manufacturer-status" name="status">
            <option value="">${t('audit.all')}</option>
            <option value="active">${t('labels:manufacturerStatus.active')}</option>
            <option value="suspended">${t('labels:manufacturerStatus.suspended')}</option>
          </select>
        </div>
        <div class="field">
          <label for="manufacturer-q">${t('admin.manufacturers.search')}</label>
          <input type="search" id="manufacturer-q" name="q" autocomplete="off">
        </div>
      </form>
      <div class="table-wrap" id="manufacturer-list" data-loading></div>
    </section>
  `,
);

await bootStaff('manufacturers', { adminOnly: true });
const filter = byId('manufacturer-filter');

function actionForm(m) {
  const suspending = m.status === 'active';
  const form = h(
    'form',
    { class: 'row-actions', 'data-testid': `status-form-${m.id}`, novalidate: true },
    h('input', {
      type: 'text',
      name: 'reason',
      maxlength: '500',
      placeholder: t('admin.manufacturers.reason'),
      'aria-label': t('admin.manufacturers.reason'),
      'data-testid': `reason-${m.id}`,
      dataset: { i18nPlaceholder: 'admin.manufacturers.reason', i18nAriaLabel: 'admin.manufacturers.reason' },
    }),
    h(
      'button',
      {
        type: 'submit',
        class: `button button-small ${suspending ? 'button-danger' : 'button-secondary'}`,
        'data-testid': `${suspending ? 'suspend' : 'reactivate'}-${m.id}`,
      },
      tx(suspending ? 'admin.manufacturers.suspend' : 'admin.manufacturers.reactivate'),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy(form, async () => {
      try {
        const reason = fieldValue(form, 'reason');
        await post(
          `/admin/manufacturers/${m.id}/${suspending ? 'suspend' : 'reactivate'}`,
          reason ? { reason } : {},
        );
        flash(suspending ? 'admin.manufacturers.suspended' : 'admin.manufacturers.reactivated');
        await load();
      } catch (error) {
        const notice = h('p');
        setNotice(notice, errorMessage(error));
        form.after(notice);
      }
    });
  });
  return form;
}

async function load() {
  const values = {};
  for (const name of ['status', 'q']) {
    const value = fieldValue(filter, name);
    if (value) values[name] = value;
  }
  const { items, total } = await get(`/admin/manufacturers${query({ ...values, limit: 200 })}`);
  byId('manufacturer-list').replaceChildren(
    tx('admin.manufacturers.count', { n: total }, 'p', { class: 'muted' }),
    h(
      'table',
      { 'data-testid': 'manufacturer-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['name', 'uscc', 'email', 'status', 'users', 'plans', 'orders', 'since'].map((k) =>
            h(
              'th',
              ['users', 'plans', 'orders'].includes(k) ? { class: 'num' } : {},
              tx(`admin.manufacturers.col.${k}`),
            ),
          ),
          h('th', {}, tx('common.actions')),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((m) =>
          h(
            'tr',
            { 'data-manufacturer-id': m.id },
            h('td', {}, m.name),
            h('td', { class: 'mono' }, m.usccCode),
            h('td', {}, m.email),
            h(
              'td',
              {},
              tx(`labels:manufacturerStatus.${m.status}`, undefined, 'span', {
                class: `badge badge-${m.status}`,
                'data-testid': `status-${m.id}`,
              }),
            ),
            h('td', { class: 'num' }, String(m.users)),
            h('td', { class: 'num' }, String(m.plansOnSale)),
            h('td', { class: 'num' }, String(m.activeOrders)),
            h('td', {}, formatDateTime(m.createdAt)),
            h('td', {}, actionForm(m)),
          ),
        ),
      ),
    ),
  );
}

let timer = null;
filter.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => void load(), 250);
});
filter.addEventListener('submit', (event) => event.preventDefault());

await load();
