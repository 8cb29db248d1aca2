/** Workflows from Temporal visibility, filtered; each opens as a business timeline. */
import { query } from '../../assets/api.js';
import { bi, busy, byId, h, showErrors, tx } from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { mountView } from '../../assets/view.js';
import { bootStaff, get, label, txOr, workflowStatusBadge } from './frame.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('audit.workflows.heading')}</h1>
        <p class="lead">${t('audit.workflows.lead')}</p>
      </div>
    </div>
    <section class="card">
      <form id="filter-form" novalidate>
        <div data-role="form-error" hidden></div>
        <div class="grid-3">
          <div class="field" data-field="querystring.type">
            <label for="filter-type">${t('audit.workflows.type')}</label>
            <select id="filter-type" name="type" data-testid="filter-type"></select>
          </div>
          <div class="field" data-field="querystring.status">
            <label for="filter-status">${t('audit.workflows.status')}</label>
            <select id="filter-status" name="status" data-testid="filter-status"></select>
          </div>
          <div class="field" data-field="querystring.manufacturerId">
            <label for="filter-manufacturer">${t('audit.workflows.manufacturer')}</label>
            <select id="filter-manufacturer" name="manufacturerId" data-testid="filter-manufacturer"></select>
          </div>
          <div class="field" data-field="querystring.orderNumber">
            <label for="filter-order">${t('audit.workflows.orderNumber')}</label>
            <input type="text" id="filter-order" name="orderNumber" class="mono" autocomplete="off" spellcheck="false" data-testid="filter-order">
          </div>
          <div class="field" data-field="querystring.planId">
            <label for="filter-plan">${t('audit.workflows.planId')}</label>
            <input type="text" id="filter-plan" name="planId" class="mono" autocomplete="off" spellcheck="false">
          </div>
          <div class="field" data-field="querystring.businessStatus">
            <label for="filter-stage">${t('audit.workflows.stage')}</label>
            <select id="filter-stage" name="businessStatus" data-testid="filter-stage"></select>
          </div>
          <div class="field" data-field="querystring.from">
            <label for="filter-from">${t('audit.workflows.from')}</label>
            <input type="date" id="filter-from" name="from">
          </div>
          <div class="field" data-field="querystring.to">
            <label for="filter-to">${t('audit.workflows.to')}</label>
            <input type="date" id="filter-to" name="to">
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" data-testid="filter-submit">${t('audit.filter')}</button>
          <a class="button button-secondary" href="/audit/">${t('audit.reset')}</a>
        </div>
      </form>
    </section>
    <section class="card">
      <div class="card-head">
        <h2>${t('audit.workflows.results')}</h2>
        <p class="muted" id="result-count" data-testid="result-count"></p>
      </div>
      <div class="table-wrap" id="workflow-list" data-loading></div>
      <div class="form-actions" id="pager">
        <button type="button" class="button button-secondary" id="page-first" data-testid="page-first" hidden>${t('audit.firstPage')}</button>
        <button type="button" class="button button-secondary" id="page-next" data-testid="page-next" hidden>${t('audit.nextPage')}</button>
      </div>
    </section>
  `,
);

await bootStaff('workflows');
const form = byId('filter-form');
const filters = await get('/audit/filters');

function options(select, values, allKey, labelOf) {
  select.replaceChildren(
    tx(allKey, undefined, 'option', { value: '' }),
    ...values.map((value) => h('option', { value }, labelOf(value))),
  );
}
// Without a type the list leaves out scheduled runs (the minutely roll-up); the first option says so.
options(form.elements.namedItem('type'), filters.workflowTypes, 'audit.workflows.allButScheduled', (type) =>
  label(`labels:workflowType.${type}`, type),
);
options(form.elements.namedItem('status'), filters.statuses, 'audit.all', (status) =>
  label(`labels:workflowStatus.${status}`, status),
);
options(form.elements.namedItem('businessStatus'), filters.stages, 'audit.all', (stage) =>
  label(`labels:stage.${stage}`, stage),
);
form.elements
  .namedItem('manufacturerId')
  .replaceChildren(
    tx('audit.all', undefined, 'option', { value: '' }),
    ...filters.manufacturers.map((m) => h('option', { value: m.id }, m.name)),
  );

const FIELDS = ['type', 'status', 'manufacturerId', 'orderNumber', 'planId', 'businessStatus', 'from', 'to'];
// The filters live in the address, so a filtered list can be bookmarked and shared.
const params = new URLSearchParams(location.search);
for (const name of FIELDS) {
  const control = form.elements.namedItem(name);
  if (params.has(name)) control.value = params.get(name);
}

/** Date inputs are days in the viewer's time zone; the API takes instants. */
function apiFilters() {
  const out = {};
  for (const name of FIELDS) {
    const value = String(form.elements.namedItem(name).value ?? '').trim();
    if (!value) continue;
    if (name === 'from') out.from = new Date(`${value}T00:00:00`).toISOString();
    else if (name === 'to') {
      const end = new Date(`${value}T00:00:00`);
      end.setDate(end.getDate() + 1);
      out.to = end.toISOString();
    } else out[name] = value;
  }
  return out;
}

function row(w) {
  const open = `/audit/workflow.html?${new URLSearchParams({ id: w.workflowId, run: w.runId })}`;
  return h(
    'tr',
    { 'data-workflow-id': w.workflowId },
    h('td', {}, txOr(`labels:workflowType.${w.type}`, w.type)),
    h('td', {}, h('a', { href: open, class: 'mono', 'data-testid': `open-${w.workflowId}` }, w.workflowId)),
    h('td', {}, workflowStatusBadge(w.status)),
    h('td', {}, w.businessStatus ? txOr(`labels:stage.${w.businessStatus}`, w.businessStatus) : '—'),
    h('td', {}, w.manufacturer?.name ?? '—'),
    h(
      'td',
      {},
      w.plan
        ? h('div', {}, bi(w.plan.nameZh, w.plan.nameEn), ' ', h('span', { class: 'mono muted' }, w.plan.code))
        : null,
      w.orderNumber ? h('div', { class: 'mono' }, w.orderNumber) : null,
      !w.plan && !w.orderNumber ? '—' : null,
    ),
    h('td', {}, formatDateTime(w.startTime)),
    h('td', {}, w.closeTime ? formatDateTime(w.closeTime) : '—'),
    h(
      'td',
      {},
      h(
        'div',
        { class: 'row-actions' },
        h('a', { class: 'button button-secondary button-small', href: open }, tx('audit.timeline')),
        w.temporalUiUrl
          ? h(
              'a',
              {
                class: 'button button-ghost button-small',
                href: w.temporalUiUrl,
                target: '_blank',
                rel: 'noopener',
              },
              tx('audit.temporalUi'),
            )
          : null,
      ),
    ),
  );
}

async function load(pageToken) {
  const list = byId('workflow-list');
  await busy(form, async () => {
    try {
      const page = await get(`/audit/workflows${query({ ...apiFilters(), pageToken, pageSize: 25 })}`);
      byId('result-count').replaceChildren(tx('audit.workflows.count', { n: page.total }));
      list.replaceChildren(
        page.items.length === 0
          ? tx('audit.workflows.empty', undefined, 'p', { class: 'muted', 'data-testid': 'workflow-empty' })
          : h(
              'table',
              { 'data-testid': 'workflow-table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['type', 'id', 'status', 'stage', 'manufacturer', 'planOrder', 'started', 'closed'].map(
                    (key) => h('th', {}, tx(`audit.workflows.col.${key}`)),
                  ),
                  h('th', {}, tx('common.actions')),
                ),
              ),
              h('tbody', {}, page.items.map(row)),
            ),
      );
      const next = byId('page-next');
      next.hidden = !page.nextPageToken;
      next.onclick = () => {
        void load(page.nextPageToken);
      };
      const first = byId('page-first');
      first.hidden = !pageToken;
      first.onclick = () => {
        void load(undefined);
      };
    } catch (error) {
      showErrors(form, error);
      list.replaceChildren();
    }
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const values = {};
  for (const name of FIELDS) values[name] = String(form.elements.namedItem(name).value ?? '').trim();
  history.replaceState(null, '', `/audit/${query(values)}`);
  void load(undefined);
});

await load(undefined);
