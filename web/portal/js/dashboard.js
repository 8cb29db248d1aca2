/**
 * Two portal pages share this module: the overview (/portal/ — who and
 * which company, counts that link to each list, the latest drafts) and the
 * sales dashboard (/portal/dashboard.html, <body data-page="stats"> — figures,
 * charts drawn with Chart.js, tables by plan and product, CSV downloads).
 */
import { get, query } from '../../assets/api.js';
import { bi, byId, clearErrors, h, setNotice, showErrors, showLocalErrors, tx } from '../../assets/dom.js';
import { formatFen } from '../../assets/format.js';
import { onLangChange, pick, t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';
import { draftTable } from './tables.js';

/** The sales dashboard. */
const statsView = () => html`
    <div class="page-head">
      <div>
        <h1>${t('stats.heading')}</h1>
        <p class="lead">${t('stats.lead')}</p>
      </div>
      <div class="form-actions">
        <a class="button button-secondary" id="csv-daily" data-testid="csv-daily" href="/api/v1/statistics/daily.csv" download>${t('stats.csvDaily')}</a>
        <a class="button button-secondary" id="csv-orders" data-testid="csv-orders" href="/api/v1/statistics/orders.csv" download>${t('stats.csvOrders')}</a>
      </div>
    </div>
    
    <section class="card">
      <form id="stats-filter" data-testid="stats-filter" novalidate>
        <div data-role="form-error" hidden></div>
        <div class="grid-3">
          <div class="field" data-field="querystring.from">
            <label for="stats-from">${t('stats.from')}</label>
            <input type="date" id="stats-from" name="from" required>
          </div>
          <div class="field" data-field="querystring.to">
            <label for="stats-to">${t('stats.to')}</label>
            <input type="date" id="stats-to" name="to" required>
          </div>
          <div class="field" data-field="querystring.granularity">
            <label for="stats-granularity">${t('stats.granularity')}</label>
            <select id="stats-granularity" name="granularity">
              <option value="day">${t('stats.byDay')}</option>
              <option value="week">${t('stats.byWeek')}</option>
              <option value="month">${t('stats.byMonth')}</option>
            </select>
          </div>
          <div class="field" data-field="querystring.planId">
            <label for="stats-plan">${t('stats.plan')}</label>
            <select id="stats-plan" name="planId">
              <option value="">${t('stats.allPlans')}</option>
            </select>
          </div>
          <div class="field" data-field="querystring.productId">
            <label for="stats-product">${t('stats.product')}</label>
            <select id="stats-product" name="productId">
              <option value="">${t('stats.allProducts')}</option>
            </select>
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" id="stats-apply" data-testid="stats-apply">${t('stats.apply')}</button>
          <span class="muted" id="stats-live" data-testid="stats-live"></span>
        </div>
      </form>
    </section>
    
    <div class="notice notice-info" id="stats-empty" data-testid="stats-empty" hidden>${t('stats.empty')}</div>
    
    <div class="stats" id="stats-totals" data-testid="stats-totals">
      <div class="stat"><span class="stat-value" id="total-orders" data-testid="total-orders">–</span><span class="stat-label">${t('stats.orders')}</span></div>
      <div class="stat"><span class="stat-value" id="total-revenue" data-testid="total-revenue">–</span><span class="stat-label">${t('stats.revenue')}</span></div>
      <div class="stat"><span class="stat-value" id="total-net" data-testid="total-net">–</span><span class="stat-label">${t('stats.netRevenueHint')}</span></div>
      <div class="stat"><span class="stat-value" id="total-cancellations" data-testid="total-cancellations">–</span><span class="stat-label">${t('stats.cancellations')}</span></div>
      <div class="stat"><span class="stat-value" id="total-refunds" data-testid="total-refunds">–</span><span class="stat-label">${t('stats.refunds')}</span></div>
      <div class="stat"><span class="stat-value" id="total-claims" data-testid="total-claims">–</span><span class="stat-label">${t('stats.claims')}</span></div>
      <div class="stat"><span class="stat-value" id="total-claims-rate" data-testid="total-claims-rate">–</span><span class="stat-label">${t('stats.claimsRateHint')}</span></div>
      <div class="stat"><span class="stat-value" id="total-repair-cost" data-testid="total-repair-cost">–</span><span class="stat-label">${t('stats.avgRepairCost')}</span></div>
    </div>
    
    <section class="card">
      <h2>${t('stats.trend')}</h2>
      <canvas id="chart-trend" data-testid="chart-trend" role="img" aria-label=${t('stats.trend')}></canvas>
    </section>
    
    <div class="grid-2">
      <section class="card">
        <h2>${t('stats.byPlanChart')}</h2>
        <canvas id="chart-plans" data-testid="chart-plans" role="img" aria-label=${t('stats.byPlanChart')}></canvas>
      </section>
      <section class="card">
        <h2>${t('stats.byProductChart')}</h2>
        <canvas id="chart-products" data-testid="chart-products" role="img" aria-label=${t('stats.byProductChart')}></canvas>
      </section>
    </div>
    
    <section class="card">
      <h2>${t('stats.claimsTrend')}</h2>
      <canvas id="chart-claims" data-testid="chart-claims" role="img" aria-label=${t('stats.claimsTrend')}></canvas>
    </section>
    
    <section class="card">
      <div class="card-head">
        <h2>${t('stats.byPlan')}</h2>
        <span class="muted">${t('stats.attachHint')}</span>
      </div>
      <div class="table-wrap" id="plan-table" data-loading></div>
    </section>
    
    <section class="card">
      <h2>${t('stats.byProduct')}</h2>
      <div class="table-wrap" id="product-table" data-loading></div>
    </section>
`;

/** The overview. */
const overviewView = () => html`
    <div class="page-head">
      <div>
        <h1 id="welcome" data-testid="welcome" data-placeholder="dashboard.heading"></h1>
        <p class="lead" id="company-line"></p>
      </div>
      <div class="form-actions" id="quick-actions">
        <a class="button" href="/portal/draft-new.html" id="quick-new-draft">${t('drafts.new')}</a>
        <a class="button button-secondary" href="/portal/products.html?new=1" id="quick-new-product">${t('products.new')}</a>
      </div>
    </div>
    <div class="notice notice-warning" id="suspended" hidden>${t('dashboard.suspended')}</div>
    <div class="stats">
      <a class="stat" href="/portal/products.html"><span class="stat-value" id="stat-products">–</span><span class="stat-label">${t('dashboard.products')}</span></a>
      <a class="stat" href="/portal/drafts.html"><span class="stat-value" id="stat-drafts">–</span><span class="stat-label">${t('dashboard.drafts')}</span></a>
      <a class="stat" href="/portal/review.html"><span class="stat-value" id="stat-review">–</span><span class="stat-label">${t('dashboard.awaitingReview')}</span></a>
      <a class="stat" href="/portal/plans.html"><span class="stat-value" id="stat-plans">–</span><span class="stat-label">${t('dashboard.plans')}</span></a>
    </div>
    <section class="card">
      <div class="card-head">
        <h2>${t('dashboard.recentDrafts')}</h2>
        <a href="/portal/drafts.html">${t('nav.drafts')}</a>
      </div>
      <div class="table-wrap" id="recent-drafts" data-loading></div>
    </section>
`;

async function overview() {
  const me = await bootPortal('dashboard');

  const welcome = byId('welcome');
  welcome.dataset.i18n = 'dashboard.welcome';
  welcome.dataset.i18nArgs = JSON.stringify({ name: me.user.displayName });
  welcome.textContent = t('dashboard.welcome', { name: me.user.displayName });
  byId('company-line').replaceChildren(
    h('strong', {}, me.manufacturer.name),
    ' · ',
    ...me.user.roles.flatMap((role, i) => [i > 0 ? ' / ' : '', tx(`labels:role.${role}`)]),
  );
  byId('suspended').hidden = me.manufacturer.status !== 'suspended';
  if (!hasRole(me, 'editor')) byId('quick-actions').hidden = true;

  const [products, drafts, review, plans] = await Promise.all([
    get('/products?limit=1'),
    get('/plan-drafts?limit=8'),
    get('/plan-drafts?status=awaiting_review&limit=1'),
    get('/plans?limit=1'),
  ]);
  byId('stat-products').textContent = String(products.total);
  byId('stat-drafts').textContent = String(drafts.total);
  byId('stat-review').textContent = String(review.total);
  byId('stat-plans').textContent = String(plans.total);
  byId('recent-drafts').replaceChildren(draftTable(drafts.items, 'drafts.empty'));
}

// ——— the sales dashboard ———

const count = (n) => n.toLocaleString('en-US');
const percent = (ratio) => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)}%`);
const money = (fen) => (fen === null || fen === undefined ? '—' : formatFen(fen));
/** Axis ticks in fen come from Chart.js as plain numbers. */
const moneyTick = (value) => formatFen(Math.round(Number(value)));

const COLOURS = ['#0b6e6e', '#b5541c', '#3b5ba9', '#7a8b2c', '#8c3f8c', '#c28a00', '#4d7f9e', '#a33b3b'];

/** The range the page shows: from the address (so a view can be shared), else the server's default. */
function filterFromAddress() {
  const params = new URLSearchParams(location.search);
  const pickParam = (name) => params.get(name) ?? '';
  return {
    from: pickParam('from'),
    to: pickParam('to'),
    granularity: pickParam('granularity') || 'day',
    planId: pickParam('planId'),
    productId: pickParam('productId'),
  };
}

function periodLabel(period, granularity) {
  return granularity === 'month' ? period.slice(0, 7) : period;
}

async function salesDashboard() {
  await bootPortal('stats');
  const Chart = globalThis.Chart;
  const form = byId('stats-filter');
  const charts = {};
  let view = null;
  let plansById = new Map();
  let productsById = new Map();

  const [plans, products] = await Promise.all([get('/plans?limit=200'), get('/products?limit=200')]);
  plansById = new Map(plans.items.map((p) => [p.id, p]));
  productsById = new Map(products.items.map((p) => [p.id, p]));
  for (const plan of plans.items)
    byId('stats-plan').append(
      bi(plan.nameZh, plan.nameEn, 'option', { value: plan.id, 'data-testid': `plan-option-${plan.code}` }),
    );
  for (const product of products.items)
    byId('stats-product').append(
      h('option', { value: product.id }, `${product.brand} ${product.name} ${product.model}`),
    );

  const planName = (id) => {
    const plan = plansById.get(id);
    return plan ? pick(plan.nameZh, plan.nameEn) : id;
  };
  const productName = (id) => {
    const product = productsById.get(id);
    return product ? `${product.brand} ${product.model}` : id;
  };

  function fillForm(filter) {
    form.elements.namedItem('from').value = filter.from;
    form.elements.namedItem('to').value = filter.to;
    form.elements.namedItem('granularity').value = filter.granularity;
    form.elements.namedItem('planId').value = filter.planId ?? '';
    form.elements.namedItem('productId').value = filter.productId ?? '';
  }

  function readForm() {
    const value = (name) => String(form.elements.namedItem(name).value ?? '').trim();
    return {
      from: value('from'),
      to: value('to'),
      granularity: value('granularity'),
      planId: value('planId'),
      productId: value('productId'),
    };
  }

  function setCsvLinks(filter) {
    const search = query(filter);
    byId('csv-daily').href = `/api/v1/statistics/daily.csv${search}`;
    byId('csv-orders').href = `/api/v1/statistics/orders.csv${search}`;
  }

  function renderTotals(totals) {
    byId('total-orders').textContent = count(totals.orders);
    byId('total-revenue').textContent = money(totals.revenueFen);
    byId('total-net').textContent = money(totals.netRevenueFen);
    byId('total-cancellations').textContent = count(totals.cancellations);
    byId('total-refunds').textContent = money(totals.refundsFen);
    byId('total-claims').textContent = count(totals.claims);
    byId('total-claims-rate').textContent = percent(totals.claimsRate);
    byId('total-repair-cost').textContent = money(totals.averageRepairCostFen);
    byId('stats-empty').hidden = totals.orders > 0 || totals.claims > 0 || totals.cancellations > 0;
  }

  /** Creates a chart once, then only swaps its data (and words, when the language changes). */
  function draw(id, config) {
    if (!Chart) return;
    const existing = charts[id];
    if (existing) {
      existing.data = config.data;
      existing.options = config.options;
      existing.update();
      return;
    }
    charts[id] = new Chart(byId(id), config);
  }

  function renderCharts() {
    if (!view) return;
    const labels = view.series.map((p) => periodLabel(p.period, view.granularity));
    draw('chart-trend', {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            type: 'bar',
            label: t('stats.orders'),
            data: view.series.map((p) => p.orders),
            backgroundColor: '#9fcfcf',
            yAxisID: 'orders',
            order: 2,
          },
          {
            type: 'line',
            label: t('stats.revenue'),
            data: view.series.map((p) => p.revenueFen),
            borderColor: COLOURS[1],
            backgroundColor: COLOURS[1],
            pointRadius: view.series.length > 60 ? 0 : 2,
            tension: 0.2,
            yAxisID: 'revenue',
            order: 1,
          },
        ],
      },
      options: {
        aspectRatio: 3,
        animation: { duration: 250 },
        interaction: { mode: 'index', intersect: false },
        scales: {
          orders: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 } },
          revenue: {
            type: 'linear',
            position: 'right',
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            ticks: { callback: moneyTick },
          },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) =>
                item.dataset.yAxisID === 'revenue'
                  ? `${item.dataset.label}: ${money(item.raw)}`
                  : `${item.dataset.label}: ${count(item.raw)}`,
            },
          },
        },
      },
    });

    const sold = view.byPlan.filter((p) => p.revenueFen > 0);
    draw('chart-plans', {
      type: 'doughnut',
      data: {
        labels: sold.map((p) => planName(p.planId)),
        datasets: [
          {
            label: t('stats.revenue'),
            data: sold.map((p) => p.revenueFen),
            backgroundColor: sold.map((_, i) => COLOURS[i % COLOURS.length]),
          },
        ],
      },
      options: {
        aspectRatio: 1.6,
        animation: { duration: 250 },
        plugins: {
          legend: { position: 'right' },
          tooltip: { callbacks: { label: (item) => `${item.label}: ${money(item.raw)}` } },
        },
      },
    });

    draw('chart-products', {
      type: 'bar',
      data: {
        labels: view.byProduct.map((p) => productName(p.productId)),
        datasets: [
          {
            label: t('stats.revenue'),
            data: view.byProduct.map((p) => p.revenueFen),
            backgroundColor: view.byProduct.map((_, i) => COLOURS[i % COLOURS.length]),
          },
        ],
      },
      options: {
        indexAxis: 'y',
        aspectRatio: 1.6,
        animation: { duration: 250 },
        scales: { x: { beginAtZero: true, ticks: { callback: moneyTick } } },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${money(item.raw)}` } },
        },
      },
    });

    draw('chart-claims', {
      type: 'line',
      data: {
        labels,
        datasets: [
          {
            label: t('stats.claimsRateHint'),
            data: view.series.map((p) => (p.claimsRate === null ? null : p.claimsRate * 100)),
            borderColor: COLOURS[2],
            backgroundColor: COLOURS[2],
            pointRadius: view.series.length > 60 ? 0 : 2,
            spanGaps: true,
            tension: 0.2,
          },
        ],
      },
      options: {
        aspectRatio: 4,
        animation: { duration: 250 },
        scales: { y: { beginAtZero: true, ticks: { callback: (value) => `${value}%` } } },
        plugins: {
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${Number(item.raw).toFixed(1)}%` },
          },
        },
      },
    });
  }

  const num = (content, attributes = {}) => h('td', { class: 'num', ...attributes }, content);

  function renderTables() {
    const planHead = h(
      'tr',
      {},
      h('th', {}, tx('stats.plan')),
      h('th', { class: 'num' }, tx('stats.orders')),
      h('th', { class: 'num' }, tx('stats.revenue')),
      h('th', { class: 'num' }, tx('stats.cancellations')),
      h('th', { class: 'num' }, tx('stats.refunds')),
      h('th', { class: 'num' }, tx('stats.claims')),
      h('th', { class: 'num' }, tx('stats.claimsRate')),
      h('th', { class: 'num' }, tx('stats.avgRepairCost')),
      h('th', { class: 'num' }, tx('stats.unitsIssued')),
      h('th', { class: 'num' }, tx('stats.attachRate')),
    );
    const planRows = view.byPlan.map((p) =>
      h(
        'tr',
        { 'data-plan-id': p.planId, 'data-testid': `plan-row-${p.code}` },
        h('td', {}, h('a', { href: `/portal/plan.html?id=${p.planId}` }, bi(p.nameZh, p.nameEn))),
        num(count(p.orders)),
        num(money(p.revenueFen)),
        num(count(p.cancellations)),
        num(money(p.refundsFen)),
        num(count(p.claims)),
        num(percent(p.claimsRate)),
        num(money(p.averageRepairCostFen)),
        num('…', { 'data-units': p.planId }),
        num('…', { 'data-attach': p.planId }),
      ),
    );
    byId('plan-table').replaceChildren(
      view.byPlan.length === 0
        ? tx('stats.noPlans', undefined, 'p', { class: 'muted' })
        : h(
            'table',
            { 'data-testid': 'stats-plan-table' },
            h('thead', {}, planHead),
            h('tbody', {}, planRows),
          ),
    );

    const productHead = h(
      'tr',
      {},
      h('th', {}, tx('stats.product')),
      h('th', { class: 'num' }, tx('stats.orders')),
      h('th', { class: 'num' }, tx('stats.revenue')),
      h('th', { class: 'num' }, tx('stats.netRevenue')),
      h('th', { class: 'num' }, tx('stats.claims')),
      h('th', { class: 'num' }, tx('stats.claimsRate')),
      h('th', { class: 'num' }, tx('stats.avgRepairCost')),
    );
    const productRows = view.byProduct.map((p) =>
      h(
        'tr',
        { 'data-product-id': p.productId },
        h('td', {}, `${p.brand} ${p.name} ${p.model}`),
        num(count(p.orders)),
        num(money(p.revenueFen)),
        num(money(p.netRevenueFen)),
        num(count(p.claims)),
        num(percent(p.claimsRate)),
        num(money(p.averageRepairCostFen)),
      ),
    );
    byId('product-table').replaceChildren(
      view.byProduct.length === 0
        ? tx('stats.noPlans', undefined, 'p', { class: 'muted' })
        : h(
            'table',
            { 'data-testid': 'stats-product-table' },
            h('thead', {}, productHead),
            h('tbody', {}, productRows),
          ),
    );
  }

  /** Attach rates are all-time figures from their own request, filled in when they arrive. */
  async function loadAttachRates(filter) {
    let items = [];
    try {
      ({ items } = await get(
        `/statistics/attach-rates${query({ planId: filter.planId, productId: filter.productId })}`,
      ));
    } catch {
      // Leave the cells at "—": the rest of the dashboard stands on its own.
    }
    const byPlan = new Map(items.map((item) => [item.planId, item]));
    for (const cell of document.querySelectorAll('[data-units]')) {
      const item = byPlan.get(cell.dataset.units);
      cell.textContent = item ? count(item.unitsIssued) : '—';
    }
    for (const cell of document.querySelectorAll('[data-attach]')) {
      const item = byPlan.get(cell.dataset.attach);
      cell.textContent = item ? `${percent(item.attachRate)} (${count(item.attachedUnits)})` : '—';
    }
  }

  async function load(filter) {
    form.setAttribute('aria-busy', 'true');
    try {
      view = await get(`/statistics${query(filter)}`);
    } catch (error) {
      showErrors(form, error);
      return;
    } finally {
      form.removeAttribute('aria-busy');
    }
    const shown = {
      from: view.from,
      to: view.to,
      granularity: view.granularity,
      planId: filter.planId,
      productId: filter.productId,
    };
    fillForm(shown);
    setCsvLinks(shown);
    history.replaceState(null, '', `${location.pathname}${query(shown)}`);
    const live = byId('stats-live');
    live.dataset.i18n = 'stats.live';
    live.dataset.i18nArgs = JSON.stringify({ day: view.today });
    live.textContent = t('stats.live', { day: view.today });
    renderTotals(view.totals);
    renderTables();
    renderCharts();
    document.body.dataset.statsReady = 'true';
    await loadAttachRates(shown);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const filter = readForm();
    if (filter.from && filter.to && filter.from > filter.to) {
      showLocalErrors(form, { 'querystring.from': { key: 'stats.fromAfterTo' } });
      return;
    }
    clearErrors(form);
    void load(filter);
  });

  // Chart words follow the language; the rest of the page follows through data-i18n.
  onLangChange(() => renderCharts());

  if (!Chart) {
    const notice = h('div', { role: 'status' });
    setNotice(notice, { key: 'stats.noCharts' }, 'warning');
    form.closest('section')?.after(notice);
  }
  await load(filterFromAddress());
}

// Last, so every declaration above is initialised before a page starts.
if (document.body.dataset.page === 'stats') {
  mountView(statsView);
  await salesDashboard();
} else {
  mountView(overviewView);
  await overview();
}
