/**
 * The manufacturer's cancellations and what they refunded (issue 14 §1), newest request first, a page at a
 * time by the API's cursor; the status filter and the page are in the address.
 */
import { get, query } from '../../assets/api.js';
import { formatDateTime, formatFen } from '../../assets/format.js';
import { pick, t } from '../../assets/i18n.js';
import { html, nothing } from '../../assets/lit.js';
import { bootPortal } from '../../assets/shell.js';
import {
  badge,
  errorNotice,
  fieldErrors,
  formValues,
  mountState,
  pager,
  readQuery,
  writeQuery,
} from './list-views.js';

const PAGE_SIZE = 20;
const PARAMS = ['status', 'requestedFrom', 'requestedTo', 'cursor'];
const STATUSES = ['requested', 'refunded'];
const LABELS = {
  'querystring.requestedFrom': 'cancellations.requestedFrom',
  'querystring.requestedTo': 'cancellations.requestedTo',
};
const PLACED = Object.keys(LABELS);

const state = { params: readQuery(PARAMS), plans: [], result: null, error: null, loading: true };

const planName = (id) => {
  const plan = state.plans.find((p) => p.id === id);
  return plan ? pick(plan.nameZh, plan.nameEn) : '—';
};

let loads = 0;
async function load() {
  const mine = ++loads;
  update({ loading: true });
  try {
    const result = await get(`/cancellations${query({ ...state.params, limit: PAGE_SIZE })}`);
    if (mine === loads) update({ result, error: null, loading: false });
  } catch (error) {
    if (mine === loads) update({ result: null, error, loading: false });
  }
}

function open(params) {
  writeQuery(params);
  update({ params });
  void load();
}

function filter(event) {
  event.preventDefault();
  open(formValues(event.target));
}

function filterForm(s) {
  const p = s.params;
  const dateField = (name) => html`<div class="field">
    <label for="cancel-${name}">${t(`cancellations.${name}`)}</label>
    <input id="cancel-${name}" name=${name} type="date" .value=${p[name] ?? ''} />
    ${fieldErrors(s.error, [`querystring.${name}`], LABELS)}
  </div>`;
  return html`<form class="filter-grid" data-testid="cancellation-filter" novalidate @submit=${filter}>
    <div class="field">
      <label for="cancel-status">${t('cancellations.status')}</label>
      <select id="cancel-status" name="status">
        <option value="" ?selected=${!p.status}>${t('cancellations.allStatuses')}</option>
        ${STATUSES.map(
          (status) =>
            html`<option value=${status} ?selected=${p.status === status}>${t(`labels:cancellationStatus.${status}`)}</option>`,
        )}
      </select>
    </div>
    ${dateField('requestedFrom')} ${dateField('requestedTo')}
    <div class="field filter-submit">
      <button type="submit" class="button" data-testid="cancellation-apply">${t('orders.apply')}</button>
    </div>
  </form>`;
}

function row(c) {
  const cell = (key, content, cls = '') => html`<td class=${cls} data-label=${t(key)}>${content}</td>`;
  return html`<tr data-order=${c.orderNumber}>
    ${cell(
      'orders.col.number',
      html`<a class="mono" href="/portal/order.html?n=${c.orderNumber}" data-testid="order-link">${c.orderNumber}</a>`,
    )}
    ${cell('cancellations.plan', planName(c.planId))}
    ${cell('cancellations.status', badge('cancellationStatus', c.status))}
    ${cell('cancellations.requested', formatDateTime(c.requestedAt))}
    ${cell('cancellations.coolingOff', t(c.withinCoolingOff ? 'common.yes' : 'common.no'))}
    ${cell('cancellations.paid', formatFen(c.amountFen, c.currency), 'num')}
    ${cell('cancellations.deducted', formatFen(c.approvedClaimsFen, c.currency), 'num')}
    ${cell('cancellations.refund', formatFen(c.refundFen, c.currency), 'num')}
    ${cell('cancellations.refunded', c.refundedAt ? formatDateTime(c.refundedAt) : '—')}
  </tr>`;
}

function results(s) {
  if (!s.result) return s.loading ? html`<p class="muted">${t('common.loading')}</p>` : nothing;
  if (s.result.items.length === 0)
    return html`<p class="muted empty-state" data-testid="cancellations-empty">${t('cancellations.empty')}</p>`;
  return html`<div class="table-wrap">
      <table class="table-cards" data-testid="cancellation-table" aria-busy=${s.loading ? 'true' : 'false'}>
        <thead>
          <tr>
            <th>${t('orders.col.number')}</th>
            <th>${t('cancellations.plan')}</th>
            <th>${t('cancellations.status')}</th>
            <th>${t('cancellations.requested')}</th>
            <th>${t('cancellations.coolingOff')}</th>
            <th class="num">${t('cancellations.paid')}</th>
            <th class="num">${t('cancellations.deducted')}</th>
            <th class="num">${t('cancellations.refund')}</th>
            <th>${t('cancellations.refunded')}</th>
          </tr>
        </thead>
        <tbody>${s.result.items.map(row)}</tbody>
      </table>
    </div>
    ${pager({
      cursor: s.params.cursor,
      nextCursor: s.result.nextCursor,
      go: (cursor) => open({ ...s.params, cursor }),
      testid: 'cancellations-pager',
    })}`;
}

const update = mountState(
  state,
  (s) => html`
    <p class="back"><a href="/portal/orders.html">${t('order.back')}</a></p>
    <div class="page-head">
      <div>
        <h1>${t('cancellations.heading')}</h1>
        <p class="lead">${t('cancellations.lead')}</p>
      </div>
    </div>
    <section class="card">${filterForm(s)}</section>
    ${errorNotice(s.error, PLACED)}
    <section class="card">${results(s)}</section>
  `,
);

addEventListener('popstate', () => {
  update({ params: readQuery(PARAMS) });
  void load();
});

await bootPortal('orders');
const [plans] = await Promise.all([get('/plans?limit=200'), load()]);
update({ plans: plans.items });
