/** The reconciliation report: totals, results, every row (flagged ones marked) and the CSV of the same filter. */
import { query } from '../../assets/api.js';
import { busy, byId, h, showErrors, tx } from '../../assets/dom.js';
import { formatDateTime, formatFen } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { mountView } from '../../assets/view.js';
import { bootStaff, get, txOr, wirePager } from './frame.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('audit.recon.heading')}</h1>
        <p class="lead">${t('audit.recon.lead')}</p>
      </div>
      <a class="button button-secondary" id="csv-link" href="/api/v1/audit/reconciliation.csv" download data-testid="csv-download">${t('audit.recon.csv')}</a>
    </div>
    <section class="card">
      <form id="recon-form" novalidate>
        <div data-role="form-error" hidden></div>
        <div class="grid-3">
          <div class="field" data-field="querystring.from">
            <label for="recon-from">${t('audit.recon.from')}</label>
            <input type="date" id="recon-from" name="from">
          </div>
          <div class="field" data-field="querystring.to">
            <label for="recon-to">${t('audit.recon.to')}</label>
            <input type="date" id="recon-to" name="to">
          </div>
          <div class="field" data-field="querystring.manufacturerId">
            <label for="recon-manufacturer">${t('audit.workflows.manufacturer')}</label>
            <select id="recon-manufacturer" name="manufacturerId"></select>
          </div>
        </div>
        <div class="checks">
          <label class="check"><input type="checkbox" name="flaggedOnly" value="true" id="recon-flagged" data-testid="recon-flagged"> <span>${t('audit.recon.flaggedOnly')}</span></label>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" data-testid="recon-submit">${t('audit.filter')}</button>
        </div>
      </form>
    </section>
    <div class="stats" id="recon-stats"></div>
    <section class="card">
      <h2>${t('audit.recon.byResult')}</h2>
      <div class="table-wrap" id="recon-summary"></div>
    </section>
    <section class="card">
      <div class="card-head">
        <h2>${t('audit.recon.rows')}</h2>
        <p class="muted" id="recon-count"></p>
      </div>
      <div class="table-wrap" id="recon-rows" data-loading></div>
      <div class="form-actions">
        <button type="button" class="button button-secondary" id="recon-prev" hidden>${t('audit.prevPage')}</button>
        <button type="button" class="button button-secondary" id="recon-next" hidden>${t('audit.nextPage')}</button>
      </div>
    </section>
  `,
);

await bootStaff('reconciliation');
const form = byId('recon-form');
const PAGE = 100;
const { manufacturers } = await get('/audit/filters');
form.elements
  .namedItem('manufacturerId')
  .replaceChildren(
    tx('audit.all', undefined, 'option', { value: '' }),
    ...manufacturers.map((m) => h('option', { value: m.id }, m.name)),
  );

function filters() {
  const values = {};
  for (const name of ['from', 'to', 'manufacturerId']) {
    const value = String(form.elements.namedItem(name).value ?? '').trim();
    if (value) values[name] = value;
  }
  if (form.elements.namedItem('flaggedOnly').checked) values.flaggedOnly = 'true';
  return values;
}

const stat = (key, value, testid) =>
  h(
    'div',
    { class: 'stat', 'data-testid': testid },
    h('span', { class: 'stat-value' }, value),
    tx(key, undefined, 'span', { class: 'stat-label' }),
  );

const resultBadge = (row) =>
  txOr(`labels:reconciliationResult.${row.result}`, row.result, 'span', {
    class: `badge badge-${row.flagged ? 'expired' : 'published'}`,
    'data-result': row.result,
  });

async function load(offset) {
  const current = filters();
  byId('csv-link').href = `/api/v1/audit/reconciliation.csv${query(current)}`;
  await busy(form, async () => {
    try {
      const report = await get(`/audit/reconciliation${query({ ...current, limit: PAGE, offset })}`);
      const { summary } = report;
      const totals = summary.totals.length
        ? summary.totals
        : [{ currency: 'CNY', capturedFen: 0, refundedFen: 0, netFen: 0 }];
      byId('recon-stats').replaceChildren(
        stat(
          'audit.recon.payments',
          `${summary.payments} · ${totals.map((t) => formatFen(t.capturedFen, t.currency)).join(' ')}`,
          'stat-payments',
        ),
        stat(
          'audit.recon.refunds',
          `${summary.refunds} · ${totals.map((t) => formatFen(t.refundedFen, t.currency)).join(' ')}`,
          'stat-refunds',
        ),
        stat('audit.recon.net', totals.map((t) => formatFen(t.netFen, t.currency)).join(' '), 'stat-net'),
        stat('audit.recon.flagged', String(summary.flagged), 'stat-flagged'),
      );
      byId('recon-summary').replaceChildren(
        summary.byResult.length === 0
          ? tx('audit.recon.empty', undefined, 'p', { class: 'muted' })
          : h(
              'table',
              { 'data-testid': 'recon-summary-table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['kind', 'result', 'count', 'amount'].map((k) =>
                    h(
                      'th',
                      k === 'count' || k === 'amount' ? { class: 'num' } : {},
                      tx(`audit.recon.col.${k}`),
                    ),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                summary.byResult.map((g) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, tx(`labels:ledgerKind.${g.kind}`)),
                    h('td', {}, resultBadge(g)),
                    h('td', { class: 'num' }, String(g.count)),
                    h('td', { class: 'num' }, formatFen(g.amountFen, totals[0].currency)),
                  ),
                ),
              ),
            ),
      );
      byId('recon-count').replaceChildren(tx('audit.recon.count', { n: report.total }));
      byId('recon-rows').replaceChildren(
        report.rows.length === 0
          ? tx('audit.recon.empty', undefined, 'p', { class: 'muted', 'data-testid': 'recon-empty' })
          : h(
              'table',
              { 'data-testid': 'recon-table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['at', 'kind', 'result', 'order', 'manufacturer', 'provider', 'reference', 'amount'].map(
                    (k) => h('th', k === 'amount' ? { class: 'num' } : {}, tx(`audit.recon.col.${k}`)),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                report.rows.map((r) =>
                  h(
                    'tr',
                    { 'data-row-id': r.id, 'data-flagged': String(r.flagged) },
                    h('td', {}, formatDateTime(r.at)),
                    h(
                      'td',
                      {},
                      tx(`labels:ledgerKind.${r.kind}`),
                      r.reason
                        ? h('div', { class: 'hint' }, txOr(`labels:refundReason.${r.reason}`, r.reason))
                        : null,
                    ),
                    h(
                      'td',
                      {},
                      resultBadge(r),
                      r.providerStatus
                        ? tx('audit.providerStatus', { status: r.providerStatus }, 'div', {
                            class: 'hint',
                            'data-provider-status': r.providerStatus,
                          })
                        : null,
                    ),
                    h(
                      'td',
                      {},
                      r.orderNumber
                        ? h(
                            'a',
                            {
                              class: 'mono',
                              href: `/audit/workflow.html?id=${encodeURIComponent(`purchase-${r.orderNumber}`)}`,
                            },
                            r.orderNumber,
                          )
                        : '—',
                      r.orderStatus
                        ? h(
                            'div',
                            { class: 'hint' },
                            txOr(`labels:orderStatus.${r.orderStatus}`, r.orderStatus),
                          )
                        : null,
                    ),
                    h('td', {}, r.manufacturerName ?? '—'),
                    h(
                      'td',
                      {},
                      r.provider ? txOr(`labels:provider.${r.provider}`, r.provider) : '—',
                      r.providerPaymentId ? h('div', { class: 'hint mono' }, r.providerPaymentId) : null,
                    ),
                    h('td', { class: 'mono' }, r.reference ?? '—'),
                    h('td', { class: 'num' }, formatFen(r.amountFen, r.currency)),
                  ),
                ),
              ),
            ),
      );
      wirePager('recon', { offset, pageSize: PAGE, total: report.total, load });
    } catch (error) {
      showErrors(form, error);
    }
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void load(0);
});

await load(0);
