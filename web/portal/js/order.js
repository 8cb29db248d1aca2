/**
 * One order (issue 14 §1): the holder with the phone masked until the clerk reveals it (the server records who
 * and when before it answers), the unit and the plan version it bought, coverage, payments, refunds, claims
 * (each a link to the service desk) and the cancellation.
 */
import { ApiError, get, post } from '../../assets/api.js';
import { param } from '../../assets/dom.js';
import { formatDateTime, formatFen } from '../../assets/format.js';
import { pick, t } from '../../assets/i18n.js';
import { html, nothing } from '../../assets/lit.js';
import { bootPortal } from '../../assets/shell.js';
import { badge, errorNotice, mountState } from './list-views.js';

const orderNumber = (param('n') ?? '').trim().toUpperCase();
const state = { detail: null, error: null, revealed: null, revealError: null, revealing: false };

const fact = (labelKey, value, testid) =>
  html`<div><dt>${t(labelKey)}</dt><dd data-testid=${testid ?? nothing}>${value ?? '—'}</dd></div>`;
const day = (value) => value ?? '—';

async function reveal() {
  update({ revealing: true, revealError: null });
  try {
    const revealed = await post(`/orders/${orderNumber}/phone-reveal`);
    const detail = await get(`/orders/${orderNumber}`);
    update({ revealed, detail, revealing: false });
  } catch (error) {
    update({ revealError: error, revealing: false });
  }
}

function holder(s) {
  const d = s.detail;
  return html`<section class="card" data-testid="order-holder">
    <h2>${t('order.holder')}</h2>
    <dl class="facts">
      ${fact('order.holderName', d.holder.name, 'holder-name')}
      <div>
        <dt>${t('order.phone')}</dt>
        <dd class="phone-line">
          <span class="mono" data-testid="holder-phone">${s.revealed?.phone ?? d.holder.phoneMasked}</span>
          ${
            s.revealed
              ? nothing
              : html`<button type="button" class="button button-secondary button-small" data-testid="reveal-phone"
                  ?disabled=${s.revealing} @click=${reveal}>${t('order.reveal')}</button>`
          }
        </dd>
      </div>
    </dl>
    <p class="hint" data-testid="reveal-note">
      ${s.revealed ? t('order.revealedLogged', { at: formatDateTime(s.revealed.revealedAt) }) : t('order.revealLogged')}
    </p>
    ${errorNotice(s.revealError)}
    ${
      d.phoneReveals.length > 0
        ? html`<details class="reveals" data-testid="reveal-log">
            <summary>${t('order.revealLog', { count: d.phoneReveals.length })}</summary>
            <ul>
              ${d.phoneReveals.map((r) => html`<li>${formatDateTime(r.revealedAt)} · ${r.userEmail ?? '—'}</li>`)}
            </ul>
          </details>`
        : nothing
    }
  </section>`;
}

function purchase(d) {
  const v = d.planVersion;
  return html`<section class="card">
    <h2>${t('order.purchase')}</h2>
    <dl class="facts">
      ${fact('order.plan', html`<a href="/portal/plan.html?id=${d.plan.id}">${pick(d.plan.nameZh, d.plan.nameEn)}</a> <span class="mono muted">${d.plan.code}</span>`)}
      ${fact('order.version', t('plan.versionN', { n: v.version }), 'order-version')}
      ${fact('order.product', `${d.product.brand} ${d.product.name} · ${d.product.model}`)}
      ${fact('order.serial', html`<span class="mono">${d.unit.serialNumber}</span>`, 'order-serial')}
      ${fact('order.purchaseDate', d.unit.productPurchaseDate)}
      ${fact('order.retailPrice', formatFen(d.unit.retailPriceFen, d.unit.currency))}
      ${fact('order.baseWarranty', t('common.months', { n: d.unit.baseWarrantyMonths }))}
      ${fact('order.amount', formatFen(d.amountFen, d.currency))}
      ${fact('order.provider', t(`labels:provider.${d.paymentProvider}`))}
      ${fact('order.created', formatDateTime(d.createdAt))}
      ${fact('order.paid', d.paidAt ? formatDateTime(d.paidAt) : null)}
    </dl>
  </section>`;
}

function coverage(d) {
  const v = d.planVersion;
  return html`<section class="card" data-testid="order-coverage">
    <h2>${t('order.coverage')}</h2>
    <dl class="facts">
      ${fact('order.coverageStart', day(d.coverage.start), 'coverage-start')}
      ${fact('order.coverageEnd', day(d.coverage.end), 'coverage-end')}
      ${fact('order.term', t('common.months', { n: v.termMonths }))}
      ${fact('order.coolingOff', t('common.days', { n: v.coolingOffDays }))}
      ${d.endedAt ? fact('order.ended', formatDateTime(d.endedAt)) : nothing}
      ${d.expiredAt ? fact('order.expired', formatDateTime(d.expiredAt)) : nothing}
    </dl>
    <div class="chips">${v.coverageTypes.map((type) => html`<span class="chip">${t(`labels:coverage.${type}`)}</span>`)}</div>
  </section>`;
}

