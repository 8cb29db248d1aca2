/**
 * The manufacturer's orders (issue 14 §1): one search box (phone or its last 4 digits, serial, order number,
 * name), filters, and a page of orders by the API's cursor. The address holds the query and the page, so
 * back, forward and reload show the same list.
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
  invalid,
  mountState,
  pager,
  readQuery,
  writeQuery,
} from './list-views.js';

const PAGE_SIZE = 20;
const SEARCHES = ['phone', 'serialNumber', 'orderNumber', 'name'];
const FILTERS = ['planId', 'productId', 'status', 'paidFrom', 'paidTo'];
/** `by` is the page's own: the kind of search the clerk chose (absent: guessed from the text). */
const PARAMS = ['by', ...SEARCHES, ...FILTERS, 'cursor'];
const STATUSES = ['active', 'cancelled', 'ended'];
const SEARCH_FIELDS = SEARCHES.map((name) => `querystring.${name}`);
/** Labels of the fields a problem may name as its `{{other}}`. */
const LABELS = { 'querystring.paidFrom': 'orders.paidFrom', 'querystring.paidTo': 'orders.paidTo' };
const PLACED = [...SEARCH_FIELDS, ...FILTERS.map((name) => `querystring.${name}`)];

/** What a search text most likely is: an order number, a phone (11 digits or the last 4), else a name or a serial. */
function searchKind(text) {
  if (/^YB[A-Z2-9]{14}$/i.test(text)) return 'orderNumber';
  const digits = text.replace(/[\s-]/g, '');
  if (/^\d{4}$/.test(digits) || /^(\+?86)?1\d{10}$/.test(digits)) return 'phone';
  // Han characters are a name; Latin letters and digits a serial (an English name needs "by name").
  if (/[\u3400-\u9fff]/.test(text)) return 'name';
  return 'serialNumber';
}

const state = {
  params: readQuery(PARAMS),
  plans: [],
  products: [],
  result: null,
  error: null,
  loading: true,
};

const apiQuery = (params) => Object.fromEntries(Object.entries(params).filter(([name]) => name !== 'by'));
const searchedBy = (params) => SEARCHES.find((name) => params[name]);

const planName = (id) => {
  const plan = state.plans.find((p) => p.id === id);
  return plan ? pick(plan.nameZh, plan.nameEn) : '—';
};
const productName = (id) => {
  const product = state.products.find((p) => p.id === id);
  return product ? `${product.name} · ${product.model}` : '—';
};

let loads = 0;
async function load() {
  const mine = ++loads;
  update({ loading: true });
  try {
    const result = await get(`/orders${query({ ...apiQuery(state.params), limit: PAGE_SIZE })}`);
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

function search(event) {
  event.preventDefault();
  const { by = 'auto', q, ...values } = formValues(event.target);
  const params = Object.fromEntries(
    FILTERS.filter((name) => values[name]).map((name) => [name, values[name]]),
  );
  if (by !== 'auto') params.by = by;
  if (q) {
    const kind = by === 'auto' ? searchKind(q) : by;
    params[kind] = kind === 'orderNumber' ? q.toUpperCase() : q;
  }
  open(params);
}

const option = (value, label, selected) =>
  html`<option value=${value} ?selected=${value === (selected ?? '')}>${label}</option>`;

function searchForm(s) {
  const p = s.params;
  const searchInvalid = invalid(s.error, SEARCH_FIELDS);
  const filter = (
    name,
    control,
  ) => html`<div class="field ${invalid(s.error, [`querystring.${name}`]) ? 'has-error' : ''}">
    <label for="order-${name}">${t(`orders.${name}`)}</label>
    ${control}
    ${fieldErrors(s.error, [`querystring.${name}`], LABELS)}
  </div>`;
  return html`<form class="order-search" data-testid="order-search" novalidate @submit=${search}>
    <div class="field ${searchInvalid ? 'has-error' : ''}">
      <label for="order-q">${t('orders.search')}</label>
      <div class="search-row">
        <select id="order-by" name="by" aria-label=${t('orders.searchBy')} data-testid="order-search-by">
          ${['auto', ...SEARCHES].map((kind) => option(kind, t(`orders.by.${kind}`), p.by ?? 'auto'))}
        </select>
        <input id="order-q" name="q" type="search" autocomplete="off" data-testid="order-search-text"
          .value=${p[searchedBy(p)] ?? ''} placeholder=${t('orders.searchPlaceholder')}
          aria-invalid=${searchInvalid ? 'true' : 'false'} />
      </div>
      ${fieldErrors(s.error, SEARCH_FIELDS, LABELS)}
    </div>
    <div class="filter-grid">
      ${filter(
        'planId',
        html`<select id="order-planId" name="planId">
          ${option('', t('orders.allPlans'), p.planId)}
          ${s.plans.map((plan) => option(plan.id, `${pick(plan.nameZh, plan.nameEn)} (${plan.code})`, p.planId))}
        </select>`,
      )}
      ${filter(
        'productId',
        html`<select id="order-productId" name="productId">
          ${option('', t('orders.allProducts'), p.productId)}
          ${s.products.map((product) => option(product.id, `${product.name} · ${product.model}`, p.productId))}
        </select>`,
      )}
      ${filter(
        'status',
        html`<select id="order-status" name="status" data-testid="order-status">
          ${option('', t('orders.allStatuses'), p.status)}
          ${STATUSES.map((status) => option(status, t(`labels:orderStatus.${status}`), p.status))}
        </select>`,
      )}
      ${filter('paidFrom', html`<input id="order-paidFrom" name="paidFrom" type="date" .value=${p.paidFrom ?? ''} />`)}
      ${filter('paidTo', html`<input id="order-paidTo" name="paidTo" type="date" .value=${p.paidTo ?? ''} />`)}
    </div>
    <div class="form-actions">
      <button type="submit" class="button" data-testid="order-search-submit">${t('orders.apply')}</button>
      <button type="button" class="button button-ghost" data-testid="order-search-clear" @click=${() => open({})}>
        ${t('orders.clear')}
      </button>
    </div>
  </form>`;
}

function orderRow(o) {
  const cell = (labelKey, content, cls = '') =>
    html`<td class=${cls} data-label=${t(labelKey)}>${content}</td>`;
  return html`<tr data-order=${o.orderNumber}>
    ${cell(
      'orders.col.number',
      html`<a class="mono" href="/portal/order.html?n=${o.orderNumber}" data-testid="order-link">${o.orderNumber}</a>`,
    )}
    ${cell('orders.col.holder', o.holderName)}
    ${cell('orders.col.phone', o.phoneMasked, 'mono')}
    ${cell(
      'orders.col.product',
      html`<span>${productName(o.productId)}<br /><small class="muted">${planName(o.planId)}</small></span>`,
    )}
    ${cell('orders.col.serial', o.serialNumber, 'mono')}
    ${cell('orders.col.status', badge('orderStatus', o.status))}
    ${cell('orders.col.paid', formatDateTime(o.paidAt))}
    ${cell('orders.col.amount', formatFen(o.amountFen, o.currency), 'num')}
  </tr>`;
}

function results(s) {
  if (!s.result) return s.loading ? html`<p class="muted">${t('common.loading')}</p>` : nothing;
  const filtered = Object.keys(apiQuery(s.params)).some((name) => name !== 'cursor');
  if (s.result.items.length === 0)
    return html`<div class="empty-state" data-testid="orders-empty">
      <p>${t(filtered ? 'orders.noMatch' : 'orders.empty')}</p>
      ${filtered ? html`<button type="button" class="button button-secondary" @click=${() => open({})}>${t('orders.clear')}</button>` : nothing}
    </div>`;
  const kind = searchedBy(s.params);
  const go = (cursor) => open({ ...s.params, cursor });
  return html`
    ${kind ? html`<p class="muted" data-testid="orders-searched">${t('orders.searchedBy', { kind: t(`orders.by.${kind}`), text: s.params[kind] })}</p>` : nothing}
    <div class="table-wrap">
      <table class="table-cards" data-testid="order-table" aria-busy=${s.loading ? 'true' : 'false'}>
        <thead>
          <tr>
            <th>${t('orders.col.number')}</th>
            <th>${t('orders.col.holder')}</th>
            <th>${t('orders.col.phone')}</th>
            <th>${t('orders.col.product')}</th>
            <th>${t('orders.col.serial')}</th>
            <th>${t('orders.col.status')}</th>
            <th>${t('orders.col.paid')}</th>
            <th class="num">${t('orders.col.amount')}</th>
          </tr>
        </thead>
        <tbody>${s.result.items.map(orderRow)}</tbody>
      </table>
    </div>
    ${pager({ cursor: s.params.cursor, nextCursor: s.result.nextCursor, go, testid: 'orders-pager' })}`;
}

const update = mountState(
  state,
  (s) => html`
    <div class="page-head">
      <div>
        <h1>${t('orders.heading')}</h1>
        <p class="lead">${t('orders.lead')}</p>
      </div>
      <a class="button button-secondary" href="/portal/cancellations.html" data-testid="open-cancellations">
        ${t('cancellations.heading')}
      </a>
    </div>
    <section class="card">${searchForm(s)}</section>
    ${errorNotice(s.error, PLACED)}
    <section class="card">${results(s)}</section>
  `,
);

addEventListener('popstate', () => {
  update({ params: readQuery(PARAMS) });
  void load();
});

await bootPortal('orders');
const [plans, products] = await Promise.all([get('/plans?limit=200'), get('/products?limit=200'), load()]);
update({ plans: plans.items, products: products.items });