/** A table of rows, or a line saying there are none. */
function table(testid, heads, rows, emptyKey) {
  if (rows.length === 0) return html`<p class="muted" data-testid="${testid}-empty">${t(emptyKey)}</p>`;
  return html`<div class="table-wrap">
    <table class="table-cards" data-testid=${testid}>
      <thead><tr>${heads.map(([key, cls]) => html`<th class=${cls ?? ''}>${t(key)}</th>`)}</tr></thead>
      <tbody>
        ${rows.map(
          (cells) =>
            html`<tr>${cells.map(([key, content, cls], i) => html`<td class=${cls ?? ''} data-label=${t(heads[i]?.[0] ?? key)}>${content}</td>`)}</tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function money(d) {
  const payments = d.payments.map((p) => [
    ['order.payment.provider', t(`labels:provider.${p.provider}`)],
    ['order.payment.id', p.providerPaymentId, 'mono break'],
    ['order.payment.status', badge('paymentStatus', p.status)],
    ['order.payment.created', formatDateTime(p.createdAt)],
    ['order.payment.captured', p.capturedAt ? formatDateTime(p.capturedAt) : '—'],
    ['order.payment.amount', formatFen(p.amountFen, p.currency), 'num'],
  ]);
  const refunds = d.refunds.map((r) => [
    ['order.refund.reason', t(`labels:refundReason.${r.reason}`)],
    ['order.refund.id', r.providerRefundId, 'mono break'],
    ['order.refund.created', formatDateTime(r.createdAt)],
    ['order.refund.amount', formatFen(r.amountFen, r.currency), 'num'],
  ]);
  return html`<section class="card">
      <h2>${t('order.payments')}</h2>
      ${table(
        'order-payments',
        [
          ['order.payment.provider'],
          ['order.payment.id'],
          ['order.payment.status'],
          ['order.payment.created'],
          ['order.payment.captured'],
          ['order.payment.amount', 'num'],
        ],
        payments,
        'order.noPayments',
      )}
    </section>
    <section class="card">
      <h2>${t('order.refunds')}</h2>
      ${table(
        'order-refunds',
        [
          ['order.refund.reason'],
          ['order.refund.id'],
          ['order.refund.created'],
          ['order.refund.amount', 'num'],
        ],
        refunds,
        'order.noRefunds',
      )}
    </section>`;
}

function claims(d) {
  const rows = d.claims.map((c) => [
    [
      'order.claim.number',
      html`<a class="mono" href="/portal/claims.html?claim=${c.claimNumber}" data-testid="claim-link">${c.claimNumber}</a>`,
    ],
    ['order.claim.type', t(`labels:coverage.${c.coverageType}`)],
    ['order.claim.status', badge('claimStatus', c.status)],
    ['order.claim.faultDate', c.faultDate],
    ['order.claim.outcome', c.outcome ? t(`outcome.${c.outcome}`) : '—'],
    ['order.claim.cost', c.repairCostFen === null ? '—' : formatFen(c.repairCostFen, d.currency), 'num'],
  ]);
  return html`<section class="card">
    <h2>${t('order.claims')}</h2>
    ${table(
      'order-claims',
      [
        ['order.claim.number'],
        ['order.claim.type'],
        ['order.claim.status'],
        ['order.claim.faultDate'],
        ['order.claim.outcome'],
        ['order.claim.cost', 'num'],
      ],
      rows,
      'order.noClaims',
    )}
  </section>`;
}

function cancellation(d) {
  const c = d.cancellation;
  return html`<section class="card" data-testid="order-cancellation">
    <h2>${t('order.cancellation')}</h2>
    ${
      c
        ? html`<dl class="facts">
            ${fact('order.cancel.status', badge('cancellationStatus', c.status))}
            ${fact('order.cancel.requested', formatDateTime(c.requestedAt))}
            ${fact('order.cancel.coolingOff', t(c.withinCoolingOff ? 'common.yes' : 'common.no'))}
            ${fact('order.cancel.deducted', formatFen(c.approvedClaimsFen, d.currency))}
            ${fact('order.cancel.refund', formatFen(c.refundFen, d.currency), 'cancel-refund')}
            ${fact('order.cancel.refunded', c.refundedAt ? formatDateTime(c.refundedAt) : null)}
            ${c.reason ? html`<div class="span-all"><dt>${t('order.cancel.reason')}</dt><dd>${c.reason}</dd></div>` : nothing}
          </dl>`
        : html`<p class="muted">${t('order.notCancelled')}</p>`
    }
  </section>`;
}

/** A number that is malformed (400) or not one of the manufacturer's orders (404) is simply not found. */
const loadError = (error) =>
  error instanceof ApiError && (error.status === 400 || error.status === 404)
    ? html`<div class="notice notice-error" role="alert" data-testid="order-not-found">
        ${t('order.notFound', { n: orderNumber || '—' })}
      </div>`
    : errorNotice(error);

function view(s) {
  const head = html`<p class="back"><a href="/portal/orders.html" data-testid="back-to-orders">${t('order.back')}</a></p>`;
  if (!s.detail)
    return html`${head}<h1>${t('order.heading')}</h1>
      ${s.error ? loadError(s.error) : html`<p class="muted">${t('common.loading')}</p>`}`;
  const d = s.detail;
  return html`<div class="order-page">${head}
    <div class="page-head">
      <h1><span>${t('order.heading')}</span> <span class="mono" data-testid="order-number">${d.orderNumber}</span></h1>
      <span data-testid="order-status">${badge('orderStatus', d.status)}</span>
    </div>
    <div class="order-grid">
      ${holder(s)} ${coverage(d)}
    </div>
    ${purchase(d)} ${money(d)} ${claims(d)} ${cancellation(d)}</div>`;
}

const update = mountState(state, view);

await bootPortal('orders');
try {
  update({ detail: await get(`/orders/${encodeURIComponent(orderNumber || '-')}`) });
} catch (error) {
  update({ error });
}
